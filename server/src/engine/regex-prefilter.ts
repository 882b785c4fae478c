import { RegExpParser } from '@eslint-community/regexpp';
import type { Alternative, CharacterClass, Element, Pattern } from '@eslint-community/regexpp/ast';

/**
 * Required-literal prefilters for regexes. For a pattern we derive a set of literal strings such
 * that every string the regex matches contains at least one of them; a text containing none of
 * them cannot match, so the (often much slower) regex need not run on it.
 *
 * The derivation is conservative: any construct it does not understand (backreferences, classes
 * too large to enumerate, optional parts, inline modifiers, …) contributes "nothing known", and a
 * pattern about which nothing useful is known gets no prefilter at all. The literals are tested
 * with the regex's own case-folding flags (`i`, `u`, `v`), so "contains" means exactly what it
 * means for the literal characters inside the original regex.
 */

/** What is known about the strings a regex node matches. */
type Knowledge =
  /** The node matches exactly one of these strings (possibly the empty string). */
  | { readonly kind: 'exact'; readonly strings: ReadonlySet<string> }
  /**
   * Every match satisfies one of the options; an option is satisfied when the match contains one
   * string of each of its sets (all strings non-empty, the most selective set first).
   */
  | { readonly kind: 'contains'; readonly options: readonly Conjunction[] }
  | { readonly kind: 'unknown' };

type Conjunction = readonly ReadonlySet<string>[];

const UNKNOWN: Knowledge = { kind: 'unknown' };
const EMPTY: Knowledge = { kind: 'exact', strings: new Set(['']) };

/** Largest exact set kept while concatenating or alternating; beyond it we fall back to `contains`. */
const MAX_EXACT_STRINGS = 64;
/** Largest literal set worth testing: more alternatives than this is no longer cheap to check. */
const MAX_LITERALS = 48;
/** Most literal sets tested one after the other before a regex runs. */
const MAX_SETS = 3;
/** Most options kept for an alternation; beyond it they are merged into one set. */
const MAX_OPTIONS = 256;
/** Largest character class expanded into its single characters. */
const MAX_CLASS_CHARACTERS = 8;
/** Exact repetitions (`x{3}`) expanded at most this many times. */
const MAX_EXACT_REPEAT = 4;

export interface RegexPrefilter {
  /** Every match of the regex contains one of these (under the regex's case folding). */
  readonly literals: readonly string[];
  /** False when `text` contains none of the literals, so the regex cannot match it. */
  mayMatch(text: string): boolean;
}

/** The pattern's syntax tree, or undefined when regexpp cannot read it. */
function parsePattern(pattern: string, flags: string): Pattern | undefined {
  try {
    return new RegExpParser({ strict: false, ecmaVersion: 2025 }).parsePattern(pattern, 0, pattern.length, {
      unicode: flags.includes('u'),
      unicodeSets: flags.includes('v'),
    });
  } catch {
    return undefined;
  }
}

/**
 * The literals every match of `pattern` (compiled with `flags`) must contain, or undefined when no
 * useful set can be derived. `alsoWhenExact`: also return a set when the whole pattern is itself
 * just a list of literals (then the prefilter is no cheaper than the regex, so callers that only
 * want to save time leave it out).
 */
export function requiredLiterals(pattern: string, flags = '', alsoWhenExact = false): string[] | undefined {
  return requiredLiteralSets(pattern, flags, alsoWhenExact)?.[0];
}

/**
 * Sets of literals such that every match of `pattern` contains one string of each set, most
 * selective first (at most MAX_SETS), or undefined when none is derivable; `alsoWhenExact` as
 * for requiredLiterals.
 */
export function requiredLiteralSets(pattern: string, flags = '', alsoWhenExact = false): string[][] | undefined {
  const ast = parsePattern(pattern, flags);
  if (!ast) return undefined;
  const knowledge = alternation(ast.alternatives);
  if (knowledge.kind === 'unknown') return undefined;
  if (knowledge.kind === 'exact') {
    if (!alsoWhenExact) return undefined;
    const strings = [...knowledge.strings];
    if (strings.length === 0 || strings.includes('') || strings.length > MAX_LITERALS) return undefined;
    return [withoutSuperstrings(strings)];
  }
  const merged = merge(knowledge.options);
  return merged?.slice(0, MAX_SETS).map((set) => withoutSuperstrings([...set]));
}

/**
 * The literal options of `pattern`: every match contains, for one of the options, one string of
 * each of its sets. Undefined when nothing is known. A pattern that is a list of literals gives one
 * option of one set.
 */
export function requiredLiteralOptions(pattern: string, flags = ''): string[][][] | undefined {
  const ast = parsePattern(pattern, flags);
  if (!ast) return undefined;
  const knowledge = alternation(ast.alternatives);
  if (knowledge.kind === 'unknown') return undefined;
  if (knowledge.kind === 'exact') {
    const strings = [...knowledge.strings];
    return strings.length === 0 || strings.includes('') ? undefined : [[withoutSuperstrings(strings)]];
  }
  // Options multiplied out of a sequence share their sets: each set is converted once, and the same
  // array stands for it in every option (callers may key work on it).
  const converted = new Map<ReadonlySet<string>, string[]>();
  const convert = (set: ReadonlySet<string>): string[] => {
    let literals = converted.get(set);
    if (!literals) {
      literals = withoutSuperstrings([...set]);
      converted.set(set, literals);
    }
    return literals;
  };
  return knowledge.options.map((option) => option.slice(0, MAX_SETS).map(convert));
}

/**
 * Literal options with one option per top-level alternative of `pattern`: that alternative's
 * required sets, as {@link requiredLiteralSets} gives them. For a gate that finds every literal of
 * a text in one pass and then tests options (see `LiteralOptionTable`): an alternation too wide to
 * merge into one set is still ruled out alternative by alternative. Undefined when an alternative
 * has no literals.
 */
export function alternativeLiteralOptions(pattern: string, flags = ''): string[][][] | undefined {
  const ast = parsePattern(pattern, flags);
  if (!ast) return undefined;
  const options: string[][][] = [];
  for (const alternative of ast.alternatives) {
    const knowledge = sequence(alternative.elements);
    if (knowledge.kind === 'unknown') return undefined;
    if (knowledge.kind === 'exact') {
      const strings = [...knowledge.strings];
      if (strings.length === 0 || strings.includes('') || strings.length > MAX_LITERALS) return undefined;
      options.push([withoutSuperstrings(strings)]);
      continue;
    }
    const merged = merge(knowledge.options);
    if (!merged) return undefined;
    options.push(merged.slice(0, MAX_SETS).map((set) => withoutSuperstrings([...set])));
  }
  return options.length > 0 ? options : undefined;
}

/** One conjunction implied by every option: the union of each option's most selective set. */
function merge(options: readonly Conjunction[]): Conjunction | undefined {
  if (options.length === 1) return options[0];
  const union = new Set<string>();
  for (const option of options) {
    const best = option[0];
    if (!best) return undefined;
    for (const text of best) union.add(text);
  }
  return union.size > 0 && union.size <= MAX_LITERALS ? [union] : undefined;
}

/**
 * True when every match starts with a literal character or a small set of them (through groups,
 * not through assertions or quantified parts). V8 then finds candidate positions by a fast
 * literal scan of its own, and a prefilter would mostly repeat that scan.
 */
export function startsWithLiteral(pattern: string, flags = ''): boolean {
  const ast = parsePattern(pattern, flags);
  if (!ast) return false;
  const alternativesStartLiteral = (alternatives: readonly Alternative[]): boolean =>
    alternatives.every((alternative) => {
      const first = alternative.elements[0];
      if (!first) return false;
      if (first.type === 'Character') return true;
      if (first.type === 'CharacterClass') return characterClass(first).kind === 'exact';
      if (first.type === 'CapturingGroup' || (first.type === 'Group' && !first.modifiers)) return alternativesStartLiteral(first.alternatives);
      return false;
    });
  return alternativesStartLiteral(ast.alternatives);
}

/**
 * A prefilter for `pattern`, or undefined when none is derivable or (unless `alsoWhenExact`) it
 * would save nothing because the pattern is itself a list of literals.
 */
export function buildPrefilter(pattern: string, flags = '', alsoWhenExact = false): RegexPrefilter | undefined {
  return prefilterOfSets(requiredLiteralSets(pattern, flags, alsoWhenExact), flags);
}

/** A test for "the text contains one of `literals`", with the case folding of `flags`. */
function literalFinder(literals: readonly string[], flags: string): (text: string) => boolean {
  const foldCase = flags.includes('i');
  if (!foldCase && literals.length <= 4) return (text) => literals.some((literal) => text.includes(literal));
  const literalFlags = [...flags].filter((flag) => flag === 'i' || flag === 'u' || flag === 'v').join('');
  if (foldCase && literals.some((literal) => /[^\x00-\x7f]/.test(literal))) {
    // V8 merges case-insensitive alternatives by a wider case equivalence than it matches with
    // (`/Kaa|\u212aaa/i` misses "\u212aaA", which `/(?:K|\u212a)aa/i` finds), so non-ASCII
    // literals are tested one by one.
    const finders = literals.map((literal) => new RegExp(escapeLiteral(literal), literalFlags));
    return (text) => finders.some((finder) => finder.test(text));
  }
  // One pass over the text for many literals, with the regex's own case folding.
  const finder = new RegExp(literals.map(escapeLiteral).join('|'), literalFlags);
  return (text) => finder.test(text);
}

/** Escapes for a pattern in any mode (`u`/`v` reject identity escapes of non-syntax characters). */
function escapeLiteral(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A text containing "abc" contains "b": the longer literal adds nothing to the test. */
function withoutSuperstrings(strings: readonly string[]): string[] {
  const sorted = [...new Set(strings)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const candidate of sorted) if (!kept.some((shorter) => candidate.includes(shorter))) kept.push(candidate);
  return kept;
}

function alternation(alternatives: readonly Alternative[]): Knowledge {
  const parts = alternatives.map((alternative) => sequence(alternative.elements));
  if (parts.every((part) => part.kind === 'exact')) {
    const union = new Set<string>();
    for (const part of parts) for (const text of part.strings) union.add(text);
    if (union.size <= MAX_EXACT_STRINGS) return { kind: 'exact', strings: union };
  }
  const options: Conjunction[] = [];
  for (const part of parts) {
    if (part.kind === 'unknown') return UNKNOWN;
    if (part.kind === 'exact') {
      if (part.strings.has('') || part.strings.size === 0) return UNKNOWN;
      options.push([part.strings]);
    } else options.push(...part.options);
  }
  if (options.length <= MAX_OPTIONS) return { kind: 'contains', options };
  // Too many to test one by one: each alternative's most selective set, merged.
  const merged = merge(options);
  return merged ? { kind: 'contains', options: [merged] } : UNKNOWN;
}

/**
 * Adjacent exact parts are multiplied out into longer literals ("ab" then [cd] → "abc", "abd");
 * anything else ends the run. The most selective of the finished runs and `contains` sets wins.
 */
function sequence(elements: readonly Element[]): Knowledge {
  let run: ReadonlySet<string> = new Set(['']);
  let allExact = true;
  const candidates: ReadonlySet<string>[] = [];
  const closeRun = (): void => {
    if (!run.has('')) candidates.push(run);
    run = new Set(['']);
  };
  // Options of the elements that have several: a match satisfies one option of each.
  let product: Conjunction[] = [[]];
  for (const element of elements) {
    const part = element_(element);
    if (part.kind === 'exact') {
      const joined = cross(run, part.strings);
      if (joined) run = joined;
      else {
        allExact = false;
        closeRun();
        run = part.strings;
      }
      continue;
    }
    allExact = false;
    closeRun();
    if (part.kind !== 'contains') continue;
    if (part.options.length === 1) candidates.push(...(part.options[0] ?? []));
    else if (product.length * part.options.length <= MAX_OPTIONS) product = product.flatMap((left) => part.options.map((right) => [...left, ...right]));
    else {
      const merged = merge(part.options);
      if (merged) candidates.push(...merged);
    }
  }
  if (allExact) return { kind: 'exact', strings: run };
  closeRun();
  // Every part of a sequence is in every match, so each candidate set is required: all are kept,
  // most selective first.
  const options = product
    .map((option) => [...candidates, ...option].filter((set) => set.size > 0 && set.size <= MAX_LITERALS).sort((a, b) => selectivity(b) - selectivity(a)))
    .filter((option) => option.length > 0);
  return options.length === product.length ? { kind: 'contains', options } : UNKNOWN;
}

/** Longer shortest literal first (rarer in text), then fewer literals. */
function selectivity(strings: ReadonlySet<string>): number {
  let shortest = Infinity;
  for (const text of strings) shortest = Math.min(shortest, text.length);
  return Math.min(shortest, 16) * 1000 - strings.size;
}

function cross(left: ReadonlySet<string>, right: ReadonlySet<string>): Set<string> | undefined {
  if (left.size * right.size > MAX_EXACT_STRINGS) return undefined;
  const product = new Set<string>();
  for (const a of left) for (const b of right) product.add(a + b);
  return product;
}

function element_(element: Element): Knowledge {
  switch (element.type) {
    case 'Character':
      return { kind: 'exact', strings: new Set([String.fromCodePoint(element.value)]) };
    case 'Assertion':
      // Zero-width: ^ $ \b and lookarounds consume nothing, so they add nothing to a match's text.
      return EMPTY;
    case 'CapturingGroup':
      return alternation(element.alternatives);
    case 'Group':
      // `(?i:…)` changes case folding inside the group; its literals would not hold outside.
      return element.modifiers ? UNKNOWN : alternation(element.alternatives);
    case 'CharacterClass':
      return characterClass(element);
    case 'Quantifier':
      return quantifier(element.min, element.max, element_(element.element));
    default:
      // Backreferences, \d \w \s . \p{…}, and v-mode set expressions.
      return UNKNOWN;
  }
}

function quantifier(min: number, max: number, inner: Knowledge): Knowledge {
  if (max === 0) return EMPTY;
  // Optional parts may be absent from a match.
  if (min === 0 || inner.kind === 'unknown') return UNKNOWN;
  if (inner.kind === 'exact') {
    if (min === max && min <= MAX_EXACT_REPEAT) {
      let product: ReadonlySet<string> | undefined = new Set(['']);
      for (let i = 0; i < min && product; i++) product = cross(product, inner.strings);
      if (product) return { kind: 'exact', strings: product };
    }
    return inner.strings.has('') ? UNKNOWN : { kind: 'contains', options: [[inner.strings]] };
  }
  return inner;
}

function characterClass(node: CharacterClass): Knowledge {
  if (node.negate) return UNKNOWN;
  const characters = new Set<string>();
  for (const item of node.elements) {
    if (item.type === 'Character') characters.add(String.fromCodePoint(item.value));
    else if (item.type === 'CharacterClassRange') {
      if (item.max.value - item.min.value + 1 > MAX_CLASS_CHARACTERS) return UNKNOWN;
      for (let code = item.min.value; code <= item.max.value; code++) characters.add(String.fromCodePoint(code));
    } else return UNKNOWN;
    if (characters.size > MAX_CLASS_CHARACTERS) return UNKNOWN;
  }
  // `[]` matches nothing; an empty exact set would make the whole alternative vanish, which is right.
  return { kind: 'exact', strings: characters };
}

/**
 * The prefilter worth running before `pattern`: none when the pattern starts with a literal (V8's
 * own scan is as fast) or is itself a list of literals. Measured on the benign corpus, prefilters
 * on literal-led patterns cost more than they saved.
 */
export function speedPrefilter(pattern: string, flags = ''): RegexPrefilter | undefined {
  return prefilterOfSets(speedLiteralSets(pattern, flags), flags);
}

/**
 * The literal sets {@link speedPrefilter} tests, or undefined when it has none. Derived for the
 * rules' patterns when the rules are compiled (`speedPrefilters` in rules.json), so that an
 * engine does not parse every pattern again on its first scan.
 */
export function speedLiteralSets(pattern: string, flags = ''): string[][] | undefined {
  return startsWithLiteral(pattern, flags) ? undefined : requiredLiteralSets(pattern, flags);
}

/** The prefilter that tests `literalSets` (each one in turn) with the case folding of `flags`. */
export function prefilterOfSets(literalSets: readonly (readonly string[])[] | undefined, flags = ''): RegexPrefilter | undefined {
  const literals = literalSets?.[0];
  if (!literalSets || !literals) return undefined;
  const finders = literalSets.map((set) => literalFinder(set, flags));
  return { literals, mayMatch: (text) => finders.every((found) => found(text)) };
}
