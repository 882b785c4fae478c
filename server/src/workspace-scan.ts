/**
 * The workspace scan: discover skills in every workspace folder, keep those in the configured
 * skill locations and outside the exclude globs, and check them one by one. Editor-agnostic: the
 * server passes in how to check a skill and how to report progress, so this stays testable.
 */
import * as path from 'node:path';
import { discoverSkills } from './engine';
import { isExcluded, isInSkillLocations, type ResolvedSettings } from './settings';
import { relativePosix } from './documents';
import type { ScanProblem, ScanWorkspaceResult, SkillSummary } from './protocol';

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

export interface WorkspaceScanDependencies {
  /** Absolute paths of the workspace folders. */
  readonly folders: readonly string[];
  readonly settingsFor: (folder: string) => Promise<ResolvedSettings>;
  /** Checks one skill and publishes its diagnostics; undefined when it was not checked. */
  readonly checkSkill: (root: string) => Promise<SkillSummary | undefined>;
  readonly token: CancellationLike;
  readonly progress: (done: number, total: number, message: string) => void;
  readonly log: (line: string) => void;
  /**
   * Scans skills on worker threads ahead of `checkSkill`, calling `onScanned(root)` as each one
   * is ready (its check then publishes without scanning again). Roots it never reports are checked
   * in-process afterwards. Absent: every skill is checked in-process, one by one.
   */
  readonly scanInWorkers?: (roots: readonly string[], onScanned: (root: string) => void, shouldStop: () => boolean) => Promise<void>;
}

export interface DiscoveredSkills {
  readonly roots: readonly string[];
  readonly problems: readonly ScanProblem[];
}

/** Skill folders under the workspace folders that the settings put in scope. */
export async function discoverWorkspaceSkills(
  folders: readonly string[],
  settingsFor: (folder: string) => Promise<ResolvedSettings>,
): Promise<DiscoveredSkills> {
  const roots = new Set<string>();
  const problems: ScanProblem[] = [];
  for (const folder of folders) {
    const settings = await settingsFor(folder);
    if (!settings.enable) continue;
    const found = discoverSkills([folder], { exclude: settings.exclude });
    for (const error of found.errors) problems.push({ path: error.path, message: error.message });
    for (const root of found.skills) {
      const rel = relativePosix(folder, root) ?? root;
      // A workspace opened on one skill folder is always in scope, whatever the locations say.
      if (rel !== '' && !isInSkillLocations(rel, settings.skillLocations)) continue;
      if (isExcluded(rel, settings.exclude)) continue;
      roots.add(path.resolve(root));
    }
  }
  return { roots: [...roots].sort(), problems };
}

/** Lets the connection read `$/cancelRequest` between skills: each check is synchronous. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function scanWorkspace(deps: WorkspaceScanDependencies): Promise<ScanWorkspaceResult & { readonly roots: readonly string[] }> {
  const started = Date.now();
  const discovered = await discoverWorkspaceSkills(deps.folders, deps.settingsFor);
  for (const problem of discovered.problems) deps.log(`workspace scan: ${problem.path}: ${problem.message}`);
  const summaries = new Map<string, SkillSummary>();
  const total = discovered.roots.length;
  let done = 0;
  let cancelled = false;
  const handled = new Set<string>();
  if (deps.scanInWorkers) {
    const checks: Promise<void>[] = [];
    await deps.scanInWorkers(
      discovered.roots,
      (root) => {
        if (handled.has(root)) return;
        handled.add(root);
        deps.progress(++done, total, path.basename(root));
        checks.push(deps.checkSkill(root).then((summary) => void (summary && summaries.set(root, summary))));
      },
      () => deps.token.isCancellationRequested,
    );
    await Promise.all(checks);
  }
  for (const root of discovered.roots) {
    if (handled.has(root)) continue;
    await yieldToEventLoop();
    if (deps.token.isCancellationRequested) {
      cancelled = true;
      deps.log(`workspace scan cancelled after ${done} of ${total} skills`);
      break;
    }
    deps.progress(done++, total, path.basename(root));
    const summary = await deps.checkSkill(root);
    if (summary) summaries.set(root, summary);
  }
  // In discovery order, whichever thread finished first.
  const skills = discovered.roots.flatMap((root) => summaries.get(root) ?? []);
  deps.progress(total, total, 'done');
  return { skills, cancelled, durationMs: Date.now() - started, problems: discovered.problems, roots: discovered.roots };
}
