import * as path from 'node:path';
import {
  CAPABILITY_KINDS,
  type CapabilityInventory,
  type CapabilityKind,
  type SignatureCheck,
  type SkillStatus,
  type SkillVerification,
  type Verdict,
} from '../engine';
import { escapeHiddenInJson } from '../engine/display-text';
import { TOOL_NAME } from './args';
import type { ScanProblem } from './context';
import { visibleLine } from './visible-text';

/** What `verify` found, for both output formats. */
export interface VerifyOutcome {
  /** Lock file path relative to the working directory. */
  readonly lockfile: string;
  readonly toolVersion: string;
  readonly signature: SignatureCheck | { readonly status: 'not-checked' | 'unsigned' };
  /** Sorted by root. */
  readonly skills: readonly VerifiedSkill[];
  readonly errors: readonly ScanProblem[];
}

export interface VerifiedSkill {
  /** Skill folder relative to the working directory, posix separators. */
  readonly root: string;
  readonly verification: SkillVerification;
  /** The current inventory with locations, when the skill exists. */
  readonly capabilities?: CapabilityInventory;
}

/** Singular nouns for capability kinds, as in "new host". */
const KIND_LABEL: Readonly<Record<CapabilityKind, string>> = {
  hosts: 'host',
  sensitivePaths: 'sensitive path',
  envVars: 'environment variable',
  commands: 'command',
  persistence: 'persistence location',
  allowedTools: 'allowed-tools entry',
  filesRead: 'file read',
  filesWritten: 'file written',
};

// ---------------------------------------------------------------------------------------------
// Text

/**
 * One header line per skill (`root  status`), then one indented line per difference, most
 * important first: files, then capabilities, then frontmatter and verdict; a summary line last.
 */
export function formatVerifyText(outcome: VerifyOutcome): string {
  // Paths and capability values come from the scanned folders: each line is made visible.
  const blocks = outcome.skills.map((skill) => [skillHeader(skill), ...detailLines(skill).map((line) => `  ${line}`)].map(visibleLine).join('\n'));
  return [...blocks, visibleLine(summaryLine(outcome))].join('\n') + '\n';
}

function skillHeader(skill: VerifiedSkill): string {
  switch (skill.verification.status) {
    case 'ok':
      return `${skill.root}  ok`;
    case 'changed':
      return `${skill.root}  changed since it was approved`;
    case 'unapproved':
      return `${skill.root}  unapproved: not in the lock file`;
    case 'missing':
      return `${skill.root}  missing: in the lock file, but not found`;
  }
}

function detailLines(skill: VerifiedSkill): string[] {
  const { verification } = skill;
  const drift = verification.drift;
  if (drift === undefined || verification.locked === undefined || verification.current === undefined) return [];
  const lines: string[] = [];
  for (const file of drift.files.changed) lines.push(`changed file: ${file}`);
  for (const file of drift.files.added) lines.push(`added file: ${file}`);
  for (const file of drift.files.removed) lines.push(`removed file: ${file}`);
  for (const entry of drift.widenedTools) {
    const locked = verification.locked.capabilities.allowedTools;
    lines.push(`widened allowed-tools: ${entry}${where(skill, 'allowedTools', entry)} (locked: ${locked.length > 0 ? locked.join(' ') : 'none'})`);
  }
  for (const kind of CAPABILITY_KINDS) {
    for (const value of drift.addedCapabilities[kind]) {
      if (kind === 'allowedTools' && drift.widenedTools.includes(value)) continue;
      lines.push(`new ${KIND_LABEL[kind]}: ${value}${where(skill, kind, value)}`);
    }
  }
  for (const kind of CAPABILITY_KINDS) {
    for (const value of drift.removedCapabilities[kind]) lines.push(`no longer ${KIND_LABEL[kind]}: ${value}`);
  }
  if (drift.frontmatterKeys.length > 0) lines.push(`frontmatter changed: ${drift.frontmatterKeys.join(', ')}`);
  if (verification.current.verdict !== verification.locked.verdict) {
    lines.push(`verdict: ${verification.locked.verdict} when approved, ${verification.current.verdict} now`);
  }
  if (drift.scannerChanged && lines.length > 0) {
    const { locked, current } = verification;
    lines.push(
      `note: approved with ${TOOL_NAME} ${locked.scanner.version} (rules ${locked.scanner.ruleSetVersion}), ` +
        `checked with ${current.scanner.version} (rules ${current.scanner.ruleSetVersion})`,
    );
  }
  return lines;
}

/** ` (path:line:col)` of the first place a capability appears, relative to the working directory. */
function where(skill: VerifiedSkill, kind: CapabilityKind, value: string): string {
  const evidence = skill.capabilities?.[kind].find((item) => item.value === value)?.evidence[0];
  if (evidence === undefined) return '';
  return ` (${path.posix.join(skill.root, evidence.file)}:${evidence.span.line}:${evidence.span.column})`;
}

function summaryLine(outcome: VerifyOutcome): string {
  const counts = statusCounts(outcome);
  const total = outcome.skills.length;
  const parts = (['ok', 'changed', 'unapproved', 'missing'] as const)
    .filter((status) => status === 'ok' || counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`);
  return `${total} skill${total === 1 ? '' : 's'} checked against ${outcome.lockfile}: ${parts.join(', ')}${signatureNote(outcome)}`;
}

function signatureNote(outcome: VerifyOutcome): string {
  switch (outcome.signature.status) {
    case 'valid':
      return `; signature valid (key ${outcome.signature.keyId})`;
    case 'not-checked':
      return '; signed, signature not checked (pass --trust-key)';
    default:
      return '';
  }
}

function statusCounts(outcome: VerifyOutcome): Record<SkillStatus, number> {
  const counts: Record<SkillStatus, number> = { ok: 0, changed: 0, unapproved: 0, missing: 0 };
  for (const skill of outcome.skills) counts[skill.verification.status] += 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// JSON: a public contract like the scan report (add fields, never rename them).

export interface JsonVerifyReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** Lock file path relative to the working directory. */
  readonly lockfile: string;
  readonly signature: JsonSignature;
  /** Sorted by root. */
  readonly skills: readonly JsonVerifiedSkill[];
  readonly errors: readonly { readonly path: string; readonly message: string }[];
  readonly summary: JsonVerifySummary;
}

export interface JsonSignature {
  /** `valid`, `missing`, `wrong-key`, `invalid` (with --trust-key); `not-checked` or `unsigned` without. */
  readonly status: 'valid' | 'missing' | 'wrong-key' | 'invalid' | 'not-checked' | 'unsigned';
  /** The key that signed the lock (as the lock names it), when known. */
  readonly keyId?: string;
  readonly trustedKeyId?: string;
}

export interface JsonVerifiedSkill {
  readonly root: string;
  /** The skill's key in the lock file: its path relative to the lock file's folder. */
  readonly lockKey: string;
  readonly name: string;
  readonly status: SkillStatus;
  readonly verdict: { readonly locked: Verdict | null; readonly current: Verdict | null };
  readonly files: { readonly changed: readonly string[]; readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly capabilities: {
    readonly added: Readonly<Record<CapabilityKind, readonly JsonCapabilityChange[]>>;
    readonly removed: Readonly<Record<CapabilityKind, readonly string[]>>;
  };
  /** New allowed-tools entries that no locked entry already allowed. */
  readonly widenedAllowedTools: readonly string[];
  readonly frontmatterChanged: readonly string[];
  readonly scannerChanged: boolean;
}

export interface JsonCapabilityChange {
  readonly value: string;
  /** Where it appears now: file relative to the skill folder, 1-based position. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface JsonVerifySummary {
  readonly skills: number;
  readonly ok: number;
  readonly changed: number;
  readonly unapproved: number;
  readonly missing: number;
  /** Whether verify exits 1 (or 2 when `errors` is not empty). */
  readonly failed: boolean;
}

export function formatVerifyJson(outcome: VerifyOutcome): string {
  return `${escapeHiddenInJson(JSON.stringify(buildVerifyJson(outcome), null, 2))}\n`;
}

export function buildVerifyJson(outcome: VerifyOutcome): JsonVerifyReport {
  const counts = statusCounts(outcome);
  const signatureFailed = !['valid', 'not-checked', 'unsigned'].includes(outcome.signature.status);
  return {
    tool: { name: TOOL_NAME, version: outcome.toolVersion },
    lockfile: outcome.lockfile,
    signature: jsonSignature(outcome.signature),
    skills: outcome.skills.map(jsonSkill),
    errors: outcome.errors.map(({ path: problemPath, message }) => ({ path: problemPath, message })),
    summary: {
      skills: outcome.skills.length,
      ...counts,
      failed: signatureFailed || outcome.errors.length > 0 || outcome.skills.some((skill) => skill.verification.status !== 'ok'),
    },
  };
}

function jsonSignature(signature: VerifyOutcome['signature']): JsonSignature {
  switch (signature.status) {
    case 'valid':
    case 'invalid':
      return { status: signature.status, keyId: signature.keyId };
    case 'wrong-key':
      return { status: signature.status, keyId: signature.keyId, trustedKeyId: signature.trustedKeyId };
    default:
      return { status: signature.status };
  }
}

function jsonSkill(skill: VerifiedSkill): JsonVerifiedSkill {
  const { verification } = skill;
  const drift = verification.drift;
  const empty = Object.fromEntries(CAPABILITY_KINDS.map((kind) => [kind, []])) as unknown as Record<CapabilityKind, never[]>;
  const added = {} as Record<CapabilityKind, JsonCapabilityChange[]>;
  for (const kind of CAPABILITY_KINDS) {
    // An unapproved skill's whole inventory is new; a missing one has nothing now.
    const values = drift ? drift.addedCapabilities[kind] : verification.status === 'unapproved' ? verification.current?.capabilities[kind] ?? [] : [];
    added[kind] = values.map((value) => capabilityChange(skill, kind, value));
  }
  return {
    root: skill.root,
    lockKey: verification.key,
    name: verification.current?.name ?? verification.locked?.name ?? path.posix.basename(skill.root),
    status: verification.status,
    verdict: { locked: verification.locked?.verdict ?? null, current: verification.current?.verdict ?? null },
    files: drift
      ? drift.files
      : {
          changed: [],
          added: verification.status === 'unapproved' ? Object.keys(verification.current?.files ?? {}) : [],
          removed: verification.status === 'missing' ? Object.keys(verification.locked?.files ?? {}) : [],
        },
    capabilities: { added, removed: drift ? drift.removedCapabilities : empty },
    widenedAllowedTools: drift?.widenedTools ?? [],
    frontmatterChanged: drift?.frontmatterKeys ?? [],
    scannerChanged: drift?.scannerChanged ?? false,
  };
}

function capabilityChange(skill: VerifiedSkill, kind: CapabilityKind, value: string): JsonCapabilityChange {
  const evidence = skill.capabilities?.[kind].find((item) => item.value === value)?.evidence[0];
  return evidence === undefined ? { value } : { value, file: evidence.file, line: evidence.span.line, column: evidence.span.column };
}
