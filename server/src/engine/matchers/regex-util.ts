import type { CaptureConstraint } from '../rule-types';

const compiled = new Map<string, RegExp>();

/** Compiles once per (pattern, flags); always global so that exec() walks every match. */
export function globalRegex(pattern: string, flags = ''): RegExp {
  const allFlags = [...new Set(`${flags}gd`.split(''))].join('');
  const key = `${allFlags}\u0000${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    regex = new RegExp(pattern, allFlags);
    compiled.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

export function testRegex(pattern: string, text: string, flags = ''): boolean {
  const key = `${flags}\u0000${pattern}\u0000test`;
  let regex = compiled.get(key);
  if (!regex) {
    regex = new RegExp(pattern, flags.replace(/[gy]/g, ''));
    compiled.set(key, regex);
  }
  return regex.test(text);
}

export function satisfies(text: string, constraint: CaptureConstraint | undefined): boolean {
  if (!constraint) return true;
  const flags = constraint.flags ?? '';
  if (constraint.regex !== undefined && !testRegex(constraint.regex, text, flags)) return false;
  if (constraint.notRegex !== undefined && testRegex(constraint.notRegex, text, flags)) return false;
  return true;
}
