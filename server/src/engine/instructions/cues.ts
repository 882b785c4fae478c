import { LiteralOptionTable } from '../literal-options';
import { alternativeLiteralOptions, requiredLiteralOptions, requiredLiteralSets } from '../regex-prefilter';
import type { LiteralOptions } from '../rule-types';

/**
 * Literal options of the classifier's patterns by `flags NUL source` (see {@link cueOptions}),
 * null for a pattern without any. Derived when the rules are compiled (`classifierCues` in
 * rules.json), so that an engine's first scan does not parse every pattern again.
 */
export type CueTable = Readonly<Record<string, LiteralOptions | null>>;

/** The key of a pattern in a {@link CueTable}. */
export function cueKey(pattern: RegExp): string {
  return `${pattern.flags}\u0000${pattern.source}`;
}

/**
 * The literals that gate `pattern`: the sets of which every match holds one string each, most
 * selective first, as one option. Fewer literals than the pattern's full options, so the
 * per-sentence pass and each test stay short. A pattern whose alternatives are too many to merge
 * into one set is gated by its full options, or else by one option per top-level alternative,
 * when they hold at most {@link MAX_CUE_LITERALS} distinct literals; undefined when the pattern
 * has none.
 */
export function cueOptions(pattern: RegExp): LiteralOptions | undefined {
  const sets = requiredLiteralSets(pattern.source, pattern.flags, true);
  if (sets) return [sets];
  const full = requiredLiteralOptions(pattern.source, pattern.flags);
  if (full && literalCount(full) <= MAX_CUE_LITERALS) return full;
  const byAlternative = alternativeLiteralOptions(pattern.source, pattern.flags);
  return byAlternative && literalCount(byAlternative) <= MAX_CUE_LITERALS ? byAlternative : undefined;
}

/**
 * Most distinct literals one pattern adds to the gate: the pass over each sentence slows as the
 * automaton grows (the full options of every pattern, 37 thousand literals, made it slower than
 * no gate).
 */
const MAX_CUE_LITERALS = 400;

/** Distinct literals, as the gate's automaton holds them. */
function literalCount(options: LiteralOptions): number {
  return new Set(options.flat(2)).size;
}

/**
 * A literal gate in front of the instruction classifier's patterns. The classifier tries a few
 * hundred patterns on every sentence of every Markdown file, and almost all of them fail: over the
 * benign corpus, 11.9 million tests on 442 thousand sentences, 91 % of them on a sentence lacking
 * the pattern's literals. One pass over the sentence finds the literals of all patterns at once,
 * and a pattern whose literals the sentence lacks is not run.
 *
 * Only the sentence in focus is gated: the classifier also tries its patterns on slices and joins
 * of sentences, each seen once, where a literal pass would cost more than it saves.
 */
export class CueGate {
  private readonly patterns: RegExp[] = [];
  private compiled: CueTable = {};
  private table: LiteralOptionTable<RegExp> | undefined;
  private focused: string | undefined;
  /** The focused sentence's literals, filled on its first gated test. */
  private bits = new Uint32Array(0);
  private bitsFilled = false;
  /** Per pattern, whether the focused sentence holds one of its literals: most are ruled out by one read. */
  private candidates = new Uint8Array(0);

  /** Puts `pattern` behind the gate; called where the pattern is defined, before the first scan. */
  cued<R extends RegExp>(pattern: R): R {
    this.patterns.push(pattern);
    this.table = undefined;
    return pattern;
  }

  /** Takes the literal options derived when the rules were compiled; patterns not in `table` derive theirs. */
  useCompiled(table: CueTable): void {
    this.compiled = table;
    this.table = undefined;
  }

  /** The patterns behind the gate, for the build's table and for tests. */
  get cuedPatterns(): readonly RegExp[] {
    return this.patterns;
  }

  /**
   * Gates the following tests on `text` (one sentence) until the next focus. Focusing the text
   * already in focus keeps the literals found in it.
   */
  focus(text: string): void {
    if (text === this.focused) return;
    this.focused = text;
    this.bitsFilled = false;
  }

  /** False when `pattern` cannot match `text`: it is the text in focus, and lacks the pattern's literals. */
  mayMatch(pattern: RegExp, text: string): boolean {
    if (text !== this.focused) return true;
    const table = (this.table ??= this.build());
    const index = table.indexOf(pattern);
    if (index === undefined) return true;
    if (!this.bitsFilled) {
      this.bits.fill(0);
      table.markPresent(text, this.bits);
      table.markCandidates(this.bits, this.candidates);
      this.bitsFilled = true;
    }
    return this.candidates[index] === 1 && table.satisfiedAt(index, this.bits);
  }

  test(pattern: RegExp, text: string): boolean {
    if (this.mayMatch(pattern, text)) return pattern.test(text);
    pattern.lastIndex = 0;
    return false;
  }

  exec(pattern: RegExp, text: string): RegExpExecArray | null {
    if (this.mayMatch(pattern, text)) return pattern.exec(text);
    pattern.lastIndex = 0;
    return null;
  }

  private build(): LiteralOptionTable<RegExp> {
    const table = new LiteralOptionTable<RegExp>();
    for (const pattern of this.patterns) {
      const compiled = this.compiled[cueKey(pattern)];
      table.add(pattern, compiled === undefined ? cueOptions(pattern) : (compiled ?? undefined));
    }
    this.bits = new Uint32Array(table.bitWords);
    this.candidates = new Uint8Array(table.size);
    this.bitsFilled = false;
    return table;
  }
}
