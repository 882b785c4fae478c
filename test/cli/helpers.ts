import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliDependencies } from '../../server/src/cli/main';
import type { Engine, RuleMeta } from '../../server/src/engine/engine';
import { severityRank, type Finding, type Severity, type SkillBundle, type SkillReport, type Verdict } from '../../server/src/engine/types';

export const FAKE_ENGINE_VERSION = '9.9.9-test';

interface FakeRule extends RuleMeta {
  /** A line containing this text gets a finding of this rule, starting at the marker. */
  readonly marker: string;
}

function fakeRule(id: string, slug: string, severity: Severity, marker: string, status: RuleMeta['status'] = 'stable'): FakeRule {
  const category = 'scripts';
  return {
    id,
    slug,
    title: `Title of ${slug}`,
    category,
    threat: 'execution',
    severity,
    tags: ['execution'],
    status,
    docsUrl: `https://github.com/example/skill-sentinel/blob/v0.1.0/rules/${category}/${id}-${slug}/README.md`,
    summary: `Summary of ${slug}.`,
    marker,
  };
}

export const FAKE_RULES: readonly FakeRule[] = [
  fakeRule('SKL401', 'remote-script-piped-to-shell', 'critical', 'CRITICAL-MARK'),
  fakeRule('SKL301', 'hidden-instructions', 'high', 'HIGH-MARK'),
  fakeRule('SKL205', 'broad-allowed-tools', 'medium', 'MEDIUM-MARK', 'experimental'),
  fakeRule('SKL102', 'long-description', 'low', 'LOW-MARK'),
  fakeRule('SKL150', 'unused-field', 'info', 'INFO-MARK'),
  fakeRule('SKL999', 'never-fires', 'high', 'NEVER-IN-ANY-FIXTURE'),
];

/** Marks findings on any line containing RELATED-MARK as related to the high finding. */
const RELATED_MARKER = 'RELATED-MARK';

const VERDICT_BY_WORST: Readonly<Record<Severity, Verdict>> = {
  critical: 'malicious',
  high: 'dangerous',
  medium: 'suspicious',
  low: 'notice',
  info: 'notice',
};

/**
 * Stands in for the real engine: a finding wherever a fixture line holds one of the rule markers,
 * so fixtures say plainly what they should produce.
 */
export class FakeEngine implements Engine {
  readonly version = FAKE_ENGINE_VERSION;
  readonly rules: readonly RuleMeta[] = FAKE_RULES;
  readonly scanned: string[] = [];

  scan(bundle: SkillBundle): SkillReport {
    this.scanned.push(bundle.dirName);
    const findings: Finding[] = [];
    let related: { file: string; line: number } | undefined;
    for (const file of bundle.files.values()) {
      file.text.split(/\r\n|\r|\n/).forEach((lineText, index) => {
        if (lineText.includes(RELATED_MARKER)) related = { file: file.path, line: index + 1 };
      });
    }
    for (const file of bundle.files.values()) {
      file.text.split(/\r\n|\r|\n/).forEach((lineText, index) => {
        for (const rule of FAKE_RULES) {
          const at = lineText.indexOf(rule.marker);
          if (at < 0) continue;
          const span = { line: index + 1, column: at + 1, endLine: index + 1, endColumn: at + 1 + rule.marker.length };
          findings.push({
            ruleId: rule.id,
            slug: rule.slug,
            category: rule.category,
            severity: rule.severity,
            message: `Found ${rule.marker} in ${file.path}.`,
            file: file.path,
            span,
            ...(related !== undefined && rule.severity === 'high'
              ? {
                  related: [
                    {
                      file: related.file,
                      span: { line: related.line, column: 1, endLine: related.line, endColumn: 2 },
                      message: 'The grant that allows it.',
                    },
                  ],
                }
              : {}),
          });
        }
      });
    }
    const worst = findings.reduce<Severity | undefined>(
      (current, finding) =>
        current === undefined || severityRank(finding.severity) > severityRank(current) ? finding.severity : current,
      undefined,
    );
    return {
      root: bundle.root,
      dirName: bundle.dirName,
      name: bundle.dirName,
      findings,
      verdict: worst === undefined ? 'clean' : VERDICT_BY_WORST[worst],
      score: findings.reduce((total, finding) => total + 10 * severityRank(finding.severity), 0),
      filesAnalysed: bundle.files.size,
      bytesAnalysed: 0,
      durationMs: 0,
    };
  }
}

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stderrLines: readonly string[];
}

export async function runCli(
  argv: readonly string[],
  cwd: string,
  overrides: Partial<CliDependencies> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const engine = new FakeEngine();
  const exitCode = await main(
    argv,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd },
    { createEngine: async () => engine, ...overrides },
  );
  return { exitCode, stdout, stderr, stderrLines: stderr.split('\n').filter((line) => line !== '') };
}

/** A fresh folder under the system temp dir; removed by `removeWorkspaces`. */
export function makeWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'skill-sentinel-cli-')));
  createdWorkspaces.push(dir);
  return dir;
}

const createdWorkspaces: string[] = [];

export function removeWorkspaces(): void {
  for (const dir of createdWorkspaces.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a skill folder; `files` maps posix paths relative to the skill to their text. */
export function writeSkill(workspace: string, skillDir: string, files: Readonly<Record<string, string>> = {}): string {
  const root = path.join(workspace, ...skillDir.split('/'));
  const name = path.basename(root);
  const allFiles = { 'SKILL.md': `---\nname: ${name}\ndescription: Test skill. Use when testing.\n---\n# ${name}\n`, ...files };
  for (const [relative, text] of Object.entries(allFiles)) {
    const target = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return root;
}

export function assertNoStackTrace(text: string): void {
  if (/^\s+at .+\(.*\)$/m.test(text) || /\n\s+at /.test(text)) {
    throw new Error(`output holds a stack trace:\n${text}`);
  }
}
