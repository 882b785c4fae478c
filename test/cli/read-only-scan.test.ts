import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverSkills, loadSkillBundle } from '../../server/src/engine/skill-bundle';
import { DIST_DIR, REPO_ROOT, getEngine } from '../support/engine';

/**
 * Issue 6, item 6: the scanner never writes into, executes, or imports from what it scans. Each
 * case snapshots a copy of the demo skills (paths, modes, sizes, mtimes, hashes), runs the built
 * CLI and the engine over it, and compares. When the tests run as root, chmod alone protects
 * nothing, so the CLI is run as `nobody` there; the snapshot comparison holds either way.
 */

const CLI = path.join(DIST_DIR, 'cli.js');
const DEMO_SKILLS = path.join(REPO_ROOT, 'test', 'demo-skills');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const UNPRIVILEGED = 65_534;

interface EntrySnapshot {
  readonly type: 'file' | 'folder' | 'link' | 'other';
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256?: string;
  readonly target?: string;
}

/** Every entry under `root`, by posix path relative to it; links are recorded, never followed. */
function snapshot(root: string): Map<string, EntrySnapshot> {
  const entries = new Map<string, EntrySnapshot>();
  const visit = (abs: string, rel: string): void => {
    const stats = fs.lstatSync(abs);
    const common = { mode: stats.mode, size: stats.size, mtimeMs: stats.mtimeMs };
    if (stats.isSymbolicLink()) {
      entries.set(rel, { type: 'link', ...common, target: fs.readlinkSync(abs) });
    } else if (stats.isFile()) {
      entries.set(rel, { type: 'file', ...common, sha256: createHash('sha256').update(fs.readFileSync(abs)).digest('hex') });
    } else if (stats.isDirectory()) {
      entries.set(rel, { type: 'folder', ...common });
      for (const name of fs.readdirSync(abs).sort()) visit(path.join(abs, name), rel === '.' ? name : `${rel}/${name}`);
    } else {
      entries.set(rel, { type: 'other', ...common });
    }
  };
  visit(root, '.');
  return entries;
}

function assertUnchanged(before: Map<string, EntrySnapshot>, root: string, what: string): void {
  const after = snapshot(root);
  assert.deepEqual([...after.keys()], [...before.keys()], `${what}: entries appeared or disappeared`);
  for (const [rel, entry] of before) assert.deepEqual(after.get(rel), entry, `${what}: ${rel} changed`);
}

function chmodRecursive(root: string, writable: boolean): void {
  const visit = (abs: string): void => {
    const stats = fs.lstatSync(abs);
    if (stats.isSymbolicLink()) return;
    if (stats.isDirectory()) for (const name of fs.readdirSync(abs)) visit(path.join(abs, name));
    fs.chmodSync(abs, writable ? stats.mode | 0o200 : stats.mode & ~0o222);
  };
  visit(root);
}

/** Runs the built CLI; as `nobody` when the tests run as root, so that missing write permission bites. */
function runCli(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const options: SpawnSyncOptions = {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd },
    ...(isRoot && process.platform === 'linux' ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {}),
  };
  const result = spawnSync(process.execPath, [CLI, ...args], options);
  assert.equal(result.error, undefined, String(result.error));
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

let base: string;

/** A fresh folder that `nobody` can enter, so the CLI can run unprivileged under it. */
function makeBase(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'read-only-scan-')));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A folder the CLI may write into (the place a report or lock file is asked to go). */
function writableFolder(name: string): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o777);
  return dir;
}

function copyDemoSkills(name: string): string {
  const copy = path.join(base, name);
  fs.cpSync(DEMO_SKILLS, copy, { recursive: true });
  return copy;
}

beforeEach(() => {
  base = makeBase();
});

afterEach(() => {
  chmodRecursive(base, true);
  fs.rmSync(base, { recursive: true, force: true });
});

describe('scanning never changes what it scans (read-only copy)', function () {
  this.timeout(120_000);

  it('the snapshot notices a new file, a changed byte and a touched file', () => {
    const tree = copyDemoSkills('skills');
    const skillMd = path.join(tree, '.agents', 'skills', 'release-notes', 'SKILL.md');
    const changes: (() => void)[] = [
      () => fs.writeFileSync(path.join(tree, '.cache'), ''),
      () => fs.appendFileSync(skillMd, ' '),
      () => fs.utimesSync(skillMd, new Date(0), new Date(0)),
    ];
    for (const change of changes) {
      const before = snapshot(tree);
      change();
      assert.throws(() => assertUnchanged(before, tree, 'changed'), assert.AssertionError);
    }
  });

  it('scan in every format and the engine succeed and leave the tree byte-for-byte as it was', async () => {
    const tree = copyDemoSkills('skills');
    const reports = writableFolder('reports');
    chmodRecursive(tree, false);
    const before = snapshot(tree);

    // Each format once, one of them through --output (a CLI start costs seconds on a busy machine).
    for (const format of ['text', 'sarif']) {
      const run = runCli(['scan', '.', '--format', format, '--severity', 'info'], tree);
      assert.equal(run.status, 1, `${format}: ${run.stderr}`);
      assert.equal(run.stderr, '', format);
      if (format === 'sarif') assert.doesNotThrow(() => JSON.parse(run.stdout) as unknown);
    }
    const reportFile = path.join(reports, 'report.json');
    const toFile = runCli(['scan', '.', '--format', 'json', '--output', reportFile], tree);
    assert.equal(toFile.status, 1, toFile.stderr);
    assert.deepEqual(fs.readdirSync(reports), ['report.json']);
    const scanned = (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { skills: unknown[] }).skills;
    assert.equal(scanned.length, 3, 'all three demo skills were scanned');

    const engine = await getEngine();
    const found = discoverSkills([tree]);
    assert.equal(found.skills.length, 3);
    const verdicts = found.skills.map((root) => engine.scan(loadSkillBundle(root)).verdict);
    assert.ok(verdicts.includes('malicious'), verdicts.join(', '));

    assertUnchanged(before, tree, 'after scan');
  });

  it('scan --cache writes only into the cache folder, and its second run reports the same', () => {
    const tree = copyDemoSkills('skills');
    const cache = writableFolder('cache');
    chmodRecursive(tree, false);
    const before = snapshot(tree);
    const args = ['scan', '.', '--format', 'json', '--cache-location', cache];
    const cold = runCli(args, tree);
    const warm = runCli(args, tree);
    assert.equal(cold.status, 1, cold.stderr);
    assert.equal(warm.status, 1, warm.stderr);
    assert.match(cold.stderr, /0 of 3 skill\(s\) unchanged/);
    assert.match(warm.stderr, /3 of 3 skill\(s\) unchanged/);
    const skillsOf = (stdout: string): unknown => (JSON.parse(stdout) as { skills: unknown[] }).skills;
    assert.deepEqual(skillsOf(warm.stdout), skillsOf(cold.stdout));
    assert.ok(fs.readdirSync(cache).length > 0, 'the cache holds entries');
    assertUnchanged(before, tree, 'after scan --cache');
  });

  it('lock writes only the lock file, to the path asked, and verify writes nothing', () => {
    const tree = copyDemoSkills('skills');
    const locks = writableFolder('locks');
    chmodRecursive(tree, false);
    const before = snapshot(tree);
    const lockFile = path.join(locks, 'approved.lock.json');

    const lock = runCli(['lock', '.', '--lockfile', lockFile, '--force'], tree);
    assert.equal(lock.status, 0, lock.stderr);
    assert.deepEqual(fs.readdirSync(locks), ['approved.lock.json']);
    const verify = runCli(['verify', '.', '--lockfile', lockFile, '--format', 'json'], tree);
    assert.equal(verify.status, 0, verify.stderr);
    assert.deepEqual(fs.readdirSync(locks), ['approved.lock.json']);
    assertUnchanged(before, tree, 'after lock and verify');
  });

  it('lock with the default lock path adds that one file to the folder and changes nothing else', () => {
    const tree = copyDemoSkills('skills');
    chmodRecursive(tree, true);
    fs.chmodSync(tree, 0o777); // the default lock file goes into the folder scanned
    const before = snapshot(tree);
    const lock = runCli(['lock', '.', '--force'], tree);
    assert.equal(lock.status, 0, lock.stderr);
    const after = snapshot(tree);
    const added = [...after.keys()].filter((rel) => !before.has(rel));
    assert.deepEqual(added, ['skill-sentinel.lock.json']);
    for (const [rel, entry] of before) {
      if (rel === '.') continue; // the folder itself gains the lock file, so its mtime moves
      assert.deepEqual(after.get(rel), entry, `${rel} changed`);
    }
  });
});

describe('scanning never executes what it scans', function () {
  this.timeout(120_000);

  /** A skill where every file would create a file in `markerDir` if anything ran or imported it. */
  function writeBaitSkill(root: string, markerDir: string): void {
    const marker = (name: string): string => path.join(markerDir, name);
    const files: Record<string, string> = {
      'SKILL.md': [
        '---',
        'name: bait-skill',
        'description: Creates marker files if anything runs it. Use when testing the scanner.',
        `allowed-tools: Bash(touch ${markerDir}/*)`,
        'hooks:',
        '  PreToolUse:',
        `    - command: touch ${marker('hook')}`,
        '---',
        '',
        `Context: !\`touch ${marker('dynamic-inline')}\``,
        '',
        '```!',
        `touch ${marker('dynamic-block')}`,
        '```',
        '',
        '```bash',
        `touch ${marker('fence')}`,
        '```',
        '',
      ].join('\n'),
      'scripts/install.sh': `#!/bin/sh\ntouch '${marker('bash')}'\n`,
      'scripts/setup.py': `import pathlib\npathlib.Path(${JSON.stringify(marker('python'))}).touch()\n`,
      'scripts/index.js': `require('fs').writeFileSync(${JSON.stringify(marker('node'))}, '');\n`,
      'scripts/index.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker('esm'))}, '');\n`,
      'setup.py': `open(${JSON.stringify(marker('setup-py'))}, 'w').close()\n`,
      'conftest.py': `open(${JSON.stringify(marker('conftest'))}, 'w').close()\n`,
      'sitecustomize.py': `open(${JSON.stringify(marker('sitecustomize'))}, 'w').close()\n`,
      '__init__.py': `open(${JSON.stringify(marker('package-init'))}, 'w').close()\n`,
      'package.json': JSON.stringify(
        {
          name: 'bait-skill',
          version: '1.0.0',
          main: 'scripts/index.js',
          scripts: Object.fromEntries(['preinstall', 'install', 'postinstall', 'prepare', 'test'].map((hook) => [hook, `touch ${marker(`npm-${hook}`)}`])),
        },
        null,
        2,
      ),
      '.envrc': `touch ${marker('direnv')}\n`,
      Makefile: `all:\n\ttouch ${marker('make')}\n`,
    };
    for (const [rel, text] of Object.entries(files)) {
      const abs = path.join(root, ...rel.split('/'));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
    }
  }

  it('the bait works: run directly, its scripts create their markers', function () {
    const markers = writableFolder('control-markers');
    const root = path.join(base, 'control', 'bait-skill');
    writeBaitSkill(root, markers);
    spawnSync('sh', [path.join(root, 'scripts', 'install.sh')]);
    spawnSync(process.execPath, [path.join(root, 'scripts', 'index.js')]);
    const expected = ['bash', 'node'];
    const python = spawnSync('python3', [path.join(root, 'scripts', 'setup.py')]);
    if (python.error === undefined && python.status === 0) expected.push('python');
    assert.deepEqual(fs.readdirSync(markers).sort(), expected.sort());
  });

  it('scan, lock, verify and the engine leave no marker behind', async () => {
    const markers = writableFolder('markers');
    const workspace = path.join(base, 'workspace');
    const root = path.join(workspace, 'bait-skill');
    writeBaitSkill(root, markers);
    const reports = writableFolder('reports');
    const before = snapshot(workspace);

    const scan = runCli(['scan', '.', '--format', 'json'], workspace);
    assert.ok(scan.status === 0 || scan.status === 1, `exit ${scan.status}: ${scan.stderr}`);
    const lockFile = path.join(reports, 'bait.lock.json');
    assert.equal(runCli(['lock', '.', '--lockfile', lockFile, '--force'], workspace).status, 0);
    assert.equal(runCli(['verify', '.', '--lockfile', lockFile], workspace).status, 0);
    const engine = await getEngine();
    const report = engine.scan(loadSkillBundle(root));
    assert.ok(report.findings.length > 0, 'the bait is scanned, not skipped');

    assert.deepEqual(fs.readdirSync(markers), [], 'something in the skill was executed or imported');
    assertUnchanged(before, workspace, 'after scanning the bait');
  });
});
