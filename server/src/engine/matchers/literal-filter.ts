import { LiteralOptionTable, type LiteralPresence } from '../literal-options';
import { requiredLiteralOptions } from '../regex-prefilter';
import type { RegexMatcher, TreeSitterMatcher } from '../rule-types';

/**
 * One literal pass per text for every regex matcher of the rules, and for the triggers of the
 * tree-sitter matchers. Each pattern gives literal options (every match contains, for one option,
 * a literal of each of its sets); a text whose literals satisfy none of them cannot match, and
 * the regex is not run on it. Where the per-pattern prefilter scans the text once per matcher,
 * this scans it once for all of them, and it keeps the options of each alternative apart, which a
 * single literal set cannot.
 */
export class RegexLiteralFilter {
  private readonly table = new LiteralOptionTable<RegexMatcher | TreeSitterMatcher>();

  constructor(matchers: Iterable<RegexMatcher | TreeSitterMatcher>) {
    for (const matcher of matchers) {
      if (matcher.kind === 'regex') this.table.add(matcher, matcher.literalOptions === undefined ? requiredLiteralOptions(matcher.pattern, matcher.flags ?? '') : (matcher.literalOptions ?? undefined));
      // A trigger runs without flags; the index folds case, which only lets more texts through.
      else this.table.add(matcher, matcher.triggerLiteralOptions === undefined ? requiredLiteralOptions(matcher.trigger, '') : (matcher.triggerLiteralOptions ?? undefined));
    }
  }

  /**
   * False when `text` cannot match the tree-sitter matcher's trigger, from the literals it holds
   * (found once per text for every matcher, and kept in `kept`): the regex is then not run.
   */
  mayTrigger(matcher: TreeSitterMatcher, text: string, kept: PresenceStore): boolean {
    const gate = this.table.indexOf(matcher);
    return gate === undefined || this.table.allowsAt(gate, this.presenceOf(text, kept));
  }

  /**
   * True when `mayMatch` already says all that the pattern's own literal prefilter would: the
   * pattern has options and folds case, as the index does.
   */
  subsumesPrefilter(matcher: RegexMatcher): boolean {
    return this.table.gates(matcher) && (matcher.flags ?? '').includes('i');
  }

  /** The matcher's test, looked up once for a search over many texts; undefined when every text passes. */
  gateOf(matcher: RegexMatcher): number | undefined {
    return this.table.indexOf(matcher);
  }

  passes(gate: number, presence: LiteralPresence): boolean {
    return this.table.allowsAt(gate, presence);
  }

  /** The literals `text` holds, from `kept` when this scan already looked. */
  presenceOf(text: string, kept: PresenceStore): LiteralPresence {
    let presence = kept.get(text);
    if (!presence) {
      presence = this.table.presentIn(text);
      kept.set(text, presence);
    }
    return presence;
  }
}

/** Where the literals found in texts are kept, by text: a scan's own map, or the memo's across scans. */
export interface PresenceStore {
  get(text: string): LiteralPresence | undefined;
  set(text: string, presence: LiteralPresence): void;
}
