import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/** The six keys of the open specification (agentskills.io). */
export const SPEC_KEYS = new Set(['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools']);

/** Keys documented by Claude Code (and VS Code / Copilot) on top of the specification. */
export const EXTENSION_KEYS = new Set([
  'when_to_use', 'argument-hint', 'arguments', 'disable-model-invocation', 'user-invocable', 'user-invokable',
  'disallowed-tools', 'model', 'effort', 'context', 'agent', 'background', 'hooks', 'paths', 'shell', 'version',
]);

const ALL_KEYS = [...SPEC_KEYS, ...EXTENSION_KEYS];

function normalise(key: string): string {
  return key.toLowerCase().replace(/[_\s]+/g, '-').replace(/([a-z])([A-Z])/g, '$1-$2');
}

/** `allowedTools` → `allowed-tools`, `user_invocable` → `user-invocable`, `descripton` → `description`. */
export function suggestKey(key: string): string | undefined {
  const camel = key.replace(/([a-z0-9])([A-Z])/g, '$1-$2');
  const wanted = normalise(camel);
  for (const known of ALL_KEYS) if (normalise(known) === wanted && known !== key) return known;
  for (const known of ALL_KEYS) if (Math.abs(known.length - key.length) <= 2 && editDistance(known, key.toLowerCase(), 2) <= 2) return known;
  return undefined;
}

/** Bounded Levenshtein distance (stops early once above `max`). */
function editDistance(a: string, b: string, max: number): number {
  if (a.length > 40 || b.length > 40) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

/**
 * Frontmatter keys outside the specification. Options: `kind` — `extension` (documented client
 * keys, which the reference validators and claude.ai uploads still reject) or `unknown` (keys no
 * client documents; a fix renames likely typos).
 */
export function unknownFrontmatterKey(context: MatchContext, options: CheckOptions): RawFinding[] {
  const skillMd = context.model.skillMd;
  const frontmatter = skillMd?.frontmatter;
  if (!skillMd || !frontmatter?.present || !frontmatter.closed) return [];
  const kind = options.kind === 'extension' ? 'extension' : 'unknown';
  const findings: RawFinding[] = [];
  for (const field of frontmatter.fields.values()) {
    if (SPEC_KEYS.has(field.key)) continue;
    const isExtension = EXTENSION_KEYS.has(field.key);
    if ((kind === 'extension') !== isExtension) continue;
    const suggestion = isExtension ? undefined : suggestKey(field.key);
    findings.push({
      file: skillMd.path,
      start: field.keyStart,
      end: field.keyEnd,
      captures: { field: field.key },
      ...(suggestion
        ? {
            message: `The frontmatter key \`${field.key}\` is not in the specification or any documented client extension; did you mean \`${suggestion}\`? As written, clients ignore it and the reference validators reject it.`,
          }
        : {}),
      ...(suggestion && !frontmatter.fields.has(suggestion)
        ? { fix: { title: `Rename \`${field.key}\` to \`${suggestion}\``, edits: [{ file: skillMd.path, span: skillMd.lines.span(field.keyStart, field.keyEnd), newText: suggestion }] } }
        : {}),
    });
  }
  return findings;
}

/** `metadata` must be a map of string keys to string values (the spec); numbers and nested maps are not. */
export function metadataStringMap(context: MatchContext): RawFinding[] {
  const skillMd = context.model.skillMd;
  const field = skillMd?.frontmatter?.fields.get('metadata');
  if (!skillMd || !field) return [];
  const value = field.value;
  let end = field.valueEnd;
  while (end > field.valueStart && /\s/.test(skillMd.text[end - 1] as string)) end--;
  const at = (problem: string): RawFinding[] => [
    { file: skillMd.path, start: end > field.valueStart ? field.valueStart : field.keyStart, end: end > field.valueStart ? end : field.keyEnd, captures: { problem } },
  ];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return at('is not a map');
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') return at(`has a non-string value for \`${key}\` (${Array.isArray(item) ? 'a list' : item === null ? 'empty' : typeof item === 'object' ? 'a map' : typeof item})`);
  }
  return [];
}
