import { grantCovers } from '../capabilities';
import { CAPABILITY_KINDS, type CapabilityKind, type Verdict } from '../types';
import { stableJson } from './canonical-json';
import type { LockedSkill } from './lock-file';

/**
 * Compares a skill as it is now with its locked approval. Pure: both sides are `LockedSkill`
 * values (the current one built exactly as `lock` would build it), so the CLI and the language
 * server share one definition of drift.
 */

export interface FileChanges {
  /** Posix paths relative to the skill folder, sorted. */
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export type CapabilityChanges = Readonly<Record<CapabilityKind, readonly string[]>>;

export interface SkillDrift {
  readonly files: FileChanges;
  /** Capability values present now and not in the lock. */
  readonly addedCapabilities: CapabilityChanges;
  /** Capability values in the lock and gone now (informational: the skill can do less). */
  readonly removedCapabilities: CapabilityChanges;
  /** New `allowed-tools` entries that no locked entry already allowed. */
  readonly widenedTools: readonly string[];
  /** Frontmatter keys whose value changed, appeared or disappeared. */
  readonly frontmatterKeys: readonly string[];
  /** Set when the verdict got worse and reached one `lock` refuses without --force. */
  readonly verdict?: { readonly locked: Verdict; readonly current: Verdict };
  /** The skill was approved with another scanner or rule set (informational). */
  readonly scannerChanged: boolean;
}

const VERDICT_ORDER: readonly Verdict[] = ['clean', 'notice', 'suspicious', 'dangerous', 'malicious'];

/** Verdicts that `lock` refuses to approve without --force: a high or critical finding. */
export function isBlockingVerdict(verdict: Verdict): boolean {
  return verdict === 'dangerous' || verdict === 'malicious';
}

export function compareWithLock(locked: LockedSkill, current: LockedSkill): SkillDrift {
  const files = compareFiles(locked.files, current.files);
  const addedCapabilities = {} as Record<CapabilityKind, readonly string[]>;
  const removedCapabilities = {} as Record<CapabilityKind, readonly string[]>;
  for (const kind of CAPABILITY_KINDS) {
    const before = new Set(locked.capabilities[kind]);
    const after = new Set(current.capabilities[kind]);
    addedCapabilities[kind] = [...after].filter((value) => !before.has(value)).sort(compareText);
    removedCapabilities[kind] = [...before].filter((value) => !after.has(value)).sort(compareText);
  }
  const widenedTools = addedCapabilities.allowedTools.filter(
    (entry) => !locked.capabilities.allowedTools.some((granted) => grantCovers(granted, entry)),
  );
  const worsened = VERDICT_ORDER.indexOf(current.verdict) > VERDICT_ORDER.indexOf(locked.verdict);
  return {
    files,
    addedCapabilities,
    removedCapabilities,
    widenedTools,
    frontmatterKeys: changedKeys(locked.frontmatter, current.frontmatter),
    ...(worsened && isBlockingVerdict(current.verdict) ? { verdict: { locked: locked.verdict, current: current.verdict } } : {}),
    scannerChanged:
      locked.scanner.version !== current.scanner.version ||
      locked.scanner.ruleSetVersion !== current.scanner.ruleSetVersion ||
      locked.scanner.ruleSetDigest !== current.scanner.ruleSetDigest,
  };
}

/**
 * Whether the skill no longer matches its approval: a file differs, it can do something new, its
 * grants widened, or its verdict became one that needs --force. Capabilities that went away and
 * a newer scanner alone are not drift.
 */
export function hasDrift(drift: SkillDrift): boolean {
  return (
    drift.files.changed.length > 0 ||
    drift.files.added.length > 0 ||
    drift.files.removed.length > 0 ||
    CAPABILITY_KINDS.some((kind) => drift.addedCapabilities[kind].length > 0) ||
    drift.widenedTools.length > 0 ||
    drift.frontmatterKeys.length > 0 ||
    drift.verdict !== undefined
  );
}

function compareFiles(locked: Readonly<Record<string, string>>, current: Readonly<Record<string, string>>): FileChanges {
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const [file, entry] of Object.entries(current)) {
    const before = locked[file];
    if (before === undefined) added.push(file);
    else if (before !== entry) changed.push(file);
  }
  for (const file of Object.keys(locked)) if (current[file] === undefined) removed.push(file);
  return { changed: changed.sort(compareText), added: added.sort(compareText), removed: removed.sort(compareText) };
}

function changedKeys(before: unknown, after: unknown): string[] {
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => stableJson(a[key] ?? null) !== stableJson(b[key] ?? null)).sort(compareText);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
