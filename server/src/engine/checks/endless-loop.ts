import type { Node } from 'web-tree-sitter';
import { findAll } from '../dataflow/walker';
import { treeFor } from '../matchers/tree-sitter-query';
import type { MatchContext, RawFinding } from '../matchers/types';
import { keptUnitFindings } from '../result-memo';
import type { CodeUnit } from '../skill-model';
import type { CheckOptions } from './index';

/**
 * A Python `while True:` (or `while 1:`) loop that nothing can end: its body has no `break`,
 * `return`, `raise`, exit, exception handler or call that waits (`sleep`, `await`, `input`,
 * `recv`, `accept`, a queue's `get`, …), and no `try` around it inside its function catches what
 * a call in it might raise (`try: while True: img.seek(n) … except EOFError` ends that way). Such a
 * loop spins a core until the process is killed, and the agent waits for it.
 */

const MAX_LOOPS = 200;
const LOOP_TYPES: ReadonlySet<string> = new Set(['while_statement']);
/** Words in a loop body that can end it or make it wait. */
const WAY_OUT = /\b(?:break|return|raise|exit|_exit|sleep|wait|wait_for|await|yield|input|recv|recvfrom|recv_into|accept|get|get_nowait|select|poll|join|read|readline|readlines|serve_forever|run_forever|run_until_complete|listen|next|send|put|pop|popleft|except|continue)\b/;
/** A loop that forks is the fork-bomb matcher's finding. */
const FORKS = /\b(?:fork|forkpty)\s*\(/;
const UNIT_RESULTS = {};

export function endlessLoop(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    if (Date.now() > context.deadline) break;
    if (unit.language !== 'python' || !/\bwhile[ \t]+(?:True|1)[ \t]*:/.test(unit.text)) continue;
    findings.push(
      ...keptUnitFindings(context, unit, UNIT_RESULTS, '', () => {
        const tree = treeFor(unit, context);
        return tree ? loopsIn(unit, tree.rootNode) : [];
      }),
    );
  }
  return findings;
}

function loopsIn(unit: CodeUnit, root: Node): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const loop of findAll(root, LOOP_TYPES, MAX_LOOPS)) {
    const condition = loop.childForFieldName('condition')?.text;
    const body = loop.childForFieldName('body');
    if ((condition !== 'True' && condition !== '1') || !body || WAY_OUT.test(body.text) || FORKS.test(body.text) || insideTry(loop)) continue;
    findings.push({ file: unit.file.path, start: unit.start + loop.startIndex, end: unit.start + loop.startIndex + 'while'.length, captures: { finding: `while ${condition}:` } });
  }
  return findings;
}

/** Whether a `try` statement inside the same function wraps the loop. */
function insideTry(loop: Node): boolean {
  for (let current = loop.parent; current; current = current.parent) {
    if (current.type === 'try_statement') return true;
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'module') return false;
  }
  return false;
}
