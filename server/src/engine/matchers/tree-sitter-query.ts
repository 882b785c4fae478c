import type { Node, Tree } from 'web-tree-sitter';
import type { TreeLanguage } from '../parsers';
import type { TreeSitterMatcher } from '../rule-types';
import type { CodeUnit } from '../skill-model';
import { satisfies, testRegex } from './regex-util';
import type { MatchContext, RawFinding } from './types';

const MAX_MATCHES_PER_UNIT = 50;

export function unitTreeLanguage(unit: CodeUnit): TreeLanguage | undefined {
  switch (unit.language) {
    case 'python':
    case 'bash':
    case 'javascript':
    case 'typescript':
      return unit.language;
    default:
      return undefined;
  }
}

/** Parses a unit once per scan; `null` in the cache records a parse that failed or timed out. */
export function treeFor(unit: CodeUnit, context: MatchContext): Tree | undefined {
  const cached = context.cache.trees.get(unit);
  if (cached !== undefined) return cached ?? undefined;
  const language = unitTreeLanguage(unit);
  const tree = language ? context.trees.parse(language, unit.text, context.deadline) : undefined;
  context.cache.trees.set(unit, tree ?? null);
  return tree;
}

export function runTreeSitterMatcher(matcher: TreeSitterMatcher, context: MatchContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    const language = unitTreeLanguage(unit);
    if (!language || !matcher.languages.includes(language)) continue;
    if (matcher.origins && !matcher.origins.includes(unit.origin)) continue;
    if (!testRegex(matcher.trigger, unit.text)) continue;
    if (Date.now() > context.deadline) break;
    const tree = treeFor(unit, context);
    if (!tree) continue;
    const query = context.trees.query(language, matcher.query);
    let count = 0;
    for (const match of query.matches(tree.rootNode)) {
      const captures: Record<string, string> = {};
      const nodes = new Map<string, Node>();
      for (const capture of match.captures) {
        if (!nodes.has(capture.name)) {
          nodes.set(capture.name, capture.node);
          captures[capture.name] = capture.node.text;
        }
      }
      if (!whereHolds(matcher, captures)) continue;
      const reported = nodes.get(matcher.report ?? 'finding') ?? match.captures[0]?.node;
      if (!reported) continue;
      findings.push({
        file: unit.file.path,
        start: unit.start + reported.startIndex,
        end: unit.start + reported.endIndex,
        captures: { match: reported.text, ...captures },
      });
      if (++count >= MAX_MATCHES_PER_UNIT) break;
    }
  }
  return findings;
}

function whereHolds(matcher: TreeSitterMatcher, captures: Record<string, string>): boolean {
  if (!matcher.where) return true;
  for (const [name, constraint] of Object.entries(matcher.where)) {
    if (!satisfies(captures[name] ?? '', constraint)) return false;
  }
  return true;
}
