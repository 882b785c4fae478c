/** Language status item for SKILL.md: server state plus the current skill's findings count. */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { FindingsTree } from './findings-tree';
import { SKILL_MD_PATTERN } from './language-client';

export const SHOW_OUTPUT_COMMAND = 'skillSentinel.showOutputChannel';

export class SkillStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  private state: State = State.Starting;

  constructor(
    client: LanguageClient,
    private readonly tree: FindingsTree,
  ) {
    this.item = vscode.languages.createLanguageStatusItem('skillSentinel.status', [
      // SKILL.md in any letter case, as the server's discovery takes it.
      { scheme: 'file', pattern: SKILL_MD_PATTERN },
    ]);
    this.item.name = 'Skill Sentinel';
    this.item.command = { title: 'Show Output', command: SHOW_OUTPUT_COMMAND };
    this.disposables.push(
      this.item,
      client.onDidChangeState((event) => {
        this.state = event.newState;
        this.update();
      }),
      tree.onDidRebuild(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    if (this.state === State.Starting) {
      this.item.text = '$(loading~spin) Skill Sentinel';
      this.item.detail = 'starting';
      this.item.busy = true;
      this.item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    this.item.busy = false;
    if (this.state === State.Stopped) {
      this.item.text = '$(shield) Skill Sentinel';
      this.item.detail = 'server stopped';
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const counts = active ? this.tree.countForSkillOf(active) : undefined;
    const count = counts?.count ?? 0;
    this.item.text = `$(shield) Skill Sentinel: ${count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`}`;
    this.item.detail = 'in this skill';
    this.item.severity =
      counts?.worst === vscode.DiagnosticSeverity.Error
        ? vscode.LanguageStatusSeverity.Error
        : counts?.worst === vscode.DiagnosticSeverity.Warning
          ? vscode.LanguageStatusSeverity.Warning
          : vscode.LanguageStatusSeverity.Information;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
