import type { TreeLanguage } from './parsers';
import { SEVERITIES, type Severity } from './types';

/**
 * Where a regex runs. `code:<lang>` covers bundled scripts and SKILL.md/Markdown code fences of
 * that language; `markdown:*` are parts of SKILL.md and other Markdown files of the skill.
 */
export type RegexTarget =
  | 'code:python'
  | 'code:bash'
  | 'code:javascript'
  | 'code:typescript'
  | 'code:powershell'
  | 'code:text'
  | 'code:any'
  | 'markdown:prose'
  | 'markdown:html-comment'
  | 'markdown:inline-code'
  | 'markdown:link-url'
  | 'markdown:instructions'
  | 'frontmatter'
  | `frontmatter:${string}`
  | 'file:any';

/**
 * Where a code unit comes from: a bundled script, a Markdown fence, a dynamic-context command, or
 * an inline code span in Markdown that reads as a risky command line ("run `curl … | sh`").
 */
export type CodeOrigin = 'script' | 'fence' | 'dynamic' | 'inline';

export interface CaptureConstraint {
  readonly regex?: string;
  readonly notRegex?: string;
  readonly flags?: string;
  /**
   * The capture is a shell command: the regexes test it from the program its wrappers run
   * (`sudo -u root`, `env A=1`, `timeout 60`, `nohup` and the like, `shell-wrappers.ts`), so a
   * wrapper cannot hide the program from a rule.
   */
  readonly unwrap?: boolean;
}

interface MatcherBase {
  /** Overrides the rule's severity for findings of this matcher. */
  readonly severity?: Severity;
  /** Overrides the rule's message for findings of this matcher. */
  readonly message?: string;
  /** A safe, mechanical fix: replaces the reported range with `replacement` (`{capture}` filled in verbatim). */
  readonly fix?: { readonly title: string; readonly replacement: string };
}

export interface RegexMatcher extends MatcherBase {
  readonly kind: 'regex';
  readonly target: RegexTarget;
  readonly pattern: string;
  readonly flags?: string;
  /**
   * The pattern's literal options (see `requiredLiteralOptions`), derived when the rules are
   * compiled so that no engine parses every pattern again when it starts; null when the
   * derivation found none (the pattern then has no gate).
   */
  readonly literalOptions?: LiteralOptions | null;
  /** Restricts `code:*` targets to scripts, fences or dynamic-context commands. */
  readonly origins?: readonly CodeOrigin[];
  /** Constraints on named groups. */
  readonly where?: Readonly<Record<string, CaptureConstraint>>;
  /** A finding is dropped when its line matches this pattern (e.g. a comment line). */
  readonly unlessLine?: string;
  /** The same unit must also contain a match for this pattern (co-occurrence of behaviour). */
  readonly requires?: string;
  /**
   * Instruction polarity for Markdown targets: a match in a negated sentence ("never run …") or
   * inside a quotation or blockquote is kept but reported at these lower severities.
   */
  readonly polarity?: { readonly negated?: Severity; readonly quoted?: Severity };
}

/** Options, each a list of literal sets; a match holds one literal of every set of one option. */
export type LiteralOptions = readonly (readonly (readonly string[])[])[];

export interface TreeSitterMatcher extends MatcherBase {
  readonly kind: 'tree-sitter';
  readonly languages: readonly TreeLanguage[];
  readonly query: string;
  /** Constraints on capture text, evaluated in our code (not via query predicates). */
  readonly where?: Readonly<Record<string, CaptureConstraint>>;
  /** Capture to report; defaults to `finding`, else the first capture. */
  readonly report?: string;
  /** Cheap pre-filter: units whose text does not match are never parsed for this matcher. */
  readonly trigger: string;
  /** The trigger's literal options, derived when the rules are compiled (see `RegexMatcher.literalOptions`). */
  readonly triggerLiteralOptions?: LiteralOptions | null;
  /** The same unit must also contain a match for this pattern (co-occurrence of behaviour). */
  readonly requires?: string;
  readonly origins?: readonly CodeOrigin[];
}

export interface FrontmatterFieldMatcher extends MatcherBase {
  readonly kind: 'frontmatter-field';
  readonly field: string;
  readonly required?: boolean;
  readonly type?: 'string' | 'list' | 'mapping' | 'string-or-list';
  readonly maxLength?: number;
  readonly minLength?: number;
  /** The value must match this pattern. */
  readonly pattern?: string;
  /** The value must not match this pattern. */
  readonly forbiddenPattern?: string;
  readonly flags?: string;
}

export interface CheckMatcher extends MatcherBase {
  readonly kind: 'check';
  readonly check: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

export type Matcher = RegexMatcher | TreeSitterMatcher | FrontmatterFieldMatcher | CheckMatcher;

export interface RuleDefinition {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly category: string;
  readonly threat: string;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly status: 'experimental' | 'stable' | 'deprecated';
  readonly since: string;
  readonly message: string;
  readonly match: readonly Matcher[];
  readonly references?: readonly string[];
  /**
   * What the rule reports, when the skill's description names it as the skill's job (`description`,
   * a regex, case-insensitive) and no code of the skill can reach the network: its high findings
   * take `severity` (a LaunchAgent for the nightly backup the description promises).
   */
  readonly declaredPurpose?: { readonly description: string; readonly severity: Severity };
  /** Filled in by the build. */
  readonly docsUrl: string;
  readonly summary: string;
}

export interface CompiledRules {
  readonly version: string;
  readonly rules: readonly RuleDefinition[];
  /**
   * The prefilter literal sets of every regex the rules hold (`speedLiteralSets`), by the flags it
   * runs with, a NUL, and the pattern; null for a pattern without one. Derived when the rules are
   * compiled, so that an engine's first scan does not parse every pattern again.
   */
  readonly speedPrefilters?: Readonly<Record<string, readonly (readonly string[])[] | null>>;
  /**
   * The literal options that gate the instruction classifier's patterns (see `CueGate`), by
   * flags, a NUL, and the pattern's source; null for a pattern without any.
   */
  readonly classifierCues?: Readonly<Record<string, LiteralOptions | null>>;
}

/** Runtime guard for dist/rules.json: the build validated it against rule.schema.json. */
export function parseCompiledRules(data: unknown): CompiledRules {
  if (typeof data !== 'object' || data === null) throw new Error('rules.json: not an object');
  const record = data as Record<string, unknown>;
  if (typeof record.version !== 'string' || !Array.isArray(record.rules)) {
    throw new Error('rules.json: expected { version, rules[] }');
  }
  for (const rule of record.rules as unknown[]) {
    const r = rule as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.name !== 'string' || !Array.isArray(r.match)) {
      throw new Error('rules.json: a rule lacks id, name or match');
    }
    const declared = r.declaredPurpose as Record<string, unknown> | undefined;
    if (declared !== undefined && (typeof declared.description !== 'string' || !(SEVERITIES as readonly unknown[]).includes(declared.severity))) {
      throw new Error(`rules.json: ${r.id}: malformed declaredPurpose`);
    }
    for (const matcher of r.match as unknown[]) {
      for (const key of ['literalOptions', 'triggerLiteralOptions']) {
        const options = (matcher as Record<string, unknown>)[key];
        if (options !== undefined && options !== null && !isLiteralOptions(options)) throw new Error(`rules.json: ${r.id}: malformed ${key}`);
      }
    }
  }
  const prefilters = record.speedPrefilters;
  if (prefilters !== undefined) {
    const isSets = (sets: unknown): boolean => sets === null || (Array.isArray(sets) && sets.every((set) => Array.isArray(set) && set.every((literal) => typeof literal === 'string')));
    if (typeof prefilters !== 'object' || prefilters === null || Array.isArray(prefilters) || !Object.values(prefilters).every(isSets)) {
      throw new Error('rules.json: malformed speedPrefilters');
    }
  }
  const cues = record.classifierCues;
  if (cues !== undefined && (typeof cues !== 'object' || cues === null || Array.isArray(cues) || !Object.values(cues).every((options) => options === null || isLiteralOptions(options)))) {
    throw new Error('rules.json: malformed classifierCues');
  }
  return data as CompiledRules;
}

function isLiteralOptions(value: unknown): value is LiteralOptions {
  const isList = (items: unknown, each: (item: unknown) => boolean): boolean => Array.isArray(items) && items.every(each);
  return isList(value, (option) => isList(option, (set) => isList(set, (literal) => typeof literal === 'string')));
}
