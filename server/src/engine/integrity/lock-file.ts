import { createHash } from 'node:crypto';
import { capabilityValues } from '../capabilities';
import { parseFrontmatter } from '../frontmatter';
import { primarySkillMarker } from '../fs-entries';
import {
  CAPABILITY_KINDS,
  type CapabilityInventory,
  type CapabilityKind,
  type SkillBundle,
  type SkillReport,
  type Verdict,
} from '../types';
import { stableJson, toJsonValue, type JsonValue } from './canonical-json';
import { treeHashOf, type SkillFileHashes } from './file-hashes';

/**
 * The lock file (`skill-sentinel.lock.json`): one entry per approved skill, keyed by the skill
 * folder's posix path relative to the lock file's folder. It is written with sorted keys and a
 * trailing newline so that approving one skill changes only that skill's lines in a diff.
 *
 * The lock is read back as external input: anyone with write access to the repository (or to
 * the developer's home folder) can edit it, so `parseLockFile` validates every field and checks
 * that each skill's tree hash still matches its file list. Signatures (signature.ts) go further
 * and tell who approved it.
 */

export const LOCKFILE_NAME = 'skill-sentinel.lock.json';
export const LOCKFILE_VERSION = 1;

export interface ScannerStamp {
  /** Version of Skill Sentinel that approved the skill. */
  readonly version: string;
  /** Version of the compiled rule set. */
  readonly ruleSetVersion: string;
  /** Hash of the rule ids, severities and statuses, so a changed rule set is noticed even at one version. */
  readonly ruleSetDigest: string;
}

export type CapabilityValues = Readonly<Record<CapabilityKind, readonly string[]>>;

export interface LockedSkill {
  /** Frontmatter `name`, or the folder name when there is none. */
  readonly name: string;
  /** ISO 8601 time of approval; kept when a re-lock finds the skill unchanged. */
  readonly approvedAt: string;
  readonly scanner: ScannerStamp;
  readonly verdict: Verdict;
  readonly score: number;
  /** Over `files`; see `treeHashOf`. */
  readonly treeHash: string;
  /** Posix path relative to the skill folder → `sha256:…`, `symlink:…`, `tree:sha256:…` or `special:…`. */
  readonly files: Readonly<Record<string, string>>;
  /** The SKILL.md frontmatter as plain JSON with sorted keys; null when it has none or it is not a mapping. */
  readonly frontmatter: JsonValue;
  /** Capability values without their locations (lines move; the file hashes already cover that). */
  readonly capabilities: CapabilityValues;
}

export interface LockSignature {
  readonly algorithm: 'ed25519';
  /** `sha256:<hex>` of the signer's public key (SPKI DER): names the key, proves nothing by itself. */
  readonly keyId: string;
  /** Base64 Ed25519 signature over the canonical lock content; see signature.ts. */
  readonly value: string;
}

export interface LockFile {
  readonly lockfileVersion: typeof LOCKFILE_VERSION;
  /** Skill path relative to the lock file's folder (posix) → entry. */
  readonly skills: Readonly<Record<string, LockedSkill>>;
  readonly signature?: LockSignature;
}

/** The lock file is unusable: unreadable, not JSON, not a lock, or edited inconsistently. */
export class LockFileError extends Error {
  override readonly name = 'LockFileError';
}

const VERDICTS: readonly Verdict[] = ['clean', 'notice', 'suspicious', 'dangerous', 'malicious'];
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const FILE_ENTRY = /^(?:sha256:[0-9a-f]{64}|tree:sha256:[0-9a-f]{64}|symlink:[^\0]*|special:[a-z-]+)$/;

// ---------------------------------------------------------------------------------------------
// Building and writing

export function emptyLockFile(): LockFile {
  return { lockfileVersion: LOCKFILE_VERSION, skills: {} };
}

export interface LockEntryInputs {
  readonly bundle: SkillBundle;
  readonly report: SkillReport;
  readonly capabilities: CapabilityInventory;
  readonly hashes: SkillFileHashes;
  readonly scanner: ScannerStamp;
  readonly approvedAt: Date;
}

export function buildLockedSkill(inputs: LockEntryInputs): LockedSkill {
  const { bundle, report } = inputs;
  return {
    name: report.name ?? bundle.dirName,
    approvedAt: inputs.approvedAt.toISOString(),
    scanner: inputs.scanner,
    verdict: report.verdict,
    score: report.score,
    treeHash: inputs.hashes.treeHash,
    files: inputs.hashes.files,
    frontmatter: normalisedFrontmatter(bundle),
    capabilities: capabilityValues(inputs.capabilities),
  };
}

/** The frontmatter of the bundle's SKILL.md as sorted plain JSON, or null. */
export function normalisedFrontmatter(bundle: SkillBundle): JsonValue {
  const marker = primarySkillMarker(bundle.files.keys());
  const skillMd = marker === undefined ? undefined : bundle.files.get(marker);
  if (skillMd === undefined) return null;
  const frontmatter = parseFrontmatter(skillMd.text);
  if (!frontmatter.present || !frontmatter.isMapping) return null;
  const fields = [...frontmatter.fields.values()].map((field) => [field.key, toJsonValue(field.value)] as const);
  return JSON.parse(stableJson(Object.fromEntries(fields))) as JsonValue;
}

export function ruleSetDigest(rules: readonly { readonly id: string; readonly severity: string; readonly status: string }[]): string {
  const lines = rules
    .map((rule) => `${rule.id}\0${rule.severity}\0${rule.status}`)
    .sort()
    .join('\n');
  return `sha256:${createHash('sha256').update(lines).digest('hex')}`;
}

/** Whether two entries record the same approval apart from its time (so the time can be kept). */
export function sameApproval(a: LockedSkill, b: LockedSkill): boolean {
  const { approvedAt: _a, ...restA } = a;
  const { approvedAt: _b, ...restB } = b;
  return stableJson(restA) === stableJson(restB);
}

export function serializeLockFile(lock: LockFile): string {
  return stableJson(lock);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Parses and validates lock file text; throws `LockFileError` with one line saying what is wrong. */
export function parseLockFile(text: string): LockFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LockFileError(`it is not valid JSON (${firstLine(error)})`);
  }
  return validateLockFile(raw);
}

export function validateLockFile(raw: unknown): LockFile {
  const top = expectObject(raw, 'the document');
  expectOnlyKeys(top, ['lockfileVersion', 'skills', 'signature'], 'the document');
  if (top.lockfileVersion !== LOCKFILE_VERSION) {
    throw new LockFileError(
      typeof top.lockfileVersion === 'number'
        ? `lockfileVersion ${top.lockfileVersion} is not supported (this version reads ${LOCKFILE_VERSION}); upgrade skill-sentinel`
        : 'it has no lockfileVersion: it is not a skill-sentinel lock file',
    );
  }
  const skillsRaw = expectObject(top.skills, '"skills"');
  const skills: Record<string, LockedSkill> = {};
  for (const skillPath of Object.keys(skillsRaw)) {
    const where = `skill "${skillPath}"`;
    if (!isValidSkillPath(skillPath)) throw new LockFileError(`${where}: the path must be relative, with forward slashes`);
    skills[skillPath] = validateLockedSkill(skillsRaw[skillPath], where);
  }
  const signature = top.signature === undefined ? undefined : validateSignature(top.signature);
  return { lockfileVersion: LOCKFILE_VERSION, skills, ...(signature ? { signature } : {}) };
}

function validateLockedSkill(raw: unknown, where: string): LockedSkill {
  const entry = expectObject(raw, where);
  expectOnlyKeys(entry, ['name', 'approvedAt', 'scanner', 'verdict', 'score', 'treeHash', 'files', 'frontmatter', 'capabilities'], where);
  const name = expectString(entry.name, `${where}: "name"`);
  const approvedAt = expectString(entry.approvedAt, `${where}: "approvedAt"`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(approvedAt) || Number.isNaN(Date.parse(approvedAt))) {
    throw new LockFileError(`${where}: "approvedAt" is not an ISO 8601 time`);
  }
  const scannerRaw = expectObject(entry.scanner, `${where}: "scanner"`);
  expectOnlyKeys(scannerRaw, ['version', 'ruleSetVersion', 'ruleSetDigest'], `${where}: "scanner"`);
  const scanner: ScannerStamp = {
    version: expectString(scannerRaw.version, `${where}: "scanner.version"`),
    ruleSetVersion: expectString(scannerRaw.ruleSetVersion, `${where}: "scanner.ruleSetVersion"`),
    ruleSetDigest: expectPattern(scannerRaw.ruleSetDigest, SHA256, `${where}: "scanner.ruleSetDigest"`),
  };
  const verdict = entry.verdict;
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict)) {
    throw new LockFileError(`${where}: "verdict" must be one of ${VERDICTS.join(', ')}`);
  }
  const score = entry.score;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 100) {
    throw new LockFileError(`${where}: "score" must be a number from 0 to 100`);
  }
  const treeHash = expectPattern(entry.treeHash, SHA256, `${where}: "treeHash"`);
  const filesRaw = expectObject(entry.files, `${where}: "files"`);
  const files: Record<string, string> = {};
  for (const filePath of Object.keys(filesRaw)) {
    if (!isValidFilePath(filePath)) throw new LockFileError(`${where}: file "${filePath}" is not a relative posix path inside the skill`);
    files[filePath] = expectPattern(filesRaw[filePath], FILE_ENTRY, `${where}: file "${filePath}"`);
  }
  if (treeHashOf(files) !== treeHash) {
    throw new LockFileError(`${where}: its file list does not match its treeHash, so the lock was edited by hand or is corrupt`);
  }
  const capabilitiesRaw = expectObject(entry.capabilities, `${where}: "capabilities"`);
  expectOnlyKeys(capabilitiesRaw, CAPABILITY_KINDS, `${where}: "capabilities"`);
  const capabilities = {} as Record<CapabilityKind, readonly string[]>;
  for (const kind of CAPABILITY_KINDS) {
    const list = capabilitiesRaw[kind];
    if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string')) {
      throw new LockFileError(`${where}: "capabilities.${kind}" must be a list of strings`);
    }
    capabilities[kind] = list;
  }
  return {
    name,
    approvedAt,
    scanner,
    verdict: verdict as Verdict,
    score,
    treeHash,
    files,
    frontmatter: expectJson(entry.frontmatter, `${where}: "frontmatter"`),
    capabilities,
  };
}

function validateSignature(raw: unknown): LockSignature {
  const signature = expectObject(raw, '"signature"');
  expectOnlyKeys(signature, ['algorithm', 'keyId', 'value'], '"signature"');
  if (signature.algorithm !== 'ed25519') throw new LockFileError('"signature.algorithm" must be "ed25519"');
  return {
    algorithm: 'ed25519',
    keyId: expectPattern(signature.keyId, SHA256, '"signature.keyId"'),
    value: expectPattern(signature.value, /^[A-Za-z0-9+/]{86}==$/, '"signature.value"'),
  };
}

/** `skills/foo`, `.claude/skills/foo`, `../shared/skills/foo`, or `.` for the lock's own folder. */
export function isValidSkillPath(text: string): boolean {
  if (text === '.') return true;
  if (!isPortablePath(text)) return false;
  const segments = text.split('/');
  const firstNormal = segments.findIndex((segment) => segment !== '..');
  // `..` may only lead the path; anything after it is a plain folder name.
  return segments.slice(Math.max(firstNormal, 0)).every((segment) => segment !== '..' && segment !== '.' && segment !== '');
}

/** A path inside a skill: plain segments only; a trailing `/` marks a folder hashed as one tree. */
export function isValidFilePath(text: string): boolean {
  const body = text.endsWith('/') ? text.slice(0, -1) : text;
  return isPortablePath(body) && body.split('/').every((segment) => segment !== '..' && segment !== '.' && segment !== '');
}

function isPortablePath(text: string): boolean {
  return text.length > 0 && text.length <= 4096 && !text.startsWith('/') && !text.includes('\\') && !text.includes('\0') && !/^[A-Za-z]:/.test(text);
}

// ---------------------------------------------------------------------------------------------
// Validation helpers: each failure names the field, in one line.

function expectObject(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LockFileError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function expectOnlyKeys(object: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unexpected = Object.keys(object).find((key) => !allowed.includes(key));
  if (unexpected !== undefined) throw new LockFileError(`${where} has an unexpected field "${unexpected}"`);
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new LockFileError(`${where} must be a non-empty string`);
  return value;
}

function expectPattern(value: unknown, pattern: RegExp, where: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new LockFileError(`${where} is malformed`);
  return value;
}

function expectJson(value: unknown, where: string, depth = 0): JsonValue {
  if (depth > 64) throw new LockFileError(`${where} is nested too deeply`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => expectJson(item, where, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expectJson(item, where, depth + 1)] as const));
  }
  throw new LockFileError(`${where} is not plain JSON`);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).trim();
}
