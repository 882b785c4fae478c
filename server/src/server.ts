/**
 * The Skill Sentinel language server: wires the engine to LSP. It pushes diagnostics (not pull)
 * because the workspace scan must report on files that are not open (style guide §2.6).
 *
 * Unit of work is the skill, not the file: rules are cross-file (a script's upload plus the
 * SKILL.md's instructions), so any change to any file of a skill re-checks the whole skill and
 * republishes every file of it, clearing the files that no longer have findings.
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CancellationToken,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DEFAULT_LIMITS, createEngine, loadSkillBundle, type Engine, type RuleMeta } from './engine';
import { buildCodeActions } from './code-actions';
import { reportToDiagnostics } from './diagnostics';
import { defaultIsFile, findSkillRoot, isInside, overlayOpenDocuments, relativePosix, SKILL_MARKERS, type OpenText } from './documents';
import {
  CLEAR_FINDINGS_REQUEST,
  SCAN_WORKSPACE_REQUEST,
  SKILL_REPORTS_NOTIFICATION,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type SkillReportsParams,
  type SkillSummary,
} from './protocol';
import { isExcluded, resolveSettings, ruleOverridesForSkill, type ResolvedSettings } from './settings';
import { scanWorkspace } from './workspace-scan';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Typing pauses shorter than this do not trigger a scan. */
const TYPING_DEBOUNCE_MS = 250;
/** File events come in bursts (git checkout, rename = delete + create): coalesce them. */
const FILE_EVENT_DEBOUNCE_MS = 100;

// The engine loads rules.json and the tree-sitter wasm files from dist/, next to this bundle.
const enginePromise: Promise<Engine> = createEngine({ assetsDir: __dirname });
let rulesById: ReadonlyMap<string, RuleMeta> = new Map();
enginePromise.then(
  (engine) => {
    rulesById = new Map(engine.rules.map((rule) => [rule.id, rule]));
    connection.console.info(`Skill Sentinel engine ${engine.version} ready with ${engine.rules.length} rules`);
  },
  (error: unknown) => connection.console.error(`Skill Sentinel engine failed to load: ${describe(error)}`),
);

let workspaceFolders: string[] = [];
let relatedInformation = false;
let configurationPull = false;
let workspaceScanned = false;

interface SkillState {
  /** URIs that currently have non-empty diagnostics from us. */
  published: Set<string>;
  /** Document version each open file had when last checked; fixes need the same version. */
  versions: Map<string, number>;
  summary?: SkillSummary;
  /** Last unanalysed-files log line, so typing does not repeat it on every keystroke. */
  unanalysedLog: string;
}

const skills = new Map<string, SkillState>();
const timers = new Map<string, NodeJS.Timeout>();
/** Per-skill promise chains: a check awaits settings, so two checks could otherwise interleave. */
const queues = new Map<string, Promise<unknown>>();
const settingsCache = new Map<string, Promise<ResolvedSettings>>();
const loggedSettingsProblems = new Set<string>();
/** Version seen at didOpen, so the change event that TextDocuments fires on open is ignored. */
const openedVersions = new Map<string, number>();

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function filePathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

function workspaceFolderOf(filePath: string): string | undefined {
  return workspaceFolders.filter((folder) => isInside(folder, filePath)).sort((a, b) => b.length - a.length)[0];
}

function skillPathInWorkspace(root: string): string | undefined {
  const folder = workspaceFolderOf(root);
  return folder === undefined ? undefined : relativePosix(folder, root);
}

function settingsFor(root: string): Promise<ResolvedSettings> {
  let cached = settingsCache.get(root);
  if (!cached) {
    cached = (async () => {
      const raw: unknown = configurationPull
        ? await connection.workspace.getConfiguration({ scopeUri: URI.file(root).toString(), section: 'skillSentinel' })
        : {};
      const settings = resolveSettings(raw);
      for (const problem of settings.problems) {
        if (loggedSettingsProblems.has(problem)) continue;
        loggedSettingsProblems.add(problem);
        connection.console.warn(`settings: skillSentinel.${problem}`);
      }
      return settings;
    })();
    settingsCache.set(root, cached);
  }
  return cached;
}

function openDocumentsOf(root: string): TextDocument[] {
  return documents.all().filter((doc) => {
    const filePath = filePathOf(doc.uri);
    return filePath !== undefined && isInside(root, filePath) && findSkillRoot(filePath, workspaceFolders) === root;
  });
}

function hasSkillMarker(root: string): boolean {
  if (SKILL_MARKERS.some((marker) => defaultIsFile(path.join(root, marker)))) return true;
  // An open SKILL.md not yet saved to disk still makes its folder a skill.
  return documents.all().some((doc) => {
    const filePath = filePathOf(doc.uri);
    return filePath !== undefined && SKILL_MARKERS.includes(path.basename(filePath)) && path.dirname(filePath) === root;
  });
}

function notifyReports(params: SkillReportsParams): void {
  void connection.sendNotification(SKILL_REPORTS_NOTIFICATION, params);
}

function clearSkill(root: string): void {
  const state = skills.get(root);
  if (!state) return;
  for (const uri of state.published) void connection.sendDiagnostics({ uri, diagnostics: [] });
  skills.delete(root);
  notifyReports({ skills: [], removed: [URI.file(root).toString()] });
}

function enqueue<T>(root: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(root) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  queues.set(root, settled);
  void settled.then(() => {
    if (queues.get(root) === settled) queues.delete(root);
  });
  return next;
}

/** Scans one skill (disk text with open editors' text over it) and publishes all its files. */
function checkSkill(root: string): Promise<SkillSummary | undefined> {
  return enqueue(root, async () => {
    try {
      const engine = await enginePromise;
      const settings = await settingsFor(root);
      const rel = skillPathInWorkspace(root);
      if (!settings.enable || (rel !== undefined && rel !== '' && isExcluded(rel, settings.exclude)) || !hasSkillMarker(root)) {
        clearSkill(root);
        return undefined;
      }
      const openDocs = openDocumentsOf(root);
      const open: OpenText[] = openDocs.map((doc) => ({ path: filePathOf(doc.uri) as string, text: doc.getText() }));
      const onDisk = loadSkillBundle(root, { ...DEFAULT_LIMITS, maxFileBytes: settings.maxFileSize });
      const bundle = overlayOpenDocuments(onDisk, open, settings.maxFileSize);
      const report = engine.scan(bundle, { ruleOverrides: ruleOverridesForSkill(settings, rel) });

      const state: SkillState = skills.get(root) ?? { published: new Set(), versions: new Map(), unanalysedLog: '' };
      skills.set(root, state);
      state.versions = new Map(openDocs.map((doc) => [doc.uri, doc.version]));
      const byUri = reportToDiagnostics(report, { skillRoot: root, rules: rulesById, relatedInformation });
      for (const [uri, diagnostics] of byUri) void connection.sendDiagnostics({ uri, diagnostics });
      for (const uri of state.published) {
        if (!byUri.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      state.published = new Set(byUri.keys());

      const unanalysedLog = bundle.unanalysed.map((file) => `  ${file.path}: ${file.reason} (${file.detail})`).join('\n');
      if (unanalysedLog !== state.unanalysedLog) {
        state.unanalysedLog = unanalysedLog;
        if (unanalysedLog) connection.console.warn(`${root}: ${bundle.unanalysed.length} file(s) not analysed:\n${unanalysedLog}`);
      }
      const summary: SkillSummary = {
        uri: URI.file(root).toString(),
        dirName: report.dirName,
        ...(report.name !== undefined ? { name: report.name } : {}),
        verdict: report.verdict,
        score: report.score,
        findings: report.findings.length,
        filesAnalysed: report.filesAnalysed,
        unanalysed: bundle.unanalysed.length,
      };
      state.summary = summary;
      notifyReports({ skills: [summary], removed: [] });
      connection.console.log(
        `checked ${rel ?? root}: ${report.verdict} (score ${report.score}), ${report.findings.length} finding(s) in ${report.durationMs} ms`,
      );
      return summary;
    } catch (error) {
      connection.console.error(`checking ${root} failed: ${describe(error)}`);
      return undefined;
    }
  });
}

function schedule(root: string, delayMs: number): void {
  const pending = timers.get(root);
  if (pending) clearTimeout(pending);
  timers.set(
    root,
    setTimeout(() => {
      timers.delete(root);
      void checkSkill(root);
    }, delayMs),
  );
}

function skillOfDocument(uri: string): string | undefined {
  const filePath = filePathOf(uri);
  return filePath === undefined ? undefined : findSkillRoot(filePath, workspaceFolders);
}

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  relatedInformation = capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
  configurationPull = capabilities.workspace?.configuration === true;
  workspaceFolders = (params.workspaceFolders ?? [])
    .map((folder) => filePathOf(folder.uri))
    .filter((folder): folder is string => folder !== undefined);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'skill-sentinel' },
  };
});

connection.onInitialized(() => {
  if (configurationPull) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'skillSentinel' });
  connection.workspace.onDidChangeWorkspaceFolders((event) => {
    const removed = new Set(event.removed.map((folder) => filePathOf(folder.uri)));
    workspaceFolders = workspaceFolders.filter((folder) => !removed.has(folder));
    for (const added of event.added) {
      const folder = filePathOf(added.uri);
      if (folder !== undefined) workspaceFolders.push(folder);
    }
    for (const root of [...skills.keys()]) if (!workspaceFolderOf(root)) clearSkill(root);
  });
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  const roots = new Set(skills.keys());
  for (const doc of documents.all()) {
    const root = skillOfDocument(doc.uri);
    if (root !== undefined) roots.add(root);
  }
  for (const root of roots) schedule(root, 0);
});

documents.onDidOpen((event) => {
  openedVersions.set(event.document.uri, event.document.version);
  const root = skillOfDocument(event.document.uri);
  if (root !== undefined) schedule(root, 0);
});

documents.onDidChangeContent(async (event) => {
  if (openedVersions.get(event.document.uri) === event.document.version) return;
  const root = skillOfDocument(event.document.uri);
  if (root === undefined) return;
  const settings = await settingsFor(root);
  if (settings.run === 'onType') schedule(root, TYPING_DEBOUNCE_MS);
});

documents.onDidSave((event) => {
  const root = skillOfDocument(event.document.uri);
  if (root !== undefined) schedule(root, 0);
});

documents.onDidClose((event) => {
  openedVersions.delete(event.document.uri);
  // Unsaved text is gone: re-check from disk. Findings are kept (from disk), not cleared.
  const root = skillOfDocument(event.document.uri);
  if (root !== undefined && skills.has(root)) schedule(root, 0);
});

connection.onDidChangeWatchedFiles((params) => {
  const affected = new Set<string>();
  for (const change of params.changes) {
    const filePath = filePathOf(change.uri);
    if (filePath === undefined) continue;
    // A changed path may be a file in a known skill, or a folder holding whole skills (deleted).
    for (const root of skills.keys()) if (isInside(filePath, root) || isInside(root, filePath)) affected.add(root);
    if (SKILL_MARKERS.includes(path.basename(filePath))) {
      const root = path.dirname(filePath);
      // A new SKILL.md starts a skill: check it if the workspace was scanned or a file of it is open.
      const relevant = skills.has(root) || workspaceScanned || openDocumentsOf(root).length > 0;
      if (relevant && (change.type !== FileChangeType.Deleted || skills.has(root))) affected.add(root);
    }
  }
  // Nested skills: an event inside a nested skill also lies inside its parent; re-check both.
  for (const root of affected) schedule(root, FILE_EVENT_DEBOUNCE_MS);
});

connection.onCodeAction(async (params) => {
  const root = skillOfDocument(params.textDocument.uri);
  const settings = root === undefined ? resolveSettings({}) : await settingsFor(root);
  const doc = documents.get(params.textDocument.uri);
  const checkedVersion = root === undefined ? undefined : skills.get(root)?.versions.get(params.textDocument.uri);
  return buildCodeActions({
    diagnostics: params.context.diagnostics,
    // Closed files cannot drift; open ones must still be at the version the fix was computed on.
    fixesAreCurrent: doc === undefined || (checkedVersion === doc.version && !timers.has(root ?? '')),
    showDocumentation: settings.showDocumentation,
    ...(params.context.only ? { only: params.context.only } : {}),
  });
});

connection.onRequest(
  SCAN_WORKSPACE_REQUEST,
  async (params: ScanWorkspaceParams | undefined, token: CancellationToken): Promise<ScanWorkspaceResult> => {
    const progress = connection.window.attachWorkDoneProgress(params?.workDoneToken);
    progress.begin('Scanning skills', 0, 'discovering…', false);
    try {
      await enginePromise;
      const result = await scanWorkspace({
        folders: workspaceFolders,
        settingsFor,
        checkSkill,
        // The client cancels a client-initiated progress by cancelling the request itself.
        token,
        progress: (done, total, message) => progress.report(total === 0 ? 100 : Math.round((done / total) * 100), `${done}/${total} ${message}`),
        log: (line) => connection.console.warn(line),
      });
      workspaceScanned = true;
      if (!result.cancelled) {
        // Skills that left the configured locations (or the disk) and have nothing open: clear them.
        const inScope = new Set(result.roots);
        for (const root of [...skills.keys()]) {
          if (!inScope.has(root) && openDocumentsOf(root).length === 0) clearSkill(root);
        }
      }
      connection.console.info(
        `workspace scan: ${result.skills.length} skill(s) in ${result.durationMs} ms${result.cancelled ? ' (cancelled)' : ''}`,
      );
      return { skills: result.skills, cancelled: result.cancelled, durationMs: result.durationMs, problems: result.problems };
    } finally {
      progress.done();
    }
  },
);

connection.onRequest(CLEAR_FINDINGS_REQUEST, () => {
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
  for (const root of [...skills.keys()]) clearSkill(root);
  workspaceScanned = false;
  return null;
});

documents.listen(connection);
connection.listen();
