/**
 * Code actions for Skill Sentinel diagnostics, built from `Diagnostic.data` so no re-scan is
 * needed. Order (style guide §2.7): every safe fix first (preferred), then per rule "Show
 * documentation" and "Disable for this skill". Disabling writes workspace settings through a
 * client command: an action never edits the skill's own files to silence a finding, since a
 * skill that could silence itself would defeat the linter.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { Fix } from './engine/types';
import { skillFileUri, spanToRange } from './diagnostics';
import {
  DIAGNOSTIC_SOURCE,
  DISABLE_RULE_FOR_SKILL_COMMAND,
  OPEN_RULE_DOCS_COMMAND,
  isDiagnosticData,
  type DiagnosticData,
} from './protocol';

export interface CodeActionInput {
  /** Diagnostics the client sent in the code action context. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * False when the document changed since these diagnostics were computed: a fix's spans would
   * then point at the wrong text, so fixes are withheld until the pending re-check publishes.
   */
  readonly fixesAreCurrent: boolean;
  readonly showDocumentation: boolean;
  /** `only` from the code action context, if the client asked for particular kinds. */
  readonly only?: readonly string[];
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

export function fixToWorkspaceEdit(fix: Fix, skillRoot: string): Record<string, LspTextEdit[]> {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of fix.edits) {
    const uri = skillFileUri(skillRoot, edit.file);
    (changes[uri] ??= []).push({ range: spanToRange(edit.span), newText: edit.newText });
  }
  return changes;
}

export function buildCodeActions(input: CodeActionInput): CodeAction[] {
  if (!wants(input.only, CodeActionKind.QuickFix)) return [];
  const ours = input.diagnostics
    .filter((d) => d.source === DIAGNOSTIC_SOURCE && isDiagnosticData(d.data))
    .map((d) => ({ diagnostic: d, data: d.data as DiagnosticData }));

  const fixes: CodeAction[] = [];
  const perRule: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const { diagnostic, data } of ours) {
    const skillRoot = URI.parse(data.skillUri).fsPath;
    if (data.fix && input.fixesAreCurrent) {
      fixes.push({
        title: data.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: fixToWorkspaceEdit(data.fix, skillRoot) },
      });
    }
    if (seenRules.has(data.ruleId)) continue;
    seenRules.add(data.ruleId);
    const href = diagnostic.codeDescription?.href;
    if (input.showDocumentation && href) {
      perRule.push({
        title: `Show documentation for ${data.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: `Show documentation for ${data.ruleId}`, command: OPEN_RULE_DOCS_COMMAND, arguments: [href] },
      });
    }
    perRule.push({
      title: `Disable ${data.ruleId} for this skill (workspace settings)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: {
        title: `Disable ${data.ruleId} for this skill`,
        command: DISABLE_RULE_FOR_SKILL_COMMAND,
        arguments: [data.skillUri, data.ruleId],
      },
    });
  }
  return [...fixes, ...perRule];
}
