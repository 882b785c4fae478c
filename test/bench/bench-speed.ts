/**
 * Speed benchmark. Prints figures; never fails and is not a timed test.
 *
 *  (a) CLI: `node dist/cli.js scan <corpus>/benign --format json --output <tmp>` — wall time,
 *      CPU time (all threads), MB/s, files/s and peak RSS, median of `--runs` runs; then the
 *      same with `--cache-location` (an empty cache folder), cold once and warm `--runs` times;
 *      then the demo skills, as a pre-commit hook scans a few skills, at least five times.
 *  (b) Language server (`node dist/server.js --stdio`) driven over stdio like an editor:
 *      initialize, didOpen, then `--edits` didChange edits, each waiting for the
 *      publishDiagnostics of the edited version; p50/p95 edit-to-diagnostics latency for a typical
 *      demo skill, for a generated 500-line SKILL.md with five scripts, and for typing into a
 *      comment, into a docstring and into a call's argument of one of that skill's 10 KB Python
 *      scripts; medians over `--runs` fresh servers.
 *  (c) RSS of the language server after a `skillSentinel/scanWorkspace` request over every skill
 *      folder of the corpus.
 *
 * Usage: npm run bench:speed [-- --corpus DIR] [--runs N] [--edits N] [--dist DIR] [--only cli|lsp|rss]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { SCAN_WORKSPACE_REQUEST, type ScanWorkspaceResult } from '../../server/src/protocol';
import { startServer } from '../support/lsp-server';
import { childProcessesOf } from '../support/processes';
import { argValue } from './args';

const repoRoot = path.resolve(__dirname, '..');
const corpus = path.resolve(argValue('--corpus') ?? path.join(repoRoot, '..', 'shared', 'corpus'));
const benign = path.join(corpus, 'benign');
const dist = path.resolve(argValue('--dist') ?? path.join(repoRoot, 'dist'));
const runs = Math.max(1, Number(argValue('--runs') ?? 3));
const edits = Math.max(5, Number(argValue('--edits') ?? 40));
const only = argValue('--only');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-speed-'));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Regular files and their bytes under `dir`, symlinks not followed (as the scanner does). */
function corpusSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files += 1;
        bytes += fs.statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

// ---------------------------------------------------------------------------------------------
// (a) CLI

/**
 * Preloaded into the CLI process: records at exit the peak RSS and the CPU time of the whole process
 * (all threads). CPU time says how much work a build does per run, which the wall time of a
 * machine whose second core adds well under half its speed (see the README) hides.
 *
 * Where Linux's /proc is readable it also splits that time by thread: the main thread, and the
 * threads still running at exit, which are V8's and libuv's background threads (optimising
 * compilers, garbage collection, file system work); the scan workers have ended by then, and are
 * the rest. V8's own threads once took a third of a scan's CPU, which a per-function profile of one
 * thread does not show.
 */
const RSS_PRELOAD = `process.on('exit', () => {
  const fs = require('fs');
  const usage = process.resourceUsage();
  let threads = null;
  try {
    // utime and stime, fields 14 and 15 of stat, after the parenthesised command name; in clock ticks of 10 ms.
    const ticksOf = (task) => {
      const stat = fs.readFileSync('/proc/self/task/' + task + '/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    let background = 0;
    for (const task of fs.readdirSync('/proc/self/task')) if (Number(task) !== process.pid) background += ticksOf(task);
    threads = [ticksOf(process.pid) * 10000, background * 10000];
  } catch {}
  fs.writeFileSync(process.env.BENCH_SPEED_RSS_FILE, JSON.stringify([usage.maxRSS, usage.userCPUTime + usage.systemCPUTime, threads]));
});\n`;

interface CliRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** CPU time of the main thread and of V8's and libuv's background threads; undefined without /proc. */
  readonly threadsCpuMs?: { readonly main: number; readonly background: number };
  readonly peakRssKb: number;
  readonly skills: number;
}

/** What the preload wrote: [peak RSS in KB, CPU time in µs, [main thread, background threads] in µs or null]. */
function parseUsage(text: string): Pick<CliRun, 'peakRssKb' | 'cpuMs' | 'threadsCpuMs'> {
  const usage: unknown = JSON.parse(text);
  const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  if (!Array.isArray(usage) || usage.length !== 3 || !isNumber(usage[0]) || !isNumber(usage[1])) throw new Error(`unexpected usage record: ${text}`);
  const threads: unknown = usage[2];
  const split = Array.isArray(threads) && threads.length === 2 && isNumber(threads[0]) && isNumber(threads[1]) ? { main: threads[0] / 1000, background: threads[1] / 1000 } : undefined;
  return { peakRssKb: usage[0], cpuMs: usage[1] / 1000, ...(split ? { threadsCpuMs: split } : {}) };
}

/** "scan workers 18.4 s, V8 and libuv background threads 3.2 s, main thread 0.3 s", or '' without the split. */
function cpuByThread(runs: readonly CliRun[]): string {
  const split = runs.map((run) => run.threadsCpuMs);
  if (!split.every((threads) => threads !== undefined)) return '';
  const main = median(split.map((threads) => threads.main));
  const background = median(split.map((threads) => threads.background));
  const workers = median(runs.map((run, index) => run.cpuMs - (split[index]?.main ?? 0) - (split[index]?.background ?? 0)));
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return `scan workers ${seconds(workers)}, V8 and libuv background threads ${seconds(background)}, main thread ${seconds(main)}`;
}

function runCliOnce(extraArgs: readonly string[] = [], target = benign): CliRun {
  const preload = path.join(scratch, 'rss-preload.js');
  fs.writeFileSync(preload, RSS_PRELOAD);
  const rssFile = path.join(scratch, 'rss.txt');
  const out = path.join(scratch, 'report.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', preload, path.join(dist, 'cli.js'), 'scan', target, '--format', 'json', '--output', out, ...extraArgs], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_SPEED_RSS_FILE: rssFile },
    maxBuffer: 1 << 26,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!fs.existsSync(out)) throw new Error(`CLI produced no report (exit ${result.status}): ${result.stderr}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { skills?: unknown[] };
  const usage = parseUsage(fs.readFileSync(rssFile, 'utf8'));
  fs.rmSync(out);
  return { wallMs, ...usage, skills: Array.isArray(report.skills) ? report.skills.length : 0 };
}

function benchCli(): void {
  const size = corpusSize(benign);
  console.log(`\n(a) CLI: scan ${path.relative(process.cwd(), benign) || benign} — ${size.files} files, ${(size.bytes / 1e6).toFixed(1)} MB, ${runs} run(s)`);
  const results: CliRun[] = [];
  for (let i = 0; i < runs; i++) {
    const run = runCliOnce();
    results.push(run);
    console.log(`    run ${i + 1}: ${(run.wallMs / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} s CPU, peak RSS ${(run.peakRssKb / 1024).toFixed(0)} MB, ${run.skills} skills`);
  }
  const wall = median(results.map((r) => r.wallMs));
  const rss = median(results.map((r) => r.peakRssKb));
  console.log(`    median: ${(wall / 1000).toFixed(2)} s wall, ${(median(results.map((r) => r.cpuMs)) / 1000).toFixed(2)} s CPU, ${(size.bytes / 1e6 / (wall / 1000)).toFixed(1)} MB/s, ` +
    `${(size.files / (wall / 1000)).toFixed(0)} files/s, peak RSS ${(rss / 1024).toFixed(0)} MB   (goal: ≤ 3 s)`);
  const byThread = cpuByThread(results);
  if (byThread) console.log(`    CPU by thread, medians: ${byThread}`);

  // A pre-commit hook or CI job with a kept cache: every skill unchanged since the previous run.
  const cacheDir = path.join(scratch, 'report-cache');
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const cold = runCliOnce(['--cache-location', cacheDir]);
  const warm: CliRun[] = [];
  for (let i = 0; i < runs; i++) warm.push(runCliOnce(['--cache-location', cacheDir]));
  const warmWall = median(warm.map((r) => r.wallMs));
  console.log(`    --cache, empty cache: ${(cold.wallMs / 1000).toFixed(2)} s wall; unchanged corpus, median of ${runs}: ` +
    `${(warmWall / 1000).toFixed(2)} s wall, ${(size.bytes / 1e6 / (warmWall / 1000)).toFixed(1)} MB/s, ` +
    `peak RSS ${(median(warm.map((r) => r.peakRssKb)) / 1024).toFixed(0)} MB   (goal: ≤ 3 s)`);
  fs.rmSync(cacheDir, { recursive: true, force: true });

  // A pre-commit hook scans a few skills: there the process's start and exit are most of the time.
  const demo = path.join(repoRoot, 'test', 'demo-skills');
  const small = Array.from({ length: Math.max(runs, 5) }, () => runCliOnce([], demo));
  console.log(`    a few skills (${small[0]?.skills ?? 0} demo skills, no cache): median of ${small.length}: ${(median(small.map((r) => r.wallMs)) / 1000).toFixed(2)} s wall ` +
    `(runs ${small.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')})`);
}

// ---------------------------------------------------------------------------------------------
// Language server (driven through test/support/lsp-server.ts)

/** Resident and peak resident set of a process, in kB (Linux /proc; `ps` elsewhere, peak unknown). */
function rssOf(pid: number): { rssKb: number; peakKb?: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
  } catch {
    const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
    return { rssKb: Number(ps.stdout.trim()) };
  }
}

/**
 * The memory `pid` and its child processes hold, in kB: the sum of their proportional set sizes
 * (Linux `smaps_rollup`), which counts a page they share, such as node's own code, once in all
 * rather than once in each; undefined without it.
 */
function memoryWithChildrenKb(pid: number): number | undefined {
  const children = childProcessesOf(pid);
  if (children === undefined) return undefined;
  let total = 0;
  for (const id of [pid, ...children]) {
    try {
      total += Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${id}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // A worker that ended between the two reads holds nothing.
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// (b) Edit-to-diagnostics latency

/** A long SKILL.md (500 lines) with five bundled scripts, written into a fresh workspace. */
function generateLargeSkill(workspace: string): string {
  const root = path.join(workspace, '.claude', 'skills', 'report-builder');
  fs.mkdirSync(path.join(root, 'scripts'), { recursive: true });
  const lines = ['---', 'name: report-builder', 'description: Builds weekly status reports from the project tracker and posts a summary.', 'allowed-tools: Bash(python3 scripts/*), Read, Write', '---', '', '# Report builder', ''];
  let section = 0;
  while (lines.length < 496) {
    section += 1;
    lines.push(`## Step ${section}: gather section ${section}`, '');
    lines.push(`Read the tracker export for area ${section} and summarise open items by owner.`);
    lines.push('Keep the wording neutral and list blockers first; link each item to its ticket.');
    lines.push(`Run \`python3 scripts/collect_${section % 5}.py --area ${section}\` to refresh the cache before summarising.`);
    lines.push('');
    lines.push('```bash', `python3 scripts/render.py --section ${section} --out build/report-${section}.md`, '```', '');
  }
  lines.length = 496;
  lines.push('## Done', '', 'Send the finished report to the team channel.', '');
  fs.writeFileSync(path.join(root, 'SKILL.md'), lines.join('\n'));
  const script = (name: string, body: string[]): void => fs.writeFileSync(path.join(root, 'scripts', name), body.join('\n') + '\n');
  for (let i = 0; i < 4; i++) {
    const body = ['#!/usr/bin/env python3', '"""Collects tracker items for one area."""', 'import argparse', 'import json', 'import os', 'import subprocess', 'import urllib.request', ''];
    for (let f = 0; f < 30; f++) {
      body.push(`def step_${f}(area, items):`, `    """Filters items for step ${f}."""`, `    # Items of earlier steps stay in the export.`, `    kept = [item for item in items if item.get("area") == area and item.get("step", 0) >= ${f}]`,
        `    with open(os.path.join("build", f"step_${f}_{area}.json"), "w") as handle:`, '        json.dump(kept, handle)', '    return kept', '');
    }
    body.push('def main():', '    parser = argparse.ArgumentParser()', '    parser.add_argument("--area", required=True)', '    args = parser.parse_args()',
      '    token = os.environ.get("TRACKER_TOKEN", "")', '    request = urllib.request.Request("https://tracker.example.com/api/items", headers={"Authorization": token})',
      '    items = json.load(urllib.request.urlopen(request))', '    subprocess.run(["git", "status"], check=False)', '    step_0(args.area, items)', '', 'if __name__ == "__main__":', '    main()');
    script(`collect_${i}.py`, body);
  }
  const shell = ['#!/usr/bin/env bash', 'set -euo pipefail', ''];
  for (let f = 0; f < 40; f++) shell.push(`section_${f}() {`, `  mkdir -p build/${f}`, `  grep -c "status" "data/${f}.csv" > "build/${f}/count.txt" || true`, '}', '');
  shell.push('curl -fsSL -H "Authorization: Bearer $TRACKER_TOKEN" https://tracker.example.com/export.csv -o data/export.csv', 'for f in $(seq 0 39); do "section_$f"; done');
  script('render.sh', shell);
  return path.join(root, 'SKILL.md');
}

/**
 * The line typed into: the one nearest the middle of the file that `typable` accepts (a body line
 * of SKILL.md; a comment of a script, so the typed words keep the script valid).
 */
function lineToTypeInto(lines: readonly string[], typable: (line: string) => boolean): number {
  const middle = Math.max(0, Math.min(lines.length - 2, Math.floor(lines.length / 2)));
  for (let distance = 0; distance < lines.length; distance++) {
    for (const at of [middle + distance, middle - distance]) if (at >= 0 && at < lines.length && typable(lines[at] ?? '')) return at;
  }
  return middle;
}

/** One server session's figures: the measured edits after opening, and the edits once warm. */
interface LatencySession {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly openMs: number;
  readonly settledP50: number;
  readonly settledP95: number;
}

/**
 * Edit-to-diagnostics latency over `--runs` fresh servers: on this 2-core machine one session's
 * p95 over 40 edits moves by a third from run to run (JIT and GC timing), so the medians of the
 * sessions' figures are the ones to read; each session's are printed too.
 */
/**
 * Where on a line the typing happens: at its end (a comment, a line of prose), or, for a line of
 * code, at a column inside it that keeps the code valid.
 */
type ColumnOf = (line: string) => number;
const AT_LINE_END: ColumnOf = (line) => line.length;

async function benchLatency(label: string, workspace: string, file: string, typable: (line: string) => boolean = () => true, columnOf: ColumnOf = AT_LINE_END): Promise<void> {
  const sessions: LatencySession[] = [];
  for (let run = 0; run < runs; run++) sessions.push(await latencySession(workspace, file, typable, columnOf));
  const figures = (pick: (session: LatencySession) => number): string => sessions.map((session) => pick(session).toFixed(1)).join(', ');
  const medianOf = (pick: (session: LatencySession) => number): string => median(sessions.map(pick)).toFixed(1);
  console.log(`    ${label}: p50 ${medianOf((session) => session.p50)} ms, p95 ${medianOf((session) => session.p95)} ms ` +
    `over ${edits} edits, median of ${runs} session(s)   (goal: p95 ≤ 30 ms)`);
  const indent = ' '.repeat(label.length + 4);
  console.log(`${indent}  sessions: p50 ${figures((session) => session.p50)} ms; p95 ${figures((session) => session.p95)} ms; max ${figures((session) => session.max)} ms; ` +
    `first diagnostics ${sessions.map((session) => session.openMs.toFixed(0)).join(', ')} ms after opening`);
  // The first edits after opening run while V8 is still compiling the hot paths; a user who keeps
  // typing sees what follows. Reported apart, for information; the goal is judged on the above.
  console.log(`${indent}  after ${edits + WARMUP_EDITS + SETTLING_EDITS} edits since opening: p50 ${medianOf((session) => session.settledP50)} ms, ` +
    `p95 ${medianOf((session) => session.settledP95)} ms over ${SETTLED_EDITS} edits (medians; sessions: p95 ${figures((session) => session.settledP95)} ms)`);
}

/** Edits typed (and not measured) between opening and the measured edits. */
const WARMUP_EDITS = 3;

async function latencySession(workspace: string, file: string, typable: (line: string) => boolean, columnOf: ColumnOf): Promise<LatencySession> {
  const server = await startServer(path.join(dist, 'server.js'), workspace);
  try {
    const uri = URI.file(file).toString();
    const text = fs.readFileSync(file, 'utf8');
    let version = 1;
    const opened = server.waitForDiagnostics(uri, version);
    const languageId = file.endsWith('.md') ? 'skill' : file.endsWith('.py') ? 'python' : file.endsWith('.sh') ? 'shellscript' : 'plaintext';
    const openStarted = process.hrtime.bigint();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    await opened;
    const openMs = Number(process.hrtime.bigint() - openStarted) / 1e6;
    // Type into a line near the middle, one character per edit, as a user would: every version of
    // the text is new, so no edit can be answered from a result kept for an earlier one.
    const lines = text.split('\n');
    const line = lineToTypeInto(lines, typable);
    let column = columnOf(lines[line] ?? '');
    const typed = ' Draft notes: check each owner and due date before sending the summary.';
    let edit = 0;
    const typeOnce = async (): Promise<number> => {
      version += 1;
      const character = typed[edit++ % typed.length] ?? ' ';
      const change = { range: { start: { line, character: column }, end: { line, character: column } }, text: character };
      column += 1;
      const published = server.waitForDiagnostics(uri, version);
      const started = process.hrtime.bigint();
      await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
      await published;
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const latencies: number[] = [];
    for (let i = 0; i < edits + WARMUP_EDITS; i++) {
      const ms = await typeOnce();
      if (i >= WARMUP_EDITS) latencies.push(ms);
    }
    for (let i = 0; i < SETTLING_EDITS; i++) await typeOnce();
    const settled: number[] = [];
    for (let i = 0; i < SETTLED_EDITS; i++) settled.push(await typeOnce());
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: Math.max(...latencies),
      openMs,
      settledP50: percentile(settled, 50),
      settledP95: percentile(settled, 95),
    };
  } finally {
    await server.stop();
  }
}

/** Edits typed (and not measured) between the measured window and the settled measurement. */
const SETTLING_EDITS = 100;
const SETTLED_EDITS = 100;

async function benchLsp(): Promise<void> {
  console.log(`\n(b) Language server: edit-to-diagnostics latency (${edits} edits each, after ${WARMUP_EDITS} warm-up edits; ${runs} fresh server(s) each)`);
  const demo = path.join(repoRoot, 'test', 'demo-skills');
  await benchLatency('typical skill (demo code-formatter)', demo, path.join(demo, '.claude', 'skills', 'code-formatter', 'SKILL.md'));
  const workspace = path.join(scratch, 'large-workspace');
  const skillMd = generateLargeSkill(workspace);
  await benchLatency('500-line SKILL.md + 5 scripts    ', workspace, skillMd);
  // The same skill, typing into a comment of a 10 KB bundled script: the script is re-parsed and
  // re-analysed on every keystroke, where a SKILL.md edit leaves the scripts' results as they were.
  const script = path.join(path.dirname(skillMd), 'scripts', 'collect_0.py');
  await benchLatency('the same, typing in a 10 KB script', workspace, script, (line) => /^\s*#\s/.test(line));
  // A keystroke in a comment or a docstring leaves the dataflow's and SKL408's results as they
  // were (inertEdit in analysis.ts); the rule queries and patterns, which read both, run again.
  await benchLatency('the same, typing in a docstring   ', workspace, script, (line) => /^\s*"""[^"]+"""\s*$/.test(line), (line) => line.lastIndexOf('"""'));
  // Typing into a call's argument (the folder a step writes into) changes what the code does, so
  // every analysis of the script runs again.
  await benchLatency('the same, typing in an argument   ', workspace, script, (line) => /^\s*with open\(os\.path\.join\("build"/.test(line), (line) => line.indexOf('"build"') + '"build'.length);
  // Typing into a command of the skill's shell script (a folder a function creates): the shell
  // script's analyses run again, as for the Python argument.
  const shellScript = path.join(path.dirname(skillMd), 'scripts', 'render.sh');
  await benchLatency('the same, typing in a shell command', workspace, shellScript, (line) => /^\s*mkdir -p build\//.test(line), (line) => line.indexOf('build') + 'build'.length);
}

// ---------------------------------------------------------------------------------------------
// (c) Server memory after a workspace scan

async function benchWorkspaceRss(): Promise<void> {
  console.log(`\n(c) Language server: workspace scan of ${path.basename(benign)}, every skill folder in it (skillLocations ["**"])`);
  // The default locations are where agents load skills from (`**/skills/*`, `.claude/skills/*`,
  // …); the corpus keeps some collections elsewhere, and the goal is about all of it.
  const server = await startServer(path.join(dist, 'server.js'), benign, { settings: { skillLocations: ['**'] } });
  try {
    const pid = server.child.pid as number;
    // The scan runs in worker processes, whose memory the server's own peak does not count:
    // sampled during the scan, the memory of the server and its workers together.
    let peakWithWorkersKb: number | undefined;
    const sampler = setInterval(() => {
      const total = memoryWithChildrenKb(pid);
      if (total !== undefined) peakWithWorkersKb = Math.max(peakWithWorkersKb ?? 0, total);
    }, 200);
    const started = process.hrtime.bigint();
    const result = (await server.connection.sendRequest(SCAN_WORKSPACE_REQUEST, {})) as ScanWorkspaceResult;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    clearInterval(sampler);
    const after = rssOf(pid);
    console.log(`    ${result.skills.length} skills in ${(ms / 1000).toFixed(2)} s; RSS after the scan ${(after.rssKb / 1024).toFixed(0)} MB   (goal: ≤ 250 MB)`);
    console.log(`    peak during the scan: server ${after.peakKb !== undefined ? `${(after.peakKb / 1024).toFixed(0)} MB` : 'unknown'}` +
      `${peakWithWorkersKb !== undefined ? `; proportional set size of the server and its worker processes together ${(peakWithWorkersKb / 1024).toFixed(0)} MB (sampled every 200 ms)` : ''}`);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(dist, 'cli.js')) || !fs.existsSync(path.join(dist, 'server.js'))) {
    console.log(`bench-speed: build first (npm run compile); no cli.js/server.js in ${dist}`);
    return;
  }
  const haveCorpus = fs.existsSync(benign);
  if (!haveCorpus) console.log(`bench-speed: ${benign} not found; skipping the corpus figures (a) and (c)`);
  console.log(`bench-speed: ${os.cpus().length} CPU(s), node ${process.version}, dist ${dist}`);
  if (haveCorpus && (only === undefined || only === 'cli')) benchCli();
  if (only === undefined || only === 'lsp') await benchLsp();
  if (haveCorpus && (only === undefined || only === 'rss')) await benchWorkspaceRss();
}

main()
  .catch((error: unknown) => console.log(`bench-speed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))
  .finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
