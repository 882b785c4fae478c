import { escapeRegExp } from './matchers/regex-util';

/** Reserved documentation domains (`example.com`, `*.test`) name no real service. */
const RESERVED_LABEL = /^(?:example|test|invalid|localhost)$/;

/**
 * The label that names a host's service: the registrable label ("stripe" in api.stripe.com), not
 * generic subdomains such as "analytics". Undefined for reserved documentation domains and for
 * labels too short to be told apart from ordinary words.
 */
export function serviceLabel(host: string): string | undefined {
  const parts = host.toLowerCase().split('.');
  const label = parts.length >= 2 ? parts[parts.length - 2] ?? '' : parts[0] ?? '';
  return label.length >= 4 && !RESERVED_LABEL.test(label) ? label : undefined;
}

/** A service label's brand without a generic suffix: `elluciancloud` → `ellucian`, `datadoghq` → `datadog`. */
export function serviceStem(label: string): string | undefined {
  const stem = /^([a-z0-9]{4,}?)-?(?:cloud|hq|apps?|apis?|online|web|hub|services|platform|cdn)$/.exec(label)?.[1];
  return stem !== undefined && !RESERVED_LABEL.test(stem) ? stem : undefined;
}

/**
 * A pattern for any of `names` as a whole word, not glued to letters, digits, `_` or `-`:
 * "academic-collab" is not the service of a skill about "academic collaboration".
 */
export function wholeWordsPattern(names: readonly string[], flags = ''): RegExp {
  return new RegExp(names.map((name) => `(?<![\\w-])${escapeRegExp(name)}(?![\\w-])`).join('|'), flags);
}
