import { strict as assert } from 'node:assert';
import { parseCpuProfile, summariseProfile, type ProfileArea } from '../../support/cpu-profile';

/** A profile from a list of stacks (root first) and the microseconds sampled on each. */
function profileOf(stacks: readonly (readonly [readonly string[], number])[]): unknown {
  const nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children: number[] }[] = [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [] },
  ];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (const [stack, us] of stacks) {
    let parent = nodes[0] as (typeof nodes)[number];
    for (const name of stack) {
      let child = parent.children.map((id) => nodes[id - 1] as (typeof nodes)[number]).find((node) => node.callFrame.functionName === name);
      if (!child) {
        child = { id: nodes.length + 1, callFrame: { functionName: name, url: 'file:///dist/bench-profile.js', lineNumber: 10 * nodes.length, columnNumber: 0 }, children: [] };
        nodes.push(child);
        parent.children.push(child.id);
      }
      parent = child;
    }
    samples.push(parent.id);
    timeDeltas.push(us);
  }
  return { nodes, startTime: 0, endTime: 1, samples, timeDeltas };
}

const AREAS: readonly ProfileArea[] = [
  { name: 'parsing', functions: ['ts_parser_parse_wasm'] },
  { name: 'dataflow', functions: ['analyseSkill'] },
  { name: 'classifier', functions: ['analyseInstructions'] },
];

describe('CPU profile summary (bench:profile)', () => {
  const profile = parseCpuProfile(
    profileOf([
      [['scan', 'analyseSkill', 'walk'], 3000],
      [['scan', 'analyseSkill', 'treeFor', 'ts_parser_parse_wasm'], 2000],
      [['scan', 'analyseInstructions', 'classify'], 4000],
      [['scan', 'analyseInstructions'], 500],
      [['scan', 'loadSkillBundle'], 1500],
      [['scan', 'analyseSkill', 'walk'], 1000],
    ]),
  );

  it('counts a sample for the area nearest to it on its stack, and the rest as other', () => {
    const summary = summariseProfile(profile, AREAS, 10);
    assert.equal(summary.sampledMs, 12);
    assert.deepEqual(summary.areas, [
      { name: 'parsing', ms: 2 },
      { name: 'dataflow', ms: 4 },
      { name: 'classifier', ms: 4.5 },
      { name: 'other', ms: 1.5 },
    ]);
  });

  it('sums self time by function, most first, and keeps only the top', () => {
    const summary = summariseProfile(profile, AREAS, 3);
    assert.deepEqual(
      summary.topSelf.map((entry) => [entry.frame.functionName, entry.ms]),
      [
        ['walk', 4],
        ['classify', 4],
        ['ts_parser_parse_wasm', 2],
      ],
    );
    assert.ok(summary.topSelf.every((entry) => entry.frame.url.endsWith('bench-profile.js') && entry.frame.lineNumber > 0));
  });

  it('rejects a profile without samples or with mistyped nodes', () => {
    assert.throws(() => parseCpuProfile({ nodes: [], timeDeltas: [] }), /samples is not an array/);
    assert.throws(() => parseCpuProfile({ nodes: [{ id: 'x', callFrame: { functionName: 'f', url: '', lineNumber: 0, columnNumber: 0 } }], samples: [], timeDeltas: [] }), /nodes\[0\]\.id/);
    assert.throws(() => parseCpuProfile({ nodes: [{ id: 1, callFrame: { functionName: 'f', url: '' } }], samples: [], timeDeltas: [] }), /lineNumber/);
    assert.throws(() => parseCpuProfile({ nodes: [], samples: [1], timeDeltas: [] }), /1 samples but 0 time deltas/);
  });
});
