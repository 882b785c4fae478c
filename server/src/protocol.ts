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
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.ruleId === 'string' && typeof record.slug === 'string' && typeof record.skillUri === 'string';
}
