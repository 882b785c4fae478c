/**
 * Detection benchmark: runs the `skill-sentinel` CLI (the same bundle users run) over each dataset
 * of ../shared/corpus and prints, per dataset, how many skills are flagged at `high` (at least one
 * high or critical finding) and at `medium`, recall on malicious skills and the false-positive rate
 * on benign ones, following the corpus README: findings are attributed to the LABELS.json key that
 * is the longest path prefix of the skill root, MCP-config specimens are excluded, and SKILL-INJECT's
 * dual-use (contextual) injections are reported on their own line. It prints figures; it never fails.
 *
 * Usage: npm run bench:detect [-- --corpus DIR] [--rules-on-benign N]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { argValue } from './args';

type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

interface CliFinding { readonly ruleId: string; readonly slug: string; readonly severity: Severity; readonly file: string }
interface CliSkill { readonly root: string; readonly findings: readonly CliFinding[] }
interface CliReport { readonly skills: readonly CliSkill[]; readonly summary: { readonly durationMs: number } }

interface Label { readonly label: 'malicious' | 'benign'; readonly format?: string; readonly dual_use?: boolean }

interface Row {
  readonly dataset: string;
  readonly kind: string;
  total: number;
  flaggedHigh: number;
  flaggedMedium: number;
}

const repoRoot = path.resolve(__dirname, '..');
const corpus = path.resolve(argValue('--corpus') ?? path.join(repoRoot, '..', 'shared', 'corpus'));
const cli = path.join(repoRoot, 'dist', 'cli.js');
const topRules = Number(argValue('--rules-on-benign') ?? 25);

function parseReport(text: string): CliReport {
  const data = JSON.parse(text) as unknown;
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { skills?: unknown }).skills)) {
    throw new Error('unexpected CLI JSON');
  }
  return data as CliReport;
}

function scan(dir: string): { report: CliReport; wallMs: number } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-detect-')), 'report.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'scan', '.', '--format', 'json', '--severity', 'info', '--output', out], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status === 2 && !fs.existsSync(out)) throw new Error(`CLI failed on ${dir}: ${result.stderr}`);
  const report = parseReport(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { report, wallMs };
}

function topSeverity(findings: readonly CliFinding[]): number {
  return findings.reduce((max, f) => Math.max(max, RANK[f.severity]), -1);
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}

const benignRuleCounts = new Map<string, Set<string>>();
function countBenignRules(skillKey: string, findings: readonly CliFinding[]): void {
  for (const finding of findings) {
    if (RANK[finding.severity] < RANK.high) continue;
    const key = `${finding.ruleId} ${finding.slug}`;
    const set = benignRuleCounts.get(key) ?? new Set<string>();
    set.add(skillKey);
    benignRuleCounts.set(key, set);
  }
}

function main(): void {
  if (!fs.existsSync(corpus)) {
    console.log(`bench:detect: corpus not found at ${corpus}; nothing to measure.`);
    return;
  }
  if (!fs.existsSync(cli)) {
    console.log('bench:detect: dist/cli.js is missing; run `npm run build` first.');
    return;
  }
  const rows: Row[] = [];
  const timings: string[] = [];

  const benignDir = path.join(corpus, 'benign');
  if (fs.existsSync(benignDir)) {
    const { report, wallMs } = scan(benignDir);
    timings.push(`benign collections: ${report.skills.length} skills in ${(wallMs / 1000).toFixed(2)} s wall`);
    const perCollection = new Map<string, Row>();
    for (const skill of report.skills) {
      const collection = skill.root.split('/')[0] ?? skill.root;
      const row = perCollection.get(collection) ?? { dataset: `benign/${collection}`, kind: 'benign', total: 0, flaggedHigh: 0, flaggedMedium: 0 };
      perCollection.set(collection, row);
      row.total++;
      const top = topSeverity(skill.findings);
      if (top >= RANK.high) row.flaggedHigh++;
      if (top >= RANK.medium) row.flaggedMedium++;
      countBenignRules(`benign/${skill.root}`, skill.findings);
    }
    const all: Row = { dataset: 'benign (all collections)', kind: 'benign', total: 0, flaggedHigh: 0, flaggedMedium: 0 };
    for (const row of [...perCollection.values()].sort((a, b) => a.dataset.localeCompare(b.dataset))) {
      rows.push(row);
      all.total += row.total;
      all.flaggedHigh += row.flaggedHigh;
      all.flaggedMedium += row.flaggedMedium;
    }
    rows.push(all);
  }

  const labeledDir = path.join(corpus, 'labeled');
  const datasets = fs.existsSync(labeledDir) ? fs.readdirSync(labeledDir).filter((d) => fs.existsSync(path.join(labeledDir, d, 'LABELS.json'))).sort() : [];
  for (const dataset of datasets) {
    const dir = path.join(labeledDir, dataset);
    const labels = JSON.parse(fs.readFileSync(path.join(dir, 'LABELS.json'), 'utf8')) as Record<string, Label>;
    const keys = Object.keys(labels).filter((key) => labels[key]?.format !== 'mcp-config').sort((a, b) => b.length - a.length);
    const { report, wallMs } = scan(dir);
    timings.push(`${dataset}: ${report.skills.length} skills in ${(wallMs / 1000).toFixed(2)} s wall`);
    // Attribute each skill's findings to the longest LABELS key that prefixes its root.
    const topByKey = new Map<string, number>();
    const findingsByKey = new Map<string, CliFinding[]>();
    for (const skill of report.skills) {
      const key = keys.find((k) => skill.root === k || skill.root.startsWith(`${k}/`));
      if (!key) continue;
      topByKey.set(key, Math.max(topByKey.get(key) ?? -1, topSeverity(skill.findings)));
      findingsByKey.set(key, [...(findingsByKey.get(key) ?? []), ...skill.findings]);
    }
    const groups = new Map<string, Row>();
    for (const key of keys) {
      const label = labels[key];
      if (!label) continue;
      const kind = label.label === 'malicious' ? (label.dual_use ? 'malicious (dual-use)' : 'malicious') : 'benign';
      const row = groups.get(kind) ?? { dataset, kind, total: 0, flaggedHigh: 0, flaggedMedium: 0 };
      groups.set(kind, row);
      row.total++;
      const top = topByKey.get(key) ?? -1;
      if (top >= RANK.high) row.flaggedHigh++;
      if (top >= RANK.medium) row.flaggedMedium++;
      if (kind === 'benign') countBenignRules(`${dataset}/${key}`, findingsByKey.get(key) ?? []);
    }
    for (const kind of ['malicious', 'malicious (dual-use)', 'benign']) {
      const row = groups.get(kind);
      if (row) rows.push(row);
    }
  }

  console.log('| dataset | label | skills | flagged ≥ high | flagged ≥ medium | recall (≥ high) | FP rate (≥ high) |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const malicious = row.kind.startsWith('malicious');
    console.log(
      `| ${row.dataset} | ${row.kind} | ${row.total} | ${row.flaggedHigh} | ${row.flaggedMedium} | ${malicious ? pct(row.flaggedHigh, row.total) : ''} | ${malicious ? '' : pct(row.flaggedHigh, row.total)} |`,
    );
  }
  console.log('');
  for (const timing of timings) console.log(`wall time: ${timing}`);
  console.log('');
  console.log(`Rules with high or critical findings on benign skills (skills affected), top ${topRules}:`);
  const ranked = [...benignRuleCounts.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, topRules);
  if (ranked.length === 0) console.log('  none');
  for (const [rule, skills] of ranked) console.log(`  ${String(skills.size).padStart(4)}  ${rule}`);
}

main();
