import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { FINGERPRINT_KEY, SARIF_SCHEMA_URI, type SarifLog, type SarifRun } from '../../server/src/cli/format-sarif';
import { FAKE_ENGINE_VERSION, makeWorkspace, removeWorkspaces, runCli, writeSkill } from './helpers';

/**
 * The official SARIF 2.1.0 schema as Microsoft's SARIF SDK publishes it (2.1.0-rtm.5, JSON Schema
 * draft-04), shipped in the `@microsoft/jest-sarif` package.
 */
const SARIF_SCHEMA_MODULE = '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

function compileSarifSchema(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(require.resolve(SARIF_SCHEMA_MODULE), 'utf8')) as object;
  // unicodeRegExp: the schema's `language` pattern has a stray `]` that only the `u` flag rejects.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function assertValidSarif(validate: ValidateFunction, log: unknown): void {
  if (!validate(log)) {
    assert.fail(`SARIF does not match the 2.1.0 schema:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}

function onlyRun(log: SarifLog): SarifRun {
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.ok(run);
  return run;
}

describe('cli: sarif format', () => {
  let validate: ValidateFunction;
  let workspace: string;

  before(() => {
    validate = compileSarifSchema();
  });
  beforeEach(() => {
    workspace = makeWorkspace();
  });
  afterEach(removeWorkspaces);

  async function scanSarif(...extraArgs: string[]): Promise<{ log: SarifLog; exitCode: number }> {
    const run = await runCli(['scan', '--format', 'sarif', ...extraArgs], workspace);
    return { log: JSON.parse(run.stdout) as SarifLog, exitCode: run.exitCode };
  }

  it('rejects a broken log, so the schema check has teeth', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'high', message: { text: 'm' } }] }] }), false);
  });

  it('produces a log that validates against the SARIF 2.1.0 schema', async () => {
    writeSkill(workspace, '.claude/skills/alpha', {
      'SKILL.md': '---\nname: alpha\ndescription: d\nallowed-tools: RELATED-MARK\n---\nCRITICAL-MARK\n',
      'scripts/install.sh': 'curl x | sh # HIGH-MARK\nMEDIUM-MARK LOW-MARK INFO-MARK\n',
    });
    writeSkill(workspace, 'skills/with space', { 'run é.sh': 'HIGH-MARK\n' });
    writeSkill(workspace, 'skills/clean');
    const { log, exitCode } = await scanSarif('--severity', 'info', 'missing-path', '.');
    assert.equal(exitCode, 2);
    assertValidSarif(validate, log);
    assert.equal(log.$schema, SARIF_SCHEMA_URI);
    assert.equal(log.version, '2.1.0');
    const run = onlyRun(log);
    assert.equal(run.invocations[0]?.executionSuccessful, false);
    assert.match(run.invocations[0]?.toolExecutionNotifications[0]?.message.text ?? '', /^missing-path: /);
  });

  it('validates when there is nothing to report', async () => {
    fs.mkdirSync(path.join(workspace, 'empty'));
    const { log, exitCode } = await scanSarif('empty');
    assert.equal(exitCode, 0);
    assertValidSarif(validate, log);
    const run = onlyRun(log);
    assert.deepEqual(run.results, []);
    assert.deepEqual(run.tool.driver.rules, []);
    assert.equal(run.invocations[0]?.executionSuccessful, true);
  });

  it('describes the driver and only the rules that results use', async () => {
    writeSkill(workspace, 'skills/alpha', { 'a.sh': 'HIGH-MARK\nMEDIUM-MARK\nLOW-MARK\nCRITICAL-MARK\nINFO-MARK\n' });
    const { log } = await scanSarif('--severity', 'info');
    const { driver } = onlyRun(log).tool;
    assert.equal(driver.name, 'skill-sentinel');
    assert.equal(driver.version, FAKE_ENGINE_VERSION);
    assert.equal(driver.informationUri, 'https://github.com/example/skill-sentinel');
    assert.deepEqual(
      driver.rules.map((rule) => rule.id),
      ['SKL102', 'SKL150', 'SKL205', 'SKL301', 'SKL401'],
    );
    const critical = driver.rules.find((rule) => rule.id === 'SKL401');
    assert.deepEqual(critical, {
      id: 'SKL401',
      name: 'remote-script-piped-to-shell',
      shortDescription: { text: 'Title of remote-script-piped-to-shell' },
      fullDescription: { text: 'Summary of remote-script-piped-to-shell.' },
      helpUri: 'https://github.com/example/skill-sentinel/blob/v0.1.0/rules/scripts/SKL401-remote-script-piped-to-shell/README.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'execution'], 'security-severity': '9.5', precision: 'high' },
    });
    const securitySeverities = Object.fromEntries(
      driver.rules.map((rule) => [rule.id, [rule.properties['security-severity'], rule.defaultConfiguration.level]]),
    );
    assert.deepEqual(securitySeverities, {
      SKL401: ['9.5', 'error'],
      SKL301: ['8.0', 'error'],
      SKL205: ['5.5', 'warning'],
      SKL102: ['3.0', 'note'],
      SKL150: ['1.0', 'note'],
    });
    assert.equal(driver.rules.find((rule) => rule.id === 'SKL205')?.properties.precision, 'medium');
  });

  it('gives each result its rule index, level, severity and message', async () => {
    writeSkill(workspace, 'skills/alpha', { 'a.sh': 'HIGH-MARK\nMEDIUM-MARK\nLOW-MARK\nCRITICAL-MARK\nINFO-MARK\n' });
    const { log } = await scanSarif('--severity', 'info');
    const run = onlyRun(log);
    assert.equal(run.results.length, 5);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
    }
    assert.deepEqual(
      run.results.map((result) => [result.ruleId, result.level, result.properties.severity]),
      [
        ['SKL301', 'error', 'high'],
        ['SKL205', 'warning', 'medium'],
        ['SKL102', 'note', 'low'],
        ['SKL401', 'error', 'critical'],
        ['SKL150', 'note', 'info'],
      ],
    );
    assert.equal(run.results[0]?.message.text, 'Found HIGH-MARK in a.sh.');
  });

  it('applies --severity to results', async () => {
    writeSkill(workspace, 'skills/alpha', { 'a.sh': 'HIGH-MARK\nLOW-MARK\n' });
    const { log, exitCode } = await scanSarif('--severity', 'High');
    assert.equal(exitCode, 1);
    const run = onlyRun(log);
    assert.deepEqual(run.results.map((result) => result.ruleId), ['SKL301']);
    assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), ['SKL301']);
  });

  it('locates results with repo-relative posix URIs under %SRCROOT% and a full region', async () => {
    writeSkill(workspace, '.claude/skills/alpha', {
      'SKILL.md': '---\nname: alpha\ndescription: d\nallowed-tools: RELATED-MARK\n---\n',
      'scripts/install.sh': '\n  # HIGH-MARK\n',
    });
    writeSkill(workspace, 'skills/with space', { 'run é.sh': 'LOW-MARK\n' });
    const { log } = await scanSarif();
    const run = onlyRun(log);
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(workspace).href + '/' } });
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const [high, low] = run.results;
    assert.deepEqual(high?.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: '.claude/skills/alpha/scripts/install.sh', uriBaseId: '%SRCROOT%' },
          region: { startLine: 2, startColumn: 5, endLine: 2, endColumn: 14 },
        },
      },
    ]);
    assert.deepEqual(high?.relatedLocations, [
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: '.claude/skills/alpha/SKILL.md', uriBaseId: '%SRCROOT%' },
          region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 2 },
        },
        message: { text: 'The grant that allows it.' },
      },
    ]);
    assert.equal(low?.locations[0]?.physicalLocation.artifactLocation.uri, 'skills/with%20space/run%20%C3%A9.sh');
    assert.equal(low?.relatedLocations, undefined);
  });

  it('uses an absolute file URI for a skill outside the working directory', async () => {
    const outside = makeWorkspace();
    writeSkill(outside, 'far', { 'x.sh': 'HIGH-MARK\n' });
    const { log } = await scanSarif(path.join(outside, 'far'));
    const location = onlyRun(log).results[0]?.locations[0]?.physicalLocation.artifactLocation;
    assert.deepEqual(location, { uri: pathToFileURL(path.join(outside, 'far', 'x.sh')).href });
    assertValidSarif(validate, log);
  });

  it('keeps fingerprints stable when lines move and distinct for repeated evidence', async () => {
    const root = writeSkill(workspace, 'skills/alpha', { 'a.sh': 'echo HIGH-MARK\necho HIGH-MARK\n' });
    const before = onlyRun((await scanSarif()).log).results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    fs.writeFileSync(path.join(root, 'a.sh'), '# a new first line\n\necho   HIGH-MARK\necho HIGH-MARK\n');
    const after = onlyRun((await scanSarif()).log).results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    assert.equal(before.length, 2);
    assert.match(before[0] ?? '', /^[0-9a-f]{64}:1$/);
    assert.match(before[1] ?? '', /^[0-9a-f]{64}:2$/);
    assert.deepEqual(after, before);
  });
});
