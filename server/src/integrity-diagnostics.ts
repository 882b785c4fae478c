/**
 * Integrity results → LSP diagnostics: drift from the lock file (SKL903) on the skill's SKILL.md,
 * and findings accepted by the workspace baseline shown as suppressed. Pure: unit-tested on plain
 * Node.
 *
 * Suppressed findings stay diagnostics, demoted to Hint with "(suppressed by baseline: reason)"
 * and `data.suppressed`: VS Code leaves Hint out of the Problems panel, while the Findings view
 * (built from diagnostics) still lists them, marked as suppressed. Hiding them outright would
 * make the baseline invisible in the editor.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { RuleMeta } from './engine';
import { CAPABILITY_KINDS, type CapabilityKind, type Finding, type Severity, type SkillReport, type SkillVerification } from './engine';
import { findingToDiagnostic, skillFileUri, toLspSeverity, type ConversionContext } from './diagnostics';
import { DIAGNOSTIC_SOURCE, type DiagnosticData, type IntegrityStatus } from './protocol';

export const DRIFT_RULE_ID = 'SKL903';
export const DRIFT_RULE_SLUG = 'skill-drifted-from-lock';
/** A skill that changed since approval runs with trust it no longer earned. */
const DRIFT_SEVERITY: Severity = 'high';
/**
 * An unapproved skill is unreviewed, not harmful: `low` (Information) keeps it visible in the
 * Problems panel without ranking it with real findings. Same rule as drift, so one setting
 * (`skillSentinel.rules.SKL903`) turns both off or sets both levels, as a rule override does for
 * a rule whose matchers have different severities.
 */
const UNAPPROVED_SEVERITY: Severity = 'low';

const KIND_LABEL: Readonly<Record<CapabilityKind, string>> = {
  hosts: 'new host',
  sensitivePaths: 'new sensitive path',
  envVars: 'new environment variable',
  commands: 'new command',
  persistence: 'new persistence',
  allowedTools: 'new allowed-tools entry',
  filesRead: 'new file read',
  filesWritten: 'new file written',
};

/** Items listed per kind before "and N more", so a rewritten skill still gives a readable line. */
const MAX_LISTED = 5;

function listed(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(', ');
  return values.length > MAX_LISTED ? `${shown} and ${values.length - MAX_LISTED} more` : shown;
}

/**
 * What differs, most important first: files, widened grants, new capabilities, frontmatter,
 * verdict. Empty for a skill that matches (or has no lock entry).
 */
export function driftSummary(verification: SkillVerification): string {
  const { drift, locked, current } = verification;
  if (drift === undefined || locked === undefined || current === undefined) return '';
  const parts: string[] = [];
  if (drift.files.changed.length > 0) parts.push(`changed ${listed(drift.files.changed)}`);
  if (drift.files.added.length > 0) parts.push(`added ${listed(drift.files.added)}`);
  if (drift.files.removed.length > 0) parts.push(`removed ${listed(drift.files.removed)}`);
  if (drift.widenedTools.length > 0) parts.push(`widened allowed-tools: ${listed(drift.widenedTools)}`);
  for (const kind of CAPABILITY_KINDS) {
    const added = drift.addedCapabilities[kind].filter((value) => kind !== 'allowedTools' || !drift.widenedTools.includes(value));
    if (added.length > 0) parts.push(`${KIND_LABEL[kind]}: ${listed(added)}`);
  }
  if (drift.frontmatterKeys.length > 0) parts.push(`frontmatter changed: ${listed(drift.frontmatterKeys)}`);
  if (drift.verdict !== undefined) parts.push(`verdict ${drift.verdict.locked} when approved, ${drift.verdict.current} now`);
  return parts.join('; ');
}

export function integrityStatusOf(verification: SkillVerification): IntegrityStatus {
  switch (verification.status) {
    case 'ok':
      return { status: 'ok' };
    case 'unapproved':
      return { status: 'unapproved' };
    case 'changed':
      return { status: 'changed', summary: driftSummary(verification) };
    case 'missing':
      // A checked skill always exists; a missing one is only reported by Verify Skills.
      return { status: 'error', message: 'the skill folder is missing' };
  }
}

export interface IntegrityDiagnosticContext {
  readonly skillRoot: string;
  /** SKILL.md's path relative to the skill (the loader's spelling: `SKILL.md` or `skill.md`). */
  readonly skillMd: string;
  /** Length of SKILL.md's first line, so the range covers the frontmatter opener. */
  readonly firstLineLength: number;
  /** The lock file as shown to the user. */
  readonly lockDisplay: string;
  readonly rule: RuleMeta | undefined;
  /** `skillSentinel.rules` / `skillRules` level for SKL903 or its slug. */
  readonly override: Severity | 'off' | undefined;
}

/** The SKL903 diagnostic for a skill, or undefined when it matches its approval (or the rule is off). */
export function integrityDiagnostic(verification: SkillVerification, context: IntegrityDiagnosticContext): { uri: string; diagnostic: Diagnostic } | undefined {
  if (context.override === 'off') return undefined;
  let message: string;
  let severity: Severity;
  if (verification.status === 'changed') {
    severity = DRIFT_SEVERITY;
    message = `Changed since it was approved in ${context.lockDisplay}: ${driftSummary(verification)}. Review the change, then approve the skill again.`;
  } else if (verification.status === 'unapproved') {
    severity = UNAPPROVED_SEVERITY;
    message = `Not approved: ${context.lockDisplay} has no entry for this skill. Review it, then run "Skill Sentinel: Approve Skill".`;
  } else {
    return undefined;
  }
  const data: DiagnosticData = { ruleId: DRIFT_RULE_ID, slug: DRIFT_RULE_SLUG, skillUri: URI.file(context.skillRoot).toString() };
  const diagnostic: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: Math.max(0, context.firstLineLength) } },
    severity: toLspSeverity(context.override ?? severity),
    source: DIAGNOSTIC_SOURCE,
    code: DRIFT_RULE_ID,
    message,
    data,
  };
  if (context.rule?.docsUrl) diagnostic.codeDescription = { href: context.rule.docsUrl };
  return { uri: skillFileUri(context.skillRoot, context.skillMd), diagnostic };
}

/** Why the baseline accepts a finding, or undefined. */
export type SuppressionLookup = (finding: Finding) => { readonly reason: string; readonly expires?: string } | undefined;

/**
 * Diagnostics per file URI for a report, with baseline-accepted findings demoted to Hint and
 * marked (see the module comment). Same conversion as `reportToDiagnostics` otherwise.
 */
export function reportToDiagnosticsWithBaseline(
  report: SkillReport,
  context: ConversionContext,
  suppressionOf: SuppressionLookup,
): { byUri: Map<string, Diagnostic[]>; suppressed: number } {
  const byUri = new Map<string, Diagnostic[]>();
  let suppressed = 0;
  for (const finding of report.findings) {
    const uri = skillFileUri(context.skillRoot, finding.file);
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    const diagnostic = findingToDiagnostic(finding, context);
    const suppression = suppressionOf(finding);
    if (suppression !== undefined) {
      suppressed++;
      diagnostic.severity = DiagnosticSeverity.Hint;
      diagnostic.message = `${finding.message} (suppressed by baseline: ${suppression.reason})`;
      diagnostic.data = {
        ...(diagnostic.data as DiagnosticData),
        suppressed: { reason: suppression.reason, ...(suppression.expires === undefined ? {} : { expires: suppression.expires }) },
      } satisfies DiagnosticData;
    }
    list.push(diagnostic);
  }
  return { byUri, suppressed };
}
