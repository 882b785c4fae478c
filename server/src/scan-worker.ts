/**
 * Worker of the scan pool (see scan-pool.ts), as a thread or a child process: creates its own
 * engine once, then loads and scans one skill per message. Failures become answers, never an
 * unhandled exception, so one bad skill does not take the worker (and the skills queued on it) down.
 */
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, DEFAULT_LIMITS, loadSkillBundle, type Engine } from './engine';
import { reportThroughCache } from './report-cache';
import { WORKER_PROCESS_FLAG, type ScanJob, type ScanJobResult } from './scan-pool';
import { compileRegexesBeforeFirstRun, optimiseAfterLongerRuns, tierUpWebAssemblyOnlyInLongRuns } from './v8-tuning';

function distDirOf(data: unknown): string {
  const dir = typeof data === 'object' && data !== null ? (data as { distDir?: unknown }).distDir : undefined;
  return typeof dir === 'string' ? dir : path.dirname(__filename);
}

function isScanJob(value: unknown): value is ScanJob {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number' && typeof (value as { root?: unknown }).root === 'string';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The value of `--name=value` among a child process's arguments. */
function argument(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** Answers each job that arrives through `listen` with `reply`, on an engine created on first use. */
function serve(distDir: string, listen: (handler: (message: unknown) => void) => void, reply: (result: ScanJobResult) => void): void {
  // Created on the first skill that needs scanning: a run answered from the cache never pays for
  // the wasm grammars and compiled queries.
  let enginePromise: Promise<Engine> | undefined;
  const engineOf = (): Promise<Engine> => (enginePromise ??= createEngine({ assetsDir: distDir }));
  listen((message) => {
    if (!isScanJob(message)) return;
    void answer(message, engineOf).then(reply);
  });
}

const port = parentPort;
if (port) {
  serve(distDirOf(workerData), (handler) => port.on('message', handler), (result) => port.postMessage(result));
} else if (process.send && process.argv.includes(WORKER_PROCESS_FLAG)) {
  // A child process shares none of its parent's V8 settings: it takes the same ones, at start-up
  // as they must be, with the budget factor its parent chose.
  compileRegexesBeforeFirstRun();
  tierUpWebAssemblyOnlyInLongRuns();
  const factor = Number(argument('interrupt-budget-factor'));
  if (Number.isFinite(factor) && factor > 0) optimiseAfterLongerRuns(factor);
  const send = process.send.bind(process);
  serve(argument('dist') ?? path.dirname(__filename), (handler) => process.on('message', handler), (result) => {
    if (process.connected) send(result);
  });
  // The pool disconnects a worker it has no more jobs for; one whose parent died ends too.
  process.on('disconnect', () => process.exit(0));
}

async function answer(job: ScanJob, engineOf: () => Promise<Engine>): Promise<ScanJobResult> {
  try {
    const bundle = loadSkillBundle(job.root, job.limits ?? DEFAULT_LIMITS);
    // The cache is asked first; the engine is loaded only for a miss.
    const { report, fromCache } = await reportThroughCache(bundle, job.cache, async () => {
      const engine = await engineOf().catch((error: unknown) => {
        throw new Error(`engine failed to load: ${describe(error)}`);
      });
      return engine.scan(bundle, job.options ?? {});
    });
    return { id: job.id, ok: true, bundle, report, ...(fromCache ? { fromCache } : {}) };
  } catch (error) {
    return { id: job.id, ok: false, message: describe(error) };
  }
}
