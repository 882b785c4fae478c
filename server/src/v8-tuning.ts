import { setFlagsFromString } from 'node:v8';

/**
 * V8 runs a regular expression first in its bytecode interpreter and compiles it to machine code
 * only when it runs again ("tier-up"). That suits a page's one-off patterns, not a scanner that
 * runs hundreds of patterns over long texts and builds some per skill (hosts, names): in one
 * thread over the benign corpus, such runs sometimes spent 10-25 times longer in a pattern than
 * compiled code does, and the whole scan took 15-20 % longer. Regexes are compiled before their
 * first run instead. The flag is process-wide (worker threads share it) and is read when a regex
 * runs, so setting it at start-up, before any scan, is enough.
 */
export function compileRegexesBeforeFirstRun(): void {
  setFlagsFromString('--no-regexp-tier-up');
}

/**
 * V8 first compiles WebAssembly with its baseline compiler and recompiles a function with its
 * optimising compiler once the function has run enough ("dynamic tiering"). The tree-sitter
 * grammars reach that point within a scan of a few skills, and one grammar's lexer is a single
 * function of 160 KB that takes the optimising compiler about 1.4 s on a background thread: a
 * `skill-sentinel scan` of the three demo skills spent 0.95 s scanning and then 1 s waiting for
 * that compilation before it could exit, and a language server just started spent the same second
 * of its second core while the user typed. Over the whole benign corpus, baseline code parses as
 * fast as optimised code within noise (34.2 s with baseline code only against 34.0–36.5 s), so
 * functions now tier up only after a hundred times V8's default budget (1.8 M): in long scans
 * rather than short ones. Read when a module is instantiated, so it must be set before the first
 * engine starts; worker threads share it.
 */
const WASM_TIERING_BUDGET = 180_000_000;

export function tierUpWebAssemblyOnlyInLongRuns(): void {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}

/**
 * V8 optimises a function once it has spent an "interrupt budget" of bytecode, and optimises it
 * again after each deoptimisation. The engine's large functions (the instruction classifier, the
 * walkers, Markdown parsing) keep reaching code paths their first inputs never took: over the
 * benign corpus in one thread they were compiled up to 18 times each, and optimising compilation
 * took about 6.6 s of background CPU against 17 s of scanning. With a worker per core, or a
 * language server answering keystrokes on one core, that compilation takes the CPU the scan
 * needs. A larger budget optimises a function after it has run longer, on fuller type feedback.
 *
 * - CLI, sixteen times the default: compilation over the corpus fell to 1.4 s, and the CLI from
 *   about 12.8 to 11.0 s (three alternating runs each). Eight to thirty-two times were equal.
 * - Language server, four times: the p95 of the first 40 edits after opening fell by a quarter to
 *   a third in every editor scenario of `bench:speed` (typing in an argument 25-28 -> 18-20 ms),
 *   and latency once warm stayed the same. Eight and sixteen times were as quick at first but
 *   slower once warm; twice the default was about as slow at first as the default, and a quarter
 *   of it slower throughout.
 *
 * Process-wide and read when a function's budget is set, so it must be set at start-up.
 */
const DEFAULT_INTERRUPT_BUDGET = 67_584;
export const CLI_INTERRUPT_BUDGET_FACTOR = 16;
export const SERVER_INTERRUPT_BUDGET_FACTOR = 4;

export function optimiseAfterLongerRuns(factor: number): void {
  setFlagsFromString(`--interrupt-budget=${Math.round(DEFAULT_INTERRUPT_BUDGET * factor)}`);
}
