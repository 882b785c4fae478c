/**
 * What a string literal holds, from its source between the quotes: the walkers follow a string's
 * value (a command it becomes, a file it is written into, a module it names), and that value is
 * the text after its escapes, not as written. `os.system(\"curl …\")` written into a `.pth` file
 * is Python's `os.system("curl …")`; `require('child\x5fprocess')` names `child_process`.
 */

/** Python's escapes (`\n`, `\"`, `\x41`, `\u0041`, `\101`, a backslash and a line break); unknown ones stay as written. */
const PYTHON_ESCAPE = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3})|(\r\n|[\s\S]))/g;

/**
 * The content of a Python string literal (between its quotes) as the string holds it. `prefix` is
 * what precedes the opening quote: a raw string (`r`) keeps its backslashes, and a bytes literal
 * (`b`) has no `\u` or `\U` escapes.
 */
export function unescapePython(content: string, prefix: string): string {
  if (!content.includes('\\') || /r/i.test(prefix)) return content;
  const bytes = /b/i.test(prefix);
  return content.replace(PYTHON_ESCAPE, (whole, hex?: string, short?: string, long?: string, octal?: string, other?: string) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    if (short !== undefined || long !== undefined) return bytes ? whole : codePoint(parseInt(short ?? long ?? '', 16), whole);
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff);
    return SIMPLE_PYTHON[other ?? ''] ?? (other === '\n' || other === '\r\n' ? '' : whole);
  });
}

const SIMPLE_PYTHON: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** JavaScript's escapes (`\n`, `\"`, `\x41`, `\u0041`, `\u{41}`, `\0`, a backslash and a line break). */
const JAVASCRIPT_ESCAPE = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|(\r\n|[\s\S]))/g;

/** The content of a JavaScript string or template piece (between its quotes) as the string holds it. */
export function unescapeJavaScript(content: string): string {
  if (!content.includes('\\')) return content;
  return content.replace(JAVASCRIPT_ESCAPE, (whole, hex?: string, short?: string, braced?: string, other?: string) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    if (short !== undefined || braced !== undefined) return codePoint(parseInt(short ?? braced ?? '', 16), whole);
    const char = other ?? '';
    if (char === '\n' || char === '\r\n' || char === '\r' || char === '\u2028' || char === '\u2029') return '';
    return SIMPLE_JAVASCRIPT[char] ?? char;
  });
}

const SIMPLE_JAVASCRIPT: Readonly<Record<string, string>> = { 0: '\0', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function codePoint(value: number, whole: string): string {
  return Number.isFinite(value) && value <= 0x10ffff ? String.fromCodePoint(value) : whole;
}
