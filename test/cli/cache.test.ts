import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCliArgs, UsageError } from '../../server/src/cli/args';
import { loadSkillBundle } from '../../server/src/engine/skill-bundle';
import type { SkillReport } from '../../server/src/engine/types';
import { cacheKeyOf, defaultCacheDir, lookupReport, storeReport } from '../../server/src/report-cache';
import { FakeEngine, makeWorkspace, removeWorkspaces, runCli, writeSkill } from './helpers';

/** Every entry file under the cache folder. */
function entriesOf(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json')).map((name) => path.join(dir, name));
}

/** The JSON report without the run's own timings, which differ between runs. */
function findingsOf(stdout: string): unknown {
  const report = JSON.parse(stdout) as { skills: { root: string; findings: unknown }[] };
  return report.skills.map((skill) => [skill.root, skill.findings]);
}

describe('cli: scan --cache', () => {
  let workspace: string;
  let cacheDir: string;
  beforeEach(() => {
    workspace = makeWorkspace();
    cacheDir = path.join(makeWorkspace(), 'cache');
  });
  afterEach(removeWorkspaces);

  it('scans each skill once, then reuses the reports of skills whose files did not change', async () => {
    writeSkill(workspace, 'skills/alpha', { 'run.sh': 'echo HIGH-MARK\n' });
    writeSkill(workspace, 'skills/beta', { 'notes.md': 'MEDIUM-MARK\n' });
    const args = ['scan', '.', '--format', 'json', '--cache-location', cacheDir];

    const first = new FakeEngine();
    const cold = await runCli(args, workspace, { createEngine: async () => first });
    assert.deepEqual([...first.scanned].sort(), ['alpha', 'beta']);
    assert.match(cold.stderr, /0 of 2 skill\(s\) unchanged/);
    assert.equal(entriesOf(cacheDir).length, 2);

    const second = new FakeEngine();
    const warm = await runCli(args, workspace, { createEngine: async () => second });
    assert.deepEqual(second.scanned, [], 'nothing is scanned again');
    assert.match(warm.stderr, /2 of 2 skill\(s\) unchanged/);
    assert.equal(warm.exitCode, cold.exitCode);
    assert.deepEqual(findingsOf(warm.stdout), findingsOf(cold.stdout));

    // One changed byte in one file: only that skill is scanned, and its new finding is reported.
    fs.appendFileSync(path.join(workspace, 'skills', 'beta', 'notes.md'), 'CRITICAL-MARK\n');
    const third = new FakeEngine();
    const changed = await runCli(args, workspace, { createEngine: async () => third });
    assert.deepEqual(third.scanned, ['beta']);
    assert.match(changed.stdout, /SKL401/);
  });

  it('treats a corrupt or foreign entry as a miss, scans again and repairs it', async () => {
    writeSkill(workspace, 'skills/alpha', { 'run.sh': 'echo HIGH-MARK\n' });
    const args = ['scan', '.', '--format', 'json', '--cache-location', cacheDir];
    const cold = await runCli(args, workspace);
    const [entry] = entriesOf(cacheDir);
    assert.ok(entry, 'an entry was written');
    const damaged = [
      '{"format":1,"key":"',
      JSON.stringify({ format: 1, key: 'another-key', report: JSON.parse(fs.readFileSync(entry, 'utf8')).report }),
      JSON.stringify({ ...JSON.parse(fs.readFileSync(entry, 'utf8')), report: { findings: [{ ruleId: 7 }] } }),
    ];
    for (const text of damaged) {
      fs.writeFileSync(entry, text);
      const engine = new FakeEngine();
      const run = await runCli(args, workspace, { createEngine: async () => engine });
      assert.deepEqual(engine.scanned, ['alpha'], `scanned again after: ${text.slice(0, 40)}`);
      assert.deepEqual(findingsOf(run.stdout), findingsOf(cold.stdout));
    }
    const engine = new FakeEngine();
    await runCli(args, workspace, { createEngine: async () => engine });
    assert.deepEqual(engine.scanned, [], 'the repaired entry is reused');
  });

  it('writes to the user cache folder with --cache, and nowhere without it', async () => {
    writeSkill(workspace, 'skills/alpha');
    const saved = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = path.dirname(cacheDir);
    try {
      const userCache = path.join(path.dirname(cacheDir), 'skill-sentinel');
      const plain = await runCli(['scan', '.'], workspace);
      assert.equal(plain.stderr, '');
      assert.deepEqual(entriesOf(userCache), []);
      const cached = await runCli(['scan', '.', '--cache'], workspace);
      assert.match(cached.stderr, /0 of 1 skill\(s\) unchanged/);
      assert.equal(entriesOf(userCache).length, 1);
      assert.deepEqual(entriesOf(workspace), [], 'nothing is written into the scanned folder');
    } finally {
      if (saved === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = saved;
    }
  });
});

describe('report cache keys and entries', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = makeWorkspace();
  });
  afterEach(removeWorkspaces);

  const report = (root: string, ruleId = 'SKL401'): SkillReport => ({
    root,
    dirName: path.basename(root),
    findings: [{ ruleId, slug: 'x', category: 'scripts', severity: 'high', message: 'm', file: 'SKILL.md', span: { line: 1, column: 1, endLine: 1, endColumn: 2 } }],
    verdict: 'dangerous',
    score: 50,
    filesAnalysed: 1,
    bytesAnalysed: 10,
    durationMs: 3,
  });

  it('changes the key with any file text, a renamed file, an unanalysed file, or another scanner build', () => {
    const root = writeSkill(workspace, 'skills/alpha', { 'a.py': 'print(1)\n' });
    const keyNow = (): string => cacheKeyOf(loadSkillBundle(root), 'build-1');
    const keys = new Set([keyNow(), cacheKeyOf(loadSkillBundle(root), 'build-2')]);
    fs.writeFileSync(path.join(root, 'a.py'), 'print(2)\n');
    keys.add(keyNow());
    fs.renameSync(path.join(root, 'a.py'), path.join(root, 'b.py'));
    keys.add(keyNow());
    fs.writeFileSync(path.join(root, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 0, 7]));
    keys.add(keyNow());
    assert.equal(keys.size, 5);
    assert.equal(keyNow(), keyNow(), 'the same files give the same key');
  });

  it('returns a stored report, and never stores one cut short by the time budget', () => {
    const root = writeSkill(workspace, 'skills/alpha');
    const settings = { dir: path.join(workspace, 'cache'), scannerId: 'build-1' };
    const bundle = loadSkillBundle(root);
    const miss = lookupReport(bundle, settings);
    assert.equal(miss.report, undefined);
    storeReport(miss, report(root, 'SKL902'));
    assert.equal(lookupReport(bundle, settings).report, undefined, 'a partial analysis is not kept');
    storeReport(miss, report(root));
    assert.deepEqual(lookupReport(bundle, settings).report, report(root));
    assert.equal(lookupReport(bundle, { ...settings, scannerId: 'build-2' }).report, undefined);
  });

  it('puts the default cache under XDG_CACHE_HOME or ~/.cache, never in the scanned folder', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u'), path.join('/xdg', 'skill-sentinel'));
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'), path.join('/home/u', '.cache', 'skill-sentinel'));
    assert.equal(defaultCacheDir({}, '/home/u'), path.join('/home/u', '.cache', 'skill-sentinel'));
  });

  it('accepts --cache and --cache-location for scan only', () => {
    const withDefault = parseCliArgs(['scan', '--cache']);
    assert.ok(withDefault.kind === 'scan' && withDefault.cacheDir === defaultCacheDir());
    const located = parseCliArgs(['scan', '--cache-location', 'c']);
    assert.ok(located.kind === 'scan' && located.cacheDir === 'c');
    const plain = parseCliArgs(['scan']);
    assert.ok(plain.kind === 'scan' && plain.cacheDir === undefined);
    assert.throws(() => parseCliArgs(['lock', '--cache']), UsageError);
    assert.throws(() => parseCliArgs(['verify', '--cache-location', 'c']), UsageError);
  });
});
