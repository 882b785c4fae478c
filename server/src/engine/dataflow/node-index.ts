import type { Node, Tree } from 'web-tree-sitter';

/**
 * The named nodes of a tree whose types the checks and the dataflow walkers search for, found in
 * one walk per tree. Each search by tree-sitter walks the whole subtree whatever the types (about
 * half a millisecond for a 10 KB script), and a script is searched for functions, calls,
 * assignments and loops by five or six readers; from this list each search is a filter.
 *
 * Every grammar's names in one set: a name a grammar does not have matches nothing in it.
 */
const INDEXED_TYPES: ReadonlySet<string> = new Set([
  // Python
  'function_definition', 'call', 'assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'while_statement', 'with_item',
  // JavaScript and TypeScript
  'function_declaration', 'generator_function_declaration', 'method_definition', 'variable_declarator', 'assignment_expression', 'for_in_statement', 'call_expression',
  // Bash
  'variable_assignment', 'redirected_statement', 'command', 'file_redirect',
]);
const INDEXED_TYPE_LIST = [...INDEXED_TYPES];

/** Nodes kept per tree; past it, searches that could reach beyond the last kept node walk the tree themselves. */
const MAX_INDEXED_NODES = 20_000;

interface NodeIndex {
  /** Named nodes of the indexed types, in document order (a node before its descendants). */
  readonly nodes: readonly Node[];
  /** Each node's type and span, read once: every read of a node's field is a call into tree-sitter. */
  readonly types: readonly string[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly truncated: boolean;
}

const indexes = new WeakMap<Tree, NodeIndex>();

function indexOf(tree: Tree): NodeIndex {
  let index = indexes.get(tree);
  if (!index) {
    const nodes: Node[] = [];
    let truncated = false;
    for (const node of tree.rootNode.descendantsOfType(INDEXED_TYPE_LIST)) {
      // A keyword token can share a node type's name (`def`); only named nodes are syntax.
      if (!node?.isNamed) continue;
      if (nodes.length >= MAX_INDEXED_NODES) {
        truncated = true;
        break;
      }
      nodes.push(node);
    }
    index = {
      nodes,
      types: nodes.map((node) => node.type),
      starts: Int32Array.from(nodes, (node) => node.startIndex),
      ends: Int32Array.from(nodes, (node) => node.endIndex),
      truncated,
    };
    indexes.set(tree, index);
  }
  return index;
}

/** First position in `starts` holding a value ≥ `offset`. */
function lowerBound(starts: Int32Array, offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] ?? 0) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether `node` is `root` or lies under it, when both have the same span (a wrapper and its only child). */
function underSameSpan(node: Node, root: Node, start: number, end: number): boolean {
  if (node.id === root.id) return true;
  for (let current = node.parent; current; current = current.parent) {
    if (current.id === root.id) return true;
    if (current.startIndex !== start || current.endIndex !== end) return false;
  }
  return false;
}

/**
 * The named nodes of the given types in `root`'s subtree (itself included), in document order, at
 * most `limit`; undefined when a type is not indexed or the index stopped short of what the
 * search could reach (the caller then asks tree-sitter itself).
 */
export function indexedNodes(root: Node, types: ReadonlySet<string>, limit: number): Node[] | undefined {
  for (const type of types) if (!INDEXED_TYPES.has(type)) return undefined;
  const index = indexOf(root.tree);
  const { nodes, starts, ends } = index;
  const start = root.startIndex;
  const end = root.endIndex;
  const found: Node[] = [];
  for (let at = lowerBound(starts, start); at < nodes.length; at++) {
    const nodeStart = starts[at] ?? 0;
    if (nodeStart > end) return found;
    const node = nodes[at];
    const nodeEnd = ends[at] ?? 0;
    if (!node || nodeEnd > end || !types.has(index.types[at] ?? '')) continue;
    if (nodeStart === start && nodeEnd === end && !underSameSpan(node, root, start, end)) continue;
    found.push(node);
    if (found.length >= limit) return found;
  }
  return index.truncated ? undefined : found;
}
