/**
 * JSON with sorted keys. Two uses: the diff-friendly files Skill Sentinel writes (lock, baseline),
 * whose bytes must not depend on the order things were computed in; and the exact text a lock
 * signature covers, which must be the same on every machine that checks it.
 */

import { escapeHiddenInJson } from '../display-text';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Compact canonical form: keys sorted by UTF-16 code units at every level, no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0));
}

/**
 * Pretty form for files people review: two-space indent, sorted keys, trailing newline. Names and
 * frontmatter values come from skills, so C1, bidirectional and invisible characters are written
 * as `\uXXXX` escapes: the same data, but a reviewer reading a diff sees them.
 */
export function stableJson(value: unknown): string {
  return `${escapeHiddenInJson(JSON.stringify(sortKeys(value, 0), null, 2))}\n`;
}

/** Deeper than any document we write; guards against a hostile file nested a million levels. */
const MAX_DEPTH = 64;

function sortKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new Error(`JSON nested more than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item: unknown) => sortKeys(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort(compareCodeUnits)
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key], depth + 1)] as const)
      .filter(([, item]) => item !== undefined);
    // fromEntries defines own properties, so a `__proto__` key stays data instead of a prototype.
    return Object.fromEntries(entries);
  }
  return value;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Converts a value parsed from YAML (frontmatter) into plain JSON: non-finite numbers and other
 * non-JSON scalars become strings, so the value survives a JSON round trip unchanged.
 */
export function toJsonValue(value: unknown, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) return '…';
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value)) return value.map((item: unknown) => toJsonValue(item, depth + 1));
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), toJsonValue(item, depth + 1)] as const));
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonValue(item, depth + 1)] as const));
  }
  return String(value);
}
