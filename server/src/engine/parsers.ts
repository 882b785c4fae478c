import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { type Edit, Language, Parser, type Point, Query, type Tree } from 'web-tree-sitter';
import { textEdit } from './result-memo';

export type TreeLanguage = 'python' | 'bash' | 'javascript' | 'typescript' | 'powershell';
export const TREE_LANGUAGES: readonly TreeLanguage[] = ['python', 'bash', 'javascript', 'typescript', 'powershell'];

const GRAMMAR_FILES: Record<TreeLanguage, string> = {
  python: 'tree-sitter-python.wasm',
  bash: 'tree-sitter-bash.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  powershell: 'tree-sitter-powershell.wasm',
};

/**
 * Grammars whose WebAssembly V8 must never recompile with its optimising compiler. The PowerShell
 * grammar's largest function (459 KB of code) reaches V8's tier-up threshold within one parse,
 * however high the threshold, and takes the optimising compiler 11-12 s on a background thread,
 * which a CLI waits for before it exits (a scan of one PowerShell skill: 10.5 s against 0.4 s; the
 * benign corpus: 20.4 s against 15.7 s) and a language server spends of the second core. Keeping
 * every grammar at baseline code instead cost the corpus scan 1.2 s: the other grammars' hot
 * functions gain from optimisation in long scans.
 */
const BASELINE_ONLY_GRAMMARS: ReadonlySet<TreeLanguage> = new Set(['powershell']);

/**
 * Compiles a module with V8's baseline compiler only: V8 fixes a module's tiers when it compiles
 * it, so the flag is set around the load alone and other modules still tier up. The flag is the
 * process's: a grammar another worker thread compiles in that moment stays at baseline code too,
 * which costs speed in long scans, not correctness.
 */
async function compiledAtBaseline<T>(load: () => Promise<T>): Promise<T> {
  setFlagsFromString('--liftoff-only');
  try {
    return await load();
  } finally {
    setFlagsFromString('--no-liftoff-only');
  }
}

/**
 * Several queries compiled as one: a query cursor walks a tree once and answers every one of them.
 * `sourceOfPattern[i]` is the query source that pattern `i` of the combined query came from.
 */
export interface CombinedQuery {
  readonly query: Query;
  readonly sourceOfPattern: readonly string[];
}

/** Distinct source sets whose combined query is kept. */
const MAX_COMBINED_QUERIES = 128;
/**
 * Compiling costs some 5 ms per source in the query, as much as several walks of a 10 KB tree (a
 * combined query of 20 sources: about 100 ms), while one combined walk of a 10 KB script instead of
 * seven saves about 5 ms. So a set is combined only once it has been asked for this often: typing
 * into one unit asks for the same set on every keystroke; opening a skill asks once per set.
 */
const COMBINE_AFTER_REQUESTS = 3;
/** Source sets whose requests are counted; counting starts afresh beyond this. */
const MAX_COUNTED_SETS = 1024;

/**
 * Owns the web-tree-sitter runtime and one parser per grammar. Parsing is bounded: a parse that
 * runs past its deadline is cancelled and reported by the caller as "not analysed".
 */
export class TreeSitterHost {
  private readonly parsers = new Map<TreeLanguage, Parser>();
  private readonly queryCache = new Map<string, Query>();
  private readonly combinedCache = new Map<string, CombinedQuery | null>();
  private readonly combineRequests = new Map<string, number>();

  private constructor(private readonly languages: ReadonlyMap<TreeLanguage, Language>) {
    for (const [name, language] of languages) {
      const parser = new Parser();
      parser.setLanguage(language);
      this.parsers.set(name, parser);
    }
  }

  static async create(wasmDir: string): Promise<TreeSitterHost> {
    await Parser.init({ locateFile: (file: string) => path.join(wasmDir, file) });
    const languages = new Map<TreeLanguage, Language>();
    for (const name of TREE_LANGUAGES) {
      const load = (): Promise<Language> => Language.load(path.join(wasmDir, GRAMMAR_FILES[name]));
      languages.set(name, BASELINE_ONLY_GRAMMARS.has(name) ? await compiledAtBaseline(load) : await load());
    }
    return new TreeSitterHost(languages);
  }

  /**
   * Returns undefined when the parse was cancelled because it ran past `deadline` (ms since epoch).
   * With `previous` (a tree and the exact text it was parsed from), the parse is incremental: the
   * text between the common prefix and suffix is the edit, and tree-sitter reuses the rest.
   */
  parse(language: TreeLanguage, text: string, deadline: number, previous?: { readonly text: string; readonly tree: Tree }): Tree | undefined {
    const parser = this.parsers.get(language);
    if (!parser) return undefined;
    if (language === 'powershell') {
      text = withParamBlocksEndingLines(text);
      if (previous) previous = { text: withParamBlocksEndingLines(previous.text), tree: previous.tree };
    }
    const progressCallback = (): boolean => Date.now() > deadline;
    // The previous tree may still be in use for its own text: the edit goes to a copy.
    const edited = previous ? previous.tree.copy() : null;
    try {
      if (edited && previous) edited.edit(editBetween(previous.text, text));
      return parser.parse(text, edited, { progressCallback: progressCallback as () => void }) ?? undefined;
    } finally {
      edited?.delete();
    }
  }

  /** Compiles (and caches) a query; throws with tree-sitter's message when the query is invalid. */
  query(language: TreeLanguage, source: string): Query {
    const key = `${language}\u0000${source}`;
    let query = this.queryCache.get(key);
    if (!query) {
      const grammar = this.languages.get(language);
      if (!grammar) throw new Error(`no grammar for ${language}`);
      query = new Query(grammar, source);
      this.queryCache.set(key, query);
    }
    return query;
  }

  /**
   * `sources` (each valid alone) compiled as one query, so that the queries a tree needs walk it
   * once rather than once each. Patterns keep their order: pattern `i` of the combined query is
   * the `i`-th pattern counted across the sources in turn. Undefined when they cannot be combined,
   * and for the first requests of a set (see {@link COMBINE_AFTER_REQUESTS}): run them one by one.
   */
  combined(language: TreeLanguage, sources: readonly string[]): CombinedQuery | undefined {
    const key = `${language}\u0000${sources.join('\u0000')}`;
    const kept = this.combinedCache.get(key);
    if (kept !== undefined) {
      // Most recently used last, so the oldest is the one dropped when the cache is full.
      this.combinedCache.delete(key);
      this.combinedCache.set(key, kept);
      return kept ?? undefined;
    }
    const requests = (this.combineRequests.get(key) ?? 0) + 1;
    if (requests < COMBINE_AFTER_REQUESTS) {
      if (this.combineRequests.size >= MAX_COUNTED_SETS) this.combineRequests.clear();
      this.combineRequests.set(key, requests);
      return undefined;
    }
    this.combineRequests.delete(key);
    const grammar = this.languages.get(language);
    if (!grammar) return undefined;
    const sourceOfPattern: string[] = [];
    for (const source of sources) {
      const count = this.query(language, source).patternCount();
      for (let i = 0; i < count; i++) sourceOfPattern.push(source);
    }
    let combined: CombinedQuery | null = null;
    try {
      combined = { query: new Query(grammar, sources.join('\n')), sourceOfPattern };
    } catch {
      // Each source compiles alone; should their union not, they run one by one.
    }
    // A source whose last pattern ran on into the next one's text would misattribute matches.
    if (combined && combined.query.patternCount() !== sourceOfPattern.length) {
      combined.query.delete();
      combined = null;
    }
    if (this.combinedCache.size >= MAX_COMBINED_QUERIES) {
      const [oldestKey, oldest] = this.combinedCache.entries().next().value as [string, CombinedQuery | null];
      this.combinedCache.delete(oldestKey);
      oldest?.query.delete();
    }
    this.combinedCache.set(key, combined);
    return combined ?? undefined;
  }
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of `index` in `text`. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}

/** The one edit that turns `before` into `after`: what lies between their common prefix and suffix. */
/**
 * PowerShell runs `function f { param($a) Write-Host $a }`, but the grammar wants a line break
 * after a `param(…)` block and reads the rest of that line as an error, losing the body. The
 * blank after each such block is read as a line break instead: same length, so every offset and
 * range stays the source's. Parentheses nest two deep inside the block (`[ValidateSet('a')]`),
 * with bounded runs so that an unclosed `param(` costs linear time.
 */
const PARAM_BLOCK_THEN_STATEMENT = /(\bparam\s*\((?:[^()]|\((?:[^()]|\([^()]{0,400}\)){0,400}\)){0,4000}\))[ \t](?=[ \t]*[^\s;#)}])/gi;

export function withParamBlocksEndingLines(text: string): string {
  if (!/\bparam\s*\(/i.test(text)) return text;
  return text.replace(PARAM_BLOCK_THEN_STATEMENT, '$1\n');
}

export function editBetween(before: string, after: string): Edit {
  const { start, oldEnd, newEnd } = textEdit(before, after);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}
