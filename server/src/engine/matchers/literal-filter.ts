import { has, LiteralIndex } from '../literal-index';
import { requiredLiteralOptions } from '../regex-prefilter';
import type { RegexMatcher } from '../rule-types';

/**
 * One literal pass per text for every regex matcher of the rules. Each matcher's pattern gives
 * literal options (every match contains, for one option, a literal of each of its sets); a text
 * whose literals satisfy none of them cannot match, and the regex is not run on it. Where the
 * per-pattern prefilter scans the text once per matcher, this scans it once for all of them, and
 * it keeps the options of each alternative apart, which a single literal set cannot.
 */
export class RegexLiteralFilter {
  private readonly index: LiteralIndex;
  /**
   * Per matcher, its options flattened for a loop without allocation: option count, then for each
   * option its set count, then for each set its literal count and ids. Absent when the pattern
   * gives no options.
   */
  private readonly options = new Map<RegexMatcher, Int32Array>();

  constructor(matchers: Iterable<RegexMatcher>) {
    const ids = new Map<string, number>();
    const idOf = (literal: string): number => {
      const folded = literal.toLowerCase();
      let id = ids.get(folded);
      if (id === undefined) {
        id = ids.size;
        ids.set(folded, id);
      }
      return id;
    };
    for (const matcher of matchers) {
      const options = requiredLiteralOptions(matcher.pattern, matcher.flags ?? '');
      if (!options || options.some((option) => option.some((set) => !set.every(LiteralIndex.isIndexable)))) continue;
      const flat = [options.length];
      const idsOf = new Map<readonly string[], number[]>();
      for (const option of options) {
        flat.push(option.length);
        for (const set of option) {
          let ids = idsOf.get(set);
          if (!ids) {
            ids = set.map(idOf);
            idsOf.set(set, ids);
          }
          flat.push(set.length, ...ids);
        }
      }
      this.options.set(matcher, Int32Array.from(flat));
    }
    this.index = new LiteralIndex([...ids.keys()]);
  }

  /**
   * True when `mayMatch` already says all that the pattern's own literal prefilter would: the
   * pattern has options and folds case, as the index does.
   */
  subsumesPrefilter(matcher: RegexMatcher): boolean {
    return this.options.has(matcher) && (matcher.flags ?? '').includes('i');
  }

  /**
   * False when `text` cannot hold a match of the matcher's pattern. `presence` keeps the literal
   * pass of each text for the rest of the scan.
   */
  mayMatch(matcher: RegexMatcher, text: string, presence: Map<string, Uint32Array>): boolean {
    const flat = this.options.get(matcher);
    if (!flat) return true;
    let present = presence.get(text);
    if (!present) {
      present = this.index.presentIn(text);
      presence.set(text, present);
    }
    return satisfied(flat, present);
  }
}

/** Whether some option of `flat` (see RegexLiteralFilter.options) has a present literal in each set. */
function satisfied(flat: Int32Array, present: Uint32Array): boolean {
  let at = 1;
  for (let option = flat[0] ?? 0; option > 0; option--) {
    let sets = flat[at++] ?? 0;
    let allSets = true;
    for (; sets > 0; sets--) {
      const count = flat[at++] ?? 0;
      const end = at + count;
      if (allSets) {
        let any = false;
        for (let i = at; i < end && !any; i++) any = has(present, flat[i] ?? 0);
        allSets = any;
      }
      at = end;
    }
    if (allSets) return true;
  }
  return false;
}
