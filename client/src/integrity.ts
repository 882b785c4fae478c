/**
 * The editor side of the lock file and the installed-skills watcher: Approve Skill, Verify Skills,
 * the workspace-trust signal the server needs, and alerts for installed skills that turned
 * dangerous. The server does the work (engine/integrity, shared with the CLI); this file asks the
 * user and shows the outcome. Command handlers return their result so tests can check it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  APPROVE_SKILL_REQUEST,
  INSTALLED_SKILL_ALERT_NOTIFICATION,
  VERIFY_SKILLS_REQUEST,
  WORKSPACE_TRUST_NOTIFICATION,
  type ApproveSkillParams,
  type ApproveSkillResult,
  type InstalledSkillAlertParams,
  type VerifySkillsResult,
  type WorkspaceTrustParams,
} from '../../server/src/protocol';
import { unlinkedText } from '../../server/src/engine/display-text';
import { isSkillMarkerEntry, primarySkillMarker } from '../../server/src/engine/fs-entries';
import { VIEW_ID } from './findings-tree';

export const APPROVE_SKILL_COMMAND = 'skillSentinel.approveSkill';
export const VERIFY_SKILLS_COMMAND = 'skillSentinel.verifySkills';
const APPROVE_ANYWAY = 'Approve anyway';

export interface IntegrityContext {
  readonly client: () => LanguageClient;
  readonly outputChannel: vscode.LogOutputChannel;
}

/**
 * The skill an invocation is about: a tree skill node (`{ folder: Uri }`), an explorer URI, a URI
 * string, or else the active editor's file. The server finds the skill folder from any file in it.
 */
export function targetOf(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument === 'string') return vscode.Uri.parse(argument);
  if (typeof argument === 'object' && argument !== null) {
    const node = argument as { kind?: unknown; folder?: unknown };
    if (node.kind === 'skill' && node.folder instanceof vscode.Uri) return node.folder;
  }
  return vscode.window.activeTextEditor?.document.uri;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The folder at or above `target` holding a SKILL.md (the server decides; this only finds unsaved files). */
function skillFolderOf(target: string): string | undefined {
  let current = target;
  for (let steps = 0; steps < 32; steps++) {
    if (skillMarkersIn(current).length > 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** The SKILL.md files of a folder, in any letter case, as the server's discovery finds them. */
function skillMarkersIn(folder: string): string[] {
  try {
    return fs
      .readdirSync(folder, { withFileTypes: true })
      .filter(isSkillMarkerEntry)
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

async function approveSkill(context: IntegrityContext, argument: unknown): Promise<ApproveSkillResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Skill Sentinel: skills can only be approved in a trusted workspace; the lock file was not written.');
    return undefined;
  }
  const target = targetOf(argument);
  if (target === undefined || target.scheme !== 'file') {
    void vscode.window.showErrorMessage('Skill Sentinel: open a SKILL.md (or pick a skill in the Findings view) to approve it.');
    return undefined;
  }
  // What gets approved is the disk content: unsaved edits would be left out of the approval.
  const folder = skillFolderOf(target.fsPath);
  const unsaved = vscode.workspace.textDocuments.find(
    (document) => document.isDirty && document.uri.scheme === 'file' && folder !== undefined && isInside(folder, document.uri.fsPath),
  );
  if (unsaved !== undefined) {
    void vscode.window.showWarningMessage(`Skill Sentinel: save ${path.basename(unsaved.uri.fsPath)} first; the approval records the files on disk.`);
    return undefined;
  }
  const request = (force: boolean) =>
    context.client().sendRequest<ApproveSkillResult>(APPROVE_SKILL_REQUEST, { uri: target.toString(), force } satisfies ApproveSkillParams);
  let result = await request(false);
  if (result.status === 'refused') {
    const example = result.example ? `, e.g. ${unlinkedText(result.example)}` : '';
    const choice = await vscode.window.showErrorMessage(
      `Skill Sentinel: ${unlinkedText(result.skill)} is ${result.verdict} (${plural(result.blockingFindings, 'high or critical finding')}${example}). ` +
        'Approving it records it as reviewed and trusted.',
      { modal: true },
      APPROVE_ANYWAY,
    );
    if (choice !== APPROVE_ANYWAY) return result;
    result = await request(true);
  }
  switch (result.status) {
    case 'approved': {
      const what = result.change === 'unchanged' ? 'was already approved; nothing changed in' : 'approved in';
      const signature = result.signatureDropped ? ' The lock was signed; sign it again with `skill-sentinel lock --sign-key`.' : '';
      void vscode.window.showInformationMessage(`Skill Sentinel: ${unlinkedText(result.skill)} ${what} ${unlinkedText(result.lockFile)}.${signature}`);
      break;
    }
    case 'error':
      void vscode.window.showErrorMessage(`Skill Sentinel: ${unlinkedText(result.message)}`);
      break;
    case 'refused':
      break;
  }
  return result;
}

async function verifySkills(context: IntegrityContext): Promise<VerifySkillsResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Skill Sentinel: verifying skills against the lock' },
    () => context.client().sendRequest<VerifySkillsResult>(VERIFY_SKILLS_REQUEST),
  );
  for (const problem of result.problems) context.outputChannel.warn(`verify: ${problem.path}: ${problem.message}`);
  const problems = result.problems.length > 0 ? ` (${plural(result.problems.length, 'problem')}; see the output)` : '';
  const message = `Skill Sentinel: ${unlinkedText(result.summary)}${problems}`;
  const allMatch = result.lockFiles.length > 0 && result.problems.length === 0 && result.skills.every((skill) => skill.status === 'ok');
  // Not awaited: a notification stays until dismissed, and the command's result must not wait for that.
  if (allMatch) void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message);
  return result;
}

function alertText(alert: InstalledSkillAlertParams): string {
  const counts = [
    ...(alert.newCritical > 0 ? [`${alert.newCritical} ${alert.change === 'changed' ? 'new ' : ''}critical`] : []),
    ...(alert.newHigh > 0 ? [`${alert.newHigh} ${alert.change === 'changed' ? 'new ' : ''}high`] : []),
  ];
  const total = alert.newCritical + alert.newHigh;
  const verb = alert.change === 'added' ? 'was added' : 'changed';
  // The folder name is the skill's own choice, and a notification makes links of `[label](target)`.
  return `Skill '${unlinkedText(alert.skill)}' in ${unlinkedText(alert.location)} ${verb}: ${counts.join(' and ')} finding${total === 1 ? '' : 's'}`;
}

async function showInstalledSkill(alert: InstalledSkillAlertParams): Promise<void> {
  const folder = vscode.Uri.parse(alert.skillUri);
  const skillMd = vscode.Uri.joinPath(folder, (folder.scheme === 'file' ? primarySkillMarker(skillMarkersIn(folder.fsPath)) : undefined) ?? 'SKILL.md');
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  await vscode.window.showTextDocument(skillMd, { preview: true });
}

/** Tells the server whether the workspace is trusted, now and after every (re)start. */
function sendTrust(client: LanguageClient): void {
  const params: WorkspaceTrustParams = { trusted: vscode.workspace.isTrusted };
  void client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, params);
}

export function registerIntegrity(context: IntegrityContext): vscode.Disposable[] {
  const client = context.client();
  return [
    vscode.commands.registerCommand(APPROVE_SKILL_COMMAND, (argument: unknown) => approveSkill(context, argument)),
    vscode.commands.registerCommand(VERIFY_SKILLS_COMMAND, () => verifySkills(context)),
    client.onNotification(INSTALLED_SKILL_ALERT_NOTIFICATION, (alert: InstalledSkillAlertParams) => {
      void vscode.window.showWarningMessage(alertText(alert), 'Show').then((choice) => {
        if (choice === 'Show') return showInstalledSkill(alert);
        return undefined;
      });
    }),
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) sendTrust(client);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client.state === State.Running) sendTrust(client);
    }),
  ];
}
