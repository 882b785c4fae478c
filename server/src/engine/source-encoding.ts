/**
 * A Python script may declare the encoding of its own source on its first or second line (PEP
 * 263: `# -*- coding: utf-7 -*-`). Python decodes the file that way before it reads a token, and
 * three encodings it accepts turn plain ASCII into other code: UTF-7 (`+AGkAbQBw…-` is `import`),
 * and `unicode_escape` and `raw_unicode_escape` (`\x69mport`, `\u0069mport`). An editor, a
 * reviewer and a UTF-8 scanner see the ASCII; Python runs what it decodes to. This module decodes
 * such a script as Python would, so its code can be scanned.
 */

/** A coding declaration as PEP 263 defines it, on one of the first two lines. */
const CODING_DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** The encodings that read ASCII as other text, by their normalised names. */
export type DeceptiveEncoding = 'utf-7' | 'unicode-escape' | 'raw-unicode-escape';

const DECEPTIVE: Readonly<Record<string, DeceptiveEncoding>> = {
  'utf-7': 'utf-7',
  utf7: 'utf-7',
  u7: 'utf-7',
  'unicode-1-1-utf-7': 'utf-7',
  'unicode-escape': 'unicode-escape',
  'raw-unicode-escape': 'raw-unicode-escape',
};

/** A deceptive encoding declaration: the encoding, and the offsets of its `coding: name` in the text. */
export interface DeceptiveDeclaration {
  readonly encoding: DeceptiveEncoding;
  readonly start: number;
  readonly end: number;
}

/** The deceptive encoding a Python source declares, with where, if it declares one. */
export function deceptiveDeclaration(text: string): DeceptiveDeclaration | undefined {
  const head = text.slice(0, 1024);
  const firstBreak = /\r\n|\r|\n/.exec(head);
  const first = firstBreak ? head.slice(0, firstBreak.index) : head;
  const secondStart = firstBreak ? firstBreak.index + firstBreak[0].length : head.length;
  const second = head.slice(secondStart).split(/\r\n|\r|\n/, 1)[0] ?? '';
  // The second line counts only after a first line that is a comment or blank.
  const [line, lineStart] = CODING_DECLARATION.test(first) ? [first, 0] : /^[ \t\f]*(?:#.*)?$/.test(first) ? [second, secondStart] : ['', 0];
  const match = CODING_DECLARATION.exec(line);
  const declared = match?.[1];
  if (!match || declared === undefined) return undefined;
  // Python normalises the name: case, and `_` or spaces for `-`.
  const encoding = DECEPTIVE[declared.toLowerCase().replace(/[_ ]/g, '-')];
  const end = lineStart + match.index + match[0].length;
  // From `coding` to the end of the name: the words that declare it.
  const start = lineStart + match.index + match[0].search(/coding[:=][ \t]*[-\w.]+$/);
  return encoding ? { encoding, start, end } : undefined;
}

/** The deceptive encoding a Python source declares, if it declares one. */
export function declaredDeceptiveEncoding(text: string): DeceptiveEncoding | undefined {
  return deceptiveDeclaration(text)?.encoding;
}

/** `text` decoded from `encoding`, as Python decodes the source before it reads it. */
export function decodeSource(text: string, encoding: DeceptiveEncoding): string {
  switch (encoding) {
    case 'utf-7':
      return decodeUtf7(text);
    case 'unicode-escape':
      return text.replace(UNICODE_ESCAPE, (whole, single: string | undefined, octal: string | undefined, hex: string | undefined, unit: string | undefined, wide: string | undefined) =>
        single !== undefined ? (SINGLE_ESCAPES[single] ?? whole) : codePoint(octal, 8) ?? codePoint(hex ?? unit ?? wide, 16) ?? whole,
      );
    case 'raw-unicode-escape':
      return text.replace(RAW_UNICODE_ESCAPE, (whole, unit: string | undefined, wide: string | undefined) => codePoint(unit ?? wide, 16) ?? whole);
  }
}

const UNICODE_ESCAPE = /\\(?:([\\'"abfnrtv\n])|([0-7]{1,3})|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/g;
const RAW_UNICODE_ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/g;
const SINGLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

function codePoint(digits: string | undefined, radix: number): string | undefined {
  if (digits === undefined) return undefined;
  const value = Number.parseInt(digits, radix);
  return value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

const MODIFIED_BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * UTF-7 (RFC 2152): `+` opens a run of modified base64 holding UTF-16 code units, which ends at
 * the first character outside the alphabet (a `-` there is dropped); `+-` is a plus sign.
 */
function decodeUtf7(text: string): string {
  const parts: string[] = [];
  let plainFrom = 0;
  let at = text.indexOf('+');
  while (at !== -1) {
    parts.push(text.slice(plainFrom, at));
    let next = at + 1;
    if (text[next] === '-') {
      parts.push('+');
      plainFrom = next + 1;
    } else {
      let bits = 0;
      let buffer = 0;
      const units: number[] = [];
      for (; next < text.length; next++) {
        const value = MODIFIED_BASE64.indexOf(text[next] ?? '');
        if (value < 0) break;
        buffer = ((buffer << 6) | value) & 0xffffff;
        bits += 6;
        if (bits >= 16) {
          bits -= 16;
          units.push((buffer >> bits) & 0xffff);
        }
      }
      for (let i = 0; i < units.length; i += 4096) parts.push(String.fromCharCode(...units.slice(i, i + 4096)));
      if (text[next] === '-') next++;
      plainFrom = next;
    }
    at = text.indexOf('+', plainFrom);
  }
  parts.push(text.slice(plainFrom));
  return parts.join('');
}
