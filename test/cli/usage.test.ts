import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCliArgs, UsageError } from '../../server/src/cli/args';
import { assertNoStackTrace, makeWorkspace, removeWorkspaces, runCli, writeSkill } from './helpers';

describe('cli: arguments and usage errors', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = makeWorkspace();
  });
  afterEach(removeWorkspaces);

  it('prints help on stdout and exits 0', async () => {
    const run = await runCli(['--help'], workspace);
    assert.equal(run.exitCode, 0);
    assert.match(run.stdout, /^Usage: skill-sentinel <command>/);
    assert.match(run.stdout, /--fail-on LEVEL/);
    assert.equal(run.stderr, '');
  });

  it('prints the package version and exits 0', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version'], workspace);
    assert.equal(run.exitCode, 0);
    assert.equal(run.stdout, `${manifest.version}\n`);
  });

  const usageErrors: readonly { argv: readonly string[]; message: RegExp }[] = [
    { argv: ['scan', '--bogus'], message: /^skill-sentinel: unknown option '--bogus' \(see 'skill-sentinel --help'\)$/ },
    { argv: ['scan', '--severity', 'extreme'], message: /^skill-sentinel: invalid --severity 'extreme': expected one of critical, high, medium, low, info/ },
    { argv: ['scan', '--fail-on', 'none'], message: /^skill-sentinel: invalid --fail-on 'none'/ },
    { argv: ['scan', '--format', 'xml'], message: /^skill-sentinel: invalid --format 'xml': expected one of text, json, sarif/ },
    { argv: ['scan', '--severity'], message: /^skill-sentinel: --severity needs a value/ },
    { argv: ['scan', '--no-color=yes'], message: /^skill-sentinel: --no-color takes no value/ },
    { argv: [], message: /^skill-sentinel: missing command: expected one of scan, rules, lock, verify, keygen, baseline/ },
    { argv: ['lint', '.'], message: /^skill-sentinel: unknown command 'lint'/ },
    { argv: ['rules', 'extra'], message: /^skill-sentinel: 'rules' takes no arguments/ },
    { argv: ['rules', '--severity', 'high'], message: /^skill-sentinel: --severity applies only to 'scan'/ },
    { argv: ['rules', '--format', 'sarif'], message: /^skill-sentinel: invalid --format 'sarif': expected one of text, json/ },
  ];
  for (const { argv, message } of usageErrors) {
    it(`exits 2 with one stderr line for: ${argv.join(' ') || '(no arguments)'}`, async () => {
      writeSkill(workspace, 'skills/demo');
      const run = await runCli(argv, workspace);
      assert.equal(run.exitCode, 2);
      assert.equal(run.stderrLines.length, 1, run.stderr);
      assert.match(run.stderrLines[0] ?? '', message);
      assert.equal(run.stdout, '');
      assertNoStackTrace(run.stderr);
    });
  }

  it('parses every scan option, severities in any case', () => {
    const command = parseCliArgs([
      'scan', 'a', 'b', '--severity', 'CRITICAL', '--fail-on', 'Medium', '--format', 'SARIF',
      '-o', 'out.sarif', '--exclude', '**/vendor/**', '--exclude', 'tmp', '--no-color',
    ]);
    assert.deepEqual(command, {
      kind: 'scan',
      paths: ['a', 'b'],
      severity: 'critical',
      failOn: 'medium',
      format: 'sarif',
      output: 'out.sarif',
      exclude: ['**/vendor/**', 'tmp'],
    });
  });

  it('defaults to low, high and text', () => {
    assert.deepEqual(parseCliArgs(['scan']), {
      kind: 'scan',
      paths: [],
      severity: 'low',
      failOn: 'high',
      format: 'text',
      exclude: [],
    });
  });

  it('throws UsageError, not a parser error, for unknown options', () => {
    assert.throws(() => parseCliArgs(['scan', '-x']), UsageError);
  });
});
