/** Command handlers. Each returns something useful so tests can call them via executeCommand. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient/node';
import {
  CLEAR_FINDINGS_REQUEST,
  DISABLE_RULE_FOR_SKILL_COMMAND,
  OPEN_RULE_DOCS_COMMAND,
  SCAN_WORKSPACE_REQUEST,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
} from '../../server/src/protocol';
import { unlinkedText } from '../../server/src/engine/display-text';
import { REVEAL_FINDING_COMMAND, ruleCode, type FindingNode, type FindingsTree } from './findings-tree';
import { SHOW_OUTPUT_COMMAND } from './status';

export const SCAN_WORKSPACE_COMMAND = 'skillSentinel.scanWorkspace';

export interface CommandContext {
  readonly client: () => LanguageClient;
  readonly tree: FindingsTree;
  readonly outputChannel: vscode.LogOutputChannel;
  readonly onScanResult: (result: ScanWorkspaceResult) => void;
}

let nextProgressToken = 0;

/** Sends the scan request with a client-created work-done token and relays `$/progress`. */
export async function requestWorkspaceScan(
  client: LanguageClient,
  token: vscode.CancellationToken | undefined,
  report: (message: string | undefined, increment: number | undefined) => void = () => undefined,
): Promise<ScanWorkspaceResult | undefined> {
  const workDoneToken = `skillSentinel-scan-${process.pid}-${nextProgressToken++}`;
  let last = 0;
  const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
    if (value.kind === 'end') return;
    const update = value as WorkDoneProgressBegin | WorkDoneProgressReport;
    const percentage = update.percentage ?? last;
    report(update.message, percentage - last);
    last = percentage;
  });
  try {
    const params: ScanWorkspaceParams = { workDoneToken };
    return await client.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, params, token);
  } catch (error) {
    // A cancelled request rejects; that is the user's choice, not an error to report.
    if (token?.isCancellationRequested) return undefined;
    throw error;
  } finally {
    listener.dispose();
  }
}

function docsUrlOf(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  if (typeof argument === 'object' && argument !== null && (argument as FindingNode).kind === 'finding') {
    return ruleCode((argument as FindingNode).diagnostic).target?.toString();
  }
  return undefined;
}

/** Writes `skillSentinel.skillRules["<skill folder>"][ruleId] = "off"` in workspace settings. */
async function disableRuleForSkill(skillUri: string, ruleId: string): Promise<boolean> {
  const skill = vscode.Uri.parse(skillUri);
  const folder = vscode.workspace.getWorkspaceFolder(skill);
  if (!folder) {
    void vscode.window.showWarningMessage(`Skill Sentinel: ${unlinkedText(skill.fsPath)} is outside the workspace; nothing was written.`);
    return false;
  }
  const key = path.relative(folder.uri.fsPath, skill.fsPath).split(path.sep).join('/') || '.';
  const config = vscode.workspace.getConfiguration('skillSentinel', folder.uri);
  // Multi-root workspaces keep per-folder settings in the folder; otherwise .vscode/settings.json.
  const target = vscode.workspace.workspaceFile ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
  const inspected = config.inspect<Record<string, Record<string, string>>>('skillRules');
  const current = (target === vscode.ConfigurationTarget.WorkspaceFolder ? inspected?.workspaceFolderValue : inspected?.workspaceValue) ?? {};
  const updated = { ...current, [key]: { ...(current[key] ?? {}), [ruleId]: 'off' } };
  await config.update('skillRules', updated, target);
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      `Skill Sentinel: ${ruleId} was turned off for ${unlinkedText(key)} in workspace settings; it takes effect once the workspace is trusted.`,
    );
  }
  return true;
}

/**
 * What the scan could not look at (a linked skill folder it does not follow, an unreadable or too
 * deep folder) is said, not only logged: a skill left out must not pass for a clean one.
 */
async function reportScanProblems(result: ScanWorkspaceResult, outputChannel: vscode.LogOutputChannel): Promise<void> {
  for (const problem of result.problems) outputChannel.warn(`workspace scan: ${problem.path}: ${problem.message}`);
  const [first] = result.problems;
  if (!first) return;
  const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : '';
  // Paths and messages quote folder names the skill chose: no link syntax in a notification.
  const choice = await vscode.window.showWarningMessage(
    `Skill Sentinel: not everything was scanned. ${unlinkedText(path.basename(first.path))}: ${unlinkedText(first.message)}${more}`,
    'Show Output',
  );
  if (choice === 'Show Output') outputChannel.show(true);
}

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SCAN_WORKSPACE_COMMAND, () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Skill Sentinel: scanning skills', cancellable: true },
        async (progress, token) => {
          const result = await requestWorkspaceScan(context.client(), token, (message, increment) =>
            progress.report({ ...(message ? { message } : {}), ...(increment ? { increment } : {}) }),
          );
          if (result) {
            context.onScanResult(result);
            const flagged = result.skills.filter((skill) => skill.findings > 0).length;
            vscode.window.setStatusBarMessage(
              `Skill Sentinel: ${result.skills.length} skill(s) scanned, ${flagged} with findings${result.cancelled ? ' (cancelled)' : ''}`,
              5000,
            );
            if (result.problems.length > 0) void reportScanProblems(result, context.outputChannel);
          }
          return result;
        },
      ),
    ),
    vscode.commands.registerCommand('skillSentinel.findings.clear', async () => {
      await context.client().sendRequest(CLEAR_FINDINGS_REQUEST);
      context.tree.clearSummaries();
    }),
    vscode.commands.registerCommand('skillSentinel.findings.refresh', () => context.tree.rebuild()),
    vscode.commands.registerCommand('skillSentinel.restartServer', async () => {
      context.tree.clearSummaries();
      await context.client().restart();
    }),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => context.outputChannel.show(true)),
    vscode.commands.registerCommand(REVEAL_FINDING_COMMAND, async (uri: vscode.Uri, range: vscode.Range) => {
      const editor = await vscode.window.showTextDocument(uri, { selection: range, preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    vscode.commands.registerCommand(OPEN_RULE_DOCS_COMMAND, async (argument: unknown) => {
      const url = docsUrlOf(argument);
      return url ? vscode.env.openExternal(vscode.Uri.parse(url)) : false;
    }),
    vscode.commands.registerCommand(DISABLE_RULE_FOR_SKILL_COMMAND, (skillUri: string, ruleId: string) =>
      disableRuleForSkill(skillUri, ruleId),
    ),
  ];
}
