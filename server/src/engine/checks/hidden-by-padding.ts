import type { FileModel } from '../skill-model';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/**
 * Content pushed out of view: a run of blank lines followed by more content, a long run of spaces
 * or tabs inside a line followed by more text, and very long single lines. Runs on SKILL.md, other
 * Markdown files and scripts, in one linear pass per file.
 *
 * Options:
 *  - `kinds`: any of `blank-lines`, `spaces`, `long-line` (default: all)
 *  - `minBlankLines` (50), `minSpaces` (200), `minLineLength` (5000)
 *  - `suspicious`: `true` reports only padding whose following text looks like an instruction or a
 *    command, `false` only the rest (so a rule can grade the two differently); absent: both.
 */
type PaddingKind = 'blank-lines' | 'spaces' | 'long-line';

const SUSPICIOUS =
  /\b(?:ignore|disregard|forget|run|execute|exec|eval|curl|wget|bash|sh|powershell|iex|send|upload|post|exfiltrate|read|cat|rm|delete|base64|ssh|token|password|secret|credential|api[_ -]?key|silently|secretly|you must|always|never|do not tell|assistant|system)\b|https?:\/\/|~\/\.|\|\s?(?:ba|z)?sh\b/i;

const SHOWN = 80;
const MAX_FINDINGS_PER_FILE = 20;

/** Padding found per file and thresholds, kept as long as the file's model (between scans too, when the model is reused). */
const paddingByFile = new WeakMap<FileModel, Map<string, readonly Padding[]>>();

function paddingOf(file: FileModel, minBlank: number, minSpaces: number, minLine: number): readonly Padding[] {
  let byThresholds = paddingByFile.get(file);
  if (!byThresholds) {
    byThresholds = new Map();
    paddingByFile.set(file, byThresholds);
  }
  const key = `${minBlank}\u0000${minSpaces}\u0000${minLine}`;
  let found = byThresholds.get(key);
  if (!found) {
    found = scanFile(file, minBlank, minSpaces, minLine);
    byThresholds.set(key, found);
  }
  return found;
}

export function hiddenByPadding(context: MatchContext, options: CheckOptions): RawFinding[] {
  const kinds = Array.isArray(options.kinds) ? new Set(options.kinds as PaddingKind[]) : undefined;
  const minBlank = typeof options.minBlankLines === 'number' ? options.minBlankLines : 50;
  const minSpaces = typeof options.minSpaces === 'number' ? options.minSpaces : 200;
  const minLine = typeof options.minLineLength === 'number' ? options.minLineLength : 5000;
  const suspiciousOnly = typeof options.suspicious === 'boolean' ? options.suspicious : undefined;
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (file.kind === 'other') continue;
    if (Date.now() > context.deadline) break;
    // The rules run this check several times with the same thresholds and different filters.
    const found = paddingOf(file, minBlank, minSpaces, minLine);
    let count = 0;
    for (const f of found) {
      if (kinds && !kinds.has(f.kind)) continue;
      if (suspiciousOnly !== undefined && f.suspicious !== suspiciousOnly) continue;
      findings.push({
        file: file.path,
        start: f.start,
        end: f.end,
        captures: { kind: f.kind, amount: String(f.amount), after: f.after },
        ...(f.paddingStart !== undefined
          ? { related: [{ file: file.path, start: f.paddingStart, end: f.paddingStart, message: 'The padding starts here.' }] }
          : {}),
      });
      if (++count >= MAX_FINDINGS_PER_FILE) break;
    }
  }
  return findings;
}

interface Padding {
  readonly kind: PaddingKind;
  readonly start: number;
  readonly end: number;
  readonly amount: number;
  readonly after: string;
  readonly suspicious: boolean;
  readonly paddingStart?: number;
}

function isBlankChar(code: number): boolean {
  return code === 32 || code === 9 || code === 0x3000 || code === 0xa0;
}

/** One pass over the text: line starts come from the file's line index (already linear). */
function scanFile(file: FileModel, minBlank: number, minSpaces: number, minLine: number): Padding[] {
  const text = file.text;
  const lines = file.lines;
  const out: Padding[] = [];
  let blankRun = 0;
  let blankStart = 0;
  for (let line = 1; line <= lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    // Blank line?
    let k = start;
    while (k < end && isBlankChar(text.charCodeAt(k))) k++;
    if (k === end) {
      if (blankRun === 0) blankStart = start;
      blankRun++;
      continue;
    }
    if (blankRun >= minBlank) out.push(contentAfter('blank-lines', text, k, end, blankRun, blankStart));
    blankRun = 0;
    // Long runs of spaces inside the line, followed by more text on the same line.
    let i = k;
    while (i < end) {
      if (!isBlankChar(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const runStart = i;
      while (i < end && isBlankChar(text.charCodeAt(i))) i++;
      if (i - runStart >= minSpaces && i < end) {
        out.push(contentAfter('spaces', text, i, end, i - runStart, runStart));
      }
    }
    if (end - start >= minLine) {
      const shownEnd = Math.min(end, start + SHOWN);
      out.push({
        kind: 'long-line',
        start,
        end: shownEnd,
        amount: end - start,
        after: text.slice(start, shownEnd),
        suspicious: SUSPICIOUS.test(text.slice(start, Math.min(end, start + 20_000))),
      });
    }
  }
  return out;
}

function contentAfter(kind: PaddingKind, text: string, from: number, lineEnd: number, amount: number, paddingStart: number): Padding {
  const shownEnd = Math.min(lineEnd, from + SHOWN);
  const sample = text.slice(from, Math.min(text.length, from + 500));
  return { kind, start: from, end: shownEnd, amount, after: text.slice(from, shownEnd), suspicious: SUSPICIOUS.test(sample), paddingStart };
}
