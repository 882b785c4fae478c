import { LiteralOptionTable } from '../literal-options';
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
  private readonly table = new LiteralOptionTable<RegexMatcher>();

  constructor(matchers: Iterable<RegexMatcher>) {
    for (const matcher of matchers) this.table.add(matcher, matcher.literalOptions ?? requiredLiteralOptions(matcher.pattern, matcher.flags ?? ''));
  }

  /**
   * True when `mayMatch` already says all that the pattern's own literal prefilter would: the
   * pattern has options and folds case, as the index does.
   */
  subsumesPrefilter(matcher: RegexMatcher): boolean {
    return this.table.gates(matcher) && (matcher.flags ?? '').includes('i');
  }

  /**
   * False when `text` cannot hold a match of the matcher's pattern. `presence` keeps the literal
   * pass of each text for the rest of the scan.
   */
  mayMatch(matcher: RegexMatcher, text: string, presence: Map<string, Uint32Array>): boolean {
    if (!this.table.gates(matcher)) return true;
    let present = presence.get(text);
    if (!present) {
      present = this.table.presentIn(text);
      presence.set(text, present);
    }
    return this.table.allows(matcher, present);
  }
}
