import * as assert from 'node:assert/strict';
import { URI } from 'vscode-uri';
import type { RuleMeta } from '../../../server/src/engine';
import type { Finding, SkillReport } from '../../../server/src/engine/types';
import { findingToDiagnostic, reportToDiagnostics, skillFileUri, spanToRange, toLspSeverity } from '../../../server/src/diagnostics';
import { isDiagnosticData } from '../../../server/src/protocol';

// LSP's DiagnosticSeverity values; the unit tests stay free of the language-server package.
const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;

const ROOT = '/work/ws/.claude/skills/demo';
const META: RuleMeta = {
  id: 'SKL501',
  slug: 'remote-script-piped-to-shell',
  title: 'Remote script piped to a shell',
  category: 'network',
  threat: 'execution',
  severity: 'critical',
  tags: [],
  status: 'stable',
  docsUrl: 'https://github.com/skill-sentinel/skill-sentinel/blob/v0.1.0/rules/network/SKL501-remote-script-piped-to-shell/README.md',
  summary: '',
};
const RULES = new Map([[META.id, META]]);

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'SKL501',
    slug: 'remote-script-piped-to-shell',
    category: 'network',
    severity: 'critical',
    message: '`curl` output is piped straight into `bash`.',
    file: 'SKILL.md',
    span: { line: 12, column: 1, endLine: 12, endColumn: 41 },
    ...overrides,
  };
}

describe('server/diagnostics', () => {
  describe('spanToRange', () => {
    it('turns 1-based lines and columns into 0-based positions, end exclusive', () => {
      assert.deepEqual(spanToRange({ line: 1, column: 1, endLine: 1, endColumn: 5 }), {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 4 },
      });
      assert.deepEqual(spanToRange({ line: 3, column: 7, endLine: 4, endColumn: 2 }), {
        start: { line: 2, character: 6 },
        end: { line: 3, character: 1 },
      });
    });

    it('keeps UTF-16 columns as they are (astral characters count twice)', () => {
      // "é😀x": x starts at UTF-16 column 4 (1-based) because 😀 is a surrogate pair.
      assert.deepEqual(spanToRange({ line: 2, column: 4, endLine: 2, endColumn: 5 }).start, { line: 1, character: 3 });
    });

    it('never yields negative or inverted ranges from malformed spans', () => {
      assert.deepEqual(spanToRange({ line: 0, column: 0, endLine: 0, endColumn: 0 }), {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 0 },
      });
      assert.deepEqual(spanToRange({ line: 5, column: 9, endLine: 5, endColumn: 3 }), {
        start: { line: 4, character: 8 },
        end: { line: 4, character: 8 },
      });
    });
  });

  it('maps the five severities onto the four editor levels', () => {
    assert.equal(toLspSeverity('critical'), DiagnosticSeverity.Error);
    assert.equal(toLspSeverity('high'), DiagnosticSeverity.Error);
    assert.equal(toLspSeverity('medium'), DiagnosticSeverity.Warning);
    assert.equal(toLspSeverity('low'), DiagnosticSeverity.Information);
    assert.equal(toLspSeverity('info'), DiagnosticSeverity.Hint);
  });

  describe('findingToDiagnostic', () => {
    it('fills range, severity, source, code, documentation link, message and data', () => {
      const fix = { title: 'Do it', edits: [{ file: 'SKILL.md', span: { line: 1, column: 1, endLine: 1, endColumn: 2 }, newText: 'x' }] };
      const diagnostic = findingToDiagnostic(finding({ fix }), { skillRoot: ROOT, rules: RULES, relatedInformation: true });
      assert.deepEqual(diagnostic.range, { start: { line: 11, character: 0 }, end: { line: 11, character: 40 } });
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(diagnostic.source, 'skill-sentinel');
      assert.equal(diagnostic.code, 'SKL501');
      assert.deepEqual(diagnostic.codeDescription, { href: META.docsUrl });
      assert.equal(diagnostic.message, '`curl` output is piped straight into `bash`.');
      assert.ok(isDiagnosticData(diagnostic.data));
      assert.deepEqual(diagnostic.data, { ruleId: 'SKL501', slug: 'remote-script-piped-to-shell', skillUri: URI.file(ROOT).toString(), fix });
      assert.equal(diagnostic.relatedInformation, undefined);
    });

    it('turns related locations into relatedInformation in the skill’s other files', () => {
      const related = [{ file: 'scripts/x.py', span: { line: 3, column: 5, endLine: 3, endColumn: 9 }, message: 'Reads SSH keys here.' }];
      const diagnostic = findingToDiagnostic(finding({ related }), { skillRoot: ROOT, rules: RULES, relatedInformation: true });
      assert.deepEqual(diagnostic.relatedInformation, [
        {
          location: { uri: URI.file(`${ROOT}/scripts/x.py`).toString(), range: { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } } },
          message: 'Reads SSH keys here.',
        },
      ]);
    });

    it('leaves relatedInformation out when the client does not support it', () => {
      const related = [{ file: 'scripts/x.py', span: { line: 3, column: 5, endLine: 3, endColumn: 9 }, message: 'here' }];
      const diagnostic = findingToDiagnostic(finding({ related }), { skillRoot: ROOT, rules: RULES, relatedInformation: false });
      assert.equal(diagnostic.relatedInformation, undefined);
    });

    it('omits codeDescription for a rule it has no metadata for', () => {
      const diagnostic = findingToDiagnostic(finding({ ruleId: 'SKL999' }), { skillRoot: ROOT, rules: RULES, relatedInformation: true });
      assert.equal(diagnostic.codeDescription, undefined);
      assert.equal(diagnostic.code, 'SKL999');
    });
  });

  it('groups a report by file URI, percent-encoding what needs it', () => {
    const report: SkillReport = {
      root: ROOT,
      dirName: 'demo',
      findings: [finding(), finding({ file: 'scripts/run me.sh', severity: 'medium' }), finding({ span: { line: 2, column: 1, endLine: 2, endColumn: 3 } })],
      verdict: 'malicious',
      score: 80,
      filesAnalysed: 2,
      bytesAnalysed: 100,
      durationMs: 1,
    };
    const grouped = reportToDiagnostics(report, { skillRoot: ROOT, rules: RULES, relatedInformation: true });
    assert.deepEqual([...grouped.keys()].sort(), [skillFileUri(ROOT, 'SKILL.md'), skillFileUri(ROOT, 'scripts/run me.sh')].sort());
    assert.equal(grouped.get(skillFileUri(ROOT, 'SKILL.md'))?.length, 2);
    assert.match(skillFileUri(ROOT, 'scripts/run me.sh'), /scripts\/run%20me\.sh$/);
  });
});
