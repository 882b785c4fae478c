/**
 * Scans many skills on all cores: a pool of workers, each with its own engine (web-tree-sitter
 * and compiled regexes are per thread), loads and scans one skill at a time. Results come back in
 * the order the roots were given, so output does not depend on which worker finished first.
 *
 * A worker is a thread (the CLI, which exits after the scan) or a child process (the language
 * server, which stays: see `PoolOptions.isolation`).
 *
 * The pool needs the bundled worker script (`scan-worker.js` next to the CLI and server bundles);
 * without it (unit tests run the TypeScript output) callers scan in-process instead.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BundleLimits, ScanOptions, SkillBundle, SkillReport } from './engine';
import type { ReportCacheSettings } from './report-cache';

export const SCAN_WORKER_FILE = 'scan-worker.js';

/** Sent to a worker: scan the skill at `root`. */
export interface ScanJob {
  readonly id: number;
  readonly root: string;
  readonly limits?: BundleLimits;
  readonly options?: ScanOptions;
  /** Reuse and store reports in this cache (the CLI's `--cache`). */
  readonly cache?: ReportCacheSettings;
}

/** A worker's answer: the loaded bundle and its report, or why the skill could not be scanned. */
export type ScanJobResult =
  | { readonly id: number; readonly ok: true; readonly bundle: SkillBundle; readonly report: SkillReport; readonly fromCache?: boolean }
  | { readonly id: number; readonly ok: false; readonly message: string };

export type SkillScanOutcome =
  | { readonly ok: true; readonly bundle: SkillBundle; readonly report: SkillReport; readonly fromCache?: boolean }
  | { readonly ok: false; readonly message: string };

export interface PoolOptions {
  /** Folder holding scan-worker.js, rules.json and the .wasm files (the bundle's folder). */
  readonly distDir?: string;
  /** Defaults to the available parallelism, at most 8. */
  readonly workers?: number;
  /**
   * Called as each skill finishes, in completion order. When given, outcomes are handed over here
   * and not kept for the returned array, so a long scan does not hold every bundle at once.
   */
  readonly onResult?: (index: number, outcome: SkillScanOutcome) => void;
  /** Asked before each job is handed out; true stops the pool (jobs not started stay unscanned). */
  readonly shouldStop?: () => boolean;
  /**
   * `thread` (the default): worker threads. `process`: child processes, for a caller that lives on
   * after the scan. Memory that a thread's allocations took from the C library stays with the
   * process after the thread ends (each thread allocates from its own arena, which is kept for
   * reuse): the language server held about 245-252 MB after a workspace scan of the benign corpus
   * on threads, and 199 MB with a single arena. A child process gives all of it back when it exits.
   */
  readonly isolation?: 'thread' | 'process';
  /**
   * For `process` workers, which do not share the caller's V8 settings: the multiple of V8's
   * interrupt budget they optimise after (see `optimiseAfterLongerRuns`). Threads share the caller's.
   */
  readonly interruptBudgetFactor?: number;
}

/** What the pool needs of a worker, whether a thread or a child process. */
interface PoolWorker {
  send(job: ScanJob): void;
  /** Answers, failures (an exception that escaped, a failed start) and the worker's end. */
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  /** `crashed` when it ended without being told to: killed, out of memory, an exit code other than 0. */
  onExit(listener: (crashed: boolean) => void): void;
  stop(): void;
}

/** Arguments a scan worker run as a child process reads (see scan-worker.ts). */
export const WORKER_PROCESS_FLAG = '--skill-sentinel-scan-worker';

function threadWorker(distDir: string): PoolWorker {
  const worker = new Worker(path.join(distDir, SCAN_WORKER_FILE), { workerData: { distDir } });
  let stopped = false;
  return {
    send: (job) => worker.postMessage(job),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    onExit: (listener) => worker.on('exit', (code) => listener(!stopped && code !== 0)),
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}

function processWorker(distDir: string, interruptBudgetFactor: number): PoolWorker {
  // stdout is not the parent's: the language server speaks JSON-RPC on its own.
  const child = fork(path.join(distDir, SCAN_WORKER_FILE), [WORKER_PROCESS_FLAG, `--dist=${distDir}`, `--interrupt-budget-factor=${interruptBudgetFactor}`], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
  });
  let stopped = false;
  return {
    send: (job) => {
      if (child.connected) child.send(job);
    },
    onMessage: (listener) => child.on('message', listener),
    onError: (listener) => child.on('error', listener),
    onExit: (listener) => {
      child.on('exit', (code) => listener(!stopped && code !== 0));
      // A process that could not be started reports an error and may never report an exit.
      child.on('error', () => {
        if (child.pid === undefined) listener(true);
      });
    },
    stop: () => {
      stopped = true;
      if (child.connected) child.disconnect();
    },
  };
}

/** Worker count worth starting for `jobs` skills; 0 means "scan in-process". */
export function poolSize(jobs: number, options: PoolOptions = {}): number {
  const distDir = options.distDir ?? __dirname;
  if (!fs.existsSync(path.join(distDir, SCAN_WORKER_FILE))) return 0;
  const cores = options.workers ?? Math.min(8, os.availableParallelism());
  // Each worker pays for its own engine start-up (wasm, grammars, queries): not worth it for a few skills.
  if (cores < 2 || jobs < 8) return 0;
  return Math.min(cores, Math.ceil(jobs / 4));
}

function isJobResult(value: unknown): value is ScanJobResult {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number' && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/**
 * Scans every root with `size` workers; jobs are handed out one at a time so a slow skill does not
 * hold up a queue behind it. A worker that dies fails only the skill it was scanning. Without
 * `onResult`, outcomes come back in the order of `roots` (entries of skills never scanned, after
 * `shouldStop`, are empty).
 */
export async function scanInPool(
  roots: readonly string[],
  size: number,
  jobOf: (root: string) => Omit<ScanJob, 'id' | 'root'>,
  options: PoolOptions = {},
): Promise<SkillScanOutcome[]> {
  const distDir = options.distDir ?? __dirname;
  const results: SkillScanOutcome[] = new Array<SkillScanOutcome>(roots.length);
  let next = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      const worker = options.isolation === 'process' ? processWorker(distDir, options.interruptBudgetFactor ?? 1) : threadWorker(distDir);
      let current = -1;
      const dispatch = (): void => {
        if (next >= roots.length || options.shouldStop?.() === true) {
          current = -1;
          worker.stop();
          return;
        }
        current = next++;
        const root = roots[current] as string;
        worker.send({ ...jobOf(root), id: current, root });
      };
      const fail = (message: string): void => {
        if (current < 0) return;
        const outcome: SkillScanOutcome = { ok: false, message };
        if (options.onResult) options.onResult(current, outcome);
        else results[current] = outcome;
        current = -1;
      };
      worker.onMessage((message: unknown) => {
        if (!isJobResult(message) || message.id !== current) return;
        const outcome: SkillScanOutcome = message.ok
          ? { ok: true, bundle: message.bundle, report: message.report, ...(message.fromCache ? { fromCache: true } : {}) }
          : { ok: false, message: message.message };
        if (options.onResult) options.onResult(message.id, outcome);
        else results[message.id] = outcome;
        dispatch();
      });
      worker.onError((error: Error) => fail(`scan worker failed: ${error.message}`));
      worker.onExit((crashed) => {
        if (crashed) fail('scan worker ended before it answered');
        resolve();
      });
      dispatch();
    });
  await Promise.all(Array.from({ length: Math.min(size, roots.length) }, runWorker));
  return results;
}
