import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCapabilityInventory } from './capabilities';
import { CHECKS } from './checks';
import { runFrontmatterFieldMatcher } from './matchers/frontmatter-field';
import { runRegexMatcher } from './matchers/regex';
import { testRegex, useCompiledPrefilters } from './matchers/regex-util';
import { RegexLiteralFilter } from './matchers/literal-filter';
import { registerTreeSitterMatchers, runTreeSitterMatcher } from './matchers/tree-sitter-query';
import type { MatchContext, RawFinding } from './matchers/types';
import { TreeSitterHost } from './parsers';
import { CALLER_GRADED_RULE_IDS, gradeCallerCommands } from './caller-commands';
import { displayText, withVisibleText } from './display-text';
import { gradeQuotedExamples } from './example-grading';
import { hiddenPayloadFindings, MAX_HIDDEN_DEPTH } from './hidden-payload-scan';
import { analyseSkill } from './dataflow';
import type { BuiltCommand } from './dataflow/core';
import { INHERITING_RULE_ID, inheritedScriptFindings } from './script-inheritance';
import { codeReachesNetwork } from './network-reach';
import { ResultMemo } from './result-memo';
import { CUES } from './instructions/classifier';
import { parseCompiledRules, type Matcher, type RuleDefinition } from './rule-types';
import { scoreFindings } from './scoring';
import { buildSkillModel, ScanCache, type SkillModel } from './skill-model';
import {
  severityRank,
  type Finding,
  type ScanOptions,
  type Severity,
  type SkillBundle,
  type SkillReport,
  type Span,
} from './types';

export interface RuleMeta {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly category: string;
  /** Threat-catalogue category this rule covers (e.g. `credential-access`). */
  readonly threat: string;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly status: 'experimental' | 'stable' | 'deprecated';
  readonly docsUrl: string;
  /** One-paragraph summary taken from the rule's documentation ("What it does"). */
  readonly summary: string;
}

export interface EngineOptions {
  /** Folder holding rules.json and the tree-sitter .wasm files; defaults to the bundle's folder. */
  readonly assetsDir?: string;
  /**
   * Keep per-file and per-code-unit results (and parse trees) between scans, so re-scanning a
   * skill after an edit only re-analyses what changed. For long-lived hosts such as the language
   * server; one-off scans gain nothing from it. Findings are the same either way.
   */
  readonly reuseResults?: boolean;
}

/** Content (in UTF-16 code units) the result memo keeps: the skills being edited, not a workspace. */
const RESULT_MEMO_CHARS = 1024 * 1024;
/** Content whose parse trees the memo keeps: enough for the scripts of the skills being edited. */
const RESULT_MEMO_TREE_CHARS = 256 * 1024;

export interface Engine {
  readonly version: string;
  readonly rules: readonly RuleMeta[];
  scan(bundle: SkillBundle, options?: ScanOptions): SkillReport;
}

export const BUDGET_RULE_ID = 'SKL902';
const DEFAULT_FILE_BUDGET_MS = 2_000;
const DEFAULT_SKILL_BUDGET_MS = 10_000;
/** Rules named in a budget finding before the rest are counted. */
const MAX_NAMED_RULES = 5;
const MAX_FINDINGS_PER_RULE = 100;
/** One object for every check without options: checks may key kept results by their options object. */
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const assetsDir = options.assetsDir ?? __dirname;
  const compiled = parseCompiledRules(JSON.parse(fs.readFileSync(path.join(assetsDir, 'rules.json'), 'utf8')) as unknown);
  useCompiledPrefilters(compiled.speedPrefilters ?? {});
  CUES.useCompiled(compiled.classifierCues ?? {});
  const trees = await TreeSitterHost.create(assetsDir);
  const rules = compiled.rules.filter((rule) => rule.status !== 'deprecated');
  registerTreeSitterMatchers(trees, rules.flatMap((rule) => rule.match.filter((matcher) => matcher.kind === 'tree-sitter')));
  const literalFilter = new RegexLiteralFilter(rules.flatMap((rule) => rule.match.filter((matcher) => matcher.kind === 'regex' || matcher.kind === 'tree-sitter')));
  const memo = options.reuseResults ? new ResultMemo(RESULT_MEMO_CHARS, RESULT_MEMO_TREE_CHARS) : undefined;
  return {
    version: compiled.version,
    rules: compiled.rules.map(toMeta),
    scan: (bundle, scanOptions = {}) => {
      try {
        return scanBundle(bundle, scanOptions, rules, { trees, literalFilter }, memo);
      } finally {
        memo?.trim();
      }
    },
  };
}

/** What a fragment's findings depend on besides its text: the rule selection and overrides. */
function optionsKey(options: ScanOptions): string {
  const { skillBudgetMs: _budget, fileBudgetMs: _fileBudget, ...rest } = options;
  return JSON.stringify(rest);
}

function toMeta(rule: RuleDefinition): RuleMeta {
  return {
    id: rule.id,
    slug: rule.name,
    title: rule.title,
    category: rule.category,
    threat: rule.threat,
    severity: rule.severity,
    tags: rule.tags,
    status: rule.status,
    docsUrl: rule.docsUrl,
    summary: rule.summary,
  };
}

function scanBundle(
  bundle: SkillBundle,
  options: ScanOptions,
  allRules: readonly RuleDefinition[],
  shared: { readonly trees: TreeSitterHost; readonly literalFilter: RegexLiteralFilter },
  memo: ResultMemo | undefined,
  depth = 0,
): SkillReport {
  const started = Date.now();
  const skillDeadline = started + (options.skillBudgetMs ?? DEFAULT_SKILL_BUDGET_MS);
  const fileBudget = options.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS;
  const model = buildSkillModel(bundle, memo);
  // Built before the rules so that a rule asking for it gets the memo-backed inventory.
  buildCapabilityInventory(model, memo);
  const cache = new ScanCache();
  const findings: Finding[] = [];
  const rules = selectRules(allRules, options);
  let budgetExceeded: string | undefined;
  /** Rules that ran past their deadline, and so may have stopped before the end of the skill. */
  const outOfTime: string[] = [];
  let builtCommands: readonly BuiltCommand[] = [];
  try {
    for (const rule of rules) {
      if (Date.now() > skillDeadline) {
        budgetExceeded = `the skill's analysis budget ran out before rule ${rule.id}`;
        break;
      }
      const deadline = Math.min(skillDeadline, Date.now() + fileBudget);
      const context: MatchContext = { model, cache, trees: shared.trees, literalFilter: shared.literalFilter, rule, deadline, ...(memo ? { memo } : {}) };
      const raw: { finding: RawFinding; matcher: Matcher }[] = [];
      for (const matcher of rule.match) {
        for (const finding of runMatcher(matcher, context)) raw.push({ finding, matcher });
      }
      // Whatever it found before, a rule past its deadline may have stopped short of a later file.
      if (Date.now() > deadline && rule.id !== BUDGET_RULE_ID) outOfTime.push(rule.id);
      findings.push(...toFindings(rule, raw, model, options));
    }
    const shellRule = rules.find((rule) => CALLER_GRADED_RULE_IDS.has(rule.id));
    if (shellRule && Date.now() <= skillDeadline) {
      gradeCallerCommands({ model, cache, trees: shared.trees, literalFilter: shared.literalFilter, rule: shellRule, deadline: skillDeadline, ...(memo ? { memo } : {}) }, findings);
    }
    // Read while the scan's dataflow analysis is alive; scanned with the hidden payloads below.
    const anyRule = rules[0];
    if (anyRule && depth < MAX_HIDDEN_DEPTH && Date.now() <= skillDeadline) {
      builtCommands = analyseSkill({ model, cache, trees: shared.trees, literalFilter: shared.literalFilter, rule: anyRule, deadline: skillDeadline, ...(memo ? { memo } : {}) }).builtCommands;
    }
  } finally {
    cache.dispose();
  }
  if (outOfTime.length > 0) {
    const named = outOfTime.length > MAX_NAMED_RULES ? `${outOfTime.slice(0, MAX_NAMED_RULES).join(', ')} and ${outOfTime.length - MAX_NAMED_RULES} more` : outOfTime.join(', ');
    const rulesText = `${outOfTime.length === 1 ? 'rule' : 'rules'} ${named} ran out of time`;
    budgetExceeded = budgetExceeded ? `${rulesText}, and ${budgetExceeded}` : rulesText;
  }
  // Payloads hidden in encoded or quoted text are scanned again with what is left of the skill's
  // budget, even after a rule ran out of its own: a dropper in a command string is found there.
  if (Date.now() < skillDeadline) {
    const scanOnce = (fragment: SkillBundle, fragmentDepth: number): SkillReport =>
      scanBundle(fragment, { ...options, skillBudgetMs: Math.max(1, skillDeadline - Date.now()) }, allRules, shared, undefined, fragmentDepth);
    const fragmentScan = (fragment: SkillBundle, fragmentDepth: number): SkillReport => {
      const [file, more] = [...fragment.files.values()];
      if (!memo || !file || more) return scanOnce(fragment, fragmentDepth);
      const key = `${fragmentDepth}\u0000${optionsKey(options)}\u0000${file.path}\u0000${file.text}`;
      return memo.fragmentReport(key, () => scanOnce(fragment, fragmentDepth), (report) => !report.findings.some((finding) => finding.ruleId === BUDGET_RULE_ID));
    };
    const hidden = hiddenPayloadFindings(model, depth, fragmentScan, findings, { deadline: skillDeadline, budgetRuleId: BUDGET_RULE_ID }, builtCommands);
    findings.push(...hidden.findings.filter((finding) => isEnabledId(finding.ruleId, allRules, options)));
    if (hidden.partial) budgetExceeded = budgetExceeded ? `${budgetExceeded}, and ${hidden.partial}` : hidden.partial;
  }
  if (budgetExceeded) {
    const budgetRule = allRules.find((rule) => rule.id === BUDGET_RULE_ID);
    if (budgetRule && isEnabled(budgetRule, options)) {
      findings.push({
        ruleId: budgetRule.id,
        slug: budgetRule.name,
        category: budgetRule.category,
        severity: overriddenSeverity(budgetRule, budgetRule.severity, options),
        message: `The skill was only partly analysed: ${budgetExceeded}.`,
        file: model.skillMd?.path ?? model.files[0]?.path ?? 'SKILL.md',
        span: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      });
    }
  }
  const inheriting = allRules.find((rule) => rule.id === INHERITING_RULE_ID);
  if (inheriting && selectRules([inheriting], options).length === 1) {
    findings.push(
      ...inheritedScriptFindings(model, findings, {
        id: inheriting.id,
        slug: inheriting.name,
        category: inheriting.category,
        severityFor: (severity) => overriddenSeverity(inheriting, severity, options),
      }),
    );
  }
  // Lowers, never drops: code shown as an attack or a don't is not an instruction to run it.
  findings.splice(0, findings.length, ...gradeQuotedExamples(model, findings).map(withVisibleText));
  findings.sort(compareFindings);
  const { score, verdict } = scoreFindings(findings);
  const nameField = model.skillMd?.frontmatter?.fields.get('name');
  return {
    root: bundle.root,
    dirName: bundle.dirName,
    ...(typeof nameField?.value === 'string' ? { name: nameField.value } : {}),
    findings,
    verdict,
    score,
    filesAnalysed: model.files.length,
    bytesAnalysed: model.files.reduce((sum, file) => sum + file.text.length, 0),
    capabilities: buildCapabilityInventory(model, memo),
    durationMs: Date.now() - started,
  };
}

function selectRules(rules: readonly RuleDefinition[], options: ScanOptions): RuleDefinition[] {
  const only = options.onlyRules;
  return rules.filter((rule) => {
    if (only && !only.includes(rule.id) && !only.includes(rule.name)) return false;
    return isEnabled(rule, options);
  });
}

function override(rule: RuleDefinition, options: ScanOptions): Severity | 'off' | undefined {
  const overrides = options.ruleOverrides;
  if (!overrides) return undefined;
  return overrides[rule.id] ?? overrides[rule.name];
}

/** Findings re-scanned from hidden payloads obey the same rule selection as the scan itself. */
function isEnabledId(ruleId: string, rules: readonly RuleDefinition[], options: ScanOptions): boolean {
  const rule = rules.find((candidate) => candidate.id === ruleId);
  return rule !== undefined && selectRules([rule], options).length === 1;
}

function isEnabled(rule: RuleDefinition, options: ScanOptions): boolean {
  return override(rule, options) !== 'off';
}

function overriddenSeverity(rule: RuleDefinition, severity: Severity, options: ScanOptions): Severity {
  const value = override(rule, options);
  return value === undefined || value === 'off' ? severity : value;
}

/** The description names the rule's subject as the skill's job, and no code of the skill reaches the network. */
function declaresPurpose(pattern: string, model: SkillModel): boolean {
  const description = model.skillMd?.frontmatter?.fields.get('description')?.value;
  return typeof description === 'string' && testRegex(pattern, description, 'i') && !codeReachesNetwork(model);
}

function runMatcher(matcher: Matcher, context: MatchContext): RawFinding[] {
  switch (matcher.kind) {
    case 'regex':
      return runRegexMatcher(matcher, context);
    case 'tree-sitter':
      return runTreeSitterMatcher(matcher, context);
    case 'frontmatter-field':
      return runFrontmatterFieldMatcher(matcher, context);
    case 'check': {
      const check = CHECKS[matcher.check];
      if (!check) throw new Error(`rule ${context.rule.id} names unknown check ${matcher.check}`);
      return check(context, matcher.options ?? NO_OPTIONS);
    }
  }
}

function toFindings(
  rule: RuleDefinition,
  raw: readonly { finding: RawFinding; matcher: Matcher }[],
  model: SkillModel,
  options: ScanOptions,
): Finding[] {
  const byLocation = new Map<string, Finding>();
  const lineIndexes = new Map(model.files.map((file) => [file.path, file.lines] as const));
  const spanOf = (file: string, start: number, end: number): Span => {
    const lines = lineIndexes.get(file);
    return lines ? lines.span(start, end) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
  };
  // Asked only when a high finding could take the declared severity.
  let declared: Severity | null | undefined;
  const declaredFor = (found: Severity): Severity => {
    if (found !== 'high' || !rule.declaredPurpose) return found;
    declared ??= declaresPurpose(rule.declaredPurpose.description, model) ? rule.declaredPurpose.severity : null;
    return declared ?? found;
  };
  for (const { finding, matcher } of raw) {
    const severity = overriddenSeverity(rule, declaredFor(finding.severity ?? matcher.severity ?? rule.severity), options);
    const message = finding.message ?? interpolate(matcher.message ?? rule.message, finding.captures ?? {});
    const span = spanOf(finding.file, finding.start, finding.end);
    // Two matchers of one rule that find the same place report one thing, however far each reads.
    const key = `${finding.file}:${span.line}:${span.column}`;
    const previous = byLocation.get(key);
    if (previous && severityRank(previous.severity) >= severityRank(severity)) continue;
    byLocation.set(key, {
      ruleId: rule.id,
      slug: rule.name,
      category: rule.category,
      severity,
      message,
      file: finding.file,
      span,
      ...(finding.related
        ? { related: finding.related.map((r) => ({ file: r.file, span: spanOf(r.file, r.start, r.end), message: r.message })) }
        : {}),
      ...(finding.fix
        ? { fix: finding.fix }
        : matcher.fix
          ? {
              fix: {
                title: interpolate(matcher.fix.title, finding.captures ?? {}),
                edits: [{ file: finding.file, span, newText: fillVerbatim(matcher.fix.replacement, finding.captures ?? {}) }],
              },
            }
          : {}),
    });
    if (byLocation.size >= MAX_FINDINGS_PER_RULE) break;
  }
  return withoutInlineRepeats([...byLocation.values()], model);
}

/**
 * An inline command is read twice: as prose (the `markdown:inline-code` patterns) and as a code
 * unit. One rule reporting it both ways is one finding; the one inside a span of at least its
 * severity, within the same inline code span, is dropped.
 */
function withoutInlineRepeats(findings: Finding[], model: SkillModel): Finding[] {
  if (findings.length < 2 || findings.length > 200) return findings;
  const inlineUnits = model.units.filter((unit) => unit.origin === 'inline');
  if (inlineUnits.length === 0) return findings;
  const files = new Map(model.files.map((file) => [file.path, file] as const));
  const spanOf = (finding: Finding): readonly [number, number] | undefined => {
    const file = files.get(finding.file);
    if (!file) return undefined;
    return [file.lines.offsetAt(finding.span.line, finding.span.column), file.lines.offsetAt(finding.span.endLine, finding.span.endColumn)];
  };
  const located = findings.map((finding) => {
    const range = spanOf(finding);
    const unit = range ? inlineUnits.find((candidate) => candidate.file.path === finding.file && range[0] >= candidate.start - 1 && range[1] <= candidate.end + 1) : undefined;
    return { finding, range, unit };
  });
  return located
    .filter(({ finding, range, unit }) => {
      if (!range || !unit) return true;
      return !located.some(
        (other) =>
          other.finding !== finding &&
          other.unit === unit &&
          other.range !== undefined &&
          other.range[0] <= range[0] &&
          other.range[1] >= range[1] &&
          (other.range[0] !== range[0] || other.range[1] !== range[1]) &&
          severityRank(other.finding.severity) >= severityRank(finding.severity),
      );
    })
    .map(({ finding }) => finding);
}

const SECRET_CAPTURE = /secret|token|key|password/i;

/** Fills `{name}` placeholders; values are shortened, single-lined, and secrets are masked. */
export function interpolate(template: string, captures: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const value = captures[name];
    if (value === undefined) return whole;
    return SECRET_CAPTURE.test(name) ? maskSecret(value) : displayText(value);
  });
}

function fillVerbatim(template: string, captures: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => captures[name] ?? whole);
}

export function maskSecret(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length <= 8) return '****';
  return `${trimmed.slice(0, 4)}…${'*'.repeat(4)}`;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

