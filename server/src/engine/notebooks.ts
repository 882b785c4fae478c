/**
 * Jupyter notebooks bundled with a skill. Their code cells are code the user runs ("open the
 * notebook and run all cells"), but they sit in JSON strings, one string per line, where no rule
 * can read them. Here the cells are rebuilt as the kernel sees them, and every rebuilt line keeps
 * the file range of the JSON string it came from, so a finding lands on its own line.
 */

/** A file range of the notebook, per line of the rebuilt text (index 0 is line 1). */
export type LineOrigins = readonly { readonly start: number; readonly end: number }[];

export interface NotebookCode {
  /** The file name the code is scanned under: `notebook.py`, `notebook.js`, `notebook.sh`. */
  readonly scanAs: string;
  readonly text: string;
  readonly lines: LineOrigins;
}

/** Larger notebooks carry data (outputs, images); their code is not worth the parse. */
const MAX_NOTEBOOK_CHARS = 8 * 1024 * 1024;
const MAX_CODE_CHARS = 512 * 1024;

/** A string token of JSON text, escapes included. */
const JSON_STRING = /"(?:[^"\\\n]|\\.){0,100000}"/g;

/** Kernel languages whose code our rules read, by the name notebooks give them. */
const SCAN_AS: Readonly<Record<string, string>> = {
  python: 'notebook.py',
  python3: 'notebook.py',
  javascript: 'notebook.js',
  typescript: 'notebook.ts',
  bash: 'notebook.sh',
  sh: 'notebook.sh',
};

/** A line handing itself to a shell: `!cmd`, or a cell under `%%bash`/`%%sh`/`%%script bash`. */
const SHELL_ESCAPE = /^[ \t]*!(?!=)/;
const SHELL_CELL_MAGIC = /^%%(?:bash|sh|script[ \t]+(?:ba)?sh|system)\b/;
const LINE_MAGIC = /^[ \t]*%/;

interface JsonString {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/**
 * The code of a notebook's code cells, in cell order, as up to two texts: the kernel's language
 * (with shell escapes and magics blanked, so the grammar can read the rest), and the shell lines
 * the cells run. Empty for anything that is not a readable notebook.
 */
export function notebookCode(path: string, text: string): NotebookCode[] {
  if (!/\.ipynb$/i.test(path) || text.length > MAX_NOTEBOOK_CHARS) return [];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  const cells = recordOf(document)?.cells;
  if (!Array.isArray(cells)) return [];
  const scanAs = SCAN_AS[kernelLanguage(recordOf(document)?.metadata)];
  if (!scanAs) return [];
  // The n-th `source` key is the n-th cell's, unless something else in the file is keyed so too;
  // then the cells are still read, each line placed on the notebook's first line.
  const located = sourceValues(text);
  const sources = located.length === cells.length ? located : cells.map((cell) => unlocatedSource(recordOf(cell)?.source, text));

  const code: { text: string; start: number; end: number }[] = [];
  const shell: { text: string; start: number; end: number }[] = [];
  let chars = 0;
  cells.forEach((cell, index) => {
    const record = recordOf(cell);
    if (record?.cell_type !== 'code') return;
    let shellCell = false;
    for (const [lineIndex, line] of (sources[index] ?? []).flatMap(splitLines).entries()) {
      chars += line.text.length;
      if (chars > MAX_CODE_CHARS) return;
      if (lineIndex === 0 && SHELL_CELL_MAGIC.test(line.text)) {
        shellCell = true;
        code.push({ ...line, text: '' });
        continue;
      }
      if (shellCell || SHELL_ESCAPE.test(line.text)) {
        shell.push({ ...line, text: line.text.replace(SHELL_ESCAPE, '') });
        code.push({ ...line, text: '' });
      } else {
        code.push(LINE_MAGIC.test(line.text) ? { ...line, text: '' } : line);
      }
    }
    // Cells share one namespace: a key read in one cell and sent in a later one is one flow.
    if (code.length > 0) code.push({ text: '', start: code[code.length - 1]?.end ?? 0, end: code[code.length - 1]?.end ?? 0 });
  });
  const codes: NotebookCode[] = [];
  if (code.some((line) => line.text.trim() !== '')) codes.push(joined(scanAs, code));
  if (shell.length > 0) codes.push(joined('notebook.sh', shell));
  return codes;
}

function unlocatedSource(source: unknown, text: string): JsonString[] {
  const firstLine = { start: 0, end: Math.max(0, text.indexOf('\n')) };
  const parts = Array.isArray(source) ? source : [source];
  return parts.filter((part): part is string => typeof part === 'string').map((value) => ({ ...firstLine, value }));
}

function joined(scanAs: string, lines: readonly { text: string; start: number; end: number }[]): NotebookCode {
  return { scanAs, text: lines.map((line) => line.text).join('\n'), lines: lines.map(({ start, end }) => ({ start, end })) };
}

/** One JSON string's lines (a cell's source may be one string with line breaks inside). */
function splitLines(source: JsonString): { text: string; start: number; end: number }[] {
  const lines = source.value.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => ({ text: line.replace(/\r$/, ''), start: source.start, end: source.end }));
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function kernelLanguage(metadata: unknown): string {
  const kernel = recordOf(recordOf(metadata)?.kernelspec);
  const info = recordOf(recordOf(metadata)?.language_info);
  const name = kernel?.language ?? info?.name ?? 'python';
  return typeof name === 'string' ? name.toLowerCase() : 'python';
}

/**
 * The value of every `"source"` key in the file, in order, as its JSON strings with their file
 * ranges: an array of strings, or a single string.
 */
function sourceValues(text: string): JsonString[][] {
  // Decoded lazily: outputs hold most of a notebook's strings, and only sources are read.
  const strings = [...text.matchAll(JSON_STRING)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const decoded = (token: { start: number; end: number }): JsonString => {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(token.start, token.end));
    } catch {
      value = undefined;
    }
    return { ...token, value: typeof value === 'string' ? value : '' };
  };
  const values: JsonString[][] = [];
  for (let i = 0; i < strings.length; i++) {
    const key = strings[i];
    if (!key || text.slice(key.start, key.end) !== '"source"' || !/^\s*:/.test(text.slice(key.end, key.end + 40))) continue;
    const valueStart = text.indexOf(':', key.end) + 1;
    const opener = /^\s*(["[])/.exec(text.slice(valueStart, valueStart + 40));
    if (opener?.[1] === '"') {
      const only = strings[i + 1];
      values.push(only ? [decoded(only)] : []);
      continue;
    }
    const elements: JsonString[] = [];
    // Elements follow one another with nothing but commas and white space between them.
    let cursor = valueStart + (opener?.[0].length ?? 0);
    for (let j = i + 1; opener && j < strings.length; j++) {
      const element = strings[j];
      if (!element || !/^[\s,]*$/.test(text.slice(cursor, element.start))) break;
      elements.push(decoded(element));
      cursor = element.end;
      i = j;
    }
    values.push(elements);
  }
  return values;
}
