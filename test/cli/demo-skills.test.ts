import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/engine';

/** End to end: the built CLI (dist/cli.js, as users run it) over the demo skills in test/. */
interface DemoReport {
  skills: { root: string; verdict: string; score: number; findings: { ruleId: string; severity: string; file: string; line: number }[] }[];
  summary: { failed: boolean };
}

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI on the demo skills (end to end)', () => {
  let report: DemoReport;
  let status: number | null;

  before(() => {
    const result = runCli(['scan', 'test/demo-skills', '--format', 'json', '--severity', 'info']);
    status = result.status;
    report = JSON.parse(result.stdout) as DemoReport;
  });

  const skill = (name: string): DemoReport['skills'][number] => {
    const found = report.skills.find((s) => s.root.endsWith(`/${name}`));
    assert.ok(found, `${name} not scanned`);
    return found;
  };
  const codes = (name: string, severities = ['critical', 'high']): string[] =>
    [...new Set(skill(name).findings.filter((f) => severities.includes(f.severity)).map((f) => f.ruleId))].sort();

  it('finds the three skills in their dot-folders and exits 1', () => {
    assert.equal(report.skills.length, 3);
    assert.equal(status, 1);
    assert.equal(report.summary.failed, true);
  });

  it('calls the harvesting "formatter" malicious and reports the chain, persistence and hidden instruction', () => {
    const formatter = skill('code-formatter');
    assert.equal(formatter.verdict, 'malicious');
    const found = codes('code-formatter');
    for (const expected of ['SKL551', 'SKL601', 'SKL701']) assert.ok(found.includes(expected), `${expected} missing from ${found.join(', ')}`);
  });

  it('reports the dropper in the setup skill', () => {
    assert.ok(codes('env-setup').includes('SKL501'));
    assert.equal(skill('env-setup').verdict, 'malicious');
  });

  it('keeps the benign release-notes skill free of high and critical findings', () => {
    assert.deepEqual(codes('release-notes'), []);
  });

  it('prints compiler-style lines in text mode and a SARIF log in sarif mode', () => {
    const text = runCli(['scan', 'test/demo-skills', '--severity', 'CRITICAL']);
    assert.match(text.stdout, /^test\/demo-skills\/\.github\/skills\/env-setup\/SKILL\.md:\d+:\d+ +critical +SKL501 +/m);
    const sarif = JSON.parse(runCli(['scan', 'test/demo-skills', '--format', 'sarif']).stdout) as { version: string; runs: { results: unknown[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok((sarif.runs[0]?.results.length ?? 0) > 0);
  });
});
