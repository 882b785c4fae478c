import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleMeta } from '../engine/engine';
import { escapeHiddenInJson } from '../engine/display-text';
import type { Finding, RelatedLocation, Severity, Span } from '../engine/types';
import { TOOL_NAME } from './args';
import type { ScanOutcome, ScannedSkill } from './main';

// The subset of SARIF 2.1.0 this formatter writes (property names as in the specification).

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly originalUriBaseIds: Readonly<Record<string, { readonly uri: string }>>;
  readonly columnKind: 'utf16CodeUnits';
  readonly invocations: readonly SarifInvocation[];
  readonly results: readonly SarifResult[];
}

export interface SarifDriver {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: {
    readonly tags: readonly string[];
    readonly 'security-severity': string;
    readonly precision: SarifPrecision;
  };
}

export type SarifPrecision = 'very-high' | 'high' | 'medium' | 'low';

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly toolExecutionNotifications: readonly { readonly level: SarifLevel; readonly message: SarifMessage }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  /** Present when a baseline entry accepts the result; code scanning then shows it as dismissed. */
  readonly suppressions?: readonly SarifSuppression[];
  readonly properties: { readonly severity: Severity };
}

export interface SarifSuppression {
  /** `external`: the suppression lives outside the scanned files (in the baseline). */
  readonly kind: 'external';
  readonly status: 'accepted';
  readonly justification: string;
}

export interface SarifLocation {
  readonly id?: number;
  readonly physicalLocation: {
    readonly artifactLocation: SarifArtifactLocation;
    readonly region: SarifRegion;
  };
  readonly message?: SarifMessage;
}

export interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SarifMessage {
  readonly text: string;
}

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SOURCE_ROOT_ID = '%SRCROOT%';
/** Key under `partialFingerprints`; bump the suffix if the hashed inputs ever change. */
export const FINGERPRINT_KEY = 'skillSentinelFindingHash/v1';

/** GitHub code scanning ranks security alerts by this CVSS-like score (a string, by its rules). */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

const LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** Rules carry no precision of their own; maturity is the best signal of how often they are right. */
const PRECISION: Readonly<Record<RuleMeta['status'], SarifPrecision>> = {
  stable: 'high',
  experimental: 'medium',
  deprecated: 'low',
};

export function formatSarifReport(outcome: ScanOutcome): string {
  return escapeHiddenInJson(JSON.stringify(buildSarifLog(outcome), null, 2)) + '\n';
}

export function buildSarifLog(outcome: ScanOutcome): SarifLog {
  const rulesById = new Map(outcome.rules.map((rule) => [rule.id, rule]));
  const usedRuleIds = [...new Set(outcome.skills.flatMap((skill) => skill.findings.map((f) => f.ruleId)))].sort();
  const ruleIndex = new Map(usedRuleIds.map((id, index) => [id, index]));
  const rules = usedRuleIds.map((id) => toSarifRule(id, rulesById.get(id), outcome.skills));
  const informationUri = projectUri(outcome.rules);

  const fingerprintOccurrences = new Map<string, number>();
  const results: SarifResult[] = [];
  for (const skill of outcome.skills) {
    for (const finding of skill.findings) {
      const location = artifactLocation(outcome.cwd, skill, finding.file);
      const digest = fingerprintDigest(finding, location.uri, skill.evidence.get(finding));
      const occurrence = (fingerprintOccurrences.get(digest) ?? 0) + 1;
      fingerprintOccurrences.set(digest, occurrence);
      const related = (finding.related ?? []).map((entry, index) => toRelatedLocation(outcome.cwd, skill, entry, index));
      results.push({
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId) ?? 0,
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: toRegion(finding.span) } }],
        ...(related.length > 0 ? { relatedLocations: related } : {}),
        partialFingerprints: { [FINGERPRINT_KEY]: `${digest}:${occurrence}` },
        ...suppressionsOf(skill, finding),
        properties: { severity: finding.severity },
      });
    }
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: outcome.toolVersion,
            ...(informationUri === undefined ? {} : { informationUri }),
            rules,
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: directoryUri(outcome.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: outcome.errors.length === 0,
            toolExecutionNotifications: outcome.errors.map((problem) => ({
              level: 'error' as const,
              message: { text: `${problem.path}: ${problem.message}` },
            })),
          },
        ],
        results,
      },
    ],
  };
}

function suppressionsOf(skill: ScannedSkill, finding: Finding): { suppressions?: SarifSuppression[] } {
  const suppression = skill.suppressions.get(finding);
  if (suppression === undefined) return {};
  const justification = suppression.expires === undefined ? suppression.reason : `${suppression.reason} (until ${suppression.expires})`;
  return { suppressions: [{ kind: 'external', status: 'accepted', justification }] };
}

function toSarifRule(id: string, rule: RuleMeta | undefined, skills: readonly ScannedSkill[]): SarifRule {
  if (rule === undefined) {
    // A finding whose rule the engine does not list; describe it from the finding so the log stays valid.
    const example = skills.flatMap((skill) => skill.findings).find((finding) => finding.ruleId === id);
    const severity = example?.severity ?? 'medium';
    return {
      id,
      name: example?.slug ?? id,
      shortDescription: { text: example?.slug ?? id },
      fullDescription: { text: example?.slug ?? id },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags: ['security'], 'security-severity': SECURITY_SEVERITY[severity], precision: 'medium' },
    };
  }
  return {
    id: rule.id,
    name: rule.slug,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.summary.trim() === '' ? rule.title : rule.summary },
    ...(isAbsoluteUri(rule.docsUrl) ? { helpUri: rule.docsUrl } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      // GitHub files results as security alerts only for rules tagged `security`.
      tags: [...new Set(['security', ...rule.tags])],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: PRECISION[rule.status],
    },
  };
}

function toRelatedLocation(cwd: string, skill: ScannedSkill, related: RelatedLocation, index: number): SarifLocation {
  return {
    id: index,
    physicalLocation: { artifactLocation: artifactLocation(cwd, skill, related.file), region: toRegion(related.span) },
    message: { text: related.message },
  };
}

function toRegion(span: Span): SarifRegion {
  return { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/**
 * Files under the working directory (the repository root in CI) get a relative URI against
 * %SRCROOT%, which is what code scanning needs to place an alert; anything else stays absolute.
 */
function artifactLocation(cwd: string, skill: ScannedSkill, file: string): SarifArtifactLocation {
  const absolute = path.resolve(skill.absoluteRoot, ...file.split('/'));
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  const uri = relative.split(path.sep).map(encodeURIComponent).join('/');
  return { uri, uriBaseId: SOURCE_ROOT_ID };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Hashes what the finding is about rather than where it is, so an alert survives lines moving. */
function fingerprintDigest(finding: Finding, uri: string, evidenceLine: string | undefined): string {
  return createHash('sha256')
    .update([finding.ruleId, uri, evidenceLine ?? finding.message].join('\u0000'))
    .digest('hex');
}

/** The project page is the repository the rule documentation lives in (`…/blob/<ref>/rules/…`). */
function projectUri(rules: readonly RuleMeta[]): string | undefined {
  const docsUrl = rules.map((rule) => rule.docsUrl).find(isAbsoluteUri);
  if (docsUrl === undefined) return undefined;
  const blob = docsUrl.search(/\/(blob|tree)\//);
  return blob > 0 ? docsUrl.slice(0, blob) : new URL(docsUrl).origin;
}

function isAbsoluteUri(text: string): boolean {
  try {
    return new URL(text).protocol.length > 0;
  } catch {
    return false;
  }
}
