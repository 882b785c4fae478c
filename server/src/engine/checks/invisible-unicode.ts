import type { FileModel } from '../skill-model';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/**
 * Invisible and direction-changing characters in any text file of the skill. One finding per run
 * of such characters, each with a fix that deletes the run. Unicode tag characters (U+E0000–E007F)
 * are decoded to the ASCII they smuggle, and runs of variation selectors to the bytes they encode.
 *
 * Benign uses stay quiet: an emoji with its variation selector, ZWJ inside emoji sequences, ZWNJ /
 * ZWJ between letters of scripts that need them (Arabic, Indic, …), bidi marks next to Hebrew or
 * Arabic text, the tag sequences of subdivision flags (🏴 + tags + U+E007F), a BOM at file start.
 *
 * Options: `kinds` — any of `tag`, `bidi`, `variation`, `zero-width` (default: all).
 */
export type InvisibleKind = 'tag' | 'bidi' | 'variation' | 'zero-width';

const MAX_FINDINGS_PER_FILE = 50;
const MAX_SHOWN = 120;

interface Run {
  readonly start: number;
  readonly end: number;
  readonly kind: InvisibleKind;
  readonly decoded: string;
  readonly count: number;
}

export function invisibleUnicode(context: MatchContext, options: CheckOptions): RawFinding[] {
  const kinds = Array.isArray(options.kinds) ? new Set(options.kinds as InvisibleKind[]) : undefined;
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (Date.now() > context.deadline) break;
    let count = 0;
    const runs = runsOf(file);
    const zeroWidthRuns = runs.filter((run) => run.kind === 'zero-width').length;
    for (const run of runs) {
      if (kinds && !kinds.has(run.kind)) continue;
      findings.push({
        file: file.path,
        start: run.start,
        end: run.end,
        ...(run.kind === 'zero-width' ? zeroWidthGrade(file.text.slice(run.start, run.end), zeroWidthRuns) : {}),
        captures: { kind: run.kind, decoded: run.decoded, count: String(run.count), codepoints: codepointList(file.text.slice(run.start, run.end)) },
        fix: {
          title: `Remove ${run.count} invisible character${run.count === 1 ? '' : 's'}`,
          edits: [{ file: file.path, span: file.lines.span(run.start, run.end), newText: '' }],
        },
      });
      if (++count >= MAX_FINDINGS_PER_FILE) break;
    }
  }
  return findings;
}

/**
 * A file of the skill whose name holds direction-changing or invisible characters: a right-to-left
 * override makes `fmt\u202Ehs.txt` show as `fmttxt.sh`, so a reviewer, a file browser and an
 * agent listing the folder see another name and extension than the file has. Bidi controls and
 * tag characters are high, other invisible characters medium. Reported on the file's first line.
 */
export function invisibleInFileName(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    const characters = [...file.path].map((ch) => ({ ch, kind: classify(ch.codePointAt(0) as number) }));
    const hidden = characters.filter(({ kind }) => kind !== undefined);
    if (hidden.length === 0) continue;
    const directional = hidden.some(({ kind }) => kind === 'bidi' || kind === 'mark' || kind === 'tag');
    const firstLineEnd = file.text.search(/\r|\n/);
    findings.push({
      file: file.path,
      start: 0,
      end: Math.min(firstLineEnd === -1 ? file.text.length : firstLineEnd, MAX_SHOWN),
      ...(directional ? {} : { severity: 'medium' as const }),
      captures: {
        codepoints: codepointList(hidden.map(({ ch }) => ch).join('')),
        name: characters.map(({ ch, kind }) => (kind === undefined ? ch : `\\u${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`)).join(''),
      },
    });
  }
  return findings;
}

function classify(cp: number): InvisibleKind | 'zwj' | 'zwnj' | 'mark' | undefined {
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  if (cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'mark';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation';
  if (cp === 0x200d) return 'zwj';
  if (cp === 0x200c) return 'zwnj';
  if (cp === 0x200b || cp === 0x00ad || cp === 0x034f || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e || cp === 0x3164 || cp === 0xffa0 || cp === 0x115f || cp === 0x1160) {
    return 'zero-width';
  }
  return undefined;
}

/** Emoji-ish code points that legitimately take ZWJ / variation selectors / tags. */
function isEmojiLike(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  return (
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    (cp >= 0x2600 && cp <= 0x27bf) ||
    (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x2b00 && cp <= 0x2bff) ||
    (cp >= 0x2300 && cp <= 0x23ff) ||
    cp === 0x00a9 || cp === 0x00ae || cp === 0x203c || cp === 0x2049 || cp === 0x2122 || cp === 0x2139 ||
    (cp >= 0x0023 && cp <= 0x0039 && (cp === 0x23 || cp === 0x2a || cp >= 0x30)) ||
    cp === 0x3030 || cp === 0x303d || cp === 0x3297 || cp === 0x3299 ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff)
  );
}

/** Letters of scripts where ZWJ/ZWNJ and bidi marks are ordinary orthography. */
function isJoiningScriptLetter(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  return (
    (cp >= 0x0590 && cp <= 0x08ff) || // Hebrew, Arabic, Syriac, Thaana, NKo, …
    (cp >= 0x0900 && cp <= 0x0dff) || // Indic scripts
    (cp >= 0x0e00 && cp <= 0x0fff) || // Thai, Lao, Tibetan
    (cp >= 0x1000 && cp <= 0x109f) || // Myanmar
    (cp >= 0x1780 && cp <= 0x17ff) || // Khmer
    (cp >= 0xfb1d && cp <= 0xfdff) || // Hebrew / Arabic presentation forms
    (cp >= 0xfe70 && cp <= 0xfeff)
  );
}

/**
 * Every character `classify` can flag, as one character class: most files hold none, and a
 * native regex test lets them skip the per-code-point walk below entirely.
 */
const ANY_CANDIDATE = /[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\u3164\ufe00-\ufe0f\ufeff\uffa0]|\udb40[\udc00-\uddef]/;

/** Single linear pass; yields maximal runs of suspicious invisible characters. */
/** A file's runs, kept as long as its model (between scans too, when the model is reused). */
const runsByFile = new WeakMap<FileModel, readonly Run[]>();

export function runsOf(file: FileModel): readonly Run[] {
  let runs = runsByFile.get(file);
  if (!runs) {
    runs = [...scanRuns(file.text)];
    runsByFile.set(file, runs);
  }
  return runs;
}

export function* scanRuns(text: string): Generator<Run> {
  if (!ANY_CANDIDATE.test(text)) return;
  let i = 0;
  let previousVisible: number | undefined;
  while (i < text.length) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const kind = classify(cp);
    if (kind === undefined || (cp === 0xfeff && i === 0)) {
      if (!(cp === 0xfeff && i === 0)) previousVisible = cp;
      i += width;
      continue;
    }
    // Collect the maximal run of invisible characters starting here.
    const start = i;
    const cps: number[] = [];
    let j = i;
    while (j < text.length) {
      const c = text.codePointAt(j) as number;
      if (classify(c) === undefined) break;
      cps.push(c);
      j += c > 0xffff ? 2 : 1;
    }
    const next = j < text.length ? text.codePointAt(j) : undefined;
    const run = judge(cps, previousVisible, next, start, j);
    if (run) yield run;
    i = j;
  }
}

/** Runs this long, made of two or more distinct characters, have room to spell bits. */
const ENCODING_RUN_LENGTH = 8;
/** Several in a row: one zero-width character can be a paste accident, four cannot. */
const MARKER_RUN_LENGTH = 4;
/** Benign files hold at most a stray BOM or one pasted zero-width space. */
const SCATTERED_RUNS = 5;

/**
 * One zero-width character is usually a copy-paste accident (medium). Two patterns are deliberate:
 * a long run alternating between distinct invisible characters is a binary encoding, and invisible
 * characters sprinkled through a whole file split words to dodge review or carry a payload.
 */
function zeroWidthGrade(run: string, runsInFile: number): Pick<RawFinding, 'severity' | 'message'> {
  const cps = [...run].map((ch) => ch.codePointAt(0) as number);
  const distinct = [...new Set(cps)];
  if (cps.length >= ENCODING_RUN_LENGTH && distinct.length >= 2) {
    const decoded = decodeBits(cps, distinct);
    return {
      severity: 'high',
      message: `A run of ${cps.length} invisible characters alternating between ${distinct.length} code points encodes hidden bits${decoded ? ` (\`${decoded}\`)` : ''} that the agent receives but no editor shows.`,
    };
  }
  if (cps.length >= MARKER_RUN_LENGTH) {
    return {
      severity: 'high',
      message: `A run of ${cps.length} invisible characters (${codepointList(run)}) has no typographic purpose; such runs mark or smuggle text meant for the agent rather than the reader.`,
    };
  }
  if (runsInFile >= SCATTERED_RUNS) {
    return {
      severity: 'high',
      message: `Invisible characters (${codepointList(run)}) are scattered through this file (${runsInFile} places): deliberate hiding that splits words to dodge review or smuggles data.`,
    };
  }
  return {};
}

/** Two symbols read as bits, either way round; shown only when they spell printable ASCII. */
function decodeBits(cps: readonly number[], distinct: readonly number[]): string {
  if (distinct.length !== 2 || cps.length % 8 !== 0) return '';
  for (const zero of distinct) {
    const bytes: number[] = [];
    for (let i = 0; i < cps.length; i += 8) {
      let byte = 0;
      for (let b = 0; b < 8; b++) byte = (byte << 1) | (cps[i + b] === zero ? 0 : 1);
      bytes.push(byte);
    }
    if (bytes.every((byte) => byte >= 0x20 && byte < 0x7f)) return shorten(String.fromCharCode(...bytes));
  }
  return '';
}

function judge(cps: number[], before: number | undefined, after: number | undefined, start: number, end: number): Run | undefined {
  const tags = cps.filter((c) => c >= 0xe0000 && c <= 0xe007f);
  const bidi = cps.filter((c) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
  const marks = cps.filter((c) => c === 0x200e || c === 0x200f || c === 0x061c);
  const selectors = cps.filter((c) => (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef));
  const joiners = cps.filter((c) => c === 0x200d || c === 0x200c);
  const zeroWidth = cps.filter((c) => classify(c) === 'zero-width');

  if (tags.length > 0) {
    // Subdivision flags: U+1F3F4 followed by a few tag letters and CANCEL TAG.
    const flag = before === 0x1f3f4 && tags.length === cps.length && tags.length <= 8 && cps[cps.length - 1] === 0xe007f;
    if (!flag) {
      const decoded = tags.map((c) => (c >= 0xe0020 && c <= 0xe007e ? String.fromCharCode(c - 0xe0000) : '')).join('');
      return { start, end, kind: 'tag', decoded: shorten(decoded), count: cps.length };
    }
    return undefined;
  }
  if (bidi.length > 0) return { start, end, kind: 'bidi', decoded: '', count: cps.length };

  // Variation selectors: one selector after an emoji/character is presentation; a run of several,
  // or any selector from the supplement (U+E0100+) after a non-CJK character, can encode bytes.
  if (selectors.length > 0 && selectors.length === cps.length) {
    const supplement = selectors.some((c) => c >= 0xe0100);
    if (selectors.length >= 2 || (supplement && !(before !== undefined && before >= 0x3400 && before <= 0x9fff))) {
      const bytes = selectors.map((c) => (c >= 0xe0100 ? c - 0xe0100 + 16 : c - 0xfe00));
      const ascii = bytes.every((b) => b >= 0x20 && b < 0x7f) ? String.fromCharCode(...bytes) : '';
      return { start, end, kind: 'variation', decoded: shorten(ascii), count: cps.length };
    }
    return undefined;
  }
  // ZWJ/variation selector inside emoji sequences.
  if (zeroWidth.length === 0 && marks.length === 0 && cps.every((c) => c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f))) {
    if (isEmojiLike(before) && (cps.every((c) => c !== 0x200d) || isEmojiLike(after))) return undefined;
  }
  // ZWNJ / ZWJ / bidi marks in scripts that use them.
  if (zeroWidth.length === 0 && selectors.length === 0 && (joiners.length > 0 || marks.length > 0)) {
    if (isJoiningScriptLetter(before) || isJoiningScriptLetter(after)) return undefined;
  }
  return { start, end, kind: 'zero-width', decoded: '', count: cps.length };
}

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function codepointList(text: string): string {
  const list: string[] = [];
  for (const ch of text) {
    if (list.length >= 6) {
      list.push('…');
      break;
    }
    list.push(`U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return list.join(' ');
}
