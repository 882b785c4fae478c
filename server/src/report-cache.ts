/**
 * A persistent cache of skill reports for the CLI (`scan --cache`): a skill whose files are byte
 * for byte what an earlier run of the same scanner build saw gets that run's report instead of a
 * new scan. Pre-commit hooks and CI re-scan mostly unchanged skills, so most of a run is reused.
 *
 * The key is a SHA-256 over the scanner build (its code and rules), the skill's folder, and every
 * file's path and text plus every file left unanalysed and why; any change misses. Entries live
 * outside the scanned folders (by default under the user's cache folder), one JSON file each,
 * written atomically. A cached entry is parsed back into a report with every field checked; one
 * that does not parse, or belongs to another key, is a miss and is overwritten. Reports cut short
 * by the time budget are never stored, since a quieter machine might finish them.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { BUDGET_RULE_ID } from './engine/engine';
import { CAPABILITY_KINDS, SEVERITIES, type CapabilityInventory, type Finding, type SkillBundle, type SkillReport, type Span, type Verdict } from './engine';

/** Bumped when the entry layout changes. */
const ENTRY_FORMAT = 1;
const VERDICTS: readonly Verdict[] = ['clean', 'notice', 'suspicious', 'dangerous', 'malicious'];

export interface ReportCacheSettings {
  /** Folder holding the entries. */
  readonly dir: string;
  /** Identifies the scanner build: entries of any other build are never read. */
  readonly scannerId: string;
}

/** `$XDG_CACHE_HOME/skill-sentinel`, else `~/.cache/skill-sentinel`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const xdg = env['XDG_CACHE_HOME'];
  return path.join(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'skill-sentinel');
}

/** A digest of the files that make up the scanner (its code bundle and compiled rules). */
export function scannerIdOf(files: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\u0000`);
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

export function cacheKeyOf(bundle: SkillBundle, scannerId: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${ENTRY_FORMAT}\u0000${scannerId}\u0000${bundle.root}\u0000${bundle.dirName}\u0000`);
  const paths = [...bundle.files.keys()].sort();
  for (const filePath of paths) {
    const file = bundle.files.get(filePath);
    const text = file?.text ?? '';
    // How the bytes were decoded is reported too: two files with one text can differ there.
    hash.update(`F${filePath}\u0000${text.length}\u0000${file?.decoding ? JSON.stringify(file.decoding) : ''}\u0000`);
    hash.update(text);
  }
  for (const file of bundle.unanalysed) hash.update(`U${file.path}\u0000${file.reason}\u0000${file.detail}\u0000${file.shebang ?? ''}\u0000${file.leavesSkill === true ? 'L' : ''}\u0000`);
  return hash.digest('hex');
}

/** The cache entry for one bundle: where it lives, and its report when one was found. */
export interface CacheLookup {
  readonly file: string;
  readonly key: string;
  readonly report?: SkillReport;
}

/** Looks up the report of a run that saw exactly these files; never throws. */
export function lookupReport(bundle: SkillBundle, settings: ReportCacheSettings): CacheLookup {
  const key = cacheKeyOf(bundle, settings.scannerId);
  const file = path.join(settings.dir, key.slice(0, 2), `${key}.json`);
  const report = readEntry(file, key);
  return report ? { file, key, report } : { file, key };
}

/** Stores a fresh report under the key looked up; a failure to write only costs the next run a scan. */
export function storeReport(lookup: CacheLookup, report: SkillReport): void {
  if (report.findings.some((finding) => finding.ruleId === BUDGET_RULE_ID)) return;
  writeEntry(lookup.file, lookup.key, report);
}

/**
 * The report for `bundle`: from the cache when one is given and holds an entry for exactly these
 * files, else from `scan` (which may load the engine first), then stored.
 */
export async function reportThroughCache(
  bundle: SkillBundle,
  settings: ReportCacheSettings | undefined,
  scan: () => SkillReport | Promise<SkillReport>,
): Promise<{ readonly report: SkillReport; readonly fromCache: boolean }> {
  const cached = settings ? lookupReport(bundle, settings) : undefined;
  if (cached?.report) return { report: cached.report, fromCache: true };
  const report = await scan();
  if (cached) storeReport(cached, report);
  return { report, fromCache: false };
}

function readEntry(file: string, key: string): SkillReport | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const entry: unknown = JSON.parse(text);
    if (!isRecord(entry) || entry['format'] !== ENTRY_FORMAT || entry['key'] !== key) return undefined;
    return parseReport(entry['report']);
  } catch {
    return undefined;
  }
}

function writeEntry(file: string, key: string, report: SkillReport): void {
  const temporary = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, JSON.stringify({ format: ENTRY_FORMAT, key, report }), { mode: 0o600 });
    // Rename is atomic: a concurrent reader sees the old entry, no entry, or the whole new one.
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the next run scans this skill again.
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing an entry back into a report: every field the formats and exit codes read is checked.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function isSpan(value: unknown): value is Span {
  return isRecord(value) && isNumber(value['line']) && isNumber(value['column']) && isNumber(value['endLine']) && isNumber(value['endColumn']);
}

function isLocation(value: unknown): boolean {
  return isRecord(value) && isString(value['file']) && isSpan(value['span']);
}

function isFinding(value: unknown): value is Finding {
  if (!isRecord(value) || !isLocation(value)) return false;
  if (!['ruleId', 'slug', 'category', 'message'].every((field) => isString(value[field]))) return false;
  if (!(SEVERITIES as readonly unknown[]).includes(value['severity'])) return false;
  const related = value['related'];
  if (related !== undefined && !(Array.isArray(related) && related.every((item) => isLocation(item) && isRecord(item) && isString(item['message'])))) return false;
  const fix = value['fix'];
  if (fix === undefined) return true;
  return (
    isRecord(fix) &&
    isString(fix['title']) &&
    Array.isArray(fix['edits']) &&
    fix['edits'].every((edit) => isLocation(edit) && isRecord(edit) && isString(edit['newText']))
  );
}

function isCapabilities(value: unknown): value is CapabilityInventory {
  if (!isRecord(value)) return false;
  return CAPABILITY_KINDS.every((kind) => {
    const items = value[kind];
    return (
      Array.isArray(items) &&
      items.every((item) => isRecord(item) && isString(item['value']) && Array.isArray(item['evidence']) && item['evidence'].every(isLocation))
    );
  });
}

function parseReport(value: unknown): SkillReport | undefined {
  if (!isRecord(value)) return undefined;
  const { root, dirName, name, findings, verdict, score, filesAnalysed, bytesAnalysed, durationMs, capabilities } = value;
  if (!isString(root) || !isString(dirName) || (name !== undefined && !isString(name))) return undefined;
  if (!Array.isArray(findings) || !findings.every(isFinding)) return undefined;
  if (!VERDICTS.includes(verdict as Verdict) || !isNumber(score) || !isNumber(filesAnalysed) || !isNumber(bytesAnalysed) || !isNumber(durationMs)) return undefined;
  if (capabilities !== undefined && !isCapabilities(capabilities)) return undefined;
  return {
    root,
    dirName,
    ...(name !== undefined ? { name } : {}),
    findings,
    verdict: verdict as Verdict,
    score,
    filesAnalysed,
    bytesAnalysed,
    durationMs,
    ...(capabilities !== undefined ? { capabilities } : {}),
  };
}
