import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';

export type FrontmatterProblemKind =
  | 'bom'
  | 'crlf'
  | 'missing'
  | 'unterminated'
  | 'yaml-error'
  | 'not-mapping'
  | 'duplicate-key'
  | 'merge-key';

export interface FrontmatterProblem {
  readonly kind: FrontmatterProblemKind;
  readonly message: string;
  /** Offsets into the whole file text. */
  readonly start: number;
  readonly end: number;
}

export interface FrontmatterField {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** The value converted to plain JS (strings, numbers, arrays, objects). */
  readonly value: unknown;
  /** Offsets of the value node in the whole file text; equal to the key end when the value is empty. */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Scalar style as written, so fixes can tell a plain scalar from a quoted one. */
  readonly scalarStyle?: 'plain' | 'quoted' | 'block';
}

export interface Frontmatter {
  /** True when the file starts (after an optional BOM) with a `---` line. */
  readonly present: boolean;
  /** True when a closing `---` line was found. */
  readonly closed: boolean;
  /** Offsets of the YAML text between the fences. */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Offset where the Markdown body begins. */
  readonly bodyStart: number;
  readonly fields: ReadonlyMap<string, FrontmatterField>;
  readonly problems: readonly FrontmatterProblem[];
  readonly isMapping: boolean;
}

const OPENING_FENCE = /^---[ \t]*(\r\n|\n|\r|$)/;
/** Alias expansion is capped so that a billion-laughs document cannot exhaust memory. */
const MAX_ALIAS_COUNT = 100;

/**
 * Splits SKILL.md into frontmatter and body and parses the frontmatter with `yaml`, keeping
 * source ranges. The frontmatter must start at byte 0 (a BOM is reported, then tolerated) and
 * ends at the first line that is exactly `---`; an indented `---` inside a block scalar or a
 * `---` inside a line therefore never ends it.
 */
export function parseFrontmatter(text: string): Frontmatter {
  const problems: FrontmatterProblem[] = [];
  let start = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    problems.push({
      kind: 'bom',
      message: 'SKILL.md starts with a byte-order mark; reference validators expect `---` at byte 0.',
      start: 0,
      end: 1,
    });
    start = 1;
  }
  const opening = OPENING_FENCE.exec(text.slice(start, start + 16));
  if (!opening) {
    problems.push({
      kind: 'missing',
      message: 'SKILL.md does not start with YAML frontmatter (`---`).',
      start: 0,
      end: Math.min(text.length, lineEndOffset(text, 0)),
    });
    return emptyFrontmatter(problems, start);
  }
  const contentStart = start + opening[0].length;
  if (opening[1] === '\r\n') {
    problems.push({
      kind: 'crlf',
      message: 'SKILL.md uses CRLF line endings; some validators only recognise `---\\n` frontmatter.',
      start,
      end: start + 3,
    });
  }

  const closing = findClosingFence(text, contentStart);
  if (!closing) {
    problems.push({
      kind: 'unterminated',
      message: 'The frontmatter is never closed with a `---` line, so clients may treat the whole file as YAML or ignore it.',
      start,
      end: start + 3,
    });
    // A client that cannot find the end may hand the whole file to the model, so everything after
    // the opening fence is analysed as Markdown too: a payload must not hide behind an open fence.
    return { ...emptyFrontmatter(problems, contentStart), present: true, contentStart, contentEnd: text.length };
  }

  const yamlText = text.slice(contentStart, closing.lineStart);
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(yamlText, {
      lineCounter,
      uniqueKeys: true,
      // YAML 1.1 merge keys (`<<: *defaults`), as js-yaml and PyYAML apply them: keys merged in
      // from an anchor are keys of the frontmatter for the client, so they are for the rules.
      merge: true,
      prettyErrors: false,
      strict: true,
      // Warnings would go to process.emitWarning, i.e. the server's stderr, once per hostile file.
      logLevel: 'error',
    });
  } catch (error) {
    // The parser recurses once per nesting level, so thousands of levels (`- - - …`) can exhaust
    // the stack; that must become a problem to report, not an exception out of the engine.
    problems.push({
      kind: 'yaml-error',
      message: `The frontmatter could not be parsed: ${firstLine(error instanceof Error ? error.message : String(error))}.`,
      start: contentStart,
      end: Math.max(closing.lineStart, contentStart + 1),
    });
    return {
      present: true,
      closed: true,
      contentStart,
      contentEnd: closing.lineStart,
      bodyStart: closing.bodyStart,
      fields: new Map(),
      problems,
      isMapping: false,
    };
  }
  for (const error of doc.errors) {
    const kind: FrontmatterProblemKind = error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-error';
    problems.push({
      kind,
      message:
        kind === 'duplicate-key'
          ? 'A frontmatter key appears twice; clients disagree on which value wins.'
          : `The frontmatter is not valid YAML: ${firstLine(error.message)}.`,
      start: contentStart + error.pos[0],
      end: contentStart + Math.max(error.pos[1], error.pos[0] + 1),
    });
  }

  const fields = new Map<string, FrontmatterField>();
  const contents = doc.contents;
  const isMapping = contents === null || isMap(contents);
  if (contents !== null && !isMap(contents)) {
    problems.push({
      kind: 'not-mapping',
      message: 'The frontmatter is not a YAML mapping of `key: value` pairs.',
      start: contentStart,
      end: closing.lineStart,
    });
  }
  if (isMap(contents)) {
    let plain: Record<string, unknown> = {};
    try {
      const converted: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (converted !== null && typeof converted === 'object' && !Array.isArray(converted)) {
        plain = converted as Record<string, unknown>;
      }
    } catch (error) {
      problems.push({
        kind: 'yaml-error',
        message: `The frontmatter could not be expanded: ${firstLine(error instanceof Error ? error.message : String(error))}.`,
        start: contentStart,
        end: closing.lineStart,
      });
    }
    /** A key of the mapping (or merged into it) as a field, where its text stands; the first of a name wins. */
    const addField = (pair: (typeof contents.items)[number]): void => {
      const keyNode = pair.key as YamlNode | null;
      if (!isScalar(keyNode) || !keyNode.range || isMergeKey(keyNode.value)) return;
      const key = String(keyNode.value);
      if (fields.has(key)) return;
      const valueNode = pair.value as YamlNode | null;
      // The parser's ranges can run one past the text when it recovers from a broken flow
      // collection (`name: [}| ` before a lone CR): an offset stays inside the frontmatter.
      const at = (offset: number): number => contentStart + Math.min(offset, yamlText.length);
      const keyEnd = at(keyNode.range[1]);
      const range = valueNode?.range;
      fields.set(key, {
        key,
        keyStart: at(keyNode.range[0]),
        keyEnd,
        value: Object.prototype.hasOwnProperty.call(plain, key) ? plain[key] : null,
        valueStart: range ? at(range[0]) : keyEnd,
        valueEnd: range ? at(range[1]) : keyEnd,
        ...(isScalar(valueNode) ? { scalarStyle: scalarStyle(valueNode.type) } : {}),
      });
    };
    const merged: { readonly pair: (typeof contents.items)[number] }[] = [];
    for (const pair of contents.items) {
      const keyNode = pair.key as YamlNode | null;
      if (!isScalar(keyNode) || keyNode.range === undefined || keyNode.range === null) continue;
      if (isMergeKey(keyNode.value)) {
        for (const map of mergedMaps(pair.value as YamlNode | null, doc)) for (const item of map.items) merged.push({ pair: item });
        const names = merged.map(({ pair: item }) => (isScalar(item.key) ? String(item.key.value) : '')).filter((name) => name !== '');
        problems.push({
          kind: 'merge-key',
          message: `The frontmatter merges keys in from an anchor (\`<<\`${names.length > 0 ? `: ${[...new Set(names)].slice(0, 5).map((name) => `\`${name}\``).join(', ')}` : ''}); clients that follow YAML 1.1 apply them, while a reader sees only the anchor's name.`,
          start: contentStart + keyNode.range[0],
          end: contentStart + keyNode.range[1],
        });
        continue;
      }
      addField(pair);
    }
    // A merged key counts where the anchor spells it, unless the mapping sets it itself.
    for (const { pair } of merged) addField(pair);
  }
  return {
    present: true,
    closed: true,
    contentStart,
    contentEnd: closing.lineStart,
    bodyStart: closing.bodyStart,
    fields,
    problems,
    isMapping,
  };
}

/** A merge key's value as the parser gives it: the symbol `<<` with merging on, the text without. */
function isMergeKey(value: unknown): boolean {
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<');
}

/** The mappings a merge key's value brings in: an alias to a mapping, a mapping, or a list of them. */
function mergedMaps(value: YamlNode | null, doc: Document): YAMLMap[] {
  const maps: YAMLMap[] = [];
  const add = (node: unknown): void => {
    const target = isAlias(node) ? node.resolve(doc) : node;
    if (isMap(target)) maps.push(target);
  };
  if (isSeq(value)) for (const item of value.items.slice(0, 20)) add(item);
  else add(value);
  return maps;
}

function scalarStyle(type: string | undefined): 'plain' | 'quoted' | 'block' {
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') return 'quoted';
  if (type === 'BLOCK_FOLDED' || type === 'BLOCK_LITERAL') return 'block';
  return 'plain';
}

/**
 * The text from the start of the file to the body, when the frontmatter opens and closes: all
 * that {@link parseFrontmatter} reads then, so equal heads parse to equal results.
 */
export function closedFrontmatterHead(text: string): string | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const opening = OPENING_FENCE.exec(text.slice(start, start + 16));
  if (!opening) return undefined;
  const closing = findClosingFence(text, start + opening[0].length);
  return closing ? text.slice(0, closing.bodyStart) : undefined;
}

function findClosingFence(text: string, from: number): { lineStart: number; bodyStart: number } | undefined {
  let lineStart = from;
  while (lineStart <= text.length) {
    const lineEnd = lineEndOffset(text, lineStart);
    const line = text.slice(lineStart, lineEnd);
    if (line === '---' || /^---[ \t]+$/.test(line)) {
      return { lineStart, bodyStart: skipLineBreak(text, lineEnd) };
    }
    if (lineEnd >= text.length) return undefined;
    lineStart = skipLineBreak(text, lineEnd);
  }
  return undefined;
}

function lineEndOffset(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return text.length;
}

function skipLineBreak(text: string, at: number): number {
  if (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10) return at + 2;
  if (text.charCodeAt(at) === 10 || text.charCodeAt(at) === 13) return at + 1;
  return at;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/[.\s]+$/, '');
}

function emptyFrontmatter(problems: FrontmatterProblem[], bodyStart: number): Frontmatter {
  return {
    present: false,
    closed: false,
    contentStart: 0,
    contentEnd: 0,
    bodyStart,
    fields: new Map(),
    problems,
    isMapping: false,
  };
}

/** A frontmatter value as text: strings as they are, lists joined by spaces, others as JSON. */
export function fieldText(field: FrontmatterField): string {
  const value = field.value;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(' ');
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
