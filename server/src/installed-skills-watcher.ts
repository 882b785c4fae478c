/**
 * Watches the folders where agents install skills for the user (`~/.claude/skills`, …), outside
 * any workspace, and reports which skill was added, changed or removed, debounced per skill. It
 * only reads: the scan itself is the caller's callback, and nothing is ever written there.
 *
 * fs.watch with `recursive` where the platform has it (Node 20 on Linux, macOS, Windows); where
 * it fails (no support, inotify limits) the watcher falls back to polling a cheap signature of
 * every skill (paths, sizes, modification times). Symbolic links are never followed: a skill
 * folder that is a link, or an event under a linked folder, is ignored, so a link cannot pull a
 * folder elsewhere on disk into the watch.
 *
 * No editor or LSP imports: unit-tested on plain Node with temp folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverSkills, gitStep, isSkillMarkerName, severityRank, type Finding } from './engine';

export interface WatchedLocation {
  /** As configured, for messages (`~/.claude/skills`). */
  readonly display: string;
  /** Absolute path, `~` expanded. */
  readonly path: string;
}

/** `initial`: found when watching started (no alert); `added`/`changed`: seen while watching. */
export type InstalledSkillChange = 'initial' | 'added' | 'changed';

export interface InstalledSkillEvent {
  readonly root: string;
  readonly location: WatchedLocation;
  readonly change: InstalledSkillChange;
}

export interface InstalledSkillsWatcherOptions {
  readonly locations: readonly WatchedLocation[];
  /** Re-scan one skill. Called at most once per debounce window per skill. */
  readonly onSkillChanged: (event: InstalledSkillEvent) => void | Promise<void>;
  readonly onSkillRemoved?: (root: string, location: WatchedLocation) => void;
  /** Quiet time after the last event of a skill before it is re-scanned. */
  readonly debounceMs?: number;
  /** `auto` watches and falls back to polling; the others force one mechanism (tests). */
  readonly mode?: 'auto' | 'watch' | 'poll';
  readonly pollIntervalMs?: number;
  readonly log?: (line: string) => void;
}

const DEFAULT_DEBOUNCE_MS = 500;
const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** `~/.claude/plugins/<marketplace>/<plugin>/skills/<skill>/SKILL.md` is five levels down. */
const MAX_DEPTH = 6;
/** Bounds a poll's walk of one skill, so a huge folder cannot stall the server. */
const MAX_FILES_PER_SKILL = 2_000;
/** Folders no skill is looked for below (one holding a SKILL.md itself is still a skill). */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '__pycache__', '.venv']);
/** Folders a skill's signature leaves out (caches and installed packages); `.git` is entered for what is not git's. */
const SIGNATURE_SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', '.venv']);

/** `~` and `~/…` → the home folder; anything else resolved as given. */
export function expandHome(location: string, home: string): string {
  if (location === '~') return home;
  if (location.startsWith('~/') || location.startsWith('~\\')) return path.join(home, location.slice(2));
  return path.resolve(location);
}

function lstat(target: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(target);
  } catch {
    return undefined;
  }
}

function isRealFolder(target: string): boolean {
  return lstat(target)?.isDirectory() === true;
}

function hasSkillMarker(folder: string): boolean {
  // A SKILL.md that is itself a link does not make a skill: it would point elsewhere.
  // A listing, so that `Skill.md` is found on a case-sensitive file system too.
  try {
    return fs.readdirSync(folder, { withFileTypes: true }).some((entry) => entry.isFile() && isSkillMarkerName(entry.name));
  } catch {
    return false;
  }
}

function isWithin(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Skill folders under `folder` (itself included), without following links. */
export function findSkills(folder: string, depth = MAX_DEPTH): string[] {
  if (!isRealFolder(folder)) return [];
  if (hasSkillMarker(folder)) return [folder];
  if (depth <= 0) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    // Dirent.isDirectory() is false for a link to a folder: links are skipped here.
    if (!entry.isDirectory()) continue;
    const child = path.join(folder, entry.name);
    // A skill folder named like a skipped one is still a skill (agents list skill folders by name).
    if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...findSkills(child, depth - 1));
    else if (hasSkillMarker(child)) found.push(child);
  }
  return found.sort();
}

/**
 * The skill a changed path belongs to: the nearest folder at or above it, below the location,
 * that holds a SKILL.md. Undefined when the path lies under a symbolic link (not followed) or in
 * no skill.
 */
export function skillRootOf(locationPath: string, changed: string): string | undefined {
  if (!isWithin(locationPath, changed) || changed === locationPath) return undefined;
  const segments = path.relative(locationPath, changed).split(path.sep);
  // Every folder between the location and the changed path must be a real folder.
  let current = locationPath;
  const folders: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    current = path.join(current, segment);
    const stats = lstat(current);
    if (stats === undefined) break; // deleted meanwhile: fall back to what exists
    if (!stats.isDirectory()) return undefined;
    folders.push(current);
  }
  const leaf = lstat(changed);
  if (leaf?.isSymbolicLink() && segments.length === 1) return undefined; // a linked skill folder
  if (leaf?.isDirectory()) folders.push(changed);
  for (const folder of folders.reverse()) if (hasSkillMarker(folder)) return folder;
  return undefined;
}

/** Cheap content signature of a skill for polling: relative path, size and mtime of each file. */
export function skillSignature(root: string): string {
  const lines: string[] = [];
  /** `gitInner`: inside a `.git` folder, the path within it; git's own data changes with every fetch and is left out, as the loader leaves it out. */
  const walk = (folder: string, depth: number, gitInner?: string): void => {
    if (lines.length >= MAX_FILES_PER_SKILL || depth > MAX_DEPTH) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(folder, entry.name);
      const git = gitStep(gitInner, entry.name, entry.isDirectory());
      if (git.skip) continue;
      if (entry.isDirectory()) {
        if (!SIGNATURE_SKIPPED_FOLDERS.has(entry.name)) walk(full, depth + 1, git.forChildren);
        continue;
      }
      const stats = lstat(full);
      if (stats) lines.push(`${path.relative(root, full)}\0${stats.size}\0${stats.mtimeMs}\0${stats.isSymbolicLink() ? 'link' : 'file'}`);
      if (lines.length >= MAX_FILES_PER_SKILL) return;
    }
  };
  walk(root, 0);
  return lines.join('\n');
}

export class InstalledSkillsWatcher {
  private readonly debounceMs: number;
  private readonly pollIntervalMs: number;
  private readonly log: (line: string) => void;
  private readonly watchers: fs.FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Skill root → location, for every skill reported and not removed since. */
  private readonly known = new Map<string, WatchedLocation>();
  /** Skill root → signature (polling only). */
  private readonly signatures = new Map<string, string>();
  private readonly polled: WatchedLocation[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: InstalledSkillsWatcherOptions) {
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.log = options.log ?? (() => undefined);
  }

  /** Reports every skill already there as `initial`, then watches for changes. */
  start(): void {
    const mode = this.options.mode ?? 'auto';
    for (const configured of this.options.locations) {
      const location = resolveLocation(configured);
      for (const root of findSkills(location.path)) {
        this.known.set(root, location);
        this.signatures.set(root, skillSignature(root));
        void this.emit({ root, location, change: 'initial' });
      }
      // A skill installed as a link is not followed out of the location; say so, as discovery does.
      if (isRealFolder(location.path)) {
        for (const problem of discoverSkills([location.path], { maxDepth: MAX_DEPTH }).errors) this.log(`installed skills: ${problem.path}: ${problem.message}`);
      }
      if (mode === 'poll' || !isRealFolder(location.path) || !this.watch(location, mode)) this.polled.push(location);
    }
    if (this.polled.length > 0) {
      this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    for (const watcher of this.watchers) watcher.close();
    this.watchers.length = 0;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** Skill roots currently reported (tests, and clearing them when the watcher stops). */
  locations(): readonly WatchedLocation[] {
    return this.options.locations;
  }

  knownSkills(): string[] {
    return [...this.known.keys()].sort();
  }

  private watch(location: WatchedLocation, mode: 'auto' | 'watch' | 'poll'): boolean {
    try {
      const watcher = fs.watch(location.path, { recursive: true, persistent: false }, (_event, filename) => {
        if (filename === null) {
          // The platform did not say what changed: look at every skill of the location.
          for (const root of findSkills(location.path)) this.schedule(root, location);
          return;
        }
        this.onPath(location, path.join(location.path, filename.toString()));
      });
      watcher.on('error', (error: Error) => {
        this.log(`installed skills: watching ${location.display} failed (${error.message}); polling it instead`);
        watcher.close();
        if (!this.stopped) this.startPolling(location);
      });
      this.watchers.push(watcher);
      return true;
    } catch (error) {
      if (mode === 'watch') throw error;
      this.log(`installed skills: cannot watch ${location.display} (${(error as Error).message}); polling it instead`);
      return false;
    }
  }

  private startPolling(location: WatchedLocation): void {
    if (this.polled.includes(location)) return;
    this.polled.push(location);
    if (this.pollTimer === undefined) {
      this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  private onPath(location: WatchedLocation, changed: string): void {
    const root = skillRootOf(location.path, changed);
    if (root !== undefined) {
      this.schedule(root, location);
      return;
    }
    // A new folder holding skills (copied in whole), or a removed skill or SKILL.md.
    if (isRealFolder(changed)) for (const found of findSkills(changed, MAX_DEPTH - 1)) this.schedule(found, location);
    for (const known of this.known.keys()) {
      if (isWithin(changed, known) || (isSkillMarkerName(path.basename(changed)) && path.dirname(changed) === known)) {
        this.schedule(known, location);
      }
    }
  }

  private poll(): void {
    for (const location of this.polled) {
      const present = new Set(findSkills(location.path));
      for (const root of present) {
        const signature = skillSignature(root);
        if (this.signatures.get(root) === signature) continue;
        // Recorded now, so the next poll does not re-arm the debounce for the same change.
        this.signatures.set(root, signature);
        this.schedule(root, location);
      }
      for (const [root, owner] of this.known) {
        if (owner === location && !present.has(root) && !this.timers.has(root)) this.schedule(root, location);
      }
    }
  }

  private schedule(root: string, location: WatchedLocation): void {
    const pending = this.timers.get(root);
    if (pending) clearTimeout(pending);
    const timer = setTimeout(() => {
      this.timers.delete(root);
      this.settle(root, location);
    }, this.debounceMs);
    timer.unref();
    this.timers.set(root, timer);
  }

  /** After the quiet time: the skill is there (added or changed) or gone. */
  private settle(root: string, location: WatchedLocation): void {
    if (this.stopped) return;
    if (isRealFolder(root) && hasSkillMarker(root)) {
      const change: InstalledSkillChange = this.known.has(root) ? 'changed' : 'added';
      this.known.set(root, location);
      this.signatures.set(root, skillSignature(root));
      void this.emit({ root, location, change });
    } else if (this.known.delete(root)) {
      this.signatures.delete(root);
      this.options.onSkillRemoved?.(root, location);
    }
  }

  private async emit(event: InstalledSkillEvent): Promise<void> {
    try {
      await this.options.onSkillChanged(event);
    } catch (error) {
      this.log(`installed skills: scanning ${event.root} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The configured location itself may be a link (a dotfiles setup): the user chose it, so it is
 * resolved once; links below it are never followed.
 */
function resolveLocation(location: WatchedLocation): WatchedLocation {
  try {
    return { display: location.display, path: fs.realpathSync(location.path) };
  } catch {
    return location;
  }
}

export interface InstalledSkillsSettings {
  readonly watchInstalledSkills: boolean;
  readonly installedSkillLocations: readonly string[];
}

/**
 * The watcher the settings ask for (not started), or undefined when watching is off: then
 * nothing outside the workspace is read at all.
 */
export function installedSkillsWatcherFor(
  settings: InstalledSkillsSettings,
  home: string,
  options: Omit<InstalledSkillsWatcherOptions, 'locations'>,
): InstalledSkillsWatcher | undefined {
  if (!settings.watchInstalledSkills) return undefined;
  const locations = settings.installedSkillLocations.map((display) => ({ display, path: expandHome(display, home) }));
  return new InstalledSkillsWatcher({ ...options, locations });
}

export interface SevereFindingCounts {
  readonly critical: number;
  readonly high: number;
}

/**
 * High and critical findings in `after` that `before` did not have. A finding is identified by
 * rule, file and message, not position, so lines that merely moved are not new.
 */
export function newSevereFindings(before: readonly Finding[] | undefined, after: readonly Finding[]): SevereFindingCounts {
  const identity = (finding: Finding) => `${finding.ruleId}\0${finding.file}\0${finding.message}`;
  const seen = new Map<string, number>();
  for (const finding of before ?? []) seen.set(identity(finding), (seen.get(identity(finding)) ?? 0) + 1);
  let critical = 0;
  let high = 0;
  for (const finding of after) {
    if (severityRank(finding.severity) < severityRank('high')) continue;
    const key = identity(finding);
    const left = seen.get(key) ?? 0;
    if (left > 0) {
      seen.set(key, left - 1);
      continue;
    }
    if (finding.severity === 'critical') critical++;
    else high++;
  }
  return { critical, high };
}
