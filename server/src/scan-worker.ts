/**
 * Worker thread of the scan pool (see scan-pool.ts): creates its own engine once, then loads and
 * scans one skill per message. Failures become answers, never an unhandled exception, so one bad
 * skill does not take the worker (and the skills queued on it) down.
 */
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, DEFAULT_LIMITS, loadSkillBundle, type Engine } from './engine';
import { reportThroughCache } from './report-cache';
import type { ScanJob, ScanJobResult } from './scan-pool';

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

const port = parentPort;
if (port) {
  // Created on the first skill that needs scanning: a run answered from the cache never pays for
  // the wasm grammars and compiled queries.
  let enginePromise: Promise<Engine> | undefined;
  const engineOf = (): Promise<Engine> => (enginePromise ??= createEngine({ assetsDir: distDirOf(workerData) }));
  port.on('message', (message: unknown) => {
    if (!isScanJob(message)) return;
    void answer(message, engineOf).then((result) => port.postMessage(result));
  });
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
