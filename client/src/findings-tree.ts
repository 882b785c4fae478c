/**
 * The Findings view: skill (verdict, score) → file → finding. Built from
 * `languages.getDiagnostics()` filtered by our source, so it always agrees with the Problems panel
 * and needs no second findings protocol; verdicts come from the server's skill reports.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, isDiagnosticData, type SkillSummary } from '../../server/src/protocol';
import { escapeHidden } from '../../server/src/engine/display-text';
import type { TreeItemSnapshot } from './api';

export const REVEAL_FINDING_COMMAND = 'skillSentinel.revealFinding';
export const VIEW_ID = 'skillSentinel.findings';
const HAS_FINDINGS_CONTEXT = 'skillSentinel:hasFindings';

interface SkillNode {
  readonly kind: 'skill';
  readonly key: string;
  readonly folder: vscode.Uri;
  readonly summary?: SkillSummary;
  readonly files: FileNode[];
}

interface FileNode {
  readonly kind: 'file';
  readonly uri: vscode.Uri;
  readonly label: string;
  readonly findings: FindingNode[];
}

export interface FindingNode {
  readonly kind: 'finding';
  readonly uri: vscode.Uri;
  readonly diagnostic: vscode.Diagnostic;
  /** Set when the workspace baseline accepted the finding: listed, but not counted. */
  readonly suppression?: { readonly reason: string; readonly expires?: string };
}

/** The baseline's verdict on a diagnostic, from `data` (kept by the language client). */
export function suppressionOf(diagnostic: vscode.Diagnostic): FindingNode['suppression'] {
  const data: unknown = (diagnostic as { data?: unknown }).data;
  return isDiagnosticData(data) && data.suppressed !== undefined && typeof data.suppressed.reason === 'string' ? data.suppressed : undefined;
}

/** The message without the " (suppressed by baseline: …)" the server appends for the Problems panel. */
function messageOf(node: FindingNode): string {
  const suffix = node.suppression ? ` (suppressed by baseline: ${node.suppression.reason})` : '';
  return suffix && node.diagnostic.message.endsWith(suffix) ? node.diagnostic.message.slice(0, -suffix.length) : node.diagnostic.message;
}

/**
 * The rule code in bold, then the message and the suppression as text, never as Markdown: a
 * message quotes the scanned skill, whose `![](https://…)` would otherwise make the editor fetch
 * an image chosen by the skill when the finding is hovered, and whose links would be clickable.
 */
function findingTooltip(code: string, message: string, suppression: FindingNode['suppression']): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${code}** `).appendText(message);
  if (suppression) {
    tooltip.appendMarkdown('\n\n').appendText(`Suppressed by the workspace baseline: ${suppression.reason}${suppression.expires ? ` (until ${suppression.expires})` : ''}`);
  }
  return tooltip;
}

function integrityText(summary: SkillSummary): string {
  switch (summary.integrity?.status) {
    case 'ok':
      return ' · approved';
    case 'changed':
      return ' · changed since approval';
    case 'unapproved':
      return ' · not approved';
    case 'error':
      return ' · lock file unusable';
    default:
      return '';
  }
}

type Node = SkillNode | FileNode | FindingNode;

export function ruleCode(diagnostic: vscode.Diagnostic): { value: string; target?: vscode.Uri } {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return { value: String(code.value), target: code.target };
  return { value: code === undefined ? '' : String(code) };
}

function severityIcon(severity: vscode.DiagnosticSeverity): vscode.ThemeIcon {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case vscode.DiagnosticSeverity.Warning:
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    default:
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
  }
}

function verdictIcon(summary: SkillSummary | undefined, worst: vscode.DiagnosticSeverity | undefined): vscode.ThemeIcon {
  switch (summary?.verdict) {
    case 'malicious':
    case 'dangerous':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'suspicious':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'notice':
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    case 'clean':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    default:
      return worst === undefined ? new vscode.ThemeIcon('folder') : severityIcon(worst);
  }
}

function isInsideFolder(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly rebuiltEmitter = new vscode.EventEmitter<void>();
  readonly onDidRebuild = this.rebuiltEmitter.event;
  private readonly summaries = new Map<string, SkillSummary>();
  private roots: SkillNode[] = [];
  private view: vscode.TreeView<Node> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.languages.onDidChangeDiagnostics(() => this.rebuild()),
      this.changeEmitter,
      this.rebuiltEmitter,
    );
    this.rebuild();
  }

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.updateBadge();
  }

  updateSummaries(skills: readonly SkillSummary[], removed: readonly string[]): void {
    for (const uri of removed) this.summaries.delete(uri);
    for (const skill of skills) this.summaries.set(skill.uri, skill);
    this.rebuild();
  }

  clearSummaries(): void {
    this.summaries.clear();
    this.rebuild();
  }

  allSummaries(): readonly SkillSummary[] {
    return [...this.summaries.values()];
  }

  /** Findings count and worst severity for the skill holding `file` (status item). */
  countForSkillOf(file: vscode.Uri): { count: number; worst?: vscode.DiagnosticSeverity } | undefined {
    const skill = this.roots.find((node) => isInsideFolder(node.folder.fsPath, file.fsPath));
    if (!skill) return undefined;
    const all = skill.files.flatMap((f) => f.findings.filter((n) => !n.suppression).map((n) => n.diagnostic.severity));
    return { count: all.length, ...(all.length > 0 ? { worst: Math.min(...all) } : {}) };
  }

  rebuild(): void {
    const skillFolders = [...this.summaries.values()].map((summary) => ({ summary, folder: vscode.Uri.parse(summary.uri) }));
    const nodes = new Map<string, SkillNode>();
    for (const { summary, folder } of skillFolders) {
      nodes.set(summary.uri, { kind: 'skill', key: summary.uri, folder, summary, files: [] });
    }
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      if (ours.length === 0) continue;
      // Longest matching folder wins, so a nested skill gets its own files.
      const owner = skillFolders
        .filter(({ folder }) => isInsideFolder(folder.fsPath, uri.fsPath))
        .sort((a, b) => b.folder.fsPath.length - a.folder.fsPath.length)[0];
      const folder = owner?.folder ?? vscode.Uri.file(path.dirname(uri.fsPath));
      const key = owner?.summary.uri ?? folder.toString();
      let skill = nodes.get(key);
      if (!skill) nodes.set(key, (skill = { kind: 'skill', key, folder, files: [] }));
      const sorted = [...ours].sort((a, b) => a.severity - b.severity || a.range.start.compareTo(b.range.start));
      const file: FileNode = {
        kind: 'file',
        uri,
        label: escapeHidden(path.relative(folder.fsPath, uri.fsPath).split(path.sep).join('/')),
        findings: sorted.map((diagnostic) => {
          const suppression = suppressionOf(diagnostic);
          return { kind: 'finding', uri, diagnostic, ...(suppression ? { suppression } : {}) };
        }),
      };
      skill.files.push(file);
    }
    for (const skill of nodes.values()) skill.files.sort((a, b) => a.label.localeCompare(b.label));
    this.roots = [...nodes.values()].sort(
      (a, b) => (b.summary?.score ?? 0) - (a.summary?.score ?? 0) || a.folder.fsPath.localeCompare(b.folder.fsPath),
    );
    this.updateBadge();
    this.changeEmitter.fire(undefined);
    this.rebuiltEmitter.fire();
  }

  private findingCount(): number {
    return this.roots.reduce((sum, skill) => sum + skill.files.reduce((n, file) => n + file.findings.filter((f) => !f.suppression).length, 0), 0);
  }

  private updateBadge(): void {
    const count = this.findingCount();
    void vscode.commands.executeCommand('setContext', HAS_FINDINGS_CONTEXT, count > 0);
    if (this.view) {
      this.view.badge = count > 0 ? { value: count, tooltip: `${count} Skill Sentinel finding${count === 1 ? '' : 's'}` } : undefined;
      this.view.description = this.roots.length > 0 ? `${this.roots.length} skill${this.roots.length === 1 ? '' : 's'}` : undefined;
    }
  }

  getChildren(element?: Node): Node[] {
    if (!element) return this.roots;
    if (element.kind === 'skill') return element.files;
    if (element.kind === 'file') return element.findings;
    return [];
  }

  getTreeItem(element: Node): vscode.TreeItem {
    switch (element.kind) {
      case 'skill': {
        const summary = element.summary;
        const worst = element.files.flatMap((f) => f.findings.filter((n) => !n.suppression).map((n) => n.diagnostic.severity)).sort()[0];
        const item = new vscode.TreeItem(
          // The folder name, not the frontmatter `name`: a skill can claim any name it likes. Names
          // are shown escaped where they hold bidirectional or invisible characters, which would
          // otherwise show one name for another.
          escapeHidden(summary?.dirName ?? path.basename(element.folder.fsPath)),
          element.files.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `skill:${element.key}`;
        const suppressed = summary?.suppressed ? ` · ${summary.suppressed} suppressed` : '';
        const installed = summary?.installedIn ? ` · installed in ${summary.installedIn}` : '';
        item.description = summary ? `${summary.verdict} · score ${summary.score}${suppressed}${integrityText(summary)}${installed}` : undefined;
        item.tooltip =
          escapeHidden(element.folder.fsPath) +
          (summary?.integrity?.status === 'changed' ? `\nchanged since approval: ${escapeHidden(summary.integrity.summary)}` : '') +
          (summary?.name !== undefined && summary.name !== summary.dirName ? `\nnamed \`${escapeHidden(summary.name)}\`` : '') +
          (summary ? `\n${summary.verdict}, risk score ${summary.score}/100, ${summary.findings} finding(s)` : '');
        item.iconPath = verdictIcon(summary, worst);
        item.contextValue = 'skill';
        item.resourceUri = element.folder;
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `file:${element.uri.toString()}`;
        item.description = `${element.findings.length}`;
        item.resourceUri = element.uri;
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = 'file';
        return item;
      }
      case 'finding': {
        const { diagnostic, uri } = element;
        const code = ruleCode(diagnostic);
        const item = new vscode.TreeItem(messageOf(element), vscode.TreeItemCollapsibleState.None);
        const position = `Ln ${diagnostic.range.start.line + 1}, Col ${diagnostic.range.start.character + 1}`;
        const suppression = element.suppression;
        item.description = suppression ? `${code.value} · suppressed: ${suppression.reason}` : `${code.value} · ${position}`;
        item.tooltip = findingTooltip(code.value, messageOf(element), suppression);
        // A struck-out eye: visibly not an open problem, and not a severity colour.
        item.iconPath = suppression ? new vscode.ThemeIcon('eye-closed', new vscode.ThemeColor('disabledForeground')) : severityIcon(diagnostic.severity);
        item.contextValue = 'finding';
        item.command = { title: 'Reveal finding', command: REVEAL_FINDING_COMMAND, arguments: [uri, diagnostic.range] };
        return item;
      }
    }
  }

  async snapshot(): Promise<TreeItemSnapshot[]> {
    const walk = async (nodes: readonly Node[]): Promise<TreeItemSnapshot[]> =>
      Promise.all(
        nodes.map(async (node) => {
          const item = this.getTreeItem(node);
          const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
          return {
            label,
            ...(typeof item.description === 'string' ? { description: item.description } : {}),
            ...(item.contextValue ? { contextValue: item.contextValue } : {}),
            ...(item.iconPath instanceof vscode.ThemeIcon ? { icon: item.iconPath.id } : {}),
            ...(item.tooltip instanceof vscode.MarkdownString ? { tooltip: item.tooltip.value } : {}),
            children: await walk(this.getChildren(node)),
          };
        }),
      );
    return walk(this.roots);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
