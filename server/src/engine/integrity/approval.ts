import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { capabilitiesOfBundle } from '../capabilities';
import type { CapabilityInventory, SkillBundle, SkillReport } from '../types';
import { stableJson } from './canonical-json';
import { compareWithLock, hasDrift, type SkillDrift } from './drift';
import { hashSkillFiles, type HashProblem } from './file-hashes';
import {
  LockFileError,
  buildLockedSkill,
  emptyLockFile,
  parseLockFile,
  sameApproval,
  serializeLockFile,
  type LockFile,
  type LockedSkill,
  type ScannerStamp,
} from './lock-file';
import { signLock } from './signature';

/**
 * The steps `lock` and `verify` are made of, with the file system access they need, as plain
 * functions the CLI and the language server (Approve Skill, Verify Skills, drift diagnostics)
 * both call. Nothing here prints or decides exit codes.
 */

export interface DescribeSkillInputs {
  readonly bundle: SkillBundle;
  readonly report: SkillReport;
  readonly scanner: ScannerStamp;
  readonly approvedAt: Date;
  /** Absolute paths not to hash (the lock and baseline files, when they sit inside the skill). */
  readonly excludeFiles?: ReadonlySet<string>;
}

export interface DescribedSkill {
  /** The entry `lock` would write for the skill as it is now. */
  readonly entry: LockedSkill;
  /** The full inventory, with the locations the entry leaves out (to point at new capabilities). */
  readonly capabilities: CapabilityInventory;
  /** Files that could not be hashed: the skill cannot be approved while there are any. */
  readonly problems: readonly HashProblem[];
}

/** Hashes the skill's files and builds its lock entry from the scan report. */
export function describeSkill(inputs: DescribeSkillInputs): DescribedSkill {
  const hashes = hashSkillFiles(inputs.bundle.root, { excludeFiles: inputs.excludeFiles ?? new Set() });
  // The engine attaches the inventory; a report from elsewhere (a test double) gets it computed.
  const capabilities = inputs.report.capabilities ?? capabilitiesOfBundle(inputs.bundle);
  const entry = buildLockedSkill({
    bundle: inputs.bundle,
    report: inputs.report,
    capabilities,
    hashes,
    scanner: inputs.scanner,
    approvedAt: inputs.approvedAt,
  });
  return { entry, capabilities, problems: hashes.problems };
}

/** The lock's key for a skill folder: its posix path relative to the lock file's folder. */
export function skillKey(lockFolder: string, skillRoot: string): string {
  const relative = path.relative(lockFolder, skillRoot);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

export function skillRootOf(lockFolder: string, key: string): string {
  return path.resolve(lockFolder, ...key.split('/'));
}

/**
 * Whether a skill folder falls under one of the requested paths (or holds one, when a file of
 * the skill was named): `lock` replaces and `verify` checks only the entries in that scope.
 */
export function isInScope(skillRoot: string, requestedPaths: readonly string[]): boolean {
  return requestedPaths.some((requested) => isWithin(requested, skillRoot) || isWithin(skillRoot, requested));
}

function isWithin(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

export interface ReadLock {
  readonly lock: LockFile;
  /** The document as parsed, for signature checks (which cover every field, known or not). */
  readonly document: unknown;
}

/** Reads and validates a lock file; a missing file is `undefined`, anything else wrong throws LockFileError. */
export function readLockFile(lockPath: string): ReadLock | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LockFileError(`it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lock = parseLockFile(text);
  return { lock, document: JSON.parse(text) as unknown };
}

export interface LockUpdate {
  readonly lock: LockFile;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
  /** Entries in scope whose skill is gone. */
  readonly removed: readonly string[];
}

/**
 * Replaces the entries in scope with the approved ones. Entries out of scope are kept as they
 * are; an approved skill identical to its entry keeps the entry, approval time included, so
 * re-locking an unchanged tree changes no byte. The signature is dropped: it no longer covers
 * the content (sign again with `signLockFile`).
 */
export function updateLock(
  previous: LockFile | undefined,
  approved: ReadonlyMap<string, LockedSkill>,
  inScope: (key: string) => boolean,
): LockUpdate {
  const before = previous?.skills ?? {};
  const skills: Record<string, LockedSkill> = {};
  const added: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  const removed: string[] = [];
  for (const [key, entry] of Object.entries(before)) {
    if (!inScope(key)) skills[key] = entry;
    else if (!approved.has(key)) removed.push(key);
  }
  for (const [key, entry] of approved) {
    const old = before[key];
    if (old === undefined) {
      added.push(key);
      skills[key] = entry;
    } else if (sameApproval(old, entry)) {
      unchanged.push(key);
      skills[key] = old;
    } else {
      updated.push(key);
      skills[key] = entry;
    }
  }
  return { lock: { ...emptyLockFile(), skills }, added, updated, unchanged, removed };
}

export function signLockFile(lock: LockFile, privateKey: KeyObject): LockFile {
  const unsigned: LockFile = { lockfileVersion: lock.lockfileVersion, skills: lock.skills };
  // Sign the document exactly as it will be written and read back.
  const document: unknown = JSON.parse(stableJson(unsigned));
  return { ...unsigned, signature: signLock(document, privateKey) };
}

/** Writes the lock through a temporary file and a rename, so a reader never sees half a lock. */
export function writeLockFile(lockPath: string, lock: LockFile): void {
  const temporary = `${lockPath}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, serializeLockFile(lock), { encoding: 'utf8', mode: 0o644 });
    fs.renameSync(temporary, lockPath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

export type SkillStatus = 'ok' | 'changed' | 'unapproved' | 'missing';

export interface SkillVerification {
  readonly key: string;
  readonly status: SkillStatus;
  readonly locked?: LockedSkill;
  readonly current?: LockedSkill;
  /** Present when both sides exist. */
  readonly drift?: SkillDrift;
}

/** One skill's verdict against the lock: `current` undefined means the skill folder is gone. */
export function verifySkill(key: string, locked: LockedSkill | undefined, current: LockedSkill | undefined): SkillVerification {
  if (locked === undefined && current === undefined) throw new Error(`verifySkill(${key}): nothing to compare`);
  if (locked === undefined) return { key, status: 'unapproved', current: current as LockedSkill };
  if (current === undefined) return { key, status: 'missing', locked };
  const drift = compareWithLock(locked, current);
  return { key, status: hasDrift(drift) ? 'changed' : 'ok', locked, current, drift };
}
