import type { Tree } from 'web-tree-sitter';
import type { TreeLanguage, TreeSitterHost } from '../parsers';
import type { TreeSitterMatcher } from '../rule-types';
import type { CodeUnit } from '../skill-model';
import { buildPrefilter, type RegexPrefilter } from '../regex-prefilter';
import { overUnits } from '../result-memo';
import { satisfies, testRegex } from './regex-util';
import { capturedMatch, compareMatches, matchesByStatement, type CapturedMatch } from './statement-matches';
import type { MatchContext, RawFinding } from './types';

const MAX_MATCHES_PER_UNIT = 50;

export function unitTreeLanguage(unit: CodeUnit): TreeLanguage | undefined {
  switch (unit.language) {
    case 'python':
    case 'bash':
    case 'javascript':
    case 'typescript':
      return unit.language;
    case 'powershell':
      return isPowerShellSource(unit) ? 'powershell' : undefined;
    default:
      return undefined;
  }
}

/**
 * Units read with the PowerShell rules that are not PowerShell: batch files, registry files and
 * the command lines VBScript hands to a shell. The grammar would read them as nonsense.
 */
const NOT_POWERSHELL_FILE = /\.(?:bat|cmd|reg|vbs|wsf)$/i;

function isPowerShellSource(unit: CodeUnit): boolean {
  return !NOT_POWERSHELL_FILE.test(unit.file.path);
}

/** Parses a unit once per scan; `null` in the cache records a parse that failed or timed out. */
export function treeFor(unit: CodeUnit, context: MatchContext): Tree | undefined {
  const cached = context.cache.trees.get(unit);
  if (cached !== undefined) return cached ?? undefined;
  const language = unitTreeLanguage(unit);
  if (language && context.memo) {
    // The memo owns its trees (it frees them on eviction); a timed-out parse is not remembered.
    const entry = context.memo.unit(unit);
    if (entry.tree) return entry.tree;
    // A script being typed into is re-parsed from the tree of its previous text.
    const place = unit.origin === 'script' ? `${language}\u0000${unit.file.path}` : undefined;
    entry.tree = context.trees.parse(language, unit.text, context.deadline, place === undefined ? undefined : context.memo.previousParse(place));
    if (entry.tree && place !== undefined) context.memo.parsedAt(place, unit.text, entry);
    return entry.tree;
  }
  const tree = language ? context.trees.parse(language, unit.text, context.deadline) : undefined;
  context.cache.trees.set(unit, tree ?? null);
  return tree;
}

const NO_UNIT_FINDINGS: readonly UnitFinding[] = [];

/** A finding with offsets relative to its unit, so it can be reused wherever the unit moves. */
interface UnitFinding {
  readonly start: number;
  readonly end: number;
  readonly captures: Readonly<Record<string, string>>;
}

export function runTreeSitterMatcher(matcher: TreeSitterMatcher, context: MatchContext): RawFinding[] {
  const { memo, model } = context;
  const units = model.units;
  const memoId = memo?.idOf(matcher) ?? -1;
  const search = (index: number): readonly UnitFinding[] | undefined => {
    const unit = units[index] as CodeUnit;
    const language = unitTreeLanguage(unit);
    if (!language || !matcher.languages.includes(language)) return NO_UNIT_FINDINGS;
    if (matcher.origins && !matcher.origins.includes(unit.origin)) return NO_UNIT_FINDINGS;
    // Looked up before the text filters: a unit that did not change keeps its answer, even "none".
    const memoEntry = memo?.unit(unit);
    const kept = memoEntry?.results.get(memoId) as readonly UnitFinding[] | undefined;
    if (kept) return kept;
    if (!passesTextFilters(matcher, unit.text, context)) {
      memoEntry?.results.set(memoId, NO_UNIT_FINDINGS);
      return NO_UNIT_FINDINGS;
    }
    if (Date.now() > context.deadline) return undefined;
    const tree = treeFor(unit, context);
    if (!tree) return Date.now() > context.deadline ? undefined : NO_UNIT_FINDINGS;
    const found = matchUnit(matcher, unit, language, tree, context);
    memoEntry?.results.set(memoId, found);
    return found;
  };
  return overUnits(memo, matcher, units, search, (index, found): RawFinding => {
    const unit = units[index] as CodeUnit;
    return { file: unit.file.path, start: unit.start + found.start, end: unit.start + found.end, captures: found.captures };
  });
}

/** A capture's text; empty when the match has no such capture. */
function captureText(match: CapturedMatch, name: string): string {
  let text = match.texts.get(name);
  if (text === undefined) {
    text = match.nodes.get(name)?.text ?? '';
    match.texts.set(name, text);
  }
  return text;
}

/** Below this size a walk per query costs less than a tenth of a millisecond. */
const COMBINE_MIN_CHARS = 2_000;

/** Every rule's tree-sitter matchers, per host: what a unit may be asked for, for `capturedMatches`. */
const registeredMatchers = new WeakMap<TreeSitterHost, readonly TreeSitterMatcher[]>();

/** Tells the matchers which rules will run with `trees`, so that one walk of a tree can serve them all. */
export function registerTreeSitterMatchers(trees: TreeSitterHost, matchers: readonly TreeSitterMatcher[]): void {
  registeredMatchers.set(trees, matchers);
}

/** Whether `matcher` would query `unit`: its language and origin, then its cheap text filters. */
function mayQuery(matcher: TreeSitterMatcher, unit: CodeUnit, language: TreeLanguage, context: MatchContext): boolean {
  if (!matcher.languages.includes(language)) return false;
  if (matcher.origins && !matcher.origins.includes(unit.origin)) return false;
  return passesTextFilters(matcher, unit.text, context);
}

/**
 * The trigger (first by the literals the text holds, found once for every rule), then the literals
 * the `where` constraints need, then `requires` (behaviour the unit must also show): a unit
 * failing any is not queried.
 */
function passesTextFilters(matcher: TreeSitterMatcher, text: string, context: MatchContext): boolean {
  const filter = context.literalFilter;
  if (filter && !filter.mayTrigger(matcher, text, context.memo?.literalPresence ?? context.cache.literalPresence)) return false;
  return testRegex(matcher.trigger, text) && capturesCanSatisfy(matcher, text) && (matcher.requires === undefined || testRegex(matcher.requires, text));
}

/**
 * Query results per tree, by query source: rules often share a query and differ only in `where`
 * constraints (or in the rule reporting), so each distinct query runs once over a tree. In the
 * editor, the first request for a script-sized tree also answers every other registered query whose
 * filters the unit passes, with one combined query: one walk of the tree instead of one per query.
 * Keyed by tree, so the cache lives exactly as long as the trees it points into.
 */
const matchesByTree = new WeakMap<Tree, Map<string, CapturedMatch[]>>();

function capturedMatches(context: MatchContext, unit: CodeUnit, language: TreeLanguage, source: string, tree: Tree): readonly CapturedMatch[] {
  let bySource = matchesByTree.get(tree);
  if (!bySource) {
    bySource = new Map();
    matchesByTree.set(tree, bySource);
  }
  const found = bySource.get(source);
  if (found) return found;
  // Compiling a combined query costs many walks, so it pays only where the same set of queries
  // recurs over a tree large enough for walks to matter: in the editor (the memo), where each
  // keystroke re-parses the same unit, and only once a set has recurred (TreeSitterHost.combined).
  // In registration order, so that the same set is the same key whichever rule asks first.
  const sources = new Set<string>();
  if (context.memo && unit.text.length >= COMBINE_MIN_CHARS) {
    for (const matcher of registeredMatchers.get(context.trees) ?? []) {
      const query = matcher.query;
      if (!sources.has(query) && !bySource.has(query) && (query === source || mayQuery(matcher, unit, language, context))) sources.add(query);
    }
  }
  const combined = sources.size > 1 && sources.has(source) ? context.trees.combined(language, [...sources]) : undefined;
  if (combined) {
    for (const each of sources) bySource.set(each, []);
    // The combined query runs only in the editor, with the memo: there, statements typed around
    // keep their matches (statement-matches.ts).
    const byStatement = context.memo ? matchesByStatement(combined, tree, unit.text, context.memo) : undefined;
    for (const match of byStatement ?? combined.query.matches(tree.rootNode).map(capturedMatch)) {
      bySource.get(combined.sourceOfPattern[match.patternIndex] as string)?.push(match);
    }
    for (const each of sources) bySource.get(each)?.sort(compareMatches);
    return bySource.get(source) as CapturedMatch[];
  }
  const alone = context.trees.query(language, source).matches(tree.rootNode).map(capturedMatch).sort(compareMatches);
  bySource.set(source, alone);
  return alone;
}

function matchUnit(matcher: TreeSitterMatcher, unit: CodeUnit, language: TreeLanguage, tree: Tree, context: MatchContext): UnitFinding[] {
  const findings: UnitFinding[] = [];
  let count = 0;
  for (const match of capturedMatches(context, unit, language, matcher.query, tree)) {
    if (!whereHolds(matcher, match)) continue;
    const reported = match.nodes.get(matcher.report ?? 'finding') ?? match.first;
    if (!reported) continue;
    const captures: Record<string, string> = { match: reported.text };
    for (const name of match.nodes.keys()) captures[name] = captureText(match, name);
    findings.push({ start: reported.startIndex, end: reported.endIndex, captures });
    if (++count >= MAX_MATCHES_PER_UNIT) break;
  }
  return findings;
}

const capturePrefilters = new WeakMap<TreeSitterMatcher, readonly RegexPrefilter[]>();

/**
 * A capture's text is a slice of the unit's text (or empty when the capture is absent), so when a
 * `where` regex needs one of a few literals, a unit containing none of them cannot produce a
 * finding and is neither parsed nor queried for this matcher. This sharpens short triggers
 * (`rm`, `log`, `net`) without changing what is found.
 */
function capturesCanSatisfy(matcher: TreeSitterMatcher, text: string): boolean {
  let prefilters = capturePrefilters.get(matcher);
  if (!prefilters) {
    prefilters = Object.values(matcher.where ?? {}).flatMap((constraint) => {
      const prefilter = constraint.regex === undefined ? undefined : buildPrefilter(constraint.regex, constraint.flags ?? '', true);
      return prefilter ? [prefilter] : [];
    });
    capturePrefilters.set(matcher, prefilters);
  }
  return prefilters.every((prefilter) => prefilter.mayMatch(text));
}

function whereHolds(matcher: TreeSitterMatcher, match: CapturedMatch): boolean {
  if (!matcher.where) return true;
  for (const [name, constraint] of Object.entries(matcher.where)) {
    if (!satisfies(captureText(match, name), constraint)) return false;
  }
  return true;
}
