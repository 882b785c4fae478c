import { WalkerBase } from '../../server/src/engine/dataflow/walker';

type Reused = (this: WalkerBase, ...args: unknown[]) => unknown;

/**
 * Counts the helper walks the dataflow reuses (see `dataflow/helper-replay.ts`) while `run` runs,
 * by wrapping the walkers' one place that answers a helper from a recorded walk. For the unit
 * tests and `npm run check:reuse`.
 */
export async function countingReuse<T>(run: (reused: () => number) => T | Promise<T>): Promise<T> {
  const prototype = WalkerBase.prototype as unknown as { reusedSummary: Reused };
  const original = prototype.reusedSummary;
  let reused = 0;
  prototype.reusedSummary = function (this: WalkerBase, ...args: unknown[]): unknown {
    const summary = original.apply(this, args);
    if (summary !== undefined) reused++;
    return summary;
  };
  try {
    return await run(() => reused);
  } finally {
    prototype.reusedSummary = original;
  }
}
