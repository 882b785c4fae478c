import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../../../server/src/engine/types';
import { bundleFromFiles, getEngine } from '../../support/engine';
import { ruleFolders } from '../../support/rule-files';

/**
 * Work shared between rules within one scan (query results per tree, the sensitive-file-write
 * sink walk per unit, the capability inventory, prefilters) must not change what any rule finds:
 * every rule finds the same in a scan of all rules as when it runs alone.
 */

const SCRIPT = /\.(?:py|sh|bash|js|mjs|ts)$/;
/** These read other rules' findings or the clock, so they differ by design when run alone. */
const NOT_ALONE = new Set(['SKL350', 'SKL902']);

/** Scripts from the rules' own positive fixtures, several per rule, in one skill. */
function kitchenSinkFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of ruleFolders()) {
    const testsPath = path.join(folder.dir, 'tests.yaml');
    if (!fs.existsSync(testsPath)) continue;
    const tests = parseYaml(fs.readFileSync(testsPath, 'utf8')) as { invalid?: { files?: Record<string, unknown> }[] };
    (tests.invalid ?? []).slice(0, 3).forEach((testCase, index) => {
      for (const [filePath, text] of Object.entries(testCase.files ?? {})) {
        if (typeof text === 'string' && SCRIPT.test(filePath)) files[`scripts/${folder.folderName.slice(0, 6)}-${index}-${path.basename(filePath)}`] = text;
      }
    });
  }
  return files;
}

const key = (finding: Finding): string => JSON.stringify(finding);

describe('work shared between rules in one scan', () => {
  it('gives every rule the findings it has when it runs alone', async function () {
    this.timeout(120_000);
    const engine = await getEngine();
    const files = kitchenSinkFiles();
    assert.ok(Object.keys(files).length > 50, 'the fixture should hold many scripts');
    const options = { skillBudgetMs: 600_000, fileBudgetMs: 600_000 };
    const together = engine.scan(bundleFromFiles(files), options).findings;
    const ruleIds = [...new Set(together.map((finding) => finding.ruleId))].filter((id) => !NOT_ALONE.has(id));
    assert.ok(ruleIds.length > 20, `only ${ruleIds.length} rules fired on the fixture`);
    for (const ruleId of ruleIds) {
      const alone = engine.scan(bundleFromFiles(files), { ...options, onlyRules: [ruleId] }).findings.filter((f) => f.ruleId === ruleId);
      assert.deepEqual(
        together.filter((finding) => finding.ruleId === ruleId).map(key).sort(),
        alone.map(key).sort(),
        `${ruleId} finds something else when other rules ran before it`,
      );
    }
  });
});
