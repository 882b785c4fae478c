/**
 * Skill Sentinel's VS Code client: starts the language server, and adds the Findings view, the
 * language status item and the commands. All analysis happens in the server (dist/server.js).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SKILL_REPORTS_NOTIFICATION, type ScanWorkspaceResult, type SkillReportsParams } from '../../server/src/protocol';
import type { SkillSentinelApi } from './api';
import { registerCommands, requestWorkspaceScan } from './commands';
import { FindingsTree, VIEW_ID } from './findings-tree';
import { registerIntegrity } from './integrity';
import { createLanguageClient } from './language-client';
import { SkillStatus } from './status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SkillSentinelApi> {
  const outputChannel = vscode.window.createOutputChannel('Skill Sentinel', { log: true });
  const tree = new FindingsTree();
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const languageClient = createLanguageClient(context, outputChannel);
  client = languageClient;
  let lastScan: ScanWorkspaceResult | undefined;

  context.subscriptions.push(
    outputChannel,
    tree,
    view,
    new SkillStatus(languageClient, tree),
    languageClient.onNotification(SKILL_REPORTS_NOTIFICATION, (params: SkillReportsParams) =>
      tree.updateSummaries(params.skills, params.removed),
    ),
    ...registerCommands({
      client: () => languageClient,
      tree,
      outputChannel,
      onScanResult: (result) => (lastScan = result),
    }),
    ...registerIntegrity({ client: () => languageClient, outputChannel }),
  );

  const ready = languageClient.start().catch((error: unknown) => {
    outputChannel.appendLine(`Skill Sentinel: the language server failed to start: ${String(error)}`);
    void vscode.window.showErrorMessage('Skill Sentinel: the language server failed to start; see the output channel.');
  });

  return {
    ready,
    scanWorkspace: async (token) => {
      const result = await requestWorkspaceScan(languageClient, token);
      if (result) lastScan = result;
      return result;
    },
    lastScanResult: () => lastScan,
    skillSummaries: () => tree.allSummaries(),
    findingsTreeSnapshot: () => tree.snapshot(),
    onDidChangeFindings: tree.onDidRebuild,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
