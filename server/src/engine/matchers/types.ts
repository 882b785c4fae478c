import type { RuleDefinition } from '../rule-types';
import type { ScanCache, SkillModel } from '../skill-model';
import type { TreeSitterHost } from '../parsers';
import type { ResultMemo } from '../result-memo';
import type { Fix, Severity } from '../types';
import type { RegexLiteralFilter } from './literal-filter';

/** A match before it becomes a Finding: offsets into one file's text. */
export interface RawFinding {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly severity?: Severity;
  /** Replaces the rule message entirely (already interpolated). */
  readonly message?: string;
  /** Values for `{name}` placeholders in the rule message. */
  readonly captures?: Readonly<Record<string, string>>;
  readonly related?: readonly { readonly file: string; readonly start: number; readonly end: number; readonly message: string }[];
  readonly fix?: Fix;
}

export interface MatchContext {
  readonly model: SkillModel;
  readonly cache: ScanCache;
  readonly trees: TreeSitterHost;
  readonly rule: RuleDefinition;
  /** Absolute deadline (ms since epoch) for the file being analysed. */
  readonly deadline: number;
  /** Results kept between scans (language server); absent for one-off scans. */
  readonly memo?: ResultMemo;
  /** Skips regex matchers on texts that lack their literals; absent in tests that build contexts by hand. */
  readonly literalFilter?: RegexLiteralFilter;
}
