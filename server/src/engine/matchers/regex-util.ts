import { prefilterOfSets, speedPrefilter, type RegexPrefilter } from '../regex-prefilter';
import type { CaptureConstraint } from '../rule-types';
import { unwrapCommand } from '../shell-wrappers';

interface CompiledRegex {
  readonly regex: RegExp;
  /** Absent when the pattern yields no literal set worth testing first. */
  readonly prefilter: RegexPrefilter | undefined;
}

const globalCache = new Map<string, Map<string, CompiledRegex>>();
const testCache = new Map<string, Map<string, CompiledRegex>>();
/** Prefilter literal sets derived when the rules were compiled, by flags, NUL, pattern (null: none). */
const compiledPrefilters = new Map<string, readonly (readonly string[])[] | null>();

/**
 * Takes the prefilters compiled into rules.json, so that a pattern's first run does not derive
 * its prefilter again. Patterns not in the table (those checks build at run time) still derive theirs.
 */
export function useCompiledPrefilters(table: Readonly<Record<string, readonly (readonly string[])[] | null>>): void {
  for (const [key, sets] of Object.entries(table)) compiledPrefilters.set(key, sets);
}

function prefilterFor(pattern: string, flags: string): RegexPrefilter | undefined {
  const compiled = compiledPrefilters.get(`${flags}\u0000${pattern}`);
  return compiled === undefined ? speedPrefilter(pattern, flags) : prefilterOfSets(compiled ?? undefined, flags);
}

function cached(cache: Map<string, Map<string, CompiledRegex>>, pattern: string, flags: string, build: () => RegExp): CompiledRegex {
  // Two-level map: hashing the (often long) pattern once per call is the cost we can't avoid,
  // but we avoid building a combined key string on every call.
  let byFlags = cache.get(pattern);
  if (!byFlags) {
    byFlags = new Map();
    cache.set(pattern, byFlags);
  }
  let compiled = byFlags.get(flags);
  if (!compiled) {
    compiled = { regex: build(), prefilter: prefilterFor(pattern, flags) };
    byFlags.set(flags, compiled);
  }
  return compiled;
}

function compiledGlobal(pattern: string, flags: string): CompiledRegex {
  return cached(globalCache, pattern, flags, () => {
    const wanted = new Set(`${flags}g${pattern.includes('(?<finding>') ? 'd' : ''}`);
    return new RegExp(pattern, [...wanted].join(''));
  });
}

/**
 * Compiles once per (pattern, flags); always global so that exec() walks every match. The `d`
 * flag (match indices) costs time on every match, so it is only added when the pattern has a
 * `finding` group whose range must be reported.
 */
export function globalRegex(pattern: string, flags = ''): RegExp {
  const { regex } = compiledGlobal(pattern, flags);
  regex.lastIndex = 0;
  return regex;
}

/**
 * False when `text` lacks every literal that any match of the pattern must contain, so running
 * the regex over it would find nothing. True means "run it and see".
 */
export function mayMatch(pattern: string, text: string, flags = ''): boolean {
  const { prefilter } = compiledGlobal(pattern, flags);
  return prefilter === undefined || prefilter.mayMatch(text);
}

export function testRegex(pattern: string, text: string, flags = ''): boolean {
  const { regex, prefilter } = cached(testCache, pattern, flags, () => new RegExp(pattern, flags.replace(/[gyd]/g, '')));
  if (prefilter && !prefilter.mayMatch(text)) return false;
  return regex.test(text);
}

export function satisfies(text: string, constraint: CaptureConstraint | undefined): boolean {
  if (!constraint) return true;
  const flags = constraint.flags ?? '';
  if (constraint.unwrap === true) text = unwrapCommand(text);
  if (constraint.regex !== undefined && !testRegex(constraint.regex, text, flags)) return false;
  if (constraint.notRegex !== undefined && testRegex(constraint.notRegex, text, flags)) return false;
  return true;
}

/** `text` as a pattern that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
