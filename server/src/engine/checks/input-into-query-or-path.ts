import type { Node } from 'web-tree-sitter';
import { findAll } from '../dataflow/walker';
import { treeFor } from '../matchers/tree-sitter-query';
import type { MatchContext, RawFinding } from '../matchers/types';
import { inertEdit, isStandaloneString } from '../dataflow/analysis';
import { keptUnitFindings } from '../result-memo';
import type { CodeUnit, SkillModel } from '../skill-model';
import type { CheckOptions } from './index';
import { firstLine } from './first-line';

/**
 * A Python function's parameter written by string formatting into an SQL statement that the
 * function executes (`conn.execute(f"SELECT … {user_id}")`), or joined into a file path that the
 * function opens with no containment check (`open(os.path.join(base, filename))`). Whatever calls
 * the function (the agent, with text from a web page or an email) chooses the query or the file.
 *
 * Medium on its own: this is a flaw, not an attack. High when the skill's description claims the
 * very safety the code lacks ("queries safely with parameterized statements", "reads files … with
 * validation"): a false claim is what a reviewer trusts instead of reading the code.
 *
 * Bounded: at most MAX_FUNCTIONS functions per unit, each walked once.
 */

const MAX_FUNCTIONS = 400;
const MAX_FINDINGS = 10;
const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_definition']);
const INNER_TYPES: ReadonlySet<string> = new Set(['call', 'assignment']);
/** Names this check's per-unit results in the result memo. */
const UNIT_RESULTS = {};

/** A string whose text starts an SQL statement once its prefix and quotes are off. */
const SQL_START = /^[rbfuRBFU]{0,2}(?:"""|'''|"|')\s*(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|DROP|CREATE|ALTER|TRUNCATE|MERGE|WITH|EXEC)\b/i;
/** Calls that run an SQL string. */
const SQL_RUN = /(?:^|\.)(?:execute|executemany|executescript|exec_driver_sql|raw|read_sql|read_sql_query|mogrify)$/;
/** Checks that keep a path inside its folder: any of them in the function counts. */
const CONTAINMENT = /\b(?:realpath|abspath|normpath|resolve|commonpath|commonprefix|is_relative_to|relative_to|startswith|secure_filename|basename|safe_join)\b|["']\.\.["']/;
/** Calls that open a file by path. */
const FILE_OPEN = /^(?:open|io\.open|codecs\.open|os\.open)$/;
/** The skill says its code is safe in exactly the way this check doubts. */
const SAFETY_CLAIM = /\b(?:safe(?:ly)?|secure(?:ly)?|parameteri[sz]ed(?:\s+(?:queries|statements|sql))?|prepared\s+statements?|saniti[sz](?:ed|es|ing)\s+(?:input|inputs|paths?|file\s*names?|queries)|(?:with|input|path)\s+validation|validat(?:ed|es|ing)\s+(?:input|inputs|paths?|file\s*names?)|injection[- ](?:safe|proof)|prevents?\s+(?:sql\s+)?injection|(?:prevents?|blocks?)\s+(?:path\s+)?traversal)\b/i;
const MAX_CLAIM_TEXT = 4_000;

type Kind = 'sql' | 'path';

export function inputIntoQueryOrPath(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    if (findings.length >= MAX_FINDINGS || Date.now() > context.deadline) break;
    if (unit.language !== 'python' || unit.origin !== 'script' || !/\bdef\s/.test(unit.text)) continue;
    if (!/\b(?:execute\w{0,6}|exec_driver_sql|raw|read_sql\w{0,6}|mogrify|open)\s*\(/.test(unit.text)) continue;
    findings.push(
      ...keptUnitFindings(
        context,
        unit,
        UNIT_RESULTS,
        '',
        () => {
          const tree = treeFor(unit, context);
          return tree ? unitFindings(unit, tree.rootNode) : [];
        },
        // Comments and docstrings are neither calls, assignments nor containment checks here, so
        // typing in one that stands among statements leaves the findings as they were, moved past
        // the keystroke.
        (previousText) => inertEdit(unit, previousText, context),
      ),
    );
  }
  if (findings.length === 0) return findings;
  const claimed = claimsSafety(context.model);
  return findings.slice(0, MAX_FINDINGS).map((finding) => (claimed ? { ...finding, severity: 'high', captures: { ...finding.captures, claim: `, although the skill says it works ${claimed}` } } : finding));
}

function unitFindings(unit: CodeUnit, root: Node): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const fn of findAll(root, FUNCTION_TYPES, MAX_FUNCTIONS)) {
    const params = parameterNames(fn);
    if (params.size === 0) continue;
    const body = fn.childForFieldName('body');
    if (!body) continue;
    // Names that hold a statement or a path built from a parameter, in the order they are assigned.
    const built = new Map<string, Kind>();
    const contained = containsCheck(body);
    for (const node of findAll(body, INNER_TYPES, 2_000)) {
      if (enclosingFunction(node)?.id !== fn.id) continue;
      if (node.type === 'assignment') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier' || !right) continue;
        const kind = builtFrom(right, params);
        if (kind) built.set(left.text, kind);
        else built.delete(left.text);
        continue;
      }
      const callee = node.childForFieldName('function')?.text ?? '';
      const first = node.childForFieldName('arguments')?.namedChildren.find((child): child is Node => child !== null && child.type !== 'comment');
      if (!first || first.type === 'keyword_argument') continue;
      const kind = first.type === 'identifier' ? built.get(first.text) : builtFrom(first, params);
      const sql = kind === 'sql' && SQL_RUN.test(callee);
      const path = kind === 'path' && !contained && (FILE_OPEN.test(callee) || /^(?:Path|pathlib\.Path)$/.test(callee));
      if (!sql && !path) continue;
      findings.push({
        file: unit.file.path,
        start: unit.start + node.startIndex,
        end: unit.start + node.endIndex,
        captures: {
          call: firstLine(node.text, 100),
          what: sql ? 'an SQL statement built from' : 'a file path built from',
          how: sql ? 'so whoever supplies it can rewrite the query' : 'and nothing keeps it in its folder, so `../` reaches any file',
          param: fn.childForFieldName('name')?.text ?? 'the function',
          claim: '',
        },
      });
      if (findings.length >= MAX_FINDINGS) return findings;
    }
  }
  return findings;
}

/**
 * Whether a function body checks where a path leads (one of {@link CONTAINMENT}'s words) outside
 * its comments and docstrings: "# TODO: realpath" and """Rejects '..' in names.""" keep nothing in
 * its folder.
 */
function containsCheck(body: Node): boolean {
  const text = body.text;
  CONTAINMENT_ALL.lastIndex = 0;
  for (let match = CONTAINMENT_ALL.exec(text); match; match = CONTAINMENT_ALL.exec(text)) {
    if (!isDocumentation(body.descendantForIndex(body.startIndex + match.index))) return true;
    if (match[0].length === 0) CONTAINMENT_ALL.lastIndex++;
  }
  return false;
}

/** A comment, or the text of a docstring (a string standing alone among statements). */
function isDocumentation(node: Node | null): boolean {
  if (node?.type === 'comment') return true;
  const string = node?.type === 'string_content' ? node.parent : node?.type === 'escape_sequence' ? node.parent?.parent : null;
  return string ? isStandaloneString(string) : false;
}

const CONTAINMENT_ALL = new RegExp(CONTAINMENT.source, 'g');

/** The names a function takes, `self` and `cls` aside. */
function parameterNames(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const param of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!param) continue;
    const name = param.type === 'identifier' ? param : (param.childForFieldName('name') ?? param.namedChildren.find((child) => child?.type === 'identifier'));
    if (name && name.type === 'identifier' && name.text !== 'self' && name.text !== 'cls') names.add(name.text);
  }
  return names;
}

/** Whether an expression is an SQL statement or a path that formats one of `params` into itself. */
function builtFrom(expression: Node, params: ReadonlySet<string>): Kind | undefined {
  const uses = (node: Node): boolean => identifiersIn(node).some((name) => params.has(name));
  if (expression.type === 'string') {
    const interpolated = expression.namedChildren.filter((child): child is Node => child?.type === 'interpolation');
    if (interpolated.length === 0 || !interpolated.some(uses)) return undefined;
    if (SQL_START.test(expression.text)) return 'sql';
    return /^[rbfuRBFU]{0,2}["']{1,3}(?:\/|~\/|[A-Za-z]:\\)/.test(expression.text) ? 'path' : undefined;
  }
  if (expression.type === 'binary_operator') {
    const left = expression.childForFieldName('left');
    const operator = expression.childForFieldName('operator')?.text;
    if (!left || (operator !== '%' && operator !== '+')) return undefined;
    const sqlText = left.type === 'string' ? left : left.type === 'binary_operator' ? left.childForFieldName('left') : null;
    return sqlText?.type === 'string' && SQL_START.test(sqlText.text) && uses(expression) ? 'sql' : undefined;
  }
  if (expression.type === 'call') {
    const callee = expression.childForFieldName('function');
    const args = expression.childForFieldName('arguments');
    if (!callee || !args) return undefined;
    // "SELECT … {}".format(user_id)
    if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'format') {
      const object = callee.childForFieldName('object');
      return object?.type === 'string' && SQL_START.test(object.text) && uses(args) ? 'sql' : undefined;
    }
    // os.path.join(base, filename): a parameter joined after the first part.
    if (/^(?:os\.path\.join|path\.join|posixpath\.join)$/.test(callee.text)) {
      const parts = args.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
      return parts.slice(1).some(uses) ? 'path' : undefined;
    }
  }
  return undefined;
}

function identifiersIn(node: Node): string[] {
  if (node.type === 'identifier') return [node.text];
  return node.descendantsOfType('identifier').flatMap((child) => (child ? [child.text] : []));
}

function enclosingFunction(node: Node): Node | null {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'function_definition' || current.type === 'lambda') return current;
  return null;
}

/** The safety the skill's description claims for its code, quoted, if any. */
function claimsSafety(model: SkillModel): string | undefined {
  const description = model.skillMd?.frontmatter?.fields.get('description')?.value;
  if (typeof description !== 'string') return undefined;
  const claim = SAFETY_CLAIM.exec(description.slice(0, MAX_CLAIM_TEXT));
  return claim ? `"${claim[0]}"` : undefined;
}
