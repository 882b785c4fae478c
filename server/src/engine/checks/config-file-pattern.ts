import { globalRegex, mayMatch, satisfies } from '../matchers/regex-util';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CaptureConstraint } from '../rule-types';
import type { CheckOptions } from './index';

/**
 * A regex over the skill's configuration files only: files that are neither scripts nor Markdown
 * (`.env`, `.npmrc`, `pip.conf`, `.gitconfig`, `settings.json`, `.mcp.json`, YAML, TOML, INI,
 * Dockerfiles). Regex targets either cover code units (`code:*`), Markdown (`markdown:*`) or
 * every file (`file:any`); this check lets a rule grade a config file like code without also
 * firing on prose at the same severity.
 *
 * Options: `pattern` (required), `flags`, `where` (constraints on named groups, as in regex
 * matchers), `files` (a regex on the file path that further restricts the files). The pattern
 * must be linear-time safe like any rule regex: run `recheck` on it when editing the rule.
 */
const MAX_MATCHES_PER_FILE = 50;

export function configFilePattern(context: MatchContext, options: CheckOptions): RawFinding[] {
  const pattern = typeof options.pattern === 'string' ? options.pattern : undefined;
  if (!pattern) return [];
  const flags = typeof options.flags === 'string' ? options.flags : '';
  const files = typeof options.files === 'string' ? new RegExp(options.files) : undefined;
  const where = (typeof options.where === 'object' && options.where !== null ? options.where : {}) as Record<string, CaptureConstraint>;
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (file.kind !== 'other') continue;
    if (files && !files.test(file.path)) continue;
    if (Date.now() > context.deadline) break;
    // Configuration files include large JSON data files: the literals every match needs are
    // looked for before the pattern walks the whole text.
    if (!mayMatch(pattern, file.text, flags)) continue;
    const regex = globalRegex(pattern, flags);
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(file.text)) !== null) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const groups = match.groups ?? {};
      if (!Object.entries(where).every(([name, constraint]) => satisfies(groups[name] ?? '', constraint))) continue;
      const span = match.indices?.groups?.finding ?? match.indices?.[0] ?? [match.index, match.index + match[0].length];
      const captures: Record<string, string> = { match: match[0] };
      for (const [name, value] of Object.entries(groups)) if (value !== undefined) captures[name] = value;
      findings.push({ file: file.path, start: span[0], end: span[1], captures });
      if (++count >= MAX_MATCHES_PER_FILE) break;
    }
  }
  return findings;
}
