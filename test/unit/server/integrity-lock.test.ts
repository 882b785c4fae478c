import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scannerStamp } from '../../../server/src/cli/integrity-commands';
import { readLockFile } from '../../../server/src/engine';
import { approveSkill, evaluateSkillIntegrity, loadLockState, lockPathFor, scannerStampFor, summariseVerification } from '../../../server/src/integrity-lock';
import { getEngine } from '../../support/engine';
import { BENIGN_SCRIPT, DROPPER_SCRIPT, UPLOADING_SCRIPT, scanned, tempWorkspace, type TempWorkspace } from './integrity-helpers';

const NOW = new Date('2025-06-01T12:00:00Z');

describe('server/integrity-lock', () => {
  let workspace: TempWorkspace;
  let lockPath: string;
  beforeEach(() => {
    workspace = tempWorkspace();
    lockPath = lockPathFor(workspace.folder, 'skill-sentinel.lock.json');
  });
  afterEach(() => workspace.remove());

  async function approve(root: string, force = false) {
    const engine = await getEngine();
    const { bundle, report } = await scanned(root);
    return approveSkill({
      lockPath,
      lockDisplay: 'skill-sentinel.lock.json',
      skillDisplay: path.relative(workspace.folder, root),
      bundle,
      report,
      scanner: scannerStampFor(engine),
      now: NOW,
      force,
    });
  }

  it('stamps approvals exactly as the CLI does, so `skill-sentinel verify` accepts them', async () => {
    const engine = await getEngine();
    assert.deepEqual(scannerStampFor(engine), scannerStamp(engine));
  });

  it('resolves the lock setting against the workspace folder', () => {
    assert.equal(lockPathFor('/ws', 'skill-sentinel.lock.json'), path.resolve('/ws/skill-sentinel.lock.json'));
    assert.equal(lockPathFor('/ws', 'config/approved.json'), path.resolve('/ws/config/approved.json'));
    assert.equal(lockPathFor('/ws', '/elsewhere/lock.json'), path.resolve('/elsewhere/lock.json'));
  });

  it('approves a clean skill into a new lock keyed by its workspace-relative folder', async () => {
    const root = workspace.writeSkill('formatter', { 'scripts/format.py': BENIGN_SCRIPT });
    const result = await approve(root);
    assert.deepEqual(result, {
      status: 'approved',
      lockFile: 'skill-sentinel.lock.json',
      skill: '.claude/skills/formatter',
      change: 'added',
      signatureDropped: false,
    });
    const lock = readLockFile(lockPath)?.lock;
    assert.ok(lock);
    assert.deepEqual(Object.keys(lock.skills), ['.claude/skills/formatter']);
    assert.deepEqual(Object.keys(lock.skills['.claude/skills/formatter']?.files ?? {}).sort(), ['SKILL.md', 'scripts/format.py']);
  });

  it('refuses a dangerous skill without writing anything, and approves it when forced', async () => {
    const root = workspace.writeSkill('installer', { 'scripts/setup.sh': DROPPER_SCRIPT });
    const refused = await approve(root);
    assert.equal(refused.status, 'refused');
    assert.ok(refused.status === 'refused');
    assert.match(refused.verdict, /^(dangerous|malicious)$/);
    assert.ok(refused.blockingFindings >= 1);
    assert.match(refused.example ?? '', /^scripts\/setup\.sh:2 SKL\d{3} /);
    assert.equal(fs.existsSync(lockPath), false, 'a refused approval writes no lock');

    const forced = await approve(root, true);
    assert.equal(forced.status, 'approved');
    assert.ok(readLockFile(lockPath)?.lock.skills['.claude/skills/installer']);
  });

  it('touches only the approved entry and keeps an unchanged approval byte for byte', async () => {
    const first = workspace.writeSkill('first', { 'scripts/a.py': BENIGN_SCRIPT });
    const second = workspace.writeSkill('second', { 'scripts/b.py': BENIGN_SCRIPT });
    await approve(first);
    await approve(second);
    const before = fs.readFileSync(lockPath, 'utf8');
    const again = await approve(first);
    assert.equal(again.status === 'approved' && again.change, 'unchanged');
    assert.equal(fs.readFileSync(lockPath, 'utf8'), before);

    workspace.writeSkill('first', { 'scripts/a.py': UPLOADING_SCRIPT });
    const updated = await approve(first);
    assert.equal(updated.status === 'approved' && updated.change, 'updated');
    const lock = readLockFile(lockPath)?.lock;
    assert.deepEqual(Object.keys(lock?.skills ?? {}).sort(), ['.claude/skills/first', '.claude/skills/second']);
  });

  it('refuses to overwrite a lock file it cannot read', async () => {
    fs.writeFileSync(lockPath, '{ "lockfileVersion": 1, "skills": ');
    const root = workspace.writeSkill('formatter', { 'scripts/format.py': BENIGN_SCRIPT });
    const result = await approve(root);
    assert.equal(result.status, 'error');
    assert.match(result.status === 'error' ? result.message : '', /not valid JSON.*nothing was written/);
    assert.equal(fs.readFileSync(lockPath, 'utf8'), '{ "lockfileVersion": 1, "skills": ');
    assert.equal(loadLockState(lockPath).kind, 'error');
  });

  it('evaluates a checked skill against its entry: ok, then changed after an edit, unapproved when absent', async () => {
    const engine = await getEngine();
    const root = workspace.writeSkill('formatter', { 'scripts/format.py': BENIGN_SCRIPT });
    const other = workspace.writeSkill('other', { 'scripts/o.py': BENIGN_SCRIPT });
    await approve(root);
    const evaluate = async (skill: string) => {
      const state = loadLockState(lockPath);
      assert.ok(state.kind === 'ok');
      const { bundle, report } = await scanned(skill);
      return evaluateSkillIntegrity({ lockPath, lock: state.read, bundle, report, scanner: scannerStampFor(engine), now: NOW });
    };
    assert.equal((await evaluate(root)).verification.status, 'ok');
    assert.equal((await evaluate(other)).verification.status, 'unapproved');
    workspace.writeSkill('formatter', { 'scripts/format.py': UPLOADING_SCRIPT });
    const changed = await evaluate(root);
    assert.equal(changed.verification.status, 'changed');
    assert.deepEqual(changed.verification.drift?.files.changed, ['scripts/format.py']);
    assert.ok(changed.verification.drift?.addedCapabilities.hosts.includes('collector.example.net'));
  });

  it('summarises a verification for the notification', () => {
    assert.equal(
      summariseVerification([
        { skill: 'a', status: 'ok' },
        { skill: 'b', status: 'ok' },
        { skill: 'c', status: 'ok' },
        { skill: 'x', status: 'changed', detail: 'changed scripts/run.sh; new host: evil.example' },
      ]),
      '3 skills match the lock, 1 changed: x (changed scripts/run.sh; new host: evil.example)',
    );
    assert.equal(
      summariseVerification([
        { skill: 'a', status: 'ok' },
        { skill: 'n', status: 'unapproved' },
        { skill: 'gone', status: 'missing' },
      ]),
      '1 skill matches the lock, 1 not approved: n, 1 in the lock but missing: gone',
    );
    assert.equal(summariseVerification([]), '0 skills match the lock');
  });
});
