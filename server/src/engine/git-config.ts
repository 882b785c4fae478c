/**
 * Git's configuration file syntax, read the way git reads it: `[section]`, `[section "sub"]` and
 * the old `[section.sub]` headers, `key = value` lines (a key alone is `true`), values with
 * double quotes and backslash escapes, `#` and `;` comments outside quotes, and a backslash at
 * the end of a line continuing the value on the next. Section and key names are case-insensitive
 * and returned in lower case; subsection names keep their case, as git keeps it.
 */

export interface GitConfigEntry {
  /** `section.key` or `section.subsection.key`, section and key in lower case. */
  readonly name: string;
  readonly section: string;
  readonly subsection?: string;
  readonly key: string;
  /** The value as git sees it: quotes removed, escapes resolved, continuation lines joined. */
  readonly value: string;
  /** Offsets in the file text of the key, for a finding's range. */
  readonly start: number;
  readonly end: number;
}

/** Most entries read from one file: a config file is short; this bounds a hostile one. */
const MAX_ENTRIES = 5_000;

export function parseGitConfig(text: string): GitConfigEntry[] {
  const entries: GitConfigEntry[] = [];
  let section = '';
  let subsection: string | undefined;
  let at = 0;
  while (at < text.length && entries.length < MAX_ENTRIES) {
    const lineEnd = endOfLine(text, at);
    const line = text.slice(at, lineEnd);
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (content.startsWith('[')) {
      const header = /^\[\s*([\w.-]+)(?:\s+"((?:[^"\\\n]|\\.)*)")?\s*\]/.exec(content);
      if (header) {
        const [name = '', sub] = [header[1], header[2]];
        const dot = name.indexOf('.');
        section = (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
        subsection = sub !== undefined ? sub.replace(/\\(.)/g, '$1') : dot < 0 ? undefined : name.slice(dot + 1).toLowerCase();
        // A key may follow the header on the same line: `[core] editor = vim`.
        const rest = content.slice(header[0].length);
        const keyAt = at + indent + header[0].length + (rest.length - rest.trimStart().length);
        if (/^[A-Za-z]/.test(rest.trimStart())) {
          at = readEntry(text, keyAt, section, subsection, entries);
          continue;
        }
      }
      at = nextLine(text, lineEnd);
      continue;
    }
    if (section !== '' && /^[A-Za-z]/.test(content)) {
      at = readEntry(text, at + indent, section, subsection, entries);
      continue;
    }
    at = nextLine(text, lineEnd);
  }
  return entries;
}

/** Reads `key [= value]` at `at` into `entries`; returns where the next line starts. */
function readEntry(text: string, at: number, section: string, subsection: string | undefined, entries: GitConfigEntry[]): number {
  const key = /^[A-Za-z][\w-]*/.exec(text.slice(at, Math.min(text.length, at + 256)))?.[0] ?? '';
  const keyEnd = at + key.length;
  let position = keyEnd;
  while (position < text.length && (text[position] === ' ' || text[position] === '\t')) position++;
  let value = 'true';
  if (text[position] === '=') {
    const read = readValue(text, position + 1);
    value = read.value;
    position = read.end;
  } else {
    position = endOfLine(text, position);
  }
  const lowerKey = key.toLowerCase();
  entries.push({
    name: subsection === undefined ? `${section}.${lowerKey}` : `${section}.${subsection}.${lowerKey}`,
    section,
    ...(subsection === undefined ? {} : { subsection }),
    key: lowerKey,
    value,
    start: at,
    end: keyEnd,
  });
  return nextLine(text, position);
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };

/** A value from `at` to the end of its (possibly continued) line; `end` is that line's end. */
function readValue(text: string, at: number): { value: string; end: number } {
  let value = '';
  let quoted = false;
  let pendingSpace = '';
  let position = at;
  while (position < text.length) {
    const char = text[position] ?? '';
    if (char === '\n' || (char === '\r' && text[position + 1] === '\n')) break;
    if (!quoted && (char === '#' || char === ';')) return { value, end: endOfLine(text, position) };
    if (char === '\\') {
      const next = text[position + 1] ?? '';
      if (next === '\n' || (next === '\r' && text[position + 2] === '\n')) {
        position += next === '\n' ? 2 : 3;
        continue;
      }
      value += pendingSpace + (ESCAPES[next] ?? next);
      pendingSpace = '';
      position += 2;
      continue;
    }
    if (char === '"') {
      quoted = !quoted;
      position++;
      continue;
    }
    if (!quoted && (char === ' ' || char === '\t')) {
      // Spaces between words are kept, leading and trailing ones dropped, as git does.
      if (value.length > 0) pendingSpace += char;
      position++;
      continue;
    }
    value += pendingSpace + char;
    pendingSpace = '';
    position++;
  }
  return { value, end: position };
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline > from && text[newline - 1] === '\r' ? newline - 1 : newline;
}

function nextLine(text: string, lineEnd: number): number {
  const newline = text.indexOf('\n', lineEnd);
  return newline < 0 ? text.length : newline + 1;
}
