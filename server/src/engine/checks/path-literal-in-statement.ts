import type { Node } from 'web-tree-sitter';
import type { TreeLanguage } from '../parsers';
import { testRegex } from '../matchers/regex-util';
import { treeFor, unitTreeLanguage } from '../matchers/tree-sitter-query';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';
import { keptUnitFindings, type MovableFinding } from '../result-memo';
import { SEVERITIES, type Severity } from '../types';
import { codeReachesNetwork } from '../network-reach';

const LITERAL_QUERIES: Readonly<Record<TreeLanguage, string | undefined>> = {
  python: '(string) @literal',
  javascript: '[(string) (template_string)] @literal',
  typescript: '[(string) (template_string)] @literal',
  bash: undefined,
  powershell: undefined,
};

/** Node types that end the walk up from a literal: the statement that uses it. */
const STATEMENT = /(_statement|^lexical_declaration|^variable_declaration)$/;
const MAX_ANCESTORS = 25;
const MAX_STATEMENT_CHARS = 4_000;
const MAX_FINDINGS_PER_UNIT = 50;
/** A literal with regex syntax (`\\b`, `(?:`, `[^`, `\\s+`) is a pattern a scanner searches for, not a path. */
const REGEX_LITERAL = /\\b|\(\?[:=!<]|\[\^|\\[sdwSDW][*+?{]/;

/**
 * Finds string literals (Python strings, JS/TS strings and template literals) whose text matches
 * `options.path`, and judges each one by the statement it sits in rather than by itself, because
 * paths are usually assembled from parts: in `Path.home() / '.ssh' / 'id_rsa.pub'` the literal
 * `'.ssh'` alone says nothing, the statement says "public key".
 *
 * Options (all regex sources):
 * - `trigger`: cheap pre-filter on the unit text (required).
 * - `path`: the literal's text (quotes included) must match.
 * - `notPath`: the literal's text must not match.
 * - `statement` / `notStatement`: the enclosing statement's text must (not) match.
 * - `notCallee`: drop literals passed straight to a call whose function text matches (print, logging).
 * - `languages`: subset of python, javascript, typescript (default: all three).
 * - `ownStoreSeverity`: the severity when the skill is named after the store it reads (`.kube` in
 *   `kube-context-list`) and no code of the skill can send anything anywhere: the read is the
 *   skill's stated job and nothing it does can move what it read.
 *
 * Docstrings and other bare expression-statement literals are never reported, nor are literals
 * written in regular-expression syntax (a scanner's search pattern mentions paths it never opens).
 */
export function pathLiteralInStatement(context: MatchContext, options: CheckOptions): RawFinding[] {
  const trigger = stringOption(options.trigger);
  const path = stringOption(options.path);
  if (!trigger || !path) throw new Error(`rule ${context.rule.id}: path-literal-in-statement needs trigger and path`);
  const notPath = stringOption(options.notPath);
  const statement = stringOption(options.statement);
  const notStatement = stringOption(options.notStatement);
  const notCallee = stringOption(options.notCallee);
  const languages = Array.isArray(options.languages) ? (options.languages as string[]) : ['python', 'javascript', 'typescript'];
  const ownStoreSeverity = severityOption(options.ownStoreSeverity);

  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    const language = unitTreeLanguage(unit);
    const source = language ? LITERAL_QUERIES[language] : undefined;
    if (!language || !source || !languages.includes(language)) continue;
    if (Date.now() > context.deadline) break;
    findings.push(...keptUnitFindings(context, unit, options, '', () => {
      if (!testRegex(trigger, unit.text)) return [];
      const tree = treeFor(unit, context);
      if (!tree) return [];
      const found: MovableFinding[] = [];
      for (const capture of context.trees.query(language, source).captures(tree.rootNode)) {
        const literal = capture.node;
        const text = literal.text;
        if (!testRegex(path, text) || (notPath !== undefined && testRegex(notPath, text))) continue;
        if (REGEX_LITERAL.test(text)) continue;
        const parent = literal.parent;
        if (!parent || parent.type === 'expression_statement' || parent.type === 'template_substitution') continue;
        if (notCallee !== undefined && calleeMatches(parent, notCallee)) continue;
        if (statement !== undefined || notStatement !== undefined) {
          const enclosing = statementHead(enclosingStatement(literal));
          if (statement !== undefined && !testRegex(statement, enclosing)) continue;
          if (notStatement !== undefined && testRegex(notStatement, enclosing)) continue;
        }
        found.push({ file: unit.file.path, start: unit.start + literal.startIndex, end: unit.start + literal.endIndex, captures: { path: text, match: text } });
        if (found.length >= MAX_FINDINGS_PER_UNIT) break;
      }
      return found;
    }));
  }
  if (ownStoreSeverity && findings.length > 0) return ownStoreLowered(context, findings, ownStoreSeverity);
  return findings;
}

function severityOption(value: unknown): Severity | undefined {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : undefined;
}

/** `'.kube'`, `".aws/config"` → `kube`, `aws`: the store's own word. */
const STORE_WORD = /(?:^|[^\w])\.?([a-z]{3,12})(?=[/\\'"`]|$)/i;

function ownStoreLowered(context: MatchContext, findings: RawFinding[], severity: Severity): RawFinding[] {
  const model = context.model;
  const name = model.skillMd?.frontmatter?.fields.get('name')?.value;
  const words = (typeof name === 'string' ? name : model.bundle.dirName).toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length >= 3);
  if (words.length === 0 || codeReachesNetwork(model)) return findings;
  return findings.map((finding) => {
    const store = STORE_WORD.exec(finding.captures?.['path'] ?? '')?.[1]?.toLowerCase();
    return store !== undefined && words.some((word) => word.startsWith(store)) ? { ...finding, severity } : finding;
  });
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** True when the literal is a direct argument of a call whose function text matches `pattern`. */
function calleeMatches(parent: Node, pattern: string): boolean {
  if (parent.type !== 'argument_list' && parent.type !== 'arguments') return false;
  const call = parent.parent;
  const callee = call?.childForFieldName('function');
  return callee ? testRegex(pattern, callee.text) : false;
}

/** The statement's text; for a compound statement (for, if, with, while) only its header. */
function statementHead(node: Node): string {
  const body = node.childForFieldName('body') ?? node.childForFieldName('consequence');
  const end = body && body.startIndex > node.startIndex ? body.startIndex : node.endIndex;
  return node.text.slice(0, Math.min(end - node.startIndex, MAX_STATEMENT_CHARS));
}

function enclosingStatement(node: Node): Node {
  let current = node;
  for (let i = 0; i < MAX_ANCESTORS; i++) {
    const parent = current.parent;
    if (!parent || parent.type === 'module' || parent.type === 'program' || parent.type === 'block' || parent.type === 'statement_block') {
      return current;
    }
    if (STATEMENT.test(parent.type)) return parent;
    current = parent;
  }
  return current;
}
