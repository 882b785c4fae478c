import { satisfies, testRegex } from '../matchers/regex-util';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CaptureConstraint } from '../rule-types';
import type { CheckOptions } from './index';

/**
 * Tests the URLs of Markdown links of the given kinds (`image`, `link`, `autolink`) against a
 * regex. The `markdown:link-url` regex target cannot tell an image from a link, and an image is
 * fetched by the renderer without a click, which is what makes it an exfiltration channel.
 *
 * Options: `kinds` (default all), `pattern` (required; anchor it with `^`, it runs once per URL),
 * `flags`, `where` (constraints on named groups). The finding covers the URL, or the `finding`
 * group when the pattern has one.
 */
const MAX_FINDINGS = 50;

export function markdownLinkPattern(context: MatchContext, options: CheckOptions): RawFinding[] {
  const pattern = typeof options.pattern === 'string' ? options.pattern : undefined;
  if (!pattern) return [];
  const flags = typeof options.flags === 'string' ? options.flags.replace(/[gyd]/g, '') : '';
  const kinds = Array.isArray(options.kinds) ? new Set(options.kinds as string[]) : undefined;
  const where = (typeof options.where === 'object' && options.where !== null ? options.where : {}) as Record<string, CaptureConstraint>;
  const regex = new RegExp(pattern, `${flags}d`);
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (!file.markdown) continue;
    if (Date.now() > context.deadline) break;
    for (const link of file.markdown.links) {
      if (kinds && !kinds.has(link.kind)) continue;
      if (!testRegex(pattern, link.url, flags)) continue;
      const match = regex.exec(link.url);
      if (!match) continue;
      const groups = match.groups ?? {};
      if (!Object.entries(where).every(([name, constraint]) => satisfies(groups[name] ?? '', constraint))) continue;
      const span = match.indices?.groups?.finding ?? [0, link.url.length];
      const captures: Record<string, string> = { match: match[0], url: link.url, kind: link.kind };
      for (const [name, value] of Object.entries(groups)) if (value !== undefined) captures[name] = value;
      findings.push({ file: file.path, start: link.urlStart + span[0], end: link.urlStart + span[1], captures });
      if (findings.length >= MAX_FINDINGS) return findings;
    }
  }
  return findings;
}
