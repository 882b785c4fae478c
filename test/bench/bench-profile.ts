/**
 * Where a scan's time goes: scans the benign corpus in one thread in this process, with the CLI's
 * V8 settings, under V8's sampling profiler, and prints the time by area of the engine and the
 * functions with the most self time. It prints figures and checks no goal; `--save FILE` also writes
 * the profile (`.cpuprofile`, for Chrome DevTools or speedscope). It reads the corpus's files and
 * never runs them.
 *
 * One thread rather than the CLI's workers, so the figures are the engine's work alone: the CLI's
 * wall time is about this divided by the cores, plus V8's background threads (see bench:speed).
 *
 * Usage: npm run bench:profile [-- --corpus DIR] [--top N] [--interval MICROSECONDS] [--save FILE]
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, DEFAULT_LIMITS, discoverSkills, loadSkillBundle } from '../../server/src/engine';
import { CLI_INTERRUPT_BUDGET_FACTOR, compileRegexesBeforeFirstRun, optimiseAfterLongerRuns, tierUpWebAssemblyOnlyInLongRuns } from '../../server/src/v8-tuning';
import { parseCpuProfile, summariseProfile, type CallFrame, type ProfileArea } from '../support/cpu-profile';
import { argValue } from './args';

const repoRoot = path.resolve(__dirname, '..');
const corpus = path.resolve(argValue('--corpus') ?? path.join(repoRoot, '..', 'shared', 'corpus', 'benign'));
const top = Number(argValue('--top') ?? 25);
const intervalUs = Number(argValue('--interval') ?? 500);
const saveTo = argValue('--save');

/**
 * The engine's parts, by the functions that enter them. Parsing is named by tree-sitter's own
 * WebAssembly entry, so a parse counts as parsing whichever part asked for the tree.
 */
const AREAS: readonly ProfileArea[] = [
  { name: 'tree-sitter parsing', functions: ['ts_parser_parse_wasm'] },
  { name: 'dataflow walks', functions: ['analyseSkill'] },
  { name: 'instruction classifier', functions: ['analyseInstructions'] },
  { name: 'regex rules and their literal gates', functions: ['runRegexMatcher'] },
  { name: 'tree-sitter rule queries', functions: ['runTreeSitterMatcher'] },
  { name: 'other checks', functions: ['runMatcher'] },
  { name: 'skill model (Markdown, frontmatter, code units)', functions: ['buildSkillModel'] },
  { name: 'capability inventory', functions: ['buildCapabilityInventory'] },
  { name: 'hidden payloads', functions: ['hiddenPayloadFindings'] },
  { name: 'reading skill folders', functions: ['loadSkillBundle'] },
  { name: 'garbage collection', functions: ['(garbage collector)'] },
];

/**
 * Where a frame's function is written: the TypeScript source through this bundle's source map,
 * else the script and line V8 gives.
 */
function locate(frame: CallFrame, sourceMap: SourceMap | undefined): string {
  if (frame.url === '') return '';
  if (sourceMap && frame.url.endsWith(path.basename(__filename))) {
    const entry = sourceMap.findEntry(frame.lineNumber, frame.columnNumber);
    if ('originalSource' in entry) {
      const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(__dirname, entry.originalSource);
      return `${path.relative(repoRoot, source)}:${entry.originalLine + 1}`;
    }
  }
  return `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
}

function loadSourceMap(): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(fs.readFileSync(`${__filename}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(corpus)) {
    console.log(`bench-profile: no corpus at ${corpus}`);
    return;
  }
  // As the CLI sets them at start-up, before the first engine.
  compileRegexesBeforeFirstRun();
  tierUpWebAssemblyOnlyInLongRuns();
  optimiseAfterLongerRuns(CLI_INTERRUPT_BUDGET_FACTOR);
  const engine = await createEngine({ assetsDir: __dirname });
  const roots = discoverSkills([corpus]).skills;

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (const root of roots) {
    const bundle = loadSkillBundle(root, DEFAULT_LIMITS);
    for (const file of bundle.files.values()) bytes += Buffer.byteLength(file.text);
    engine.scan(bundle, {});
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { profile: raw } = await session.post('Profiler.stop');
  session.disconnect();
  if (saveTo) fs.writeFileSync(saveTo, JSON.stringify(raw));

  const summary = summariseProfile(parseCpuProfile(raw), AREAS, top);
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const share = (ms: number): string => `${((100 * ms) / summary.sampledMs).toFixed(1).padStart(5)} %`;
  console.log(`bench-profile: one thread in process over ${path.relative(process.cwd(), corpus) || corpus} (${roots.length} skills, ${(bytes / 1e6).toFixed(1)} MB), V8 settings as the CLI's`);
  console.log(`    scan ${seconds(wallMs)} wall; ${seconds(summary.sampledMs)} sampled every ${intervalUs} µs${saveTo ? `; profile saved to ${saveTo}` : ''}`);
  console.log('\n    time by area (a sample counts for the innermost area on its stack):');
  if (summary.areas.every((area) => area.name === 'other' || area.name === 'garbage collection' || area.ms === 0)) {
    console.log("      (no engine function was found by name: this bundle's names were changed; rebuild it with `npm run compile`)");
  }
  const width = Math.max(...summary.areas.map((area) => area.name.length));
  for (const area of summary.areas) console.log(`      ${area.name.padEnd(width)}  ${seconds(area.ms).padStart(8)}  ${share(area.ms)}`);
  console.log(`\n    self time by function, top ${top}:`);
  const sourceMap = loadSourceMap();
  for (const entry of summary.topSelf) {
    const where = locate(entry.frame, sourceMap);
    const name = entry.frame.functionName || '(anonymous)';
    // RegExp frames are named by their whole pattern.
    const shown = name.length > 90 ? `${name.slice(0, 89)}…` : name;
    console.log(`      ${seconds(entry.ms).padStart(8)}  ${share(entry.ms)}  ${shown}${where ? ` (${where})` : ''}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
