import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/engine';
import { bundleFromFiles, getEngine } from '../support/engine';
import { readRuleTests, ruleFolders, type ExpectedFinding, type RuleCase } from '../support/rule-files';

/** One data-driven runner over every rules/<category>/<id>-<slug>/tests.yaml. Only the rule under test runs. */
async function runCase(ruleId: string, testCase: RuleCase): Promise<readonly Finding[]> {
  const engine = await getEngine();
  const bundle = bundleFromFiles(testCase.files, testCase.dirName, testCase.unanalysed, testCase.decoded);
  return engine.scan(bundle, { onlyRules: [ruleId], ...testCase.options }).findings;
}

function describeFinding(f: Finding): string {
  return `${f.file}:${f.span.line}:${f.span.column}-${f.span.endLine}:${f.span.endColumn} ${f.severity} ${f.message}`;
}

function matches(actual: Finding, expected: ExpectedFinding): boolean {
  return (
    actual.file === expected.file &&
    actual.span.line === expected.line &&
    (expected.column === undefined || actual.span.column === expected.column) &&
    (expected.endLine === undefined || actual.span.endLine === expected.endLine) &&
    (expected.endColumn === undefined || actual.span.endColumn === expected.endColumn) &&
    (expected.severity === undefined || actual.severity === expected.severity) &&
    (expected.message === undefined || actual.message === expected.message) &&
    (expected.messageIncludes === undefined || actual.message.includes(expected.messageIncludes))
  );
}

const folders = ruleFolders();
const focused = folders.some((folder) => {
  try {
    const tests = readRuleTests(folder.dir);
    return [...tests.valid, ...tests.invalid].some((c) => c.only);
  } catch {
    return false;
  }
});

describe('rules', () => {
  it('no case is left with `only: true`', () => {
    assert.equal(focused, false, 'remove `only: true` from tests.yaml before committing');
  });

  for (const folder of folders) {
    const ruleId = String(folder.definition.id);
    describe(`${ruleId} ${String(folder.definition.name)}`, () => {
      let tests: ReturnType<typeof readRuleTests>;
      try {
        tests = readRuleTests(folder.dir);
      } catch (error) {
        it('has a readable tests.yaml', () => {
          throw error;
        });
        return;
      }
      const names = [...tests.valid, ...tests.invalid].map((c) => c.name);
      it('has uniquely named cases', () => {
        assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
      });
      for (const testCase of tests.valid) {
        (testCase.only ? it.only : it)(`valid: ${testCase.name}`, async () => {
          const findings = await runCase(ruleId, testCase);
          assert.deepEqual(findings.map(describeFinding), [], 'expected no findings');
        });
      }
      for (const testCase of tests.invalid) {
        (testCase.only ? it.only : it)(`invalid: ${testCase.name}`, async () => {
          const findings = await runCase(ruleId, testCase);
          const actual = findings.map(describeFinding);
          assert.equal(findings.length, testCase.findings.length, `expected ${testCase.findings.length} finding(s), got:\n${actual.join('\n')}`);
          const unmatched = [...findings];
          for (const expected of testCase.findings) {
            const index = unmatched.findIndex((f) => matches(f, expected));
            assert.notEqual(index, -1, `no finding matches ${JSON.stringify(expected)}; got:\n${actual.join('\n')}`);
            unmatched.splice(index, 1);
          }
          for (const finding of findings) assert.equal(finding.ruleId, ruleId);
        });
      }
    });
  }
});
