/**
 * Messages between the extension client and the language server beyond standard LSP. Imported by
 * both sides, so it may import neither `vscode` nor `vscode-languageserver`: only plain types.
 */
import type { Fix, Verdict } from './engine/types';

/** `Diagnostic.source` on everything the server publishes; the client filters on it. */
export const DIAGNOSTIC_SOURCE = 'skill-sentinel';

/** Client → server request: discover and scan every skill in the workspace folders. */
export const SCAN_WORKSPACE_REQUEST = 'skillSentinel/scanWorkspace';
/** Client → server request: forget every finding and clear all published diagnostics. */
export const CLEAR_FINDINGS_REQUEST = 'skillSentinel/clearFindings';
/** Server → client notification: verdicts of skills just (re)checked, or skills that went away. */
export const SKILL_REPORTS_NOTIFICATION = 'skillSentinel/skillReports';

/** Client → server request: approve one skill into its workspace folder's lock file. */
export const APPROVE_SKILL_REQUEST = 'skillSentinel/approveSkill';
/** Client → server request: check every workspace skill against its lock file. */
export const VERIFY_SKILLS_REQUEST = 'skillSentinel/verifySkills';
/** Client → server notification: whether the workspace is trusted (baseline and lock writes need it). */
export const WORKSPACE_TRUST_NOTIFICATION = 'skillSentinel/workspaceTrust';
/** Server → client notification: an installed skill outside the workspace gained severe findings. */
export const INSTALLED_SKILL_ALERT_NOTIFICATION = 'skillSentinel/installedSkillAlert';

/** The command the server's "Disable for this skill" code action asks the client to run. */
export const DISABLE_RULE_FOR_SKILL_COMMAND = 'skillSentinel.disableRuleForSkill';
/** Client command that opens a rule's documentation (also used by the tree's context menu). */
export const OPEN_RULE_DOCS_COMMAND = 'skillSentinel.openRuleDocs';

export interface ScanWorkspaceParams {
  /** Standard LSP work-done token, so the scan reports through `$/progress`. */
  readonly workDoneToken?: string | number;
}

export interface SkillSummary {
  /** `file:` URI of the skill folder. */
  readonly uri: string;
  /** Folder name; the spec requires the frontmatter `name` to equal it. */
  readonly dirName: string;
  /** Frontmatter `name` when present. */
  readonly name?: string;
  readonly verdict: Verdict;
  /** 0–100 risk score from the engine. */
  readonly score: number;
  readonly findings: number;
  readonly filesAnalysed: number;
  /** Files the engine could not analyse (too large, binary, …); listed in the output channel. */
  readonly unanalysed: number;
  /** Findings matched by the workspace baseline (included in `findings`). */
  readonly suppressed?: number;
  /** How the skill compares with its lock file; absent when there is no lock file. */
  readonly integrity?: IntegrityStatus;
  /** Set for a skill outside the workspace found by the installed-skills watcher: the watched location as shown (`~/.claude/skills`). */
  readonly installedIn?: string;
}

/** A skill against its lock entry: `changed` carries the one-line difference. */
export type IntegrityStatus =
  | { readonly status: 'ok' }
  | { readonly status: 'unapproved' }
  | { readonly status: 'changed'; readonly summary: string }
  | { readonly status: 'error'; readonly message: string };

export interface WorkspaceTrustParams {
  readonly trusted: boolean;
}

export interface ApproveSkillParams {
  /** `file:` URI of the skill folder or of any file in it. */
  readonly uri: string;
  /** Approve although the verdict is dangerous or malicious (the user confirmed). */
  readonly force: boolean;
}

export type ApproveSkillResult =
  | {
      readonly status: 'approved';
      /** Lock file path as shown to the user (relative to its workspace folder). */
      readonly lockFile: string;
      readonly skill: string;
      /** `added` (new entry), `updated` or `unchanged` (identical approval kept). */
      readonly change: 'added' | 'updated' | 'unchanged';
      /** The lock was signed; the rewritten lock is not (sign it again with the CLI). */
      readonly signatureDropped: boolean;
    }
  | {
      /** The verdict needs confirmation; nothing was written. */
      readonly status: 'refused';
      readonly skill: string;
      readonly verdict: Verdict;
      readonly blockingFindings: number;
      /** The worst finding, e.g. `scripts/x.sh:3 SKL501 …`. */
      readonly example?: string;
    }
  | { readonly status: 'error'; readonly message: string };

export interface VerifiedSkillSummary {
  /** Skill folder relative to its workspace folder. */
  readonly skill: string;
  readonly status: 'ok' | 'changed' | 'unapproved' | 'missing';
  /** For `changed`: what differs, one line. */
  readonly detail?: string;
}

export interface VerifySkillsResult {
  /** Lock files read, as shown to the user; empty when no workspace folder has one. */
  readonly lockFiles: readonly string[];
  readonly skills: readonly VerifiedSkillSummary[];
  /** Lock files that could not be used, skills that could not be hashed. */
  readonly problems: readonly ScanProblem[];
  /** One sentence for the notification, e.g. "3 skills match the lock, 1 changed: x (…)". */
  readonly summary: string;
}

export interface InstalledSkillAlertParams {
  /** `file:` URI of the skill folder. */
  readonly skillUri: string;
  /** Folder name of the skill. */
  readonly skill: string;
  /** The watched location as configured, e.g. `~/.claude/skills`. */
  readonly location: string;
  readonly change: 'added' | 'changed';
  readonly newCritical: number;
  readonly newHigh: number;
}

export interface ScanProblem {
  readonly path: string;
  readonly message: string;
}

export interface ScanWorkspaceResult {
  readonly skills: readonly SkillSummary[];
  /** True when the client cancelled: `skills` then holds only what was scanned before. */
  readonly cancelled: boolean;
  readonly durationMs: number;
  readonly problems: readonly ScanProblem[];
}

export interface SkillReportsParams {
  readonly skills: readonly SkillSummary[];
  /** URIs of skill folders whose findings were cleared (deleted, disabled, excluded). */
  readonly removed: readonly string[];
}

/** `Diagnostic.data`: lets a code action find the fix without scanning again. */
export interface DiagnosticData {
  readonly ruleId: string;
  readonly slug: string;
  /** URI of the skill folder, for "Disable for this skill". */
  readonly skillUri: string;
  readonly fix?: Fix;
  /** Set when the workspace baseline accepted this finding: shown, but as suppressed. */
  readonly suppressed?: { readonly reason: string; readonly expires?: string };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.ruleId === 'string' && typeof record.slug === 'string' && typeof record.skillUri === 'string';
}
