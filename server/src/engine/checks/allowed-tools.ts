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
  const compute = (): ReturnType<typeof narrowingFix> => {
    const replacement = narrowestGrants(commands);
    return replacement ? narrowingFix(skill.skillMd, skill.parsed, grant, replacement) : undefined;
  };
  const frontmatter = skill.skillMd.frontmatter;
  if (!context.memo || !frontmatter?.closed) return compute();
  // The fix rewrites and re-parses only the frontmatter, so it depends on the text up to the
  // body, the grant, and the commands it must cover: kept between edits of the body.
  const head = skill.skillMd.text.slice(0, frontmatter.bodyStart);
  const key = ['narrowing-fix', skill.skillMd.path, head, grant.start, ...narrow.map((other) => other.text), '', ...commands.map((command) => `${command.text}\u0001${command.program}\u0001${command.scriptWord ?? ''}`)];
  const entry = context.memo.keyed(key.join('\u0000'));
  const id = context.memo.idOf(NARROWING_FIX);
  if (entry.results.has(id)) return entry.results.get(id) as ReturnType<typeof narrowingFix>;
  const fix = compute();
  entry.results.set(id, fix);
  return fix;
}

/** Names the narrowing fixes among the memo's results. */
const NARROWING_FIX = {};
