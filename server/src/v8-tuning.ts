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
