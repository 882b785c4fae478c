import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { FrontmatterField } from '../frontmatter';

/**
 * The grammar of the `allowed-tools` frontmatter field: Claude Code permission rules such as
 * `Bash`, `Bash(git add:*)`, `Bash(npm run *)`, `Read(./docs/**)`, `WebFetch(domain:x.com)`,
 * `WebSearch`, `mcp__server__tool` and `mcp__server`, written as a space- or comma-separated
 * string (plain, quoted or block scalar) or as a YAML list (block or flow).
 *
 * Every grant keeps its exact offsets in SKILL.md: findings point at the grant, and the
 * narrowing fix replaces exactly that text, so the field keeps its form (list or string, quoting,
 * indentation). Parsing is linear and the number of grants is capped, because the field is
 * attacker-controlled.
 */

export type GrantKind = 'bash' | 'read' | 'write' | 'web-fetch' | 'web-search' | 'mcp' | 'other';

/** What a `Bash(…)` grant lets through. */
export type BashPattern =
  | { readonly mode: 'any' }
  /** `Bash(npm run test)`: that command only. */
  | { readonly mode: 'exact'; readonly command: string }
  /** `Bash(git add:*)`: commands starting with `git add`. */
  | { readonly mode: 'prefix'; readonly prefix: string }
  /** `Bash(npm run *)`, `Bash(git * main)`: `*` matches any run of characters. */
  | { readonly mode: 'glob'; readonly glob: string };

export interface Grant {
  /** The grant as written, e.g. `Bash(git add:*)`. */
  readonly text: string;
  readonly tool: string;
  /** The text between the parentheses, or undefined for a bare tool. */
  readonly specifier: string | undefined;
  /** Offsets of the grant in SKILL.md. */
  readonly start: number;
  readonly end: number;
  readonly kind: GrantKind;
  readonly bash?: BashPattern;
  /** `mcp__server__tool` → { server, tool }; `mcp__server` → { server }. */
  readonly mcp?: { readonly server: string; readonly tool?: string };
  /** `WebFetch(domain:example.com)` → `example.com`. */
  readonly domain?: string;
  /**
   * What to put between grants that replace this one so that the field keeps its form: a space
   * or `, ` in a string, a new list item (with the same indentation and quotes) in a list.
   * Undefined when the surrounding YAML is too unusual to extend safely.
   */
  readonly joiner?: string;
  /** Characters a replacement may not contain here (quotes of a quoted scalar, flow indicators). */
  readonly forbidden: RegExp;
}

export type GrammarProblemKind =
  | 'colon-star-not-at-end'
  | 'unbalanced-parentheses'
  | 'empty-specifier'
  | 'text-after-specifier'
  | 'not-a-string';

export interface GrammarProblem {
  readonly kind: GrammarProblemKind;
  /** The offending grant (or list item) as written. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Why it is a problem, as a clause for a message. */
  readonly detail: string;
}

export type AllowedToolsForm = 'string' | 'block-list' | 'flow-list' | 'other';

export interface AllowedTools {
  readonly form: AllowedToolsForm;
  readonly grants: readonly Grant[];
  readonly problems: readonly GrammarProblem[];
}

const MAX_GRANTS = 200;
const MAX_FIELD_LENGTH = 20_000;
/** Longest command or pattern compared; longer ones are treated as not matching. */
const MAX_MATCH_LENGTH = 2000;

/** Plain YAML scalars in a string may hold anything but `: ` and ` #`, which the grammar excludes anyway. */
const FORBIDDEN_IN_PLAIN = /: |\s#|[\r\n]/;
const FORBIDDEN_IN_FLOW_PLAIN = /: |\s#|[\r\n,[\]{}]/;

/** Parses the `allowed-tools` field of SKILL.md (`text` is the whole file). */
export function parseAllowedToolsField(text: string, field: FrontmatterField): AllowedTools {
  if (field.valueEnd - field.valueStart > MAX_FIELD_LENGTH) return { form: 'other', grants: [], problems: [] };
  if (typeof field.value === 'string') {
    const source = text.slice(field.valueStart, field.valueEnd);
    return { form: 'string', ...scanScalar(source, field.valueStart, field.scalarStyle ?? 'plain') };
  }
  if (Array.isArray(field.value)) return parseList(text, field);
  return { form: 'other', grants: [], problems: [] };
}

/**
 * Grants of a string value given as source text (offsets relative to `base`); the scalar style
 * is read from its first character. For callers that hold only the text, not the parsed field.
 */
export function parseGrants(source: string, base: number): Grant[] {
  const style = /^[|>]/.test(source) ? 'block' : /^["']/.test(source) ? 'quoted' : 'plain';
  return scanScalar(source, base, style).grants;
}

/** Grants of a string value: the scalar's source text, split on whitespace and commas outside parentheses. */
function scanScalar(source: string, base: number, style: 'plain' | 'quoted' | 'block'): { grants: Grant[]; problems: GrammarProblem[] } {
  let from = 0;
  let to = source.length;
  let forbidden = FORBIDDEN_IN_PLAIN;
  if (style === 'quoted' && (source[0] === '"' || source[0] === "'")) {
    forbidden = source[0] === '"' ? /["\\\r\n]/ : /['\r\n]/;
    from = 1;
    if (source.endsWith(source[0])) to--;
  } else if (style === 'block') {
    // The block header (`|`, `>-`, …) is not part of any grant.
    const header = /^[|>][-+0-9]{0,3}[ \t]*(?:#[^\n]*)?/.exec(source);
    if (header) from = header[0].length;
    forbidden = /[\r\n]/;
  }
  const tokens = tokenize(source, from, to, true);
  const separator = /,/.test(source.slice(from, to).replace(/\([^()\n]*\)/g, '')) ? ', ' : ' ';
  return build(tokens, source, base, separator, forbidden);
}

/** A block or flow list: each item is one grant, unless it reads as several grants written together. */
function parseList(text: string, field: FrontmatterField): AllowedTools {
  const lineStart = text.lastIndexOf('\n', field.valueStart - 1) + 1;
  // Re-parse the value alone, padded to its column, so that item ranges are file offsets minus `lineStart`.
  const padded = ' '.repeat(field.valueStart - lineStart) + text.slice(field.valueStart, field.valueEnd);
  const doc = parseDocument(padded, { strict: true, prettyErrors: false });
  const contents = doc.contents as YamlNode | null;
  if (doc.errors.length > 0 || !isSeq(contents)) return { form: 'other', grants: [], problems: [] };
  const flow = contents.flow === true;
  const grants: Grant[] = [];
  const problems: GrammarProblem[] = [];
  for (const item of contents.items as unknown[]) {
    if (grants.length >= MAX_GRANTS) break;
    const node = item as YamlNode | null;
    const range = node?.range;
    if (!node || !range) continue;
    const itemStart = lineStart + range[0];
    const itemEnd = lineStart + range[1];
    if (!isScalar(node) || typeof node.value !== 'string') {
      if (isMap(node) || isSeq(node) || isScalar(node)) {
        problems.push({
          kind: 'not-a-string',
          text: text.slice(itemStart, itemEnd),
          start: itemStart,
          end: itemEnd,
          detail: 'is not a string, so no client reads it as a rule',
        });
      }
      continue;
    }
    const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
    const innerStart = itemStart + quote.length;
    const innerEnd = itemEnd - quote.length;
    const source = text.slice(innerStart, innerEnd);
    const forbidden = quote === '"' ? /["\\\r\n]/ : quote === "'" ? /['\r\n]/ : flow ? FORBIDDEN_IN_FLOW_PLAIN : FORBIDDEN_IN_PLAIN;
    let tokens = tokenize(source, 0, source.length, true);
    // `- Read Grep` is two grants; `- Azure MCP/documentation` is one tool whose name has a space.
    if (tokens.length > 1 && !tokens.every((token) => TOOL_TOKEN.test(source.slice(token.start, token.end)))) {
      tokens = tokenize(source, 0, source.length, false);
    }
    const joiner = tokens.length === 1 ? itemJoiner(text, lineStart, itemStart, quote, flow) : ' ';
    const built = build(tokens, source, innerStart, joiner, forbidden);
    grants.push(...built.grants);
    problems.push(...built.problems);
  }
  return { form: flow ? 'flow-list' : 'block-list', grants, problems };
}

/** A grant that is the whole list item is replaced by several items written the same way. */
function itemJoiner(text: string, lineStart: number, itemStart: number, quote: string, flow: boolean): string | undefined {
  if (flow) return `${quote}, ${quote}`;
  const itemLineStart = Math.max(lineStart, text.lastIndexOf('\n', itemStart - 1) + 1);
  const lead = /^([ \t]*)-([ \t]+)$/.exec(text.slice(itemLineStart, itemStart));
  if (!lead) return undefined;
  const lineBreak = text[itemLineStart - 2] === '\r' ? '\r\n' : '\n';
  return `${quote}${lineBreak}${lead[1] as string}-${lead[2] as string}${quote}`;
}

const TOOL_TOKEN = /^[A-Za-z_][\w-]*(?:\([^]*\))?$/;

interface Token {
  readonly start: number;
  readonly end: number;
  /** Offset of `(` when the token has a specifier. */
  readonly open: number | undefined;
  /** Offset of the matching `)`, undefined when it is missing. */
  readonly close: number | undefined;
}

/**
 * Splits `source[from, to)` into grant tokens: separated by commas (and whitespace when
 * `splitOnSpace`) outside parentheses. A `(` opens a specifier that runs to its matching `)`;
 * when there is none, the specifier runs to the end of the line.
 */
function tokenize(source: string, from: number, to: number, splitOnSpace: boolean): Token[] {
  const tokens: Token[] = [];
  let i = from;
  const isSeparator = (c: string): boolean => c === ',' || (splitOnSpace && /\s/.test(c)) || (!splitOnSpace && (c === '\n' || c === '\r'));
  while (i < to && tokens.length < MAX_GRANTS) {
    const c = source[i] as string;
    if (isSeparator(c) || /\s/.test(c)) {
      i++;
      continue;
    }
    // A comment in a plain or block scalar ends the grants on its line.
    if (c === '#' && (i === 0 || /\s/.test(source[i - 1] as string))) {
      while (i < to && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    let open: number | undefined;
    let close: number | undefined;
    while (i < to) {
      const ch = source[i] as string;
      if (ch === '(') {
        open = i;
        let depth = 0;
        for (; i < to; i++) {
          const inner = source[i];
          if (inner === '(') depth++;
          else if (inner === ')' && --depth === 0) break;
          else if (inner === '\n' || inner === '\r') break;
        }
        if (i < to && source[i] === ')') {
          close = i;
          i++;
        }
        // Text glued after `)` stays in the token so that it is reported, not silently dropped.
        while (i < to && !isSeparator(source[i] as string) && !/\s/.test(source[i] as string)) i++;
        break;
      }
      if (isSeparator(ch)) break;
      if (splitOnSpace && /\s/.test(ch)) break;
      i++;
    }
    let end = i;
    // Trailing spaces of an item that may hold spaces are not part of the grant.
    while (end > start && /\s/.test(source[end - 1] as string)) end--;
    tokens.push({ start, end, open, close });
  }
  return tokens;
}

function build(
  tokens: readonly Token[],
  source: string,
  base: number,
  joiner: string | undefined,
  forbidden: RegExp,
): { grants: Grant[]; problems: GrammarProblem[] } {
  const grants: Grant[] = [];
  const problems: GrammarProblem[] = [];
  for (const token of tokens) {
    const text = source.slice(token.start, token.end);
    const start = base + token.start;
    const end = base + token.end;
    const problem = (kind: GrammarProblemKind, detail: string): void => {
      problems.push({ kind, text, start, end, detail });
    };
    const tool = source.slice(token.start, token.open ?? token.end).trim();
    let specifier: string | undefined;
    if (token.open !== undefined) {
      specifier = source.slice(token.open + 1, token.close ?? token.end);
      if (token.close === undefined) problem('unbalanced-parentheses', 'has no closing parenthesis, so it matches nothing');
      else if (token.close + 1 < token.end) problem('text-after-specifier', 'has text after its closing parenthesis');
      if (specifier.trim() === '') problem('empty-specifier', 'has empty parentheses');
    }
    const grant = classify(text, tool, specifier, start, end, joiner, forbidden);
    if (grant.kind === 'bash' && specifier !== undefined) {
      const colonStar = specifier.indexOf(':*');
      if (colonStar !== -1 && colonStar !== specifier.trimEnd().length - 2) {
        problem('colon-star-not-at-end', 'has `:*` before the end; only a trailing `:*` is a prefix wildcard');
      }
    }
    grants.push(grant);
  }
  return { grants, problems };
}

function classify(
  text: string,
  tool: string,
  specifier: string | undefined,
  start: number,
  end: number,
  joiner: string | undefined,
  forbidden: RegExp,
): Grant {
  const common = { text, tool, specifier, start, end, forbidden, ...(joiner !== undefined ? { joiner } : {}) };
  if (tool === 'Bash') return { ...common, kind: 'bash', bash: bashPattern(specifier) };
  if (/^(?:Read|Glob|Grep|LS|NotebookRead)$/.test(tool)) return { ...common, kind: 'read' };
  if (/^(?:Write|Edit|MultiEdit|NotebookEdit)$/.test(tool)) return { ...common, kind: 'write' };
  if (tool === 'WebFetch') {
    const domain = /^\s*domain:\s*([^\s)]{1,253})\s*$/.exec(specifier ?? '')?.[1];
    return { ...common, kind: 'web-fetch', ...(domain !== undefined ? { domain: domain.toLowerCase() } : {}) };
  }
  if (tool === 'WebSearch') return { ...common, kind: 'web-search' };
  const mcp = /^mcp__([A-Za-z0-9_-]+?)(?:__([A-Za-z0-9_-]+))?$/.exec(tool);
  if (mcp) {
    const server = mcp[1] as string;
    return { ...common, kind: 'mcp', mcp: mcp[2] !== undefined ? { server, tool: mcp[2] } : { server } };
  }
  return { ...common, kind: 'other' };
}

export function bashPattern(specifier: string | undefined): BashPattern {
  const spec = (specifier ?? '').trim().replace(/\s+/g, ' ');
  if (spec === '' || spec === '*' || spec === ':*') return { mode: 'any' };
  if (spec.endsWith(':*')) return { mode: 'prefix', prefix: spec.slice(0, -2) };
  if (spec.includes('*')) return { mode: 'glob', glob: spec };
  return { mode: 'exact', command: spec };
}

/** Whatever {@link normaliseCommand} would change: a line continuation, the skill-dir variable, `./`, whitespace other than single spaces, or space at either end. */
const NEEDS_NORMALISING = /\\\r?\n|CLAUDE_SKILL_DIR|(?:^|\s)\.\/|\s\s|[^\S ]|^ | $/;

/**
 * Makes a command and a pattern comparable: whitespace collapsed, and the skill-folder prefixes
 * (`${CLAUDE_SKILL_DIR}/`, `./`) dropped, since a skill may name the same script either way.
 */
export function normaliseCommand(text: string): string {
  // Most commands are already normal; the replacements below would leave them unchanged.
  if (!NEEDS_NORMALISING.test(text)) return text;
  return text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\$\{?CLAUDE_SKILL_DIR\}?\//g, '')
    .replace(/(^|\s)\.\//g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a `Bash(…)` pattern lets `command` run without a prompt. */
export function bashPatternMatches(pattern: BashPattern, command: string): boolean {
  if (pattern.mode === 'any') return true;
  const subject = normaliseCommand(command);
  if (subject.length > MAX_MATCH_LENGTH) return false;
  switch (pattern.mode) {
    case 'exact':
      return subject === normaliseCommand(pattern.command);
    case 'prefix':
      return subject.startsWith(normaliseCommand(pattern.prefix));
    case 'glob': {
      const glob = normaliseCommand(pattern.glob);
      if (glob.length > MAX_MATCH_LENGTH) return false;
      // `ls *` also allows plain `ls`.
      return globMatches(glob, subject) || (glob.endsWith(' *') && globMatches(glob.slice(0, -2), subject));
    }
  }
}

/**
 * `*` matches any run of characters; every other character matches itself. The literal pieces
 * between stars are found left to right, which is exact for `*`-only patterns and linear in the
 * subject for each piece, so no pattern can make matching slow.
 */
export function globMatches(glob: string, subject: string): boolean {
  const pieces = glob.split('*');
  if (pieces.length === 1) return glob === subject;
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  if (subject.length < first.length + last.length || !subject.startsWith(first) || !subject.endsWith(last)) return false;
  const end = subject.length - last.length;
  let position = first.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const at = subject.indexOf(piece, position);
    if (at === -1 || at + piece.length > end) return false;
    position = at + piece.length;
  }
  return true;
}

/** Whether `grant` lets the agent run `command` through the Bash tool without asking. */
export function grantAllowsCommand(grant: Grant, command: string): boolean {
  return grant.kind === 'bash' && grant.bash !== undefined && bashPatternMatches(grant.bash, command);
}

/** `Bash(<prefix>:*)`: the narrowest usual grant for a command and its arguments. */
export function prefixGrant(prefix: string): string {
  return `Bash(${prefix}:*)`;
}
