import type { QueryMatch, Tree } from 'web-tree-sitter';
import type { CombinedQuery } from '../parsers';

/**
 * Query matches of a script one top-level statement at a time, for the editor. Typing into a
 * script changes one statement (a function, a command) and leaves the others as they were, yet a
 * query walks the whole tree: in a 10 KB script, every rule query together costs some 4 ms per
 * keystroke, and the statement typed into about a tenth of that. So the matches found in each
 * statement are kept by the statement's text, with places relative to its start, and a statement
 * whose text comes back (unchanged, or moved by an edit above it) is answered from them.
 *
 * This gives the same matches as one walk of the whole tree because:
 * - every pattern is rooted and local (one root node; tree-sitter's own analysis says so), so each
 *   match lies within the subtree of its root node: within one top-level statement, or at the
 *   root itself (those are searched apart, at depth 0 only);
 * - a statement without syntax errors parses the same wherever it stands at the top level. One
 *   with an error is searched afresh every time, and its matches are not kept.
 */

/** A node a rule reads: where it is and its text. A tree-sitter `Node` is one. */
export interface CapturedNode {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly text: string;
}

/**
 * One query match: its pattern and the first node of each capture, in capture order. A capture's
 * text is read when a rule asks for it (most matches fail on their first `where` constraint),
 * once, into `texts`, and shared by every rule that runs the same query.
 */
export interface CapturedMatch {
  readonly patternIndex: number;
  readonly nodes: ReadonlyMap<string, CapturedNode>;
  /** The node of the match's first capture. */
  readonly first: CapturedNode | undefined;
  readonly texts: Map<string, string>;
}

/** A tree-sitter match as rules read it. */
export function capturedMatch(match: QueryMatch): CapturedMatch {
  const nodes = new Map<string, CapturedNode>();
  for (const capture of match.captures) if (!nodes.has(capture.name)) nodes.set(capture.name, capture.node);
  return { patternIndex: match.patternIndex, nodes, first: match.captures[0]?.node, texts: new Map() };
}

/** A capture kept with its statement: the offsets are from the statement's start. */
interface KeptMatch {
  readonly patternIndex: number;
  readonly captures: readonly (readonly [name: string, start: number, end: number])[];
}

/**
 * Text of kept statements (UTF-16 code units): the scripts being typed into, as the result memo
 * keeps their trees (RESULT_MEMO_TREE_CHARS). A 10 KB script has some 2,700 matches of every rule
 * query together, so matches are bounded too (each costs about 150 bytes).
 */
const MAX_KEPT_CHARS = 256 * 1024;
const MAX_KEPT_MATCHES = 60_000;
/** Statements kept, whatever their size: a flat shell script is thousands of one-line commands. */
const MAX_KEPT_STATEMENTS = 10_000;

/** Kept matches, least recently used first, for one owner (the engine's result memo). */
class KeptStatements {
  private readonly byKey = new Map<string, readonly KeptMatch[]>();
  private chars = 0;
  private matches = 0;

  get(key: string): readonly KeptMatch[] | undefined {
    const kept = this.byKey.get(key);
    if (kept !== undefined) {
      this.byKey.delete(key);
      this.byKey.set(key, kept);
    }
    return kept;
  }

  /** Keeps the matches of a statement `get` did not find. */
  set(key: string, matches: readonly KeptMatch[]): void {
    if (key.length > MAX_KEPT_CHARS / 4 || matches.length > MAX_KEPT_MATCHES / 4) return;
    this.byKey.set(key, matches);
    this.chars += key.length;
    this.matches += matches.length;
    while (this.chars > MAX_KEPT_CHARS || this.matches > MAX_KEPT_MATCHES || this.byKey.size > MAX_KEPT_STATEMENTS) {
      const oldest = this.byKey.entries().next();
      if (oldest.done) break;
      const [oldestKey, oldestMatches] = oldest.value;
      this.byKey.delete(oldestKey);
      this.chars -= oldestKey.length;
      this.matches -= oldestMatches.length;
    }
  }
}

const keptByOwner = new WeakMap<object, KeptStatements>();
/** Per combined query: whether it may be split, and a number that keys its kept statements. */
const splitInfo = new WeakMap<CombinedQuery, { readonly splittable: boolean; readonly id: number }>();
let nextQueryId = 0;

function infoOf(combined: CombinedQuery): { readonly splittable: boolean; readonly id: number } {
  let info = splitInfo.get(combined);
  if (!info) {
    const { query } = combined;
    let splittable = true;
    for (let pattern = 0; pattern < query.patternCount(); pattern++) {
      if (!query.isPatternRooted(pattern) || query.isPatternNonLocal(pattern)) splittable = false;
    }
    info = { splittable, id: nextQueryId++ };
    splitInfo.set(combined, info);
  }
  return info;
}

/**
 * Matches in the order rules read them: by where their first capture starts, then by pattern, then
 * by where it ends. Tree-sitter returns matches as they complete, and a walk that starts at a
 * statement completes them in another order than one that starts at the root; a rule keeps the
 * first 50 matches of a unit, and the first of two findings at one place, so the order is fixed.
 */
export function compareMatches(a: CapturedMatch, b: CapturedMatch): number {
  const aStart = a.first?.startIndex ?? -1;
  const bStart = b.first?.startIndex ?? -1;
  if (aStart !== bStart) return aStart - bStart;
  if (a.patternIndex !== b.patternIndex) return a.patternIndex - b.patternIndex;
  return (a.first?.endIndex ?? -1) - (b.first?.endIndex ?? -1);
}

/**
 * Every match of `combined` in `tree` (parsed from `text`): those rooted at the root node first,
 * then each top-level statement's in turn (to be sorted with {@link compareMatches}). Undefined
 * when the query has a pattern that may span statements, or the script has more text or more
 * statements than are kept; the caller then walks the whole tree.
 * `owner` holds the kept statements (the engine's result memo, which lives as long as the engine).
 */
export function matchesByStatement(combined: CombinedQuery, tree: Tree, text: string, owner: object): CapturedMatch[] | undefined {
  const info = infoOf(combined);
  if (!info.splittable) return undefined;
  const root = tree.rootNode;
  // Beyond what can be kept, every keystroke would search every statement again, one query run
  // each: in a 60,000-line shell script that is 8 s against 4.7 s for one walk of the whole tree.
  if (text.length > MAX_KEPT_CHARS || root.childCount > MAX_KEPT_STATEMENTS) return undefined;
  let kept = keptByOwner.get(owner);
  if (!kept) {
    kept = new KeptStatements();
    keptByOwner.set(owner, kept);
  }
  const found: CapturedMatch[] = combined.query.matches(root, { maxStartDepth: 0 }).map(capturedMatch);
  for (const statement of root.children) {
    if (!statement) continue;
    const start = statement.startIndex;
    const end = statement.endIndex;
    const key = statement.hasError ? undefined : `${info.id}\u0000${statement.typeId}\u0000${text.slice(start, end)}`;
    let matches = key === undefined ? undefined : kept.get(key);
    if (!matches) {
      matches = combined.query.matches(statement).map((match) => keptMatch(match, start));
      if (key !== undefined) kept.set(key, matches);
    }
    for (const match of matches) found.push(placed(match, start, text));
  }
  return found;
}

function keptMatch(match: QueryMatch, base: number): KeptMatch {
  return {
    patternIndex: match.patternIndex,
    captures: [...capturedMatch(match).nodes].map(([name, node]) => [name, node.startIndex - base, node.endIndex - base] as const),
  };
}

/** A kept match at its statement's current place; capture texts are read from the unit's text. */
function placed(match: KeptMatch, base: number, text: string): CapturedMatch {
  const nodes = new Map<string, CapturedNode>();
  for (const [name, start, end] of match.captures) nodes.set(name, new PlacedNode(base + start, base + end, text));
  return { patternIndex: match.patternIndex, nodes, first: nodes.values().next().value, texts: new Map() };
}

class PlacedNode implements CapturedNode {
  constructor(
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
}
