import { decodedLiteralsOf } from './checks/encoded-literal';
import type { FileModel, SkillModel } from './skill-model';

/**
 * Text a skill hides from review: base64 and hex literals, strings spelled with character codes
 * (`chr(99)+chr(117)…`, `String.fromCharCode(…)`), runs of escape sequences (`"\x63\x75…"`), and
 * constant strings cut into short pieces (`"cu"+"rl"+" -s"`). Also code carried as data: a JSON
 * string value that is a script (a workflow's function node, a config's `customFunction`) is run
 * by whatever tool reads the document, yet no code rule sees it as written. The engine decodes
 * each one and scans the result with the same rules, reporting what it finds at the literal.
 */

export type HidingKind = 'base64' | 'hex' | 'character codes' | 'escape sequences' | 'string pieces' | 'json value';

export interface HiddenPayload {
  /** The skill file (posix, relative to the skill root) that holds the literal. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly how: HidingKind;
  readonly text: string;
}

export interface HiddenPayloadLimits {
  readonly maxPayloads: number;
  readonly maxDecodedChars: number;
}

const DEFAULT_LIMITS: HiddenPayloadLimits = { maxPayloads: 50, maxDecodedChars: 512 * 1024 };
/** Shorter decoded text cannot hold a command worth reporting. */
const MIN_DECODED = 8;

const CHR_CHAIN = /\bchr\(\s{0,3}(?:0x[0-9a-fA-F]{1,6}|\d{1,7})\s{0,3}\)(?:\s{0,3}\+\s{0,3}chr\(\s{0,3}(?:0x[0-9a-fA-F]{1,6}|\d{1,7})\s{0,3}\)){3,2000}/g;
const CODE_LIST =
  /(?:\bString\.fromCharCode\(\s{0,3}(?:\.\.\.\s{0,3})?\[?|\bmap\(\s{0,3}chr\s{0,3},\s{0,3}[[(]|\bchr\(\w{1,20}\)\s{1,3}for\s{1,3}\w{1,20}\s{1,3}in\s{1,3}[[(])\s{0,3}((?:(?:0x[0-9a-fA-F]{1,6}|\d{1,7})\s{0,3},\s{0,3}){3,4000}(?:0x[0-9a-fA-F]{1,6}|\d{1,7}))/g;
const ESCAPE_RUN = /(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\}|\\[0-7]{3}){8,4000}/g;
const STRING_PIECES = /(?:(["'])[^"'\\\n]{0,40}\1\s{0,3}\+\s{0,3}){2,200}(["'])[^"'\\\n]{0,40}\2/g;
/** Concatenations of long pieces are line wrapping, not hiding. */
const MAX_MEAN_PIECE = 6;

function number(text: string): number {
  return text.startsWith('0x') || text.startsWith('0X') ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10);
}

function fromCodes(codes: readonly number[]): string | undefined {
  if (codes.some((code) => !Number.isFinite(code) || code < 0 || code > 0x10ffff)) return undefined;
  return String.fromCodePoint(...codes.slice(0, 100_000));
}

function unescape(run: string): string {
  return run.replace(/\\x([0-9a-fA-F]{2})|\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\([0-7]{3})/g, (_all, hex2: string, brace: string, hex4: string, octal: string) => {
    const code = hex2 ? Number.parseInt(hex2, 16) : brace ? Number.parseInt(brace, 16) : hex4 ? Number.parseInt(hex4, 16) : Number.parseInt(octal, 8);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** A JSON string literal long enough to hold a command; escapes kept for JSON.parse. */
const JSON_STRING = /"((?:[^"\\\n]|\\.){16,20000})"(?!\s{0,20}:)/g;
const JSON_FENCE_INFO: ReadonlySet<string> = new Set(['json', 'jsonc', 'json5']);

/** The JSON documents of a file: the file itself, or a Markdown file's `json` fences. */
function* jsonDocuments(file: FileModel): Generator<{ readonly start: number; readonly text: string }> {
  if (/\.json[c5]?$/i.test(file.path)) {
    yield { start: 0, text: file.text };
    return;
  }
  for (const fence of file.markdown?.fences ?? []) {
    if (JSON_FENCE_INFO.has(fence.info)) yield { start: fence.contentStart, text: file.text.slice(fence.contentStart, fence.contentEnd) };
  }
}

/** String values (not keys) of JSON documents that read as code in a scripting language. */
function* codeInJsonValues(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  for (const document of jsonDocuments(file)) {
    for (const match of document.text.matchAll(JSON_STRING)) {
      let value: unknown;
      try {
        value = JSON.parse(match[0]);
      } catch {
        continue;
      }
      if (typeof value !== 'string' || decodedFileName(value) === 'decoded.md') continue;
      const start = document.start + match.index;
      yield { start, end: start + match[0].length, how: 'json value', text: value };
    }
  }
}

function* payloadsInFile(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  const text = file.text;
  yield* codeInJsonValues(file);
  for (const { literal, decoded } of decodedLiteralsOf(file)) {
    if (decoded) yield { start: literal.start, end: literal.end, how: literal.encoding, text: decoded };
  }
  for (const match of text.matchAll(CHR_CHAIN)) {
    const codes = [...match[0].matchAll(/chr\(\s{0,3}(0x[0-9a-fA-F]{1,6}|\d{1,7})/g)].map((m) => number(m[1] as string));
    const decoded = fromCodes(codes);
    if (decoded) yield { start: match.index, end: match.index + match[0].length, how: 'character codes', text: decoded };
  }
  for (const match of text.matchAll(CODE_LIST)) {
    const codes = (match[1] as string).split(',').map((part) => number(part.trim()));
    const decoded = fromCodes(codes);
    if (decoded) yield { start: match.index, end: match.index + match[0].length, how: 'character codes', text: decoded };
  }
  for (const match of text.matchAll(ESCAPE_RUN)) {
    yield { start: match.index, end: match.index + match[0].length, how: 'escape sequences', text: unescape(match[0]) };
  }
  for (const match of text.matchAll(STRING_PIECES)) {
    const pieces = [...match[0].matchAll(/(["'])([^"'\\\n]{0,40})\1/g)].map((m) => m[2] as string);
    const joined = pieces.join('');
    if (pieces.length >= 3 && joined.length / pieces.length <= MAX_MEAN_PIECE) {
      yield { start: match.index, end: match.index + match[0].length, how: 'string pieces', text: joined };
    }
  }
}

/**
 * A file's first `cap` payloads of at least {@link MIN_DECODED} characters; kept per file model,
 * so a file unchanged since the last scan is not searched again.
 */
const payloadsByFile = new WeakMap<FileModel, { readonly cap: number; readonly payloads: readonly Omit<HiddenPayload, 'file'>[] }>();

function payloadsOf(file: FileModel, cap: number): readonly Omit<HiddenPayload, 'file'>[] {
  const kept = payloadsByFile.get(file);
  if (kept && kept.cap >= cap) return kept.payloads;
  const payloads: Omit<HiddenPayload, 'file'>[] = [];
  for (const payload of payloadsInFile(file)) {
    if (payload.text.trim().length < MIN_DECODED) continue;
    if (payloads.length >= cap) break;
    payloads.push(payload);
  }
  payloadsByFile.set(file, { cap, payloads });
  return payloads;
}

/** Every hidden payload in the skill's files, in file order, within the limits. */
export function findHiddenPayloads(model: SkillModel, limits: HiddenPayloadLimits = DEFAULT_LIMITS): HiddenPayload[] {
  const payloads: HiddenPayload[] = [];
  let decodedChars = 0;
  for (const file of model.files) {
    for (const payload of payloadsOf(file, limits.maxPayloads)) {
      if (payloads.length >= limits.maxPayloads || decodedChars + payload.text.length > limits.maxDecodedChars) return payloads;
      decodedChars += payload.text.length;
      payloads.push({ file: file.path, ...payload });
    }
  }
  return payloads;
}

/**
 * The file name the decoded text is scanned under, which decides the grammar and rules that
 * apply: a shell command, Python, JavaScript, or else instructions read as Markdown.
 */
export function decodedFileName(text: string): string {
  const head = text.slice(0, 4096);
  if (/\brequire\(\s*['"]|\bchild_process\b|=>|\bfunction\s*\w*\s*\(|\bfetch\(/.test(head)) return 'decoded.js';
  if (/^\s{0,20}(?:#!.{0,40}python|import\s+\w|from\s+[\w.]+\s+import\b|def\s+\w+\()|\b(?:os\.system|subprocess\.\w+|socket\.socket|exec|eval)\s*\(/m.test(head)) {
    return 'decoded.py';
  }
  if (/^\s{0,20}(?:#!|(?:sudo\s+)?(?:curl|wget|bash|sh|nc|ncat|rm|chmod|echo|cat|crontab|python3?|powershell|iex)\b)|\|\s{0,3}(?:ba|z)?sh\b|\/dev\/tcp\//m.test(head)) {
    return 'decoded.sh';
  }
  return 'decoded.md';
}
