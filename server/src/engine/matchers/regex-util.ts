import type { CaptureConstraint } from '../rule-types';

const globalCache = new Map<string, Map<string, RegExp>>();
const testCache = new Map<string, Map<string, RegExp>>();

function cached(cache: Map<string, Map<string, RegExp>>, pattern: string, flags: string, build: () => RegExp): RegExp {
  // Two-level map: hashing the (often long) pattern once per call is the cost we can't avoid,
  // but we avoid building a combined key string on every call.
  let byFlags = cache.get(pattern);
  if (!byFlags) {
    byFlags = new Map();
    cache.set(pattern, byFlags);
  }
  let regex = byFlags.get(flags);
  if (!regex) {
    regex = build();
    byFlags.set(flags, regex);
  }
  return regex;
}

/**
 * Compiles once per (pattern, flags); always global so that exec() walks every match. The `d`
 * flag (match indices) costs time on every match, so it is only added when the pattern has a
 * `finding` group whose range must be reported.
 */
export function globalRegex(pattern: string, flags = ''): RegExp {
  const regex = cached(globalCache, pattern, flags, () => {
    const wanted = new Set(`${flags}g${pattern.includes('(?<finding>') ? 'd' : ''}`);
    return new RegExp(pattern, [...wanted].join(''));
  });
  regex.lastIndex = 0;
  return regex;
}

export function testRegex(pattern: string, text: string, flags = ''): boolean {
  return cached(testCache, pattern, flags, () => new RegExp(pattern, flags.replace(/[gyd]/g, ''))).test(text);
}

export function satisfies(text: string, constraint: CaptureConstraint | undefined): boolean {
  if (!constraint) return true;
  const flags = constraint.flags ?? '';
  if (constraint.regex !== undefined && !testRegex(constraint.regex, text, flags)) return false;
  if (constraint.notRegex !== undefined && testRegex(constraint.notRegex, text, flags)) return false;
  return true;
}
