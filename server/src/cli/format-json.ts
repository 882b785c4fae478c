import type { RuleMeta } from '../engine/engine';
import { escapeHiddenInJson } from '../engine/display-text';
import { CAPABILITY_KINDS, type CapabilityInventory, type CapabilityKind, type Finding, type Severity, type Verdict } from '../engine/types';
import type { Suppression } from '../engine/integrity/baseline';
import { TOOL_NAME } from './args';
import type { ScanOutcome, ScanSummary, ScannedSkill } from './main';

/**
 * The `--format json` document. Its shape is a public contract: add fields, never rename or remove
 * them. Lines and columns are 1-based; columns count UTF-16 code units; end positions are exclusive.
 */
export interface JsonReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** Sorted by root. */
  readonly skills: readonly JsonSkill[];
  /** Paths that could not be scanned; non-empty means exit code 2. */
  readonly errors: readonly JsonError[];
  readonly summary: JsonSummary;
}

export interface JsonSkill {
  /** Skill folder relative to the working directory, posix separators; `.` for the directory itself. */
  readonly root: string;
  /** Frontmatter `name`, or the folder name when the frontmatter has none. */
  readonly name: string;
  readonly verdict: Verdict;
  /** 0–100. */
  readonly score: number;
  /** Findings at or above `--severity`, sorted by file, line and column. */
  readonly findings: readonly JsonFinding[];
  /** What the skill's code can reach, each value with where it appears. */
  readonly capabilities: JsonCapabilities;
}

export type JsonCapabilities = Readonly<Record<CapabilityKind, readonly JsonCapability[]>>;

export interface JsonCapability {
  readonly value: string;
  /** Up to ten places it appears; files relative to the skill root. */
  readonly locations: readonly JsonLocation[];
}

export interface JsonLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly slug: string;
  readonly severity: Severity;
  readonly message: string;
  /** Posix path relative to the skill root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly related: readonly JsonRelatedLocation[];
  /** Accepted by the `--baseline` file: still reported, but not counted for the exit code. */
  readonly suppressed: boolean;
  /** Present when `suppressed`: the baseline entry's reason and expiry date. */
  readonly suppression?: { readonly kind: 'external'; readonly reason: string; readonly expires?: string };
}

export interface JsonRelatedLocation {
  /** Posix path relative to the skill root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
}

export interface JsonError {
  /** Relative to the working directory, posix separators. */
  readonly path: string;
  readonly message: string;
}

export interface JsonSummary {
  readonly skillsScanned: number;
  /** Skills with at least one reported finding. */
  readonly skillsFlagged: number;
  /** Reported findings per severity. */
  readonly findings: Readonly<Record<Severity, number>>;
  /** Findings below `severity`, left out of `skills[].findings`. */
  readonly findingsHidden: number;
  /** Findings, reported or hidden, accepted by the baseline. */
  readonly findingsSuppressed: number;
  /** The `--severity` threshold. */
  readonly severity: Severity;
  /** The `--fail-on` threshold. */
  readonly failOn: Severity;
  /** Whether any finding, reported or hidden, is at or above `failOn` (exit code 1). */
  readonly failed: boolean;
  readonly durationMs: number;
}

export interface JsonRule {
  readonly id: string;
  readonly slug: string;
  readonly severity: Severity;
  readonly title: string;
  readonly category: string;
  readonly tags: readonly string[];
  readonly status: RuleMeta['status'];
  readonly docsUrl: string;
}

export function buildJsonReport(outcome: ScanOutcome): JsonReport {
  return {
    tool: { name: TOOL_NAME, version: outcome.toolVersion },
    skills: outcome.skills.map(toJsonSkill),
    errors: outcome.errors.map(({ path, message }) => ({ path, message })),
    summary: toJsonSummary(outcome.summary),
  };
}

export function formatJsonReport(outcome: ScanOutcome): string {
  return escapeHiddenInJson(JSON.stringify(buildJsonReport(outcome), null, 2)) + '\n';
}

export function formatJsonRules(rules: readonly RuleMeta[]): string {
  const entries: JsonRule[] = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((rule) => ({
      id: rule.id,
      slug: rule.slug,
      severity: rule.severity,
      title: rule.title,
      category: rule.category,
      tags: rule.tags,
      status: rule.status,
      docsUrl: rule.docsUrl,
    }));
  return JSON.stringify(entries, null, 2) + '\n';
}

function toJsonSkill(skill: ScannedSkill): JsonSkill {
  const { report } = skill;
  return {
    root: skill.root,
    name: report.name ?? report.dirName,
    verdict: report.verdict,
    score: report.score,
    findings: skill.findings.map((finding) => toJsonFinding(finding, skill.suppressions.get(finding))),
    capabilities: toJsonCapabilities(skill.capabilities),
  };
}

function toJsonCapabilities(inventory: CapabilityInventory): JsonCapabilities {
  const result = {} as Record<CapabilityKind, JsonCapability[]>;
  for (const kind of CAPABILITY_KINDS) {
    result[kind] = inventory[kind].map((item) => ({
      value: item.value,
      locations: item.evidence.map(({ file, span }) => ({
        file,
        line: span.line,
        column: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      })),
    }));
  }
  return result;
}

function toJsonFinding(finding: Finding, suppression: Suppression | undefined): JsonFinding {
  return {
    ruleId: finding.ruleId,
    slug: finding.slug,
    severity: finding.severity,
    message: finding.message,
    file: finding.file,
    line: finding.span.line,
    column: finding.span.column,
    endLine: finding.span.endLine,
    endColumn: finding.span.endColumn,
    related: (finding.related ?? []).map((related) => ({
      file: related.file,
      line: related.span.line,
      column: related.span.column,
      endLine: related.span.endLine,
      endColumn: related.span.endColumn,
      message: related.message,
    })),
    suppressed: suppression !== undefined,
    ...(suppression === undefined
      ? {}
      : {
          suppression: {
            kind: 'external' as const,
            reason: suppression.reason,
            ...(suppression.expires === undefined ? {} : { expires: suppression.expires }),
          },
        }),
  };
}

function toJsonSummary(summary: ScanSummary): JsonSummary {
  return {
    skillsScanned: summary.skillsScanned,
    skillsFlagged: summary.skillsFlagged,
    findings: { ...summary.findings },
    findingsHidden: summary.findingsHidden,
    findingsSuppressed: summary.findingsSuppressed,
    severity: summary.severity,
    failOn: summary.failOn,
    failed: summary.failed,
    durationMs: summary.durationMs,
  };
}
