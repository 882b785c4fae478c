/** Event-driven helpers for the integration suite: every wait listens, none sleeps. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SkillSentinelApi } from '../../client/src/api';

export const SOURCE = 'skill-sentinel';
export const EXTENSION_ID = 'skill-sentinel.skill-sentinel';
const DEFAULT_TIMEOUT_MS = 20_000;

export async function activateExtension(): Promise<SkillSentinelApi> {
  const extension = vscode.extensions.getExtension<SkillSentinelApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host must open test/integration/workspace (a copy of it)');
  return folder.uri.fsPath;
}

export function fileUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), ...segments));
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function codes(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return [...new Set(diagnostics.map(codeOf))].sort();
}

/**
 * Resolves once `predicate` holds for the file's Skill Sentinel diagnostics. Create the promise
 * before the action that should change them, then await it: the listener is registered first, so
 * no change can slip by, and the current state is checked once right away.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const check = (): boolean => {
      const current = ours(uri);
      if (!predicate(current)) return false;
      subscription.dispose();
      clearTimeout(timer);
      resolve(current);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === key)) check();
    });
    // A deadline, not a sleep: it only turns a hang into a readable failure.
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} in ${uri.fsPath}; have [${codes(ours(uri)).join(', ')}]`));
    }, timeoutMs);
    check();
  });
}

/** Resolves once `predicate` holds for the extension's view of skills (tree rebuilt). */
export function waitForFindings(api: SkillSentinelApi, predicate: () => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): boolean => {
      if (!predicate()) return false;
      subscription.dispose();
      clearTimeout(timer);
      resolve();
      return true;
    };
    const subscription = api.onDidChangeFindings(() => done());
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    done();
  });
}

/** Resolves when the configuration section changes (the write has been applied). */
export function waitForConfiguration(section: string): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(section)) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

export async function replaceAll(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'edit was not applied');
}

export async function closeAllEditors(): Promise<void> {
  // Revert first so the next test starts from the disk text and no save prompt appears.
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
