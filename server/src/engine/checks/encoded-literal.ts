import { gunzipSync, inflateSync } from 'node:zlib';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { FileModel } from '../skill-model';
import type { CheckOptions } from './index';

/**
 * Decodes long base64 and hex literals in every text file and reports the literal when what it
 * holds is a shell or Python payload (or a prompt injection). Gzip/zlib-compressed payloads are
 * inflated (bounded). Images, fonts, archives and other binary data decode to bytes that are not
 * text and stay quiet, so a base64 PNG sent to a vision API is not reported.
 *
 * Bounds: literals of 40 characters to 64 KB, at most 200 literals and 1 MB of decoded text per
 * scan; inflation is capped at 256 KB.
 */
const MIN_LENGTH = 40;
const MAX_LENGTH = 64 * 1024;
const MAX_LITERALS = 200;
const MAX_DECODED_TOTAL = 1024 * 1024;
const MAX_INFLATED = 256 * 1024;

/** Red flags in decoded text; linear, bounded alternation. */
const RED_FLAGS: readonly (readonly [RegExp, string])[] = [
  [/\b(?:curl|wget)\b[^|\n]{0,200}\|\s{0,4}(?:sudo\s{1,4})?(?:ba|z|da)?sh\b/, 'a download piped into a shell'],
  [/\/dev\/tcp\/|\bnc(?:at)?\s{1,4}(?:-\w{1,4}\s{1,4}){0,4}-e\b|\bbash\s{1,4}-i\b/, 'a reverse shell'],
  [/~\/\.ssh|\bid_(?:rsa|ed25519|ecdsa)\b|\.aws\/credentials|\.git-credentials|\.netrc\b/, 'a credential path'],
  [/\bos\.system\s{0,4}\(|\bsubprocess\.(?:run|call|Popen|check_output)\s{0,4}\(|\bpty\.spawn\b|\bsocket\.socket\s{0,4}\(/, 'Python that runs commands or opens sockets'],
  [/\b(?:eval|exec)\s{0,4}\(|\bchild_process\b|\brequire\s{0,4}\(\s{0,4}['"](?:child_process|net)['"]/, 'dynamic code execution'],
  [/\bpowershell\b|\bInvoke-Expression\b|\biex\b|\bFromBase64String\b/i, 'PowerShell execution'],
  [/\brm\s{1,4}-[rRf]{1,3}\s{1,4}[/~]|\bchmod\s{1,4}\+x\b|\bcrontab\b|authorized_keys/, 'a destructive or persistence command'],
  [/\b(?:ignore|disregard)\s{1,4}(?:all\s{1,4})?(?:previous|prior|above)\s{1,4}instructions\b/i, 'a prompt injection'],
  // An endpoint has no reason to be encoded except to keep it out of review and out of host lists.
  [/^\s{0,4}(?:https?|wss?|ftp):\/\/[^\s'"]{4,300}\s{0,4}$/, 'a hidden network address'],
  [/\bimport\s{1,4}(?:os|subprocess|socket|base64|urllib|requests)\b[^\n]{0,200}\b(?:system|popen|connect|urlopen|post|exec)\b/, 'Python that runs commands or talks to the network'],
];

export function encodedLiteral(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  let literals = 0;
  let decodedTotal = 0;
  for (const file of context.model.files) {
    if (Date.now() > context.deadline) break;
    for (const { literal, decoded } of decodedLiteralsOf(file)) {
      if (literals >= MAX_LITERALS || decodedTotal >= MAX_DECODED_TOTAL) return findings;
      literals++;
      if (!decoded) continue;
      decodedTotal += decoded.length;
      for (const [pattern, what] of RED_FLAGS) {
        const match = pattern.exec(decoded);
        if (!match) continue;
        const at = Math.max(0, match.index - 20);
        findings.push({
          file: file.path,
          start: literal.start,
          end: literal.end,
          captures: { encoding: literal.encoding, what, decoded: decoded.slice(at, at + 80) },
        });
        break;
      }
    }
  }
  return findings;
}

export interface DecodedLiteral {
  readonly literal: EncodedLiteral;
  /** Undefined when the bytes are not text (an image, a hash, compressed binary). */
  readonly decoded: string | undefined;
}

/**
 * Each file's literals, decoded once per file model: this check and the engine's hidden-payload
 * re-scan both read them. Bounded like the check itself: the first MAX_LITERALS literals of a
 * file, and no more once MAX_DECODED_TOTAL characters (plus one inflated payload) are decoded.
 */
const decodedByFile = new WeakMap<FileModel, readonly DecodedLiteral[]>();

export function decodedLiteralsOf(file: FileModel): readonly DecodedLiteral[] {
  let cached = decodedByFile.get(file);
  if (cached === undefined) {
    const list: DecodedLiteral[] = [];
    let total = 0;
    for (const literal of scanLiterals(file.text)) {
      if (list.length >= MAX_LITERALS || total >= MAX_DECODED_TOTAL) break;
      const decoded = decodeLiteral(literal.text, literal.encoding);
      total += decoded?.length ?? 0;
      list.push({ literal, decoded });
    }
    cached = list;
    decodedByFile.set(file, cached);
  }
  return cached;
}

export interface EncodedLiteral {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly encoding: 'base64' | 'hex';
}

function isBase64Char(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95;
}

function isHexChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** One linear pass: maximal runs of base64 characters (plus `=` padding), then hex runs inside them. */
export function* scanLiterals(text: string): Generator<EncodedLiteral> {
  let i = 0;
  while (i < text.length) {
    if (!isBase64Char(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isBase64Char(text.charCodeAt(i))) i++;
    let end = i;
    while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61) end++;
    const length = end - start;
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      i = end;
      continue;
    }
    const body = text.slice(start, end);
    let hex = true;
    for (let k = 0; k < body.length; k++) {
      if (!isHexChar(body.charCodeAt(k))) {
        hex = false;
        break;
      }
    }
    if (hex && body.length % 2 === 0) yield { start, end, text: body, encoding: 'hex' };
    else if (/[0-9+/]/.test(body) || /[A-Z].*[a-z]|[a-z].*[A-Z]/.test(body.slice(0, 200))) yield { start, end, text: body, encoding: 'base64' };
    i = end;
  }
}

export function decodeLiteral(body: string, encoding: 'base64' | 'hex'): string | undefined {
  let bytes = encoding === 'hex' ? Buffer.from(body, 'hex') : Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 16) return undefined;
  // Compressed payloads: gzip (1f 8b) or zlib (78 01/5e/9c/da).
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED });
    } catch {
      return undefined;
    }
  } else if (bytes[0] === 0x78 && (bytes[1] === 0x01 || bytes[1] === 0x5e || bytes[1] === 0x9c || bytes[1] === 0xda)) {
    try {
      bytes = inflateSync(bytes, { maxOutputLength: MAX_INFLATED });
    } catch {
      return undefined;
    }
  }
  if (!looksLikeText(bytes)) return undefined;
  return bytes.toString('utf8');
}

/** Images, fonts and other binaries have control bytes; text is ≥ 95% printable. */
function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 4096);
  let printable = 0;
  for (const b of sample) {
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2) printable++;
  }
  return printable >= sample.length * 0.95;
}
