import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, QueryOptions, Tree } from 'web-tree-sitter';
import { parse as parseYaml } from 'yaml';
import { capturedMatch, compareMatches, matchesByStatement, type CapturedMatch } from '../../../server/src/engine/matchers/statement-matches';
import { TreeSitterHost, type CombinedQuery, type TreeLanguage } from '../../../server/src/engine/parsers';
import { DIST_DIR, REPO_ROOT, RULES_DIR } from '../../support/engine';

/** A match as rules read it: pattern, then each capture's name, place and text. */
type Flat = [number, ...string[]];

/** Sorted as rules read them. */
function flatten(matches: readonly CapturedMatch[]): Flat[] {
  return [...matches]
    .sort(compareMatches)
    .map((match) => [match.patternIndex, ...[...match.nodes].map(([name, node]) => `${name}@${node.startIndex}-${node.endIndex}:${node.text}`)]);
}

/** What one walk of the whole tree finds, in the same form (first node of each capture). */
function wholeTree(combined: CombinedQuery, tree: Tree): Flat[] {
  return flatten(combined.query.matches(tree.rootNode).map(capturedMatch));
}

const LANGUAGE_OF: Readonly<Record<string, TreeLanguage>> = { '.py': 'python', '.sh': 'bash', '.js': 'javascript', '.ts': 'typescript' };

/** Every script of the rules' test cases and the demo skills, by language. */
function sampleScripts(): Map<TreeLanguage, string[]> {
  const samples = new Map<TreeLanguage, string[]>();
  const add = (file: string, text: string): void => {
    const language = LANGUAGE_OF[path.extname(file)];
    if (language) samples.set(language, [...(samples.get(language) ?? []), text]);
  };
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'tests.yaml') {
        const suite = parseYaml(fs.readFileSync(full, 'utf8')) as { valid?: { files?: Record<string, unknown> }[]; invalid?: { files?: Record<string, unknown> }[] };
        for (const testCase of [...(suite.valid ?? []), ...(suite.invalid ?? [])]) {
          for (const [file, text] of Object.entries(testCase.files ?? {})) if (typeof text === 'string') add(file, text);
        }
      }
    }
  };
  walk(RULES_DIR);
  for (const script of ['.claude/skills/code-formatter/scripts/format.py', '.agents/skills/release-notes/scripts/pulls.py']) {
    const file = path.join(REPO_ROOT, 'test', 'demo-skills', script);
    add(file, fs.readFileSync(file, 'utf8'));
  }
  return samples;
}

/** Every rule query of a language, compiled as one (asked for three times, as the editor does). */
function everyRuleQuery(trees: TreeSitterHost, language: TreeLanguage): CombinedQuery {
  const rules = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rules.json'), 'utf8')) as { rules: { match: { kind: string; languages?: string[]; query?: string }[] }[] };
  const sources = new Set<string>();
  for (const rule of rules.rules) {
    for (const matcher of rule.match) if (matcher.kind === 'tree-sitter' && matcher.query && matcher.languages?.includes(language)) sources.add(matcher.query);
  }
  trees.combined(language, [...sources]);
  trees.combined(language, [...sources]);
  const combined = trees.combined(language, [...sources]);
  assert.ok(combined, `the ${language} rule queries compile as one`);
  return combined;
}

/** Records the nodes a combined query is run on, and from which depth patterns may start. */
function spyOn(combined: CombinedQuery): { readonly runs: string[] } {
  const runs: string[] = [];
  const query = combined.query;
  const original = query.matches.bind(query);
  query.matches = (node: Node, options?: QueryOptions) => {
    runs.push(`${node.type}${options?.maxStartDepth === 0 ? ' (root only)' : ''}@${node.startIndex}`);
    return original(node, options);
  };
  return { runs };
}

describe('matchesByStatement: query matches one top-level statement at a time, kept by text', () => {
  let trees: TreeSitterHost;
  before(async () => {
    trees = await TreeSitterHost.create(DIST_DIR);
  });

  const parsed = (language: TreeLanguage, text: string): Tree => {
    const tree = trees.parse(language, text, Date.now() + 10_000);
    assert.ok(tree);
    return tree;
  };

  it('finds what one walk of the whole tree finds (sorted as rules read them) for every rule test script', () => {
    const samples = sampleScripts();
    let compared = 0;
    let matched = 0;
    for (const [language, scripts] of samples) {
      const combined = everyRuleQuery(trees, language);
      const owner = {};
      for (const text of scripts) {
        const tree = parsed(language, text);
        try {
          const expected = wholeTree(combined, tree);
          // Twice with one owner: the second answer comes from the kept statements.
          for (const pass of ['searched', 'kept']) {
            const found = matchesByStatement(combined, tree, text, owner);
            assert.ok(found, `${language} rule queries are all rooted and local`);
            assert.deepEqual(flatten(found), expected, `${pass}: ${text.slice(0, 200)}`);
          }
          compared++;
          matched += expected.length;
        } finally {
          tree.delete();
        }
      }
    }
    // The comparison means something only over many scripts that match many patterns.
    assert.ok(compared > 300, `${compared} scripts`);
    assert.ok(matched > 3000, `${matched} matches`);
  });

  it('searches only the statement typed into; the others are answered at their new places', () => {
    const combined = everyRuleQuery(trees, 'python');
    const owner = {};
    const helper = 'def fetch(url):\n    token = os.environ["API_TOKEN"]\n    return requests.get(url, headers={"Authorization": token})\n';
    const main = (comment: string): string => `def main():\n    # ${comment}\n    data = fetch("https://example.com/a")\n    subprocess.run(data, shell=True)\n`;
    const before = `import os, requests, subprocess\n\n${helper}\n${main('draft')}\n${helper.replace('fetch', 'fetch_again')}`;
    const after = `import os, requests, subprocess\n\n${helper}\n${main('draft notes, longer')}\n${helper.replace('fetch', 'fetch_again')}`;
    const first = parsed('python', before);
    const second = parsed('python', after);
    try {
      matchesByStatement(combined, first, before, owner);
      const spy = spyOn(combined);
      const found = matchesByStatement(combined, second, after, owner);
      assert.ok(found);
      assert.deepEqual(flatten(found), wholeTree(combined, second));
      // The root at depth 0, then only `main`, whose text changed; the helper below it moved.
      assert.deepEqual(spy.runs.slice(0, 2), ['module (root only)@0', `function_definition@${after.indexOf('def main')}`]);
      assert.equal(spy.runs.length, 3, 'plus the whole-tree walk the expectation made');
      assert.ok(flatten(found).some((match) => match.some((capture) => typeof capture === 'string' && capture.startsWith('finding@') && capture.includes('subprocess.run'))), 'the statement typed into still has its findings');
    } finally {
      first.delete();
      second.delete();
    }
  });

  it('places a statement whose text appears twice at each of its places', () => {
    const combined = everyRuleQuery(trees, 'bash');
    const owner = {};
    const line = 'curl -s https://example.com/i.sh | bash\n';
    const text = `${line}echo done\n${line}`;
    const tree = parsed('bash', text);
    try {
      const found = matchesByStatement(combined, tree, text, owner);
      assert.ok(found);
      assert.deepEqual(flatten(found), wholeTree(combined, tree));
      const starts = new Set(found.flatMap((match) => [...match.nodes.values()].map((node) => node.startIndex)));
      assert.ok(starts.has(0) && starts.has(text.lastIndexOf('curl')), 'matches at both copies');
    } finally {
      tree.delete();
    }
  });

  it('searches a statement with a syntax error every time, and keeps nothing of it', () => {
    const combined = everyRuleQuery(trees, 'python');
    const owner = {};
    const text = 'import os\n\ndef broken(:\n    os.system("rm -rf /tmp/x")\n\nprint(os.environ)\n';
    const tree = parsed('python', text);
    try {
      const expected = wholeTree(combined, tree);
      matchesByStatement(combined, tree, text, owner);
      const spy = spyOn(combined);
      const found = matchesByStatement(combined, tree, text, owner);
      assert.ok(found);
      assert.deepEqual(flatten(found), expected);
      const searched = spy.runs.filter((run) => !run.includes('root only'));
      assert.ok(searched.length >= 1, 'the statement holding the error is searched again');
      assert.ok(searched.every((run) => !run.startsWith('import_statement') && !run.startsWith('expression_statement')), `clean statements come from what was kept: ${searched.join(', ')}`);
    } finally {
      tree.delete();
    }
  });

  it('keeps a bounded number of statements, the least recently used going first', () => {
    const combined = everyRuleQuery(trees, 'bash');
    const owner = {};
    // Two scripts of 6,000 distinct one-line commands each: together more than is kept.
    const script = (from: number): string => Array.from({ length: 6_000 }, (_unused, index) => `echo step-${from + index}`).join('\n') + '\n';
    const first = parsed('bash', script(0));
    const second = parsed('bash', script(6_000));
    // Then only the first command of the first script and the last of the second.
    const ends = 'echo step-0\necho step-11999\n';
    const endsTree = parsed('bash', ends);
    try {
      assert.ok(matchesByStatement(combined, first, script(0), owner));
      assert.ok(matchesByStatement(combined, second, script(6_000), owner));
      const spy = spyOn(combined);
      const found = matchesByStatement(combined, endsTree, ends, owner);
      assert.ok(found);
      assert.deepEqual(spy.runs, ['program (root only)@0', 'command@0'], 'the first statement was let go and is searched again; the last is kept');
    } finally {
      first.delete();
      second.delete();
      endsTree.delete();
    }
  });

  it('leaves a script with more statements than are kept to one walk of the whole tree', () => {
    const combined = everyRuleQuery(trees, 'bash');
    const text = Array.from({ length: 12_000 }, (_unused, index) => `echo step-${index}`).join('\n') + '\n';
    const tree = parsed('bash', text);
    try {
      assert.equal(matchesByStatement(combined, tree, text, {}), undefined);
    } finally {
      tree.delete();
    }
  });

  it('declines a query with a pattern that may span statements', () => {
    // Two sibling nodes with no parent in the pattern: a match may cover two top-level statements.
    const sources = ['((comment) @note . (function_definition) @function)', '(call) @call'];
    for (let ask = 0; ask < 2; ask++) trees.combined('python', sources);
    const combined = trees.combined('python', sources);
    assert.ok(combined);
    const text = '# helper\ndef f():\n    pass\n';
    const tree = parsed('python', text);
    try {
      assert.equal(matchesByStatement(combined, tree, text, {}), undefined);
    } finally {
      tree.delete();
    }
  });
});
