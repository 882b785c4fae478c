import type { MatchContext, RawFinding } from '../matchers/types';
import { grantAllowsCommand, type Grant } from '../permissions/allowed-tools-grammar';
import { breadthOf } from '../permissions/breadth';
import { isTrivialCommand } from '../permissions/needed-commands';
import { narrowestGrants, narrowingFix } from '../permissions/narrowing';
import { commandsOfSkill, grantsOfSkill } from '../permissions/skill-permissions';
import type { CheckOptions } from './index';

export { parseGrants, type Grant } from '../permissions/allowed-tools-grammar';
export { breadthOf, type Breadth } from '../permissions/breadth';

const MAX_FIXES = 10;

/**
 * Reports grants of the breadths listed in `options.breadths` (default: all) at the grant's exact
 * range inside the field. A broad `Bash` grant comes with a fix that rewrites it to the narrowest
 * grants covering the commands SKILL.md runs, when those are known.
 */
export function allowedToolsBreadth(context: MatchContext, options: CheckOptions): RawFinding[] {
  const skill = grantsOfSkill(context.model);
  if (!skill) return [];
  const wanted = Array.isArray(options.breadths) ? new Set(options.breadths as string[]) : undefined;
  const verdicts = skill.parsed.grants.map((grant) => ({ grant, verdict: breadthOf(grant) }));
  const narrow = verdicts.filter((entry) => entry.verdict === undefined).map((entry) => entry.grant);
  const findings: RawFinding[] = [];
  for (const { grant, verdict } of verdicts) {
    if (!verdict || (wanted && !wanted.has(verdict.breadth))) continue;
    // Each fix re-parses the frontmatter to check itself: only the first few findings get one.
    const fix = grant.kind === 'bash' && findings.length < MAX_FIXES ? fixFor(context, grant, narrow) : undefined;
    findings.push({
      file: skill.skillMd.path,
      start: grant.start,
      end: grant.end,
      captures: { grant: grant.text, why: verdict.why, tool: grant.tool },
      ...(fix ? { fix } : {}),
    });
  }
  return findings;
}

/**
 * The commands this grant alone lets through (no narrow grant covers them) become narrow grants
 * in its place. No fix when there are none, since removing a grant is a judgement for the author.
 */
function fixFor(context: MatchContext, grant: Grant, narrow: readonly Grant[]): ReturnType<typeof narrowingFix> {
  const skill = grantsOfSkill(context.model);
  if (!skill) return undefined;
  const commands = commandsOfSkill(context.model, 'skill-md', context.memo).filter(
    (command) => !isTrivialCommand(command) && grantAllowsCommand(grant, command.text) && !narrow.some((other) => grantAllowsCommand(other, command.text)),
  );
  if (commands.length === 0) return undefined;
  const replacement = narrowestGrants(commands);
  return replacement ? narrowingFix(skill.skillMd, skill.parsed, grant, replacement) : undefined;
}
