import { fieldText } from '../frontmatter';
import type { FrontmatterFieldMatcher } from '../rule-types';
import { testRegex } from './regex-util';
import type { MatchContext, RawFinding } from './types';

/** Checks one frontmatter field against declarative constraints; reports at the value (or key). */
export function runFrontmatterFieldMatcher(matcher: FrontmatterFieldMatcher, context: MatchContext): RawFinding[] {
  const skillMd = context.model.skillMd;
  const frontmatter = skillMd?.frontmatter;
  // Structural problems (no frontmatter, unterminated, not a mapping) are their own rule's job.
  if (!skillMd || !frontmatter?.present || !frontmatter.closed || !frontmatter.isMapping) return [];
  const field = frontmatter.fields.get(matcher.field);
  if (!field) {
    if (!matcher.required) return [];
    const openEnd = frontmatter.contentStart;
    return [{ file: skillMd.path, start: Math.max(0, openEnd - 4), end: Math.max(0, openEnd - 1), captures: { field: matcher.field, problem: 'missing' } }];
  }
  const at = (problem: string, extra: Record<string, string> = {}): RawFinding[] => [
    {
      file: skillMd.path,
      start: field.valueEnd > field.valueStart ? field.valueStart : field.keyStart,
      end: field.valueEnd > field.valueStart ? field.valueEnd : field.keyEnd,
      captures: { field: matcher.field, problem, value: fieldText(field), ...extra },
    },
  ];
  const value = field.value;
  if (matcher.type !== undefined && !typeMatches(matcher.type, value)) return at(`not a ${matcher.type}`);
  const text = fieldText(field);
  const length = [...text].length;
  if (matcher.minLength !== undefined && length < matcher.minLength) return at('too short', { length: String(length) });
  if (matcher.maxLength !== undefined && length > matcher.maxLength) return at('too long', { length: String(length) });
  if (matcher.pattern !== undefined && !testRegex(matcher.pattern, text, matcher.flags ?? '')) return at('invalid');
  if (matcher.forbiddenPattern !== undefined && testRegex(matcher.forbiddenPattern, text, matcher.flags ?? '')) return at('forbidden');
  return [];
}

function typeMatches(type: NonNullable<FrontmatterFieldMatcher['type']>, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'list':
      return Array.isArray(value);
    case 'mapping':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string-or-list':
      return typeof value === 'string' || Array.isArray(value);
  }
}
