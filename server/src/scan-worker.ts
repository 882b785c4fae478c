/**
 * Worker thread of the scan pool (see scan-pool.ts): creates its own engine once, then loads and
 * scans one skill per message. Failures become answers, never an unhandled exception, so one bad
 * skill does not take the worker (and the skills queued on it) down.
 */
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, DEFAULT_LIMITS, loadSkillBundle, type Engine } from './engine';
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
  const enginePromise: Promise<Engine> = createEngine({ assetsDir: distDirOf(workerData) });
  port.on('message', (message: unknown) => {
    if (!isScanJob(message)) return;
    void enginePromise.then(
      (engine) => {
        let result: ScanJobResult;
        try {
          const bundle = loadSkillBundle(message.root, message.limits ?? DEFAULT_LIMITS);
          const report = engine.scan(bundle, message.options ?? {});
          result = { id: message.id, ok: true, bundle, report };
        } catch (error) {
          result = { id: message.id, ok: false, message: describe(error) };
        }
        port.postMessage(result);
      },
      (error: unknown) => port.postMessage({ id: message.id, ok: false, message: `engine failed to load: ${describe(error)}` } satisfies ScanJobResult),
    );
  });
}
