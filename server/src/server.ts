/**
 * The Skill Sentinel language server: wires the engine to LSP. It pushes diagnostics (not pull)
 * because the workspace scan must report on files that are not open (style guide §2.6).
 *
 * Unit of work is the skill, not the file: rules are cross-file (a script's upload plus the
 * SKILL.md's instructions), so any change to any file of a skill re-checks the whole skill and
 * republishes every file of it, clearing the files that no longer have findings.
 */
import * as os from 'node:os';
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
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CLI_INTERRUPT_BUDGET_FACTOR, compileRegexesBeforeFirstRun, optimiseAfterLongerRuns, SERVER_INTERRUPT_BUDGET_FACTOR, tierUpWebAssemblyOnlyInLongRuns } from './v8-tuning';
import { DEFAULT_LIMITS, createEngine, holdsSkillMarker, loadSkillBundle, primarySkillMarker, skillRootOf, type Engine, type RuleMeta, type SkillBundle, type SkillReport } from './engine';
import { poolSize, scanInPool } from './scan-pool';
import { buildCodeActions } from './code-actions';
import { findSkillRoot, isInside, isSkillMarker, overlayOpenDocuments, relativePosix, type OpenText } from './documents';
import {
  APPROVE_SKILL_REQUEST,
  CLEAR_FINDINGS_REQUEST,
  INSTALLED_SKILL_ALERT_NOTIFICATION,
  SCAN_WORKSPACE_REQUEST,
  SKILL_REPORTS_NOTIFICATION,
  VERIFY_SKILLS_REQUEST,
  WORKSPACE_TRUST_NOTIFICATION,
  type ApproveSkillParams,
  type ApproveSkillResult,
  type InstalledSkillAlertParams,
  type IntegrityStatus,
  type VerifiedSkillSummary,
  type VerifySkillsResult,
  type WorkspaceTrustParams,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type SkillReportsParams,
  type SkillSummary,
} from './protocol';
import { isExcluded, resolveSettings, ruleOverridesForSkill, type ResolvedSettings } from './settings';
import { discoverWorkspaceSkills, scanWorkspace } from './workspace-scan';
import { installedSkillsWatcherFor, newSevereFindings, type InstalledSkillsWatcher, type InstalledSkillEvent, type WatchedLocation } from './installed-skills-watcher';
import { baselinePathFor, baselineSuppressions, loadBaselineState } from './integrity-baseline';
import { DRIFT_RULE_ID, DRIFT_RULE_SLUG, driftSummary, integrityDiagnostic, integrityStatusOf, reportToDiagnosticsWithBaseline, type SuppressionLookup } from './integrity-diagnostics';
import { approveSkill, evaluateSkillIntegrity, loadLockState, lockPathFor, scannerStampFor, summariseVerification, type SkillIntegrity } from './integrity-lock';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** While a check of the skill is running, typing pauses shorter than this do not trigger another. */
const TYPING_DEBOUNCE_MS = 250;
/** File events come in bursts (git checkout, rename = delete + create): coalesce them. */
const FILE_EVENT_DEBOUNCE_MS = 100;

// The engine loads rules.json and the tree-sitter wasm files from dist/, next to this bundle.
compileRegexesBeforeFirstRun();
tierUpWebAssemblyOnlyInLongRuns();
optimiseAfterLongerRuns(SERVER_INTERRUPT_BUDGET_FACTOR);
const enginePromise: Promise<Engine> = createEngine({ assetsDir: __dirname, reuseResults: true });
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
/** Whether the client takes a dynamic registration for configuration changes (LSP allows it only then). */
let configurationRegistration = false;
/** Whether the client has workspace folders and can say when they change. */
let workspaceFolderChanges = false;
let workspaceScanned = false;
/**
 * Told by the client. Until then the workspace counts as untrusted: its baseline (which demotes
 * findings) is ignored and the lock is never written.
 */
let workspaceTrusted = false;

interface SentDiagnostics {
  readonly version: number | undefined;
  readonly diagnostics: Diagnostic[];
  /** The diagnostics as JSON, written when a later list for the same version is compared with them. */
  json?: string;
}

interface SkillState {
  /** URIs that currently have non-empty diagnostics from us. */
  published: Set<string>;
  /** What was last sent for each URI, so an unchanged list is not sent again. */
  sent: Map<string, SentDiagnostics>;
  /** Document version each open file had when last checked; fixes need the same version. */
  versions: Map<string, number>;
  summary?: SkillSummary;
  /** Last unanalysed-files log line, so typing does not repeat it on every keystroke. */
  unanalysedLog: string;
  /** Last report, to tell an installed skill's new findings from old ones. */
  report?: SkillReport;
  /** The skill against its workspace folder's lock file, when there is one. */
  integrity?: SkillIntegrity;
}

const skills = new Map<string, SkillState>();
/** A pending check per skill: a timer while typing coalesces, an immediate when it runs at once. */
type PendingCheck = { readonly kind: 'timeout'; readonly handle: NodeJS.Timeout } | { readonly kind: 'immediate'; readonly handle: NodeJS.Immediate };
const timers = new Map<string, PendingCheck>();

function cancelPending(pending: PendingCheck): void {
  if (pending.kind === 'timeout') clearTimeout(pending.handle);
  else clearImmediate(pending.handle);
}
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

/**
 * The `skillSentinel` section from the client, for `scopeUri` (a skill folder) or, undefined, for
 * no resource; empty when the client offers no configuration. A client that fails the request
 * gets the defaults rather than no checks at all, and its failure is logged once.
 */
async function pulledSettings(scopeUri: string | undefined): Promise<unknown> {
  if (!configurationPull) return {};
  try {
    return await connection.workspace.getConfiguration(scopeUri === undefined ? { section: 'skillSentinel' } : { scopeUri, section: 'skillSentinel' });
  } catch (error) {
    const problem = `the client did not give the settings (${error instanceof Error ? error.message : String(error)}); using the defaults`;
    if (!loggedSettingsProblems.has(problem)) {
      loggedSettingsProblems.add(problem);
      connection.console.warn(`settings: ${problem}`);
    }
    return {};
  }
}

function settingsFor(root: string): Promise<ResolvedSettings> {
  let cached = settingsCache.get(root);
  if (!cached) {
    cached = (async () => {
      const raw = await pulledSettings(URI.file(root).toString());
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
  if (holdsSkillMarker(root)) return true;
  // An open SKILL.md not yet saved to disk still makes its folder a skill.
  return documents.all().some((doc) => {
    const filePath = filePathOf(doc.uri);
    return filePath !== undefined && isSkillMarker(filePath) && path.dirname(filePath) === root;
  });
}

function notifyReports(params: SkillReportsParams): void {
  void connection.sendNotification(SKILL_REPORTS_NOTIFICATION, params);
}

/**
 * Sends a file's diagnostics unless the editor already has these for this version: a keystroke
 * re-checks the whole skill, and sending every other file's unchanged list again had the editor
 * redraw its problems for each of them on every keystroke.
 */
function publish(state: SkillState, uri: string, diagnostics: Diagnostic[]): void {
  const version = state.versions.get(uri);
  const last = state.sent.get(uri);
  // The edited document has a new version on every keystroke: a list is compared only with the
  // last one sent for the same version.
  let json: string | undefined;
  if (last && last.version === version) {
    last.json ??= JSON.stringify(last.diagnostics);
    json = JSON.stringify(diagnostics);
    if (json === last.json) return;
  }
  state.sent.set(uri, { version, diagnostics, ...(json !== undefined ? { json } : {}) });
  void connection.sendDiagnostics({ uri, diagnostics, version });
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

/**
 * Skills a workspace scan had scanned on worker threads, waiting for their check to publish them.
 * An entry is used once, and only while the skill has no open editor (unsaved text wins).
 */
const prescanned = new Map<string, { readonly bundle: SkillBundle; readonly report: SkillReport }>();

/** The workspace scan's worker half: scans skills without open editors on all cores. */
async function scanInWorkers(roots: readonly string[], onScanned: (root: string) => void, shouldStop: () => boolean): Promise<void> {
  const candidates = roots.filter((root) => openDocumentsOf(root).length === 0);
  const size = poolSize(candidates.length);
  if (size === 0) return;
  const settingsByRoot = new Map(await Promise.all(candidates.map(async (root) => [root, await settingsFor(root)] as const)));
  await scanInPool(
    candidates,
    size,
    (root) => {
      const settings = settingsByRoot.get(root) ?? resolveSettings({});
      return {
        limits: { ...DEFAULT_LIMITS, maxFileBytes: settings.maxFileSize },
        options: { ruleOverrides: ruleOverridesForSkill(settings, skillPathInWorkspace(root)) },
      };
    },
    {
      shouldStop,
      // The server lives on after the scan: processes give their memory back when they end.
      isolation: 'process',
      // A workspace scan is a batch run like the CLI's, not a keystroke.
      interruptBudgetFactor: CLI_INTERRUPT_BUDGET_FACTOR,
      onResult: (index, outcome) => {
        const root = candidates[index];
        // A skill the worker could not scan is left to the in-process check, which reports why.
        if (root === undefined || !outcome.ok) return;
        prescanned.set(root, { bundle: outcome.bundle, report: outcome.report });
        onScanned(root);
      },
    },
  );
}

/** Scans one skill (disk text with open editors' text over it) and publishes all its files. */
function checkSkill(root: string): Promise<SkillSummary | undefined> {
  return enqueue(root, async () => {
    // Taken at once, so an entry never outlives the check it was made for.
    const ready = prescanned.get(root);
    prescanned.delete(root);
    try {
      const engine = await enginePromise;
      const settings = await settingsFor(root);
      const rel = skillPathInWorkspace(root);
      if (!settings.enable || (rel !== undefined && rel !== '' && isExcluded(rel, settings.exclude)) || !hasSkillMarker(root)) {
        clearSkill(root);
        return undefined;
      }
      const openDocs = openDocumentsOf(root);
      let bundle: SkillBundle;
      let report: SkillReport;
      if (ready && openDocs.length === 0) {
        ({ bundle, report } = ready);
      } else {
        const open: OpenText[] = openDocs.map((doc) => ({ path: filePathOf(doc.uri) as string, text: doc.getText() }));
        const onDisk = loadSkillBundle(root, { ...DEFAULT_LIMITS, maxFileBytes: settings.maxFileSize });
        bundle = overlayOpenDocuments(onDisk, open, settings.maxFileSize);
        report = engine.scan(bundle, { ruleOverrides: ruleOverridesForSkill(settings, rel) });
      }

      const state: SkillState = skills.get(root) ?? { published: new Set(), sent: new Map(), versions: new Map(), unanalysedLog: '' };
      skills.set(root, state);
      state.versions = new Map(openDocs.map((doc) => [doc.uri, doc.version]));
      const checked = diagnosticsWithIntegrity({ root, bundle, report, engine, settings, skillPath: rel });
      const byUri = checked.byUri;
      state.report = report;
      if (checked.integrity) state.integrity = checked.integrity;
      else delete state.integrity;
      // The version lets the editor (and the speed benchmark) tell which edit the diagnostics are for.
      for (const [uri, diagnostics] of byUri) publish(state, uri, diagnostics);
      for (const uri of state.published) if (!byUri.has(uri)) publish(state, uri, []);
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
        ...(checked.suppressed > 0 ? { suppressed: checked.suppressed } : {}),
        ...(checked.integrityStatus ? { integrity: checked.integrityStatus } : {}),
        ...(installedRoots.has(root) ? { installedIn: (installedRoots.get(root) as WatchedLocation).display } : {}),
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

/** Each problem with a lock or baseline file is logged once, not on every keystroke. */
const loggedIntegrityProblems = new Set<string>();

function logIntegrityProblemOnce(message: string): void {
  if (loggedIntegrityProblems.has(message)) return;
  loggedIntegrityProblems.add(message);
  connection.console.warn(message);
}

interface IntegrityInputs {
  readonly root: string;
  readonly bundle: Parameters<Engine['scan']>[0];
  readonly report: SkillReport;
  readonly engine: Engine;
  readonly settings: ResolvedSettings;
  readonly skillPath: string | undefined;
}

/**
 * The report's diagnostics with the workspace's integrity files applied: baseline-accepted
 * findings marked suppressed (trusted workspaces only) and SKL903 for drift from the lock file.
 */
function diagnosticsWithIntegrity(inputs: IntegrityInputs): {
  byUri: Map<string, Diagnostic[]>;
  suppressed: number;
  integrity?: SkillIntegrity;
  integrityStatus?: IntegrityStatus;
} {
  const { root, bundle, report, engine, settings } = inputs;
  const folder = workspaceFolderOf(root);
  const now = new Date();
  let suppressionOf: SuppressionLookup = () => undefined;
  if (folder !== undefined && workspaceTrusted) {
    const baselinePath = baselinePathFor(folder);
    const baseline = loadBaselineState(baselinePath);
    if (baseline.kind === 'ok') suppressionOf = baselineSuppressions(baseline.baseline, folder, bundle, now);
    else if (baseline.kind === 'error') logIntegrityProblemOnce(`baseline ${baselinePath} ignored: ${baseline.message}`);
  }
  const converted = reportToDiagnosticsWithBaseline(report, { skillRoot: root, rules: rulesById, relatedInformation }, suppressionOf);
  if (folder === undefined) return converted;

  const lockPath = lockPathFor(folder, settings.lockFile);
  const lock = loadLockState(lockPath);
  if (lock.kind === 'missing') return converted;
  if (lock.kind === 'error') {
    logIntegrityProblemOnce(`lock file ${lockPath} ignored: ${lock.message}`);
    return { ...converted, integrityStatus: { status: 'error', message: lock.message } };
  }
  // The lock holds the verdict of a plain scan (as `skill-sentinel lock` makes it): settings that
  // turn rules off or down must not make the skill look better than what was approved.
  const overrides = ruleOverridesForSkill(settings, inputs.skillPath);
  const plainReport = Object.keys(overrides).length === 0 ? report : engine.scan(bundle);
  const integrity = evaluateSkillIntegrity({ lockPath, lock: lock.read, bundle, report: plainReport, scanner: scannerStampFor(engine), now });
  for (const problem of integrity.problems) logIntegrityProblemOnce(`${root}: ${problem.path} cannot be hashed: ${problem.message}`);
  const skillMd = primarySkillMarker(bundle.files.keys()) ?? 'SKILL.md';
  const firstLine = bundle.files.get(skillMd)?.text.split(/\r?\n/, 1)[0] ?? '';
  const diagnostic = integrityDiagnostic(integrity.verification, {
    skillRoot: root,
    skillMd,
    firstLineLength: firstLine.length,
    lockDisplay: relativePosix(folder, lockPath) ?? lockPath,
    rule: rulesById.get(DRIFT_RULE_ID),
    override: overrides[DRIFT_RULE_ID] ?? overrides[DRIFT_RULE_SLUG],
  });
  if (diagnostic !== undefined) {
    const list = converted.byUri.get(diagnostic.uri) ?? [];
    converted.byUri.set(diagnostic.uri, [diagnostic.diagnostic, ...list]);
  }
  return { ...converted, integrity, integrityStatus: integrityStatusOf(integrity.verification) };
}

function schedule(root: string, delayMs: number): void {
  const pending = timers.get(root);
  if (pending) cancelPending(pending);
  const run = (): void => {
    timers.delete(root);
    void checkSkill(root);
  };
  // A zero-delay timer still waits a millisecond or more; an idle skill is checked on the next turn.
  timers.set(root, delayMs <= 0 ? { kind: 'immediate', handle: setImmediate(run) } : { kind: 'timeout', handle: setTimeout(run, delayMs) });
}

function skillOfDocument(uri: string): string | undefined {
  const filePath = filePathOf(uri);
  return filePath === undefined ? undefined : findSkillRoot(filePath, workspaceFolders);
}

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  relatedInformation = capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
  configurationPull = capabilities.workspace?.configuration === true;
  configurationRegistration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  workspaceFolderChanges = capabilities.workspace?.workspaceFolders === true;
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
  // A client that declined or failed the registration still sends its changes, if at all, as plain
  // notifications, which are handled below; its refusal must not end the server (an unhandled
  // rejection would).
  if (configurationPull && configurationRegistration) {
    connection.client.register(DidChangeConfigurationNotification.type, { section: 'skillSentinel' }).catch((error: unknown) => {
      connection.console.warn(`settings: the client refused the registration for configuration changes (${error instanceof Error ? error.message : String(error)})`);
    });
  }
  // The library throws on subscribing for a client without workspace folders; that would also skip
  // starting the installed-skills watcher below.
  if (workspaceFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((folder) => filePathOf(folder.uri)));
      workspaceFolders = workspaceFolders.filter((folder) => !removed.has(folder));
      for (const added of event.added) {
        const folder = filePathOf(added.uri);
        if (folder !== undefined) workspaceFolders.push(folder);
      }
      for (const root of [...skills.keys()]) if (!workspaceFolderOf(root) && !installedRoots.has(root)) clearSkill(root);
    });
  }
  void configureInstalledSkillsWatcher();
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  void configureInstalledSkillsWatcher();
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
  // An idle skill is re-checked at once (a check takes milliseconds); while one runs, edits coalesce.
  if (settings.run === 'onType') schedule(root, queues.has(root) ? TYPING_DEBOUNCE_MS : 0);
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

connection.onDidChangeWatchedFiles(async (params) => {
  const affected = new Set<string>();
  for (const change of params.changes) {
    const filePath = filePathOf(change.uri);
    if (filePath === undefined) continue;
    // The lock or the baseline changed: every known skill of that workspace folder is re-judged.
    const folder = workspaceFolderOf(filePath);
    if (folder !== undefined && (await isIntegrityFile(folder, filePath))) {
      for (const root of skills.keys()) if (workspaceFolderOf(root) === folder) affected.add(root);
    }
    // A changed path may be a file in a known skill, or a folder holding whole skills (deleted).
    for (const root of skills.keys()) if (isInside(filePath, root) || isInside(root, filePath)) affected.add(root);
    if (isSkillMarker(filePath)) {
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
        scanInWorkers,
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
          if (!inScope.has(root) && openDocumentsOf(root).length === 0 && !installedRoots.has(root)) clearSkill(root);
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

async function isIntegrityFile(folder: string, filePath: string): Promise<boolean> {
  if (filePath === baselinePathFor(folder)) return true;
  const settings = await settingsFor(folder);
  return filePath === lockPathFor(folder, settings.lockFile);
}

/** Re-checks every known skill (trust changed, so the baseline applies or stops applying). */
function recheckAll(): void {
  for (const root of skills.keys()) schedule(root, 0);
}

connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: WorkspaceTrustParams) => {
  const trusted = params.trusted === true;
  if (trusted === workspaceTrusted) return;
  workspaceTrusted = trusted;
  recheckAll();
});

function skillRootForUri(uri: string): string | undefined {
  const filePath = filePathOf(uri);
  if (filePath === undefined) return undefined;
  if (holdsSkillMarker(filePath)) return filePath;
  return findSkillRoot(filePath, workspaceFolders);
}

connection.onRequest(APPROVE_SKILL_REQUEST, async (params: ApproveSkillParams): Promise<ApproveSkillResult> => {
  // The client refuses too; this is the guard that holds whatever the client sends.
  if (!workspaceTrusted) return { status: 'error', message: 'the workspace is not trusted; the lock file is only written in a trusted workspace' };
  const root = skillRootForUri(params.uri);
  if (root === undefined) return { status: 'error', message: 'no skill (a folder with a SKILL.md) holds this file' };
  const folder = workspaceFolderOf(root);
  if (folder === undefined) return { status: 'error', message: `${root} is outside the workspace; only workspace skills are approved into its lock file` };
  const engine = await enginePromise;
  const settings = await settingsFor(root);
  const lockPath = lockPathFor(folder, settings.lockFile);
  // What is approved is what is on disk, scanned as `skill-sentinel lock` scans it.
  const bundle = loadSkillBundle(root, { ...DEFAULT_LIMITS, maxFileBytes: settings.maxFileSize });
  const result = approveSkill({
    lockPath,
    lockDisplay: relativePosix(folder, lockPath) ?? lockPath,
    skillDisplay: relativePosix(folder, root) || path.basename(root),
    bundle,
    report: engine.scan(bundle),
    scanner: scannerStampFor(engine),
    now: new Date(),
    force: params.force === true,
  });
  if (result.status === 'approved') {
    connection.console.info(`approved ${result.skill} into ${result.lockFile} (${result.change})`);
    // This skill at once (the caller waits for it); the rest of the folder when the lock's file event comes.
    await checkSkill(root);
    for (const other of skills.keys()) if (other !== root && workspaceFolderOf(other) === folder) schedule(other, FILE_EVENT_DEBOUNCE_MS);
  }
  return result;
});

connection.onRequest(VERIFY_SKILLS_REQUEST, async (): Promise<VerifySkillsResult> => {
  await enginePromise;
  const problems: VerifySkillsResult['problems'][number][] = [];
  const lockFiles: string[] = [];
  const verified: VerifiedSkillSummary[] = [];
  const discovered = await discoverWorkspaceSkills(workspaceFolders, settingsFor);
  for (const folder of workspaceFolders) {
    const settings = await settingsFor(folder);
    const lockPath = lockPathFor(folder, settings.lockFile);
    const lockDisplay = relativePosix(folder, lockPath) ?? lockPath;
    const lock = loadLockState(lockPath);
    if (lock.kind === 'missing') continue;
    if (lock.kind === 'error') {
      problems.push({ path: lockPath, message: `cannot use the lock file: ${lock.message}` });
      continue;
    }
    lockFiles.push(lockDisplay);
    const lockFolder = path.dirname(lockPath);
    // Every discovered skill of this folder, and every locked one even outside skillLocations.
    const roots = new Set(discovered.roots.filter((root) => workspaceFolderOf(root) === folder));
    for (const key of Object.keys(lock.read.lock.skills)) roots.add(skillRootOf(lockFolder, key));
    for (const root of [...roots].sort()) {
      const shown = relativePosix(folder, root) || path.basename(root);
      if (!hasSkillMarker(root)) {
        verified.push({ skill: shown, status: 'missing' });
        continue;
      }
      await checkSkill(root);
      const integrity = skills.get(root)?.integrity;
      if (integrity === undefined) continue; // disabled or excluded in settings
      for (const problem of integrity.problems) problems.push({ path: path.join(root, problem.path), message: `cannot be hashed: ${problem.message}` });
      const status = integrity.verification.status;
      verified.push({ skill: shown, status, ...(status === 'changed' ? { detail: driftSummary(integrity.verification) } : {}) });
    }
  }
  const summary =
    lockFiles.length === 0
      ? 'no lock file in the workspace; approve skills with "Skill Sentinel: Approve Skill" first'
      : summariseVerification(verified);
  return { lockFiles, skills: verified, problems, summary };
});

// ---------------------------------------------------------------------------------------------
// Installed skills outside the workspace (~/.claude/skills, …)

let installedWatcher: InstalledSkillsWatcher | undefined;
let installedWatcherKey = '';
/** Skill roots the watcher reported, with the location they were found in. */
const installedRoots = new Map<string, WatchedLocation>();

async function configureInstalledSkillsWatcher(): Promise<void> {
  // Machine-scoped settings: read without a resource, so a workspace cannot widen what is read.
  const raw = await pulledSettings(undefined);
  const settings = resolveSettings(raw);
  const key = JSON.stringify([settings.watchInstalledSkills, settings.installedSkillLocations]);
  if (key === installedWatcherKey) return;
  installedWatcherKey = key;
  installedWatcher?.stop();
  installedWatcher = undefined;
  for (const root of [...installedRoots.keys()]) {
    installedRoots.delete(root);
    if (!workspaceFolderOf(root)) clearSkill(root);
  }
  installedWatcher = installedSkillsWatcherFor(settings, os.homedir(), {
    onSkillChanged: onInstalledSkillChanged,
    onSkillRemoved: (root) => {
      installedRoots.delete(root);
      if (!workspaceFolderOf(root)) clearSkill(root);
    },
    log: (line) => connection.console.warn(line),
  });
  if (installedWatcher === undefined) return;
  installedWatcher.start();
  connection.console.info(`watching installed skills in ${installedWatcher.locations().map((location) => location.display).join(', ')}`);
}

async function onInstalledSkillChanged(event: InstalledSkillEvent): Promise<void> {
  installedRoots.set(event.root, event.location);
  const before = skills.get(event.root)?.report?.findings;
  await checkSkill(event.root);
  const after = skills.get(event.root)?.report?.findings;
  if (event.change === 'initial' || after === undefined) return;
  const fresh = newSevereFindings(before, after);
  if (fresh.critical + fresh.high === 0) return;
  const alert: InstalledSkillAlertParams = {
    skillUri: URI.file(event.root).toString(),
    skill: path.basename(event.root),
    location: event.location.display,
    change: event.change,
    newCritical: fresh.critical,
    newHigh: fresh.high,
  };
  void connection.sendNotification(INSTALLED_SKILL_ALERT_NOTIFICATION, alert);
}

connection.onRequest(CLEAR_FINDINGS_REQUEST, () => {
  for (const pending of timers.values()) cancelPending(pending);
  timers.clear();
  for (const root of [...skills.keys()]) clearSkill(root);
  workspaceScanned = false;
  return null;
});

documents.listen(connection);
connection.listen();
