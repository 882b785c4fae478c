import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  createEngine as createRealEngine,
  discoverSkills as discoverRealSkills,
  loadSkillBundle as loadRealSkillBundle,
  type DiscoveryResult,
  type Engine,
  type SkillBundle,
  type SkillReport,
} from '../engine';
import { escapeHidden } from '../engine/display-text';
import { reportThroughCache, type ReportCacheSettings } from '../report-cache';
import { poolSize, scanInPool } from '../scan-pool';
import { TOOL_NAME } from './args';

/** What every command shares: the I/O seams, the engine seams, finding and scanning skills. */

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

/** The engine seams main() uses; tests replace some of them. */
export interface CliDependencies {
  readonly createEngine: () => Promise<Engine>;
  readonly discoverSkills: (
    paths: string[],
    options: { exclude: string[] },
  ) => DiscoveryResult | Promise<DiscoveryResult>;
  readonly loadSkillBundle: (root: string) => SkillBundle | Promise<SkillBundle>;
  /** The clock for approval times and baseline expiry. */
  readonly now: () => Date;
}

export const REAL_DEPENDENCIES: CliDependencies = {
  createEngine: () => createRealEngine(),
  discoverSkills: discoverRealSkills,
  loadSkillBundle: loadRealSkillBundle,
  now: () => new Date(),
};

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** A path that could not be scanned, as shown to the user. */
export interface ScanProblem {
  /** Relative to the working directory, posix separators. */
  readonly path: string;
  readonly message: string;
}

export interface CollectedSkill {
  /** Skill folder relative to the working directory, posix separators; `.` for the directory itself. */
  readonly root: string;
  readonly absoluteRoot: string;
  readonly bundle: SkillBundle;
  readonly report: SkillReport;
}

export interface SkillCollection {
  readonly cwd: string;
  readonly engine: Engine;
  /** Sorted by root. */
  readonly skills: readonly CollectedSkill[];
  readonly errors: readonly ScanProblem[];
  /** Skills whose report came from the cache (`scan --cache`). */
  readonly reused: number;
}

/**
 * Finds the skills under each requested path (default: the working directory), loads and scans
 * each once. Problems are collected, not thrown: one bad skill never hides the others. With a
 * report cache, a skill whose files a run of this scanner build has seen before is not scanned.
 */
export async function collectSkills(
  requestedPaths: readonly string[],
  exclude: readonly string[],
  io: CliIo,
  dependencies: CliDependencies,
  cache?: ReportCacheSettings,
): Promise<SkillCollection> {
  const cwd = path.resolve(io.cwd);
  const errors: ScanProblem[] = [];
  const skillRoots = new Set<string>();
  for (const requested of requestedPaths.length > 0 ? requestedPaths : ['.']) {
    const absolute = path.resolve(cwd, requested);
    const found = await discoverUnder(absolute, exclude, dependencies);
    for (const problem of found.errors) {
      errors.push({ path: displayPath(cwd, path.resolve(cwd, problem.path)), message: problem.message });
    }
    if (found.skills.length === 0 && found.errors.length === 0) {
      io.stderr(`${TOOL_NAME}: no skills found under ${requested}\n`);
    }
    for (const skill of found.skills) skillRoots.add(path.resolve(cwd, skill));
  }

  // The workers load their own engines; this one (rules and version for the report, and skills a
  // worker could not take) loads while they start, instead of before them.
  const loadingEngine = dependencies.createEngine();
  loadingEngine.catch(() => undefined);
  const roots = [...skillRoots];
  // Worker threads run the real engine; injected test doubles must see every call, so they run here.
  const usesRealEngine = dependencies.createEngine === REAL_DEPENDENCIES.createEngine && dependencies.loadSkillBundle === REAL_DEPENDENCIES.loadSkillBundle;
  const workers = usesRealEngine ? poolSize(roots.length) : 0;
  const pooled = workers > 0 ? await scanInPool(roots, workers, () => (cache ? { cache } : {})) : [];
  const engine = await loadingEngine;
  const skills: CollectedSkill[] = [];
  let reused = 0;
  for (const [index, absoluteRoot] of roots.entries()) {
    const outcome = pooled[index];
    if (outcome?.ok === false) {
      errors.push({ path: displayPath(cwd, absoluteRoot), message: describeError(new Error(outcome.message)) });
      continue;
    }
    try {
      let bundle: SkillBundle;
      let report: SkillReport;
      let fromCache: boolean;
      if (outcome?.ok) {
        ({ bundle, report } = outcome);
        fromCache = outcome.fromCache === true;
      } else {
        bundle = await dependencies.loadSkillBundle(absoluteRoot);
        const loaded = bundle;
        ({ report, fromCache } = await reportThroughCache(loaded, cache, () => engine.scan(loaded)));
      }
      if (fromCache) reused++;
      skills.push({ root: displayPath(cwd, absoluteRoot), absoluteRoot, bundle, report });
    } catch (error) {
      errors.push({ path: displayPath(cwd, absoluteRoot), message: describeError(error) });
    }
  }
  skills.sort((a, b) => compareText(a.root, b.root));
  return { cwd, engine, skills, errors, reused };
}

async function discoverUnder(
  absolutePath: string,
  exclude: readonly string[],
  dependencies: CliDependencies,
): Promise<DiscoveryResult> {
  try {
    return await dependencies.discoverSkills([absolutePath], { exclude: [...exclude] });
  } catch (error) {
    return { skills: [], errors: [{ path: absolutePath, message: describeError(error) }] };
  }
}

export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  const target = path.resolve(io.cwd, output);
  try {
    await fs.writeFile(target, text, 'utf8');
  } catch (error) {
    throw new Error(`cannot write ${output}: ${describeError(error)}`, { cause: error });
  }
}

/** One stderr line; paths and skill names in `message` come from scanned folders, so it is made visible. */
export function reportError(io: CliIo, message: string): void {
  io.stderr(`${TOOL_NAME}: ${escapeHidden(message)}\n`);
}

/** One line, no stack: the CLI's users are not debugging it. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split(/\r?\n/).find((line) => line.trim() !== '') ?? 'unknown error';
  return firstLine.trim();
}

export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  return relative.split(path.sep).join('/');
}

/** Locale-independent, so output is identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A failure the command reports as one stderr line and exit code 2 (a bad lock, key or baseline). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
