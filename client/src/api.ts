/**
 * What `activate()` returns. The integration tests use it to check the Findings tree and the last
 * scan without scraping the UI (vscode-shellcheck's api.ts pattern); other extensions may too.
 */
import type * as vscode from 'vscode';
import type { ScanWorkspaceResult, SkillSummary } from '../../server/src/protocol';

export interface TreeItemSnapshot {
  readonly label: string;
  readonly description?: string;
  /** `skill`, `file` or `finding`. */
  readonly contextValue?: string;
  /** ThemeIcon id, e.g. `error`. */
  readonly icon?: string;
  /** The Markdown source of a Markdown tooltip (findings have one). */
  readonly tooltip?: string;
  readonly children: readonly TreeItemSnapshot[];
}

export interface SkillSentinelApi {
  /** Settles once the language server has started (or failed to). */
  readonly ready: Promise<void>;
  /** Runs the workspace scan as the command does, without the notification. */
  scanWorkspace(token?: vscode.CancellationToken): Promise<ScanWorkspaceResult | undefined>;
  lastScanResult(): ScanWorkspaceResult | undefined;
  /** Verdicts of every skill the server has reported on, by skill folder URI. */
  skillSummaries(): readonly SkillSummary[];
  /** The Findings view as it would render now, fully expanded. */
  findingsTreeSnapshot(): Promise<readonly TreeItemSnapshot[]>;
  /** Fires after the Findings tree was rebuilt. */
  readonly onDidChangeFindings: vscode.Event<void>;
}
