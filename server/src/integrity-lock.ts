/**
 * The language server's side of the lock file: where it is, how a checked skill compares with
 * it, and approving a skill into it. Every decision (what an entry holds, what counts as drift,
 * how the lock is merged and written) is engine/integrity's, shared with `skill-sentinel lock`
 * and `verify`; this module only picks the inputs the editor has. No LSP imports: unit-tested on
 * plain Node.
 */
import * as path from 'node:path';
import {
  BASELINE_NAME,
  LockFileError,
  describeSkill,
  isBlockingVerdict,
  readLockFile,
  severityRank,
  skillKey,
  updateLock,
  verifySkill,
  writeLockFile,
  type CapabilityInventory,
  type HashProblem,
  type ReadLock,
  type ScannerStamp,
  type SkillBundle,
  type SkillReport,
  type SkillVerification,
} from './engine';
import type { ApproveSkillResult, VerifiedSkillSummary } from './protocol';

/** The stamp `lock` writes; the same function the CLI uses. */
export { scannerStamp as scannerStampFor } from './scanner-stamp';

/** `skillSentinel.lockFile` resolved against the workspace folder (an absolute setting stays as is). */
export function lockPathFor(workspaceFolder: string, lockFileSetting: string): string {
  return path.resolve(workspaceFolder, lockFileSetting);
}

export type LockState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly read: ReadLock }
  | { readonly kind: 'error'; readonly message: string };

export function loadLockState(lockPath: string): LockState {
  try {
    const read = readLockFile(lockPath);
    return read === undefined ? { kind: 'missing' } : { kind: 'ok', read };
  } catch (error) {
    if (error instanceof LockFileError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** Files that may sit inside a skill but belong to the workspace: never hashed (as in the CLI). */
export function workspaceOwnedFiles(lockPath: string): ReadonlySet<string> {
  return new Set([lockPath, path.join(path.dirname(lockPath), BASELINE_NAME)]);
}

export interface SkillIntegrityInputs {
  readonly lockPath: string;
  readonly lock: ReadLock;
  readonly bundle: SkillBundle;
  readonly report: SkillReport;
  readonly scanner: ScannerStamp;
  readonly now: Date;
}

export interface SkillIntegrity {
  /** The skill's key in the lock. */
  readonly key: string;
  readonly verification: SkillVerification;
  readonly capabilities: CapabilityInventory;
  /** Files that could not be hashed. */
  readonly problems: readonly HashProblem[];
}

/** The lock entry the skill would get now; the lock and baseline files themselves are not hashed. */
function describeForLock(inputs: Pick<SkillIntegrityInputs, 'lockPath' | 'bundle' | 'report' | 'scanner' | 'now'>): ReturnType<typeof describeSkill> {
  return describeSkill({
    bundle: inputs.bundle,
    report: inputs.report,
    scanner: inputs.scanner,
    approvedAt: inputs.now,
    excludeFiles: workspaceOwnedFiles(inputs.lockPath),
  });
}

/** The skill as it is now against its lock entry, exactly as `skill-sentinel verify` compares it. */
export function evaluateSkillIntegrity(inputs: SkillIntegrityInputs): SkillIntegrity {
  const key = skillKey(path.dirname(inputs.lockPath), inputs.bundle.root);
  const described = describeForLock(inputs);
  return {
    key,
    verification: verifySkill(key, inputs.lock.lock.skills[key], described.entry),
    capabilities: described.capabilities,
    problems: described.problems,
  };
}

export interface ApproveInputs {
  readonly lockPath: string;
  /** How the lock and the skill are named to the user (workspace-relative). */
  readonly lockDisplay: string;
  readonly skillDisplay: string;
  /** Scanned from disk only: what is approved is what is on disk, never unsaved editor text. */
  readonly bundle: SkillBundle;
  readonly report: SkillReport;
  readonly scanner: ScannerStamp;
  readonly now: Date;
  /** The user confirmed approving a dangerous or malicious skill. */
  readonly force: boolean;
}

/**
 * Approves one skill: refuses a dangerous or malicious verdict unless forced (as `lock` does
 * without --force), refuses a skill with unhashable files or a broken lock, otherwise merges the
 * entry into the lock with `updateLock` (other entries untouched) and writes it atomically.
 */
export function approveSkill(inputs: ApproveInputs): ApproveSkillResult {
  const previous = loadLockState(inputs.lockPath);
  if (previous.kind === 'error') {
    return { status: 'error', message: `cannot use lock file ${inputs.lockDisplay}: ${previous.message}; nothing was written` };
  }
  if (isBlockingVerdict(inputs.report.verdict) && !inputs.force) {
    const blocking = inputs.report.findings
      .filter((finding) => severityRank(finding.severity) >= severityRank('high'))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const worst = blocking[0];
    return {
      status: 'refused',
      skill: inputs.skillDisplay,
      verdict: inputs.report.verdict,
      blockingFindings: blocking.length,
      ...(worst === undefined ? {} : { example: `${worst.file}:${worst.span.line} ${worst.ruleId} ${oneLine(worst.message)}` }),
    };
  }
  const described = describeForLock(inputs);
  if (described.problems.length > 0) {
    const listed = described.problems.map((problem) => `${problem.path} (${problem.message})`).join(', ');
    return { status: 'error', message: `cannot approve ${inputs.skillDisplay}: files cannot be hashed: ${listed}; nothing was written` };
  }
  const key = skillKey(path.dirname(inputs.lockPath), inputs.bundle.root);
  const lockBefore = previous.kind === 'ok' ? previous.read.lock : undefined;
  const update = updateLock(lockBefore, new Map([[key, described.entry]]), (candidate) => candidate === key);
  try {
    writeLockFile(inputs.lockPath, update.lock);
  } catch (error) {
    return { status: 'error', message: `cannot write ${inputs.lockDisplay}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const change = update.added.includes(key) ? 'added' : update.updated.includes(key) ? 'updated' : 'unchanged';
  return {
    status: 'approved',
    lockFile: inputs.lockDisplay,
    skill: inputs.skillDisplay,
    change,
    signatureDropped: lockBefore?.signature !== undefined,
  };
}

/**
 * The notification text for Verify Skills: "3 skills match the lock, 1 changed: x (…)". Changed
 * skills are named with their difference; unapproved and missing ones are counted, then named.
 */
export function summariseVerification(skills: readonly VerifiedSkillSummary[]): string {
  const of = (status: VerifiedSkillSummary['status']) => skills.filter((skill) => skill.status === status);
  const ok = of('ok').length;
  const parts = [`${ok} skill${ok === 1 ? '' : 's'} ${ok === 1 ? 'matches' : 'match'} the lock`];
  const changed = of('changed');
  if (changed.length > 0) {
    parts.push(`${changed.length} changed: ${changed.map((skill) => `${skill.skill}${skill.detail ? ` (${skill.detail})` : ''}`).join('; ')}`);
  }
  const unapproved = of('unapproved');
  if (unapproved.length > 0) parts.push(`${unapproved.length} not approved: ${unapproved.map((skill) => skill.skill).join(', ')}`);
  const missing = of('missing');
  if (missing.length > 0) parts.push(`${missing.length} in the lock but missing: ${missing.map((skill) => skill.skill).join(', ')}`);
  return parts.join(', ');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
