/**
 * A small Markdown model of a SKILL.md body (or any Markdown file of a skill): just the parts the
 * rules care about, each with offsets into the whole file text. It is deliberately not a full
 * CommonMark parser: rules need fences, comments, inline code and links with exact positions, and
 * a hostile file must never make this slow (every scan here is a single linear pass).
 */

export type CodeLanguage = 'bash' | 'python' | 'javascript' | 'typescript' | 'powershell' | 'text';

export interface CodeFence {
  /** The info string's first word, lower-cased (`bash`, `py`, ``). */
  readonly info: string;
  readonly language: CodeLanguage;
  /** Offsets of the fence's content (between the opening and closing lines). */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Offsets of the whole block including the fence lines. */
  readonly start: number;
  readonly end: number;
  readonly closed: boolean;
  /** Claude Code runs ```! blocks and !`cmd` before the model sees the skill. */
  readonly dynamic: boolean;
}

export interface HtmlComment {
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
}

export interface InlineCode {
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly dynamic: boolean;
}

export interface MarkdownLink {
  readonly kind: 'link' | 'image' | 'autolink';
  readonly start: number;
  readonly end: number;
  readonly url: string;
  readonly urlStart: number;
  readonly urlEnd: number;
}

export interface MarkdownModel {
  readonly fences: readonly CodeFence[];
  readonly comments: readonly HtmlComment[];
  readonly inlineCode: readonly InlineCode[];
  readonly links: readonly MarkdownLink[];
  /** Offset ranges of prose: everything in the body outside fences, comments and inline code. */
  readonly prose: readonly (readonly [number, number])[];
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*(!?)[ \t]*([^`\s]*)[^`\n\r]*$/;

/** A fence info string's label, lower-cased, without Pandoc braces and attributes (`{.yaml}` → `yaml`). */
export function fenceLabel(info: string): string {
  return info.toLowerCase().replace(/^\{?\.?/, '').replace(/[},].*$/, '');
}

export function fenceLanguage(info: string): CodeLanguage {
  const word = fenceLabel(info);
  switch (word) {
    case 'bash': case 'sh': case 'shell': case 'zsh': case 'console': case 'shell-session':
    case 'shellsession': case 'terminal': case 'bash-session': case 'ksh': case 'dash': case 'fish':
      return 'bash';
    case 'python': case 'py': case 'python3': case 'py3': case 'ipython': case 'pycon':
      return 'python';
    case 'javascript': case 'js': case 'node': case 'nodejs': case 'mjs': case 'cjs': case 'jsx':
      return 'javascript';
    case 'typescript': case 'ts': case 'tsx': case 'mts': case 'cts':
      return 'typescript';
    case 'powershell': case 'ps1': case 'pwsh': case 'ps':
      return 'powershell';
    default:
      return 'text';
  }
}

export function parseMarkdown(text: string, bodyStart = 0): MarkdownModel {
  const fences: CodeFence[] = [];
  const blocked: [number, number][] = [];

  // Pass 1: fenced code blocks, line by line.
  let offset = bodyStart;
  let open: { marker: string; info: string; dynamic: boolean; start: number; contentStart: number } | undefined;
  while (offset < text.length) {
    const lineEnd = nextLineBreak(text, offset);
    const next = skipBreak(text, lineEnd);
    const line = text.slice(offset, Math.min(lineEnd, offset + 512));
    if (open === undefined) {
      const match = lineEnd - offset <= 512 ? FENCE_OPEN.exec(line) : null;
      if (match && !(match[2]?.startsWith('`') && (match[4] ?? '').includes('`'))) {
        const info = match[4] ?? '';
        open = { marker: match[2] ?? '```', info: info.toLowerCase(), dynamic: match[3] === '!', start: offset, contentStart: next };
      }
    } else {
      const trimmed = line.trim();
      if (
        trimmed.length >= open.marker.length &&
        trimmed[0] === open.marker[0] &&
        /^(`+|~+)$/.test(trimmed) &&
        /^ {0,3}\S/.test(line)
      ) {
        fences.push(makeFence(open, offset, next, true));
        blocked.push([open.start, next]);
        open = undefined;
      }
    }
    if (next <= offset) break;
    offset = next;
  }
  if (open !== undefined) {
    fences.push(makeFence(open, text.length, text.length, false));
    blocked.push([open.start, text.length]);
  }

  // Pass 2: HTML comments, inline code and links, outside fences.
  const comments: HtmlComment[] = [];
  const inlineCode: InlineCode[] = [];
  const links: MarkdownLink[] = [];
  const segments = complement(bodyStart, text.length, blocked);
  const proseBlocked: [number, number][] = [...blocked];
  for (const [segStart, segEnd] of segments) {
    let i = segStart;
    while (i < segEnd) {
      const ch = text.charCodeAt(i);
      if (ch === 60 /* < */ && text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        const end = close === -1 || close + 3 > segEnd ? segEnd : close + 3;
        comments.push({ start: i, end, contentStart: i + 4, contentEnd: close === -1 || close + 3 > segEnd ? segEnd : close });
        proseBlocked.push([i, end]);
        i = end;
        continue;
      }
      if (ch === 96 /* ` */) {
        let ticks = 1;
        while (text.charCodeAt(i + ticks) === 96) ticks++;
        const marker = '`'.repeat(ticks);
        const close = findClosingTicks(text, i + ticks, segEnd, marker);
        if (close !== -1) {
          const dynamic = i > 0 && text.charCodeAt(i - 1) === 33 /* ! */;
          inlineCode.push({ start: i, end: close + ticks, contentStart: i + ticks, contentEnd: close, dynamic });
          proseBlocked.push([i, close + ticks]);
          i = close + ticks;
          continue;
        }
        i += ticks;
        continue;
      }
      if (ch === 93 /* ] */ && text.charCodeAt(i + 1) === 40 /* ( */) {
        const link = readLinkDestination(text, i + 2, segEnd);
        if (link) {
          // The `[` must be in this segment: never in the frontmatter, a fence or a comment before it.
          const bracket = text.lastIndexOf('[', i);
          const opener = bracket >= segStart ? bracket : -1;
          const isImage = opener > segStart && text.charCodeAt(opener - 1) === 33;
          const start = opener === -1 ? i : isImage ? opener - 1 : opener;
          links.push({ kind: isImage ? 'image' : 'link', start, end: link.end, url: link.url, urlStart: link.urlStart, urlEnd: link.urlEnd });
          i = link.end;
          continue;
        }
      }
      if (ch === 60 /* < */) {
        const auto = /^<(https?:\/\/[^\s<>]{1,2048})>/.exec(text.slice(i, Math.min(segEnd, i + 2100)));
        if (auto?.[1]) {
          links.push({ kind: 'autolink', start: i, end: i + auto[0].length, url: auto[1], urlStart: i + 1, urlEnd: i + 1 + auto[1].length });
          i += auto[0].length;
          continue;
        }
      }
      i++;
    }
  }
  return {
    fences,
    comments,
    inlineCode,
    links,
    prose: complement(bodyStart, text.length, proseBlocked),
  };
}

function makeFence(
  open: { info: string; dynamic: boolean; start: number; contentStart: number },
  closeLineStart: number,
  end: number,
  closed: boolean,
): CodeFence {
  return {
    info: open.info,
    language: open.dynamic && open.info === '' ? 'bash' : fenceLanguage(open.info),
    contentStart: Math.min(open.contentStart, closeLineStart),
    contentEnd: closeLineStart,
    start: open.start,
    end,
    closed,
    dynamic: open.dynamic,
  };
}

function findClosingTicks(text: string, from: number, limit: number, marker: string): number {
  let i = from;
  // Inline code does not span a blank line; bounding the search keeps a stray backtick linear.
  const hardLimit = Math.min(limit, from + 4096);
  while (i < hardLimit) {
    const found = text.indexOf(marker, i);
    if (found === -1 || found >= hardLimit) return -1;
    const blank = text.slice(i, found).search(/\n[ \t]*\n/);
    if (blank !== -1) return -1;
    let after = found + marker.length;
    if (text.charCodeAt(after) === 96) {
      while (text.charCodeAt(after) === 96) after++;
      i = after;
      continue;
    }
    return found;
  }
  return -1;
}

function readLinkDestination(
  text: string,
  from: number,
  limit: number,
): { url: string; urlStart: number; urlEnd: number; end: number } | undefined {
  let i = from;
  while (i < limit && (text[i] === ' ' || text[i] === '\t')) i++;
  const urlStart = i;
  let depth = 0;
  const max = Math.min(limit, from + 4096);
  while (i < max) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t') break;
    i++;
  }
  const urlEnd = i;
  if (urlEnd === urlStart) return undefined;
  while (i < max && text[i] !== ')' && text[i] !== '\n') i++;
  if (text[i] !== ')') return undefined;
  return { url: text.slice(urlStart, urlEnd), urlStart, urlEnd, end: i + 1 };
}

function nextLineBreak(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf === -1 && cr === -1) return text.length;
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}

function skipBreak(text: string, at: number): number {
  if (at >= text.length) return text.length;
  if (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10) return at + 2;
  return at + 1;
}

/** The parts of [start, end) not covered by `blocked` ranges. */
function complement(start: number, end: number, blocked: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...blocked].sort((a, b) => a[0] - b[0]);
  const result: [number, number][] = [];
  let cursor = start;
  for (const [from, to] of sorted) {
    if (from > cursor) result.push([cursor, Math.min(from, end)]);
    cursor = Math.max(cursor, to);
  }
  if (cursor < end) result.push([cursor, end]);
  return result.filter(([a, b]) => b > a);
}
