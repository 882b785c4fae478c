import { createHash } from 'node:crypto';
import { LineIndex } from '../positions';
import type { Finding, SkillBundle } from '../types';
import { stableJson } from './canonical-json';

/**
 * The suppression baseline (`skill-sentinel.baseline.json`): findings the workspace has reviewed
 * and accepted, each with a reason. It belongs to the workspace, never to a skill: nothing a
 * skill contains can suppress its own findings (the engine has no comment directives at all).
 *
 * An entry matches a finding by rule, skill folder, file and a fingerprint of the evidence: the
 * text at the finding's range with whitespace runs collapsed. Lines may move and indentation may
 * change without breaking the match; once the evidence itself changes, the entry stops matching
 * and the finding counts again. A matching finding is reported as suppressed, never hidden.
 */

export const BASELINE_NAME = 'skill-sentinel.baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  /** Rule id, e.g. `SKL401`. */
  readonly rule: string;
  /** Skill folder, posix, relative to the baseline file's folder (`.` for that folder). */
  readonly skill: string;
  /** File of the finding, posix, relative to the skill folder. Optional in hand-written entries. */
  readonly file?: string;
  /** `sha256:<hex>`; see `findingFingerprint`. */
  readonly fingerprint: string;
  readonly reason: string;
  /** `YYYY-MM-DD`: the entry applies through the end of that day (UTC), then stops matching. */
  readonly expires?: string;
}

export interface BaselineFile {
  readonly version: typeof BASELINE_VERSION;
  readonly suppressions: readonly BaselineEntry[];
}

export class BaselineFileError extends Error {
  override readonly name = 'BaselineFileError';
}

/** Why a finding is suppressed, as shown in reports. */
export interface Suppression {
  readonly reason: string;
  readonly expires?: string;
}

/** `sha256:` over the rule id, the file and the normalised evidence text. */
export function findingFingerprint(ruleId: string, file: string, evidence: string): string {
  return `sha256:${createHash('sha256').update(`${ruleId}\0${file}\0${evidence}`).digest('hex')}`;
}

/**
 * The evidence of a finding: the text in its range, whitespace collapsed. An empty range stands
 * for its line. A finding on a file that was not analysed (a binary, an archive) has no text; its
 * message stands in, so the entry still names what was accepted.
 */
export function findingEvidence(bundle: SkillBundle, finding: Finding, lineIndexes = new Map<string, LineIndex>()): string {
  const source = bundle.files.get(finding.file);
  if (source === undefined) return `unanalysed: ${normaliseWhitespace(finding.message)}`;
  let lines = lineIndexes.get(finding.file);
  if (lines === undefined) {
    lines = new LineIndex(source.text);
    lineIndexes.set(finding.file, lines);
  }
  const start = lines.offsetAt(finding.span.line, finding.span.column);
  const end = lines.offsetAt(finding.span.endLine, finding.span.endColumn);
  const text = end > start ? source.text.slice(start, end) : lines.lineText(finding.span.line);
  return normaliseWhitespace(text);
}

function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function isExpired(entry: BaselineEntry, now: Date): boolean {
  if (entry.expires === undefined) return false;
  const endOfDay = Date.parse(`${entry.expires.slice(0, 10)}T00:00:00Z`) + 24 * 60 * 60 * 1000;
  return now.getTime() >= endOfDay;
}

/** Looks findings up in a baseline; build once per scan. */
export class BaselineMatcher {
  private readonly byKey = new Map<string, BaselineEntry[]>();

  constructor(
    baseline: BaselineFile,
    private readonly now: Date,
  ) {
    for (const entry of baseline.suppressions) {
      const key = `${entry.skill}\0${entry.rule}\0${entry.fingerprint}`;
      const list = this.byKey.get(key);
      if (list) list.push(entry);
      else this.byKey.set(key, [entry]);
    }
  }

  /** The entry that suppresses this finding, if one matches and has not expired. */
  match(skill: string, finding: Finding, evidence: string): BaselineEntry | undefined {
    const fingerprint = findingFingerprint(finding.ruleId, finding.file, evidence);
    const candidates = this.byKey.get(`${skill}\0${finding.ruleId}\0${fingerprint}`) ?? [];
    return candidates.find((entry) => (entry.file === undefined || entry.file === finding.file) && !isExpired(entry, this.now));
  }
}

export function serializeBaseline(baseline: BaselineFile): string {
  const sorted = [...baseline.suppressions].sort(
    (a, b) => compareText(a.skill, b.skill) || compareText(a.file ?? '', b.file ?? '') || compareText(a.rule, b.rule) || compareText(a.fingerprint, b.fingerprint),
  );
  return stableJson({ version: baseline.version, suppressions: sorted });
}

export function parseBaseline(text: string): BaselineFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BaselineFileError(`it is not valid JSON (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BaselineFileError('the document must be an object');
  const top = raw as Record<string, unknown>;
  const unexpectedTop = Object.keys(top).find((key) => key !== 'version' && key !== 'suppressions');
  if (unexpectedTop !== undefined) throw new BaselineFileError(`the document has an unexpected field "${unexpectedTop}"`);
  if (top.version !== BASELINE_VERSION) throw new BaselineFileError(`"version" must be ${BASELINE_VERSION}`);
  if (!Array.isArray(top.suppressions)) throw new BaselineFileError('"suppressions" must be a list');
  const suppressions = top.suppressions.map((item: unknown, index) => validateEntry(item, `suppressions[${index}]`));
  return { version: BASELINE_VERSION, suppressions };
}

const ENTRY_KEYS: readonly string[] = ['rule', 'skill', 'file', 'fingerprint', 'reason', 'expires'];

function validateEntry(raw: unknown, where: string): BaselineEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BaselineFileError(`${where} must be an object`);
  const entry = raw as Record<string, unknown>;
  const unexpected = Object.keys(entry).find((key) => !ENTRY_KEYS.includes(key));
  if (unexpected !== undefined) throw new BaselineFileError(`${where} has an unexpected field "${unexpected}"`);
  const text = (key: string): string => {
    const value = entry[key];
    if (typeof value !== 'string' || value.trim() === '') throw new BaselineFileError(`${where}: "${key}" must be a non-empty string`);
    return value;
  };
  const fingerprint = text('fingerprint');
  if (!/^sha256:[0-9a-f]{64}$/.test(fingerprint)) throw new BaselineFileError(`${where}: "fingerprint" is malformed`);
  const expires = entry.expires === undefined ? undefined : text('expires');
  if (expires !== undefined && !isIsoDate(expires)) throw new BaselineFileError(`${where}: "expires" must be a date such as 2025-12-31`);
  const file = entry.file === undefined ? undefined : text('file');
  return {
    rule: text('rule'),
    skill: text('skill'),
    ...(file === undefined ? {} : { file }),
    fingerprint,
    reason: text('reason'),
    ...(expires === undefined ? {} : { expires }),
  };
}

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
