/**
 * V8 CPU profiles (the inspector's `Profiler.stop` result, the `.cpuprofile` format), read into
 * types and summarised: time by area of the engine, and self time by function. Used by
 * `bench:profile`.
 */

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** Zero-based, as V8 reports them: where the function starts. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** The node each sample was taken in, in order. */
  readonly samples: readonly number[];
  /** Microseconds since the previous sample, one per sample. */
  readonly timeDeltas: readonly number[];
}

/** Reads a CPU profile from parsed JSON; throws when a part the summary needs is missing or mistyped. */
export function parseCpuProfile(value: unknown): CpuProfile {
  const record = asRecord(value, 'profile');
  const nodes = asArray(record['nodes'], 'nodes').map((item, index): ProfileNode => {
    const node = asRecord(item, `nodes[${index}]`);
    const frame = asRecord(node['callFrame'], `nodes[${index}].callFrame`);
    const children = node['children'] === undefined ? [] : asArray(node['children'], `nodes[${index}].children`).map((child) => asNumber(child, `nodes[${index}].children`));
    return {
      id: asNumber(node['id'], `nodes[${index}].id`),
      callFrame: {
        functionName: asString(frame['functionName'], 'functionName'),
        url: asString(frame['url'], 'url'),
        lineNumber: asNumber(frame['lineNumber'], 'lineNumber'),
        columnNumber: asNumber(frame['columnNumber'], 'columnNumber'),
      },
      children,
    };
  });
  const samples = asArray(record['samples'], 'samples').map((item) => asNumber(item, 'samples'));
  const timeDeltas = asArray(record['timeDeltas'], 'timeDeltas').map((item) => asNumber(item, 'timeDeltas'));
  if (samples.length !== timeDeltas.length) throw new Error(`profile: ${samples.length} samples but ${timeDeltas.length} time deltas`);
  return { nodes, samples, timeDeltas };
}

/** A part of the work, named by the functions that do it: a sample on a stack holding one of them belongs to it. */
export interface ProfileArea {
  readonly name: string;
  readonly functions: readonly string[];
}

export interface ProfileSummary {
  readonly sampledMs: number;
  /** Every area, in the order given, then "other" for samples in none; ms may be 0. */
  readonly areas: readonly { readonly name: string; readonly ms: number }[];
  /** The functions with the most self time, most first. */
  readonly topSelf: readonly { readonly frame: CallFrame; readonly ms: number }[];
}

/**
 * Sums the samples' time by area and by function. A sample counts for the area of the frame
 * nearest to it on its stack, so work an area calls into another area (a parse started by a
 * dataflow walk) counts for the inner one.
 */
export function summariseProfile(profile: CpuProfile, areas: readonly ProfileArea[], top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children) parentOf.set(child, node.id);
  const areaOfFunction = new Map<string, number>();
  areas.forEach((area, index) => {
    for (const name of area.functions) if (!areaOfFunction.has(name)) areaOfFunction.set(name, index);
  });

  const selfUs = new Map<number, number>();
  let sampledUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    sampledUs += delta;
  });

  const areaUs = new Array<number>(areas.length + 1).fill(0);
  const areaOfNode = new Map<number, number>();
  const areaOf = (id: number): number => {
    const known = areaOfNode.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node === undefined ? undefined : areaOfFunction.get(node.callFrame.functionName);
    const parent = parentOf.get(id);
    const area = own ?? (parent === undefined ? areas.length : areaOf(parent));
    areaOfNode.set(id, area);
    return area;
  };
  const bySelf = new Map<string, { frame: CallFrame; us: number }>();
  for (const [id, us] of selfUs) {
    const area = areaOf(id);
    areaUs[area] = (areaUs[area] ?? 0) + us;
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const key = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
    const entry = bySelf.get(key) ?? { frame, us: 0 };
    entry.us += us;
    bySelf.set(key, entry);
  }
  return {
    sampledMs: sampledUs / 1000,
    areas: [...areas.map((area, index) => ({ name: area.name, ms: (areaUs[index] ?? 0) / 1000 })), { name: 'other', ms: (areaUs[areas.length] ?? 0) / 1000 }],
    topSelf: [...bySelf.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ frame, us }) => ({ frame, ms: us / 1000 })),
  };
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`profile: ${what} is not an object`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`profile: ${what} is not an array`);
  return value as unknown[];
}

function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`profile: ${what} holds a value that is not a number`);
  return value;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`profile: ${what} is not a string`);
  return value;
}
