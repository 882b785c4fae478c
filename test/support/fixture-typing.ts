import { strict as assert } from 'node:assert';
import { createEngine, type Engine, type SkillBundle } from '../../server/src/engine';
import { bundleFromFiles, DIST_DIR, getEngine } from './engine';
import { readRuleTests, ruleFolders } from './rule-files';

/** What a scan reports, as one string to compare: findings and capabilities. */
export function scanOutcome(engine: Engine, bundle: SkillBundle): string {
  const report = engine.scan(bundle);
  return JSON.stringify({ findings: report.findings, capabilities: report.capabilities });
}

/**
 * Puts a line before the middle line of every rule fixture script whose name matches `scripts`
 * (among statements, or inside an expression, a string or a here-document: wherever it lands, at
 * that line's indentation), types it through `versions` one keystroke at a time, and compares each
 * keystroke's findings from a reusing engine with a fresh engine's. Returns how many scripts were
 * typed into.
 */
export async function typeIntoEveryFixtureScript(scripts: RegExp, versions: readonly string[]): Promise<number> {
  const reusing = await createEngine({ assetsDir: DIST_DIR, reuseResults: true });
  const fresh = await getEngine();
  let edited = 0;
  for (const folder of ruleFolders()) {
    const tests = readRuleTests(folder.dir);
    for (const testCase of [...tests.valid, ...tests.invalid]) {
      for (const script of Object.keys(testCase.files).filter((name) => scripts.test(name))) {
        const lines = (testCase.files[script] ?? '').split('\n');
        if (lines.length < 3) continue;
        const middle = Math.floor(lines.length / 2);
        const indent = /^[ \t]*/.exec(lines[middle] ?? '')?.[0] ?? '';
        for (const [step, version] of versions.entries()) {
          const text = [...lines.slice(0, middle), `${indent}${version}`, ...lines.slice(middle)].join('\n');
          const bundle = bundleFromFiles({ ...testCase.files, [script]: text }, testCase.dirName);
          assert.equal(scanOutcome(reusing, bundle), scanOutcome(fresh, bundle), `${folder.folderName}: ${testCase.name}, ${script}, step ${step}`);
        }
        edited++;
      }
    }
  }
  return edited;
}
