/**
 * Roles of the pieces of a Markdown file (SKILL.md or a reference file): which part of the
 * document an offset sits in (prose, a list item, a heading, an HTML comment, inline code, a
 * fence …), under which section heading, and with which polarity ("do X" versus "never do X" or
 * a quoted example). Rules use it to grade an instruction by where it is written; the segments
 * it builds are the units the instruction classifier reads.
 *
 * Everything here is one linear pass over the file; nothing depends on the rule set.
 */
import type { CodeLanguage } from '../markdown';
import { polarityAt, sectionPolarity, type Polarity } from '../polarity';
import { buildMask, type FileModel } from '../skill-model';

export type InstructionRole =
  | 'frontmatter'
  | 'heading'
  | 'prose'
  | 'list-item'
  | 'blockquote'
  | 'table'
  | 'inline-code'
  | 'html-comment'
  | 'fence'
  | 'link-url'
  | 'tool-description';

export interface Section {
  /** Heading text without the `#` marks; empty for text before the first heading. */
  readonly title: string;
  readonly level: number;
  /** Offset of the heading line (or of the body start for the untitled lead section). */
  readonly start: number;
  readonly end: number;
  /** Set when this heading or one above it labels its content as warnings or examples. */
  readonly polarity?: Exclude<Polarity, 'affirmative'>;
}

export interface RoleInfo {
  readonly role: InstructionRole;
  readonly polarity: Polarity;
  readonly section?: Section;
  /** Fence language when `role` is `fence`. */
  readonly language?: CodeLanguage;
}

/** A sentence-sized unit of instruction text with the role of the block it came from. */
export interface Segment {
  readonly file: FileModel;
  readonly start: number;
  readonly end: number;
  /** File text of [start, end) with comments and fences blanked; inline code is kept. */
  readonly text: string;
  readonly role: InstructionRole;
  readonly section: Section;
  /** The paragraph, list item or fence the sentence belongs to (file offsets). */
  readonly block: readonly [number, number];
  /** Language of the fence for `fence` segments (one segment per line). */
  readonly language?: CodeLanguage;
}

interface FileRoles {
  readonly sections: readonly Section[];
  readonly segments: readonly Segment[];
}

const cache = new WeakMap<FileModel, FileRoles>();

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.{0,300})$/;
const LIST_ITEM = /^[ \t]{0,12}(?:[-*+]|\d{1,3}[.)])[ \t]/;
const BLOCKQUOTE = /^[ \t]{0,3}>/;
const TABLE_ROW = /^[ \t]{0,3}\|/;
/** Sentences longer than this are cut: instructions are short, and regexes stay cheap. */
const MAX_SEGMENT = 800;
/** Lines longer than this are read only up to here when classifying line types. */
const MAX_LINE_PEEK = 400;

/** Role and polarity of `offset` in `file` (file text offsets, as findings use). */
export function roleAt(file: FileModel, offset: number): RoleInfo {
  const frontmatter = file.frontmatter;
  if (frontmatter?.present && offset < frontmatter.bodyStart) return { role: 'frontmatter', polarity: 'affirmative' };
  const markdown = file.markdown;
  if (!markdown) return { role: 'prose', polarity: 'affirmative' };
  const roles = rolesOf(file);
  const section = sectionAt(roles.sections, offset);
  const withSection = section ? { section } : {};
  const fence = markdown.fences.find((f) => offset >= f.start && offset < f.end);
  if (fence) return { role: 'fence', polarity: section?.polarity ?? 'affirmative', language: fence.language, ...withSection };
  const comment = markdown.comments.find((c) => offset >= c.start && offset < c.end);
  const text = file.text;
  if (comment) {
    const inner = text.slice(comment.contentStart, comment.contentEnd);
    return { role: 'html-comment', polarity: polarityAt(inner, Math.max(0, offset - comment.contentStart)), ...withSection };
  }
  const link = markdown.links.find((l) => offset >= l.urlStart && offset < l.urlEnd);
  if (link) return { role: 'link-url', polarity: 'affirmative', ...withSection };
  const polarity = combinePolarity(polarityAt(text, offset), section?.polarity);
  if (markdown.inlineCode.some((c) => offset >= c.start && offset < c.end)) {
    return { role: 'inline-code', polarity, ...withSection };
  }
  return { role: lineRole(text, offset), polarity, ...withSection };
}

/**
 * Descriptions an agent tool's code gives the model: a Python tool function's docstring or
 * `description=` (`@mcp.tool()`, `@server.tool`, `@tool`), and in JavaScript or TypeScript the
 * description argument of `server.tool(name, description, …)` or a `description:` field in a file
 * that registers MCP tools, and the `description` values of a JSON tool manifest (one that
 * declares `inputSchema` or `parameters`). The model reads them as instructions; the user rarely
 * sees them.
 */
export function toolDescriptionSegments(file: FileModel): readonly Segment[] {
  const kept = toolCache.get(file);
  if (kept) return kept;
  const segments: Segment[] = [];
  for (const [from, to] of toolDescriptionRanges(file)) {
    const section: Section = { title: '', level: 0, start: from, end: to };
    for (const [start, end] of sentences(file.text, from, to)) {
      segments.push({ file, start, end, text: file.text.slice(start, end), role: 'tool-description', section, block: [from, to] });
    }
  }
  toolCache.set(file, segments);
  return segments;
}

/** Where the tool descriptions of {@link toolDescriptionSegments} sit in the file: the text between their quotes. */
export function toolDescriptionRanges(file: FileModel): readonly (readonly [number, number])[] {
  const kept = toolRangeCache.get(file);
  if (kept) return kept;
  const text = file.text.slice(0, MAX_TOOL_SCAN);
  const ranges: [number, number][] = [];
  if (/\.py$/i.test(file.path) && /@[\w.]{0,40}tool\b/.test(text)) {
    for (const match of text.matchAll(PY_TOOL_DOCSTRING)) {
      const body = match.groups?.['body'];
      if (body === undefined || match.index === undefined) continue;
      const start = match.index + match[0].length - body.length - (match.groups?.['close']?.length ?? 0);
      ranges.push([start, start + body.length]);
    }
  } else if (/\.json$/i.test(file.path) && JSON_TOOL_MANIFEST.test(text)) {
    for (const match of text.matchAll(JSON_DESCRIPTION)) {
      const body = match.groups?.['body'];
      if (body === undefined) continue;
      const start = match.index + match[0].length - body.length - 1;
      ranges.push([start, start + body.length]);
    }
  } else if (/\.(?:[cm]?js|ts|mts|cts)$/i.test(file.path) && MCP_JS.test(text)) {
    for (const match of text.matchAll(JS_TOOL_DESCRIPTION)) {
      const body = match.groups?.['body'] ?? match.groups?.['field'];
      if (body === undefined || match.index === undefined) continue;
      const start = match.index + match[0].length - body.length - 1;
      ranges.push([start, start + body.length]);
    }
  }
  const long = ranges.slice(0, MAX_TOOL_DESCRIPTIONS).filter(([from, to]) => to - from >= MIN_TOOL_DESCRIPTION);
  toolRangeCache.set(file, long);
  return long;
}

const toolCache = new WeakMap<FileModel, readonly Segment[]>();
const toolRangeCache = new WeakMap<FileModel, readonly (readonly [number, number])[]>();
const MAX_TOOL_SCAN = 200_000;
const MAX_TOOL_DESCRIPTIONS = 100;
/** A description shorter than this says what the tool does and nothing more. */
const MIN_TOOL_DESCRIPTION = 40;
const PY_TOOL_DOCSTRING = /@[\w.]{0,40}tool\b(?:\([^)\n]{0,200}\))?[ \t]*\r?\n(?:[ \t]*@[^\n]{0,200}\r?\n){0,3}[ \t]*(?:async[ \t]+)?def[ \t]+\w{1,80}[ \t]*\([^)]{0,800}\)[^:\n]{0,120}:[ \t]*\r?\n[ \t]*[rRuU]?(?<open>"""|''')(?<body>[\s\S]{0,5000}?)(?<close>"""|''')/g;
/** A JSON file that declares tools' inputs (an MCP or function-calling manifest): its descriptions are read by the model. */
const JSON_TOOL_MANIFEST = /"(?:inputSchema|input_schema|parameters)"\s{0,5}:\s{0,5}\{/;
const JSON_DESCRIPTION = /"description"\s{0,5}:\s{0,5}"(?<body>(?:[^"\\\n]|\\.){0,3000})"/g;
const MCP_JS = /@modelcontextprotocol|\bMcpServer\b|\.registerTool\(|\bserver\.tool\(/;
const JS_TOOL_DESCRIPTION = /\.(?:tool|registerTool)\([ \t\r\n]{0,20}["'`][\w.-]{1,80}["'`][ \t\r\n]{0,20},[ \t\r\n]{0,20}(?<quote>["'`])(?<body>(?:(?!\k<quote>)[^\\]|\\.){0,3000})\k<quote>|\bdescription[ \t]{0,3}:[ \t\r\n]{0,20}(?<q2>["'`])(?<field>(?:(?!\k<q2>)[^\\]|\\.){0,3000})\k<q2>/g;

/** Section headings of a Markdown file, in order, each with its extent. */
export function sectionsOf(file: FileModel): readonly Section[] {
  return rolesOf(file).sections;
}

/** Instruction segments of a Markdown file: sentences of prose, list items, headings, comments. */
export function segmentsOf(file: FileModel): readonly Segment[] {
  return rolesOf(file).segments;
}

/** A negation or quotation in the sentence wins; otherwise a labelling heading applies. */
export function combinePolarity(local: Polarity, section: Polarity | undefined): Polarity {
  if (local !== 'affirmative') return local;
  return section ?? 'affirmative';
}

/** A segment's own polarity: a blockquote is quoted; otherwise its section's heading decides. */
export function segmentPolarity(segment: Segment): Polarity {
  if (segment.role === 'blockquote') return 'quoted';
  return combinePolarity('affirmative', segment.section.polarity);
}

/** The polarity at an offset of a segment: a negation or quotation there, else the segment's. */
export function polarityInSegment(segment: Segment, offsetInSegment: number): Polarity {
  const local = polarityAt(segment.text, offsetInSegment);
  if (local !== 'affirmative') return local;
  return segmentPolarity(segment);
}

function rolesOf(file: FileModel): FileRoles {
  let roles = cache.get(file);
  if (!roles) {
    roles = buildRoles(file);
    cache.set(file, roles);
  }
  return roles;
}

function sectionAt(sections: readonly Section[], offset: number): Section | undefined {
  let low = 0;
  let high = sections.length - 1;
  let found: Section | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const section = sections[mid];
    if (!section) break;
    if (section.start <= offset) {
      found = section;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

function lineRole(text: string, offset: number): InstructionRole {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, Math.min(text.length, lineStart + MAX_LINE_PEEK)).split(/\r?\n|\r/, 1)[0] ?? '';
  if (HEADING.test(line)) return 'heading';
  if (BLOCKQUOTE.test(line)) return 'blockquote';
  if (TABLE_ROW.test(line)) return 'table';
  if (LIST_ITEM.test(line)) return 'list-item';
  return 'prose';
}

const LOADED_FRONTMATTER_KEYS = ['description', 'when_to_use'] as const;
/** Fields that hold names, versions, grants or hooks, never prose for the agent. */
const NOT_PROSE_KEYS = /^(?:name|license|licence|version|allowed-tools|allowed_tools|tools|model|compatibility|hooks|dependencies|tags|keywords|argument-hint)$/i;
/** A field shorter than this holds a value, not an instruction. */
const MIN_FIELD_PROSE = 80;
const NESTED_VALUE_OPENING = /^[\w.-]{1,60}:[ \t]*["']|^["']/;

interface Block {
  start: number;
  end: number;
  role: InstructionRole;
}

function buildRoles(file: FileModel): FileRoles {
  const markdown = file.markdown;
  if (!markdown) return { sections: [], segments: [] };
  const bodyStart = file.frontmatter?.bodyStart ?? 0;
  // Prose with inline code, everything else blanked: offsets stay file offsets.
  const text = maskedInstructions(file);
  const fenceStarts = new Set(markdown.fences.map((f) => lineStartOf(file.text, f.start)));

  // Pass 1: headings → sections; lines → blocks (paragraphs, list items, headings, quotes).
  const headings: { start: number; level: number; title: string }[] = [];
  const blocks: Block[] = [];
  let current: Block | undefined;
  const close = (): void => {
    if (current) blocks.push(current);
    current = undefined;
  };
  let offset = bodyStart;
  while (offset < text.length) {
    let lineEnd = text.indexOf('\n', offset);
    if (lineEnd === -1) lineEnd = text.length;
    const peek = text.slice(offset, Math.min(lineEnd, offset + MAX_LINE_PEEK)).replace(/\r$/, '');
    if (fenceStarts.has(offset)) close();
    if (peek.trim() === '') {
      close();
    } else {
      const heading = HEADING.exec(peek);
      if (heading) {
        close();
        headings.push({ start: offset, level: heading[1]?.length ?? 1, title: (heading[2] ?? '').replace(/[ \t#]+$/, '').trim() });
        blocks.push({ start: offset, end: lineEnd, role: 'heading' });
      } else if (LIST_ITEM.test(peek) || TABLE_ROW.test(peek) || (BLOCKQUOTE.test(peek) && current?.role !== 'blockquote')) {
        close();
        current = { start: offset, end: lineEnd, role: TABLE_ROW.test(peek) ? 'table' : BLOCKQUOTE.test(peek) ? 'blockquote' : 'list-item' };
        if (current.role === 'table') close();
      } else if (current) {
        current.end = lineEnd;
      } else {
        current = { start: offset, end: lineEnd, role: 'prose' };
      }
    }
    offset = lineEnd + 1;
  }
  close();

  const sections = buildSections(headings, bodyStart, file.text.length);
  const segments: Segment[] = [];
  for (const block of blocks) {
    const section = sectionAt(sections, block.start) ?? sections[0];
    if (!section) continue;
    for (const [start, end] of sentences(text, block.start, block.end)) {
      segments.push({ file, start, end, text: unwrapped(text.slice(start, end)), role: block.role, section, block: [block.start, block.end] });
    }
  }
  for (const comment of markdown.comments) {
    const section = sectionAt(sections, comment.start) ?? sections[0];
    if (!section) continue;
    for (const [start, end] of sentences(file.text, comment.contentStart, comment.contentEnd)) {
      segments.push({ file, start, end, text: file.text.slice(start, end), role: 'html-comment', section, block: [comment.contentStart, comment.contentEnd] });
    }
  }
  for (const fence of markdown.fences) {
    const section = sectionAt(sections, fence.start) ?? sections[0];
    if (!section || fence.contentEnd - fence.contentStart > 20_000) continue;
    // Untagged and Markdown fences are read like prose; code fences line by line.
    const prose = fence.language === 'text' && /^(?:|text|txt|markdown|md|prompt|plaintext|plain)$/.test(fence.info);
    const ranges = prose ? sentences(file.text, fence.contentStart, fence.contentEnd) : lines(file.text, fence.contentStart, fence.contentEnd);
    for (const [start, end] of ranges) {
      segments.push({ file, start, end, text: file.text.slice(start, end), role: 'fence', section, block: [fence.contentStart, fence.contentEnd], language: prose ? 'text' : fence.language });
    }
  }
  // The description and `when_to_use` are loaded into the agent's context for every installed
  // skill, before SKILL.md is ever opened: orders written there are instructions too. So is longer
  // prose in any other field (a `metadata` entry the body tells the agent to "apply"); short values
  // (versions, names, licences) say nothing.
  const lead = sections[0];
  if (lead && file.kind === 'skill-md') {
    for (const field of file.frontmatter?.fields.values() ?? []) {
      const loaded = (LOADED_FRONTMATTER_KEYS as readonly string[]).includes(field.key);
      const length = field.valueEnd - field.valueStart;
      if (length > 5_000) continue;
      if (loaded ? typeof field.value !== 'string' : NOT_PROSE_KEYS.test(field.key) || length < MIN_FIELD_PROSE) continue;
      for (const [from, end] of sentences(file.text, field.valueStart, field.valueEnd)) {
        // YAML's own quote around a value (or a nested `key: "…"`) is not a quotation.
        const opening = loaded ? (from === field.valueStart ? /^["']/.exec(file.text.slice(from, from + 1)) : null) : NESTED_VALUE_OPENING.exec(file.text.slice(from, Math.min(end, from + 64)));
        const start = from + (opening?.[0].length ?? 0);
        if (start < end) segments.push({ file, start, end, text: file.text.slice(start, end), role: 'frontmatter', section: lead, block: [field.valueStart, field.valueEnd] });
      }
    }
  }
  segments.sort((a, b) => a.start - b.start);
  return { sections, segments };
}

function buildSections(headings: readonly { start: number; level: number; title: string }[], bodyStart: number, textEnd: number): Section[] {
  const sections: Section[] = [{ title: '', level: 0, start: bodyStart, end: headings[0]?.start ?? textEnd }];
  // Stack of enclosing headings so that "## Don't" labels its ### subsections too.
  const stack: { level: number; polarity?: Exclude<Polarity, 'affirmative'> }[] = [];
  headings.forEach((heading, index) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= heading.level) stack.pop();
    const own = sectionPolarity(heading.title);
    const inherited = [...stack].reverse().find((s) => s.polarity)?.polarity;
    const polarity = own ?? inherited;
    stack.push({ level: heading.level, ...(polarity ? { polarity } : {}) });
    sections.push({
      title: heading.title,
      level: heading.level,
      start: heading.start,
      end: headings[index + 1]?.start ?? textEnd,
      ...(polarity ? { polarity } : {}),
    });
  });
  return sections;
}

/**
 * Sentence ranges in [from, to): split after `.`, `!`, `?` followed by white space, and at line
 * breaks that start a new list item; never inside inline code. Leading white space is trimmed.
 */
/**
 * A sentence hard-wrapped over several lines, read as one line: each line break becomes spaces of
 * the same length, so offsets stay exact and patterns that stop at a line end (`[^.\n]`) see the
 * whole sentence.
 */
function unwrapped(sentence: string): string {
  return sentence.includes('\n') ? sentence.replace(/\r?\n/g, (lineBreak) => ' '.repeat(lineBreak.length)) : sentence;
}

function sentences(text: string, from: number, to: number): [number, number][] {
  const result: [number, number][] = [];
  let start = from;
  let inCode = false;
  const push = (end: number): void => {
    let a = start;
    while (a < end && /\s/.test(text[a] ?? '')) a++;
    let b = end;
    while (b > a && /\s/.test(text[b - 1] ?? '')) b--;
    if (b > a) {
      // Very long sentences are cut into bounded pieces so regexes stay cheap.
      for (let piece = a; piece < b; piece += MAX_SEGMENT) result.push([piece, Math.min(b, piece + MAX_SEGMENT)]);
    }
  };
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === '`') inCode = !inCode;
    else if (ch === '\n') {
      inCode = false;
      const next = text.slice(i + 1, Math.min(to, i + 1 + 20));
      if (LIST_ITEM.test(next) || /^\s*$/.test(next.split('\n', 1)[0] ?? '')) {
        push(i);
        start = i + 1;
      }
    } else if (!inCode && (ch === '.' || ch === '!' || ch === '?') && /\s/.test(text[i + 1] ?? '\n')) {
      push(i + 1);
      start = i + 1;
    }
  }
  push(to);
  return result;
}

function lines(text: string, from: number, to: number): [number, number][] {
  const result: [number, number][] = [];
  let start = from;
  while (start < to) {
    let end = text.indexOf('\n', start);
    if (end === -1 || end > to) end = to;
    if (text.slice(start, end).trim() !== '') result.push([start, Math.min(end, start + MAX_SEGMENT)]);
    start = end + 1;
  }
  return result;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The file text with fences, comments and frontmatter blanked (line breaks kept). */
function maskedInstructions(file: FileModel): string {
  return buildMask(file, 'instructions');
}
