import * as path from 'node:path';
import { Language, Parser, Query, type Tree } from 'web-tree-sitter';

export type TreeLanguage = 'python' | 'bash' | 'javascript' | 'typescript';
export const TREE_LANGUAGES: readonly TreeLanguage[] = ['python', 'bash', 'javascript', 'typescript'];

const GRAMMAR_FILES: Record<TreeLanguage, string> = {
  python: 'tree-sitter-python.wasm',
  bash: 'tree-sitter-bash.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
};

/**
 * Owns the web-tree-sitter runtime and one parser per grammar. Parsing is bounded: a parse that
 * runs past its deadline is cancelled and reported by the caller as "not analysed".
 */
export class TreeSitterHost {
  private readonly parsers = new Map<TreeLanguage, Parser>();
  private readonly queryCache = new Map<string, Query>();

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
      languages.set(name, await Language.load(path.join(wasmDir, GRAMMAR_FILES[name])));
    }
    return new TreeSitterHost(languages);
  }

  /** Returns undefined when the parse was cancelled because it ran past `deadline` (ms since epoch). */
  parse(language: TreeLanguage, text: string, deadline: number): Tree | undefined {
    const parser = this.parsers.get(language);
    if (!parser) return undefined;
    const progressCallback = (): boolean => Date.now() > deadline;
    const tree = parser.parse(text, null, { progressCallback: progressCallback as () => void });
    return tree ?? undefined;
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
}
