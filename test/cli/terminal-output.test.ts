import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonReport } from '../../server/src/cli/format-json';
import type { JsonVerifyReport } from '../../server/src/cli/format-verify';
import { hasHiddenOrControl } from '../../server/src/engine/display-text';
import { getEngine } from '../support/engine';
import { FORGED_FILE_NAME, TERMINAL_ATTACK, terminalAttackFiles } from '../support/terminal-attack';
import { makeWorkspace, removeWorkspaces, runCli, type CliRun } from './helpers';

/** A skill folder whose own name carries the attack, so the skill's root is hostile too. */
const SKILL_DIR = `attack${TERMINAL_ATTACK}`;
const SHOWN_SKILL_DIR = 'attack\\u001b[2K\\u001b[1A\\u009b2K\\u202e\\u200b\\u{e0041}';

function run(argv: readonly string[], cwd: string): Promise<CliRun> {
  return runCli(argv, cwd, { createEngine: getEngine });
}

function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

/** Output as a terminal would get it: nothing but line breaks may act on it or hide text. */
function assertVisible(output: string, what: string): void {
  const offending = output.split('\n').filter(hasHiddenOrControl);
  assert.deepEqual(offending, [], `${what} holds characters a terminal acts on`);
}

describe('cli: output about a skill that attacks its reader', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = makeWorkspace();
    writeFiles(path.join(workspace, SKILL_DIR), terminalAttackFiles('attack'));
  });
  afterEach(removeWorkspaces);

  it('text: every path and message is escaped, so no line can be forged or erased', async () => {
    const result = await run(['scan', '.'], workspace);
    assert.equal(result.exitCode, 1, result.stderr);
    assertVisible(result.stdout, 'the text report');
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    const summary = lines.pop() ?? '';
    assert.match(summary, /^1 skill scanned, 1 flagged: /);
    assert.deepEqual(lines.filter((line) => !line.startsWith(`${SHOWN_SKILL_DIR}`)), [], 'each line is about the skill, none forged');
    const forged = lines.filter((line) => line.startsWith(`${SHOWN_SKILL_DIR}/scripts/n${SHOWN_SKILL_DIR.slice('attack'.length)}\\u000a::error::forged.sh:`));
    assert.ok(forged.length > 0, `no finding shown for the oddly named script:\n${result.stdout}`);
  });

  it('json and sarif: the same data, with every hidden character written as an escape', async () => {
    const json = await run(['scan', '.', '--format', 'json'], workspace);
    assertVisible(json.stdout, 'the JSON report');
    const report = JSON.parse(json.stdout) as JsonReport;
    assert.equal(report.skills[0]?.root, SKILL_DIR, 'the root is kept exactly');
    assert.ok(report.skills[0]?.findings.some((finding) => finding.file === FORGED_FILE_NAME), 'the file name is kept exactly');

    const sarif = await run(['scan', '.', '--format', 'sarif'], workspace);
    assertVisible(sarif.stdout, 'the SARIF log');
    assert.doesNotThrow(() => JSON.parse(sarif.stdout) as unknown);
  });

  it('stderr and verify: a skill refused or changed is named escaped', async () => {
    const refused = await run(['lock'], workspace);
    assert.equal(refused.exitCode, 1);
    assertVisible(refused.stderr, 'the refusal');
    assert.ok(refused.stderr.includes(`refusing to lock ${SHOWN_SKILL_DIR}:`), refused.stderr);

    assert.equal((await run(['lock', '--force'], workspace)).exitCode, 0);
    writeFiles(path.join(workspace, SKILL_DIR), { [`${FORGED_FILE_NAME}.new`]: 'echo hi\n' });
    const verify = await run(['verify'], workspace);
    assert.equal(verify.exitCode, 1);
    assertVisible(verify.stdout, 'the verify report');
    assert.ok(verify.stdout.includes(`\n  added file: scripts/n${SHOWN_SKILL_DIR.slice('attack'.length)}\\u000a::error::forged.sh.new\n`), verify.stdout);
    const verifyJson = JSON.parse((await run(['verify', '--format', 'json'], workspace)).stdout) as JsonVerifyReport;
    assert.deepEqual(verifyJson.skills[0]?.files.added, [`${FORGED_FILE_NAME}.new`]);
  });

  it('a skill folder named like a GitHub Actions workflow command starts no line with `::`', async () => {
    writeFiles(path.join(workspace, '::error file=x::forged'), terminalAttackFiles('forged'));
    const result = await run(['scan', '.'], workspace);
    assert.deepEqual(result.stdout.split('\n').filter((line) => /^\s*::/.test(line)), []);
    assert.match(result.stdout, /^\.\/::error file=x::forged {2}malicious/m);
  });
});
