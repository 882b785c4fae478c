import type { MatchContext, RawFinding } from '../matchers/types';
import { grantAllowsCommand, normaliseCommand, type Grant } from '../permissions/allowed-tools-grammar';
import { isTrivialCommand } from '../permissions/needed-commands';
import { suggestedPrefix } from '../permissions/narrowing';
import { commandsOfSkill, grantsOfSkill, type SkillGrants } from '../permissions/skill-permissions';
import type { SkillModel } from '../skill-model';
import type { CheckOptions } from './index';
import { escapeRegExp } from '../matchers/regex-util';

/**
 * `allowed-tools` compared with what the skill does. Both directions are hygiene, not danger:
 * a command no grant covers makes the agent ask (safe, but the field misstates the skill), and a
 * grant nothing uses is permission nobody needs (attack surface if the skill is ever changed).
 */

const MAX_FINDINGS = 20;
const MAX_GRANTS_JUDGED = 60;

function fieldRelated(skill: SkillGrants): NonNullable<RawFinding['related']> {
  return [{ file: skill.skillMd.path, start: skill.field.valueStart, end: skill.field.valueEnd, message: 'The `allowed-tools` field of the skill.' }];
}

/**
 * Commands SKILL.md tells the agent to run that no grant covers, when the field grants Bash
 * narrowly (at least one `Bash(…)` grant, none unrestricted): the author listed commands, and
 * these are missing from the list.
 */
export function allowedToolsUncoveredCommand(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const skill = grantsOfSkill(context.model);
  if (!skill) return [];
  const bashGrants = skill.parsed.grants.filter((grant) => grant.kind === 'bash');
  if (bashGrants.length === 0 || bashGrants.some((grant) => grant.bash?.mode === 'any')) return [];
  const findings: RawFinding[] = [];
  const reported = new Set<string>();
  for (const command of commandsOfSkill(context.model, 'skill-md', context.memo)) {
    if (findings.length >= MAX_FINDINGS) break;
    if (!command.literal || isTrivialCommand(command)) continue;
    if (bashGrants.some((grant) => grantAllowsCommand(grant, command.text))) continue;
    const suggestion = suggestedPrefix(command);
    const key = suggestion ?? command.text;
    if (reported.has(key)) continue;
    reported.add(key);
    findings.push({
      file: command.file,
      start: command.start,
      end: command.end,
      captures: { command: command.text, suggestion: suggestion !== undefined ? `\`Bash(${suggestion}:*)\`` : 'a grant for it' },
      related: fieldRelated(skill),
    });
  }
  return findings;
}

/** Words that show a skill may fetch web pages. */
const FETCH_INTENT = /https?:\/\/|\b(?:fetch\w*|download\w*|urls?|web\s?pages?|websites?|web|online|internet|http|links?|docs?|documentation|articles?|blogs?|browse|scrap\w*|crawl\w*|apis?)\b/i;
/** Words that show a skill may search the web. */
const SEARCH_INTENT = /\b(?:search\w*|research\w*|look(?:ing)?\s+up|lookups?|latest|news|current|web|online|internet|sources?|citations?|find\s+information)\b/i;

/** Grants that nothing in the skill uses: no command, URL, domain, search or MCP tool the skill mentions. */
export function allowedToolsUnusedGrant(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const skill = grantsOfSkill(context.model);
  if (!skill) return [];
  const text = skillText(context.model, skill);
  const findings: RawFinding[] = [];
  // Each grant is looked up in the whole skill text: a hostile field with hundreds of grants is cut short.
  for (const grant of skill.parsed.grants.slice(0, MAX_GRANTS_JUDGED)) {
    if (findings.length >= MAX_FINDINGS) break;
    const why = unusedBecause(context, grant, text);
    if (why === undefined) continue;
    findings.push({ file: skill.skillMd.path, start: grant.start, end: grant.end, captures: { grant: grant.text, why } });
  }
  return findings;
}

/** Every analysed file's text, with the `allowed-tools` field itself blanked out. */
function skillText(model: SkillModel, skill: SkillGrants): string {
  return model.files
    .map((file) =>
      file === skill.skillMd ? file.text.slice(0, skill.field.valueStart) + file.text.slice(skill.field.valueEnd) : file.text,
    )
    .join('\n');
}

function unusedBecause(context: MatchContext, grant: Grant, text: string): string | undefined {
  switch (grant.kind) {
    case 'bash':
      return unusedBash(context, grant, text);
    case 'web-fetch':
      if (grant.domain !== undefined) {
        const domain = grant.domain.replace(/^\*\./, '');
        return mentions(text, domain) ? undefined : `the skill never mentions \`${domain}\``;
      }
      return FETCH_INTENT.test(text) ? undefined : 'the skill names no URL and never asks for a web page';
    case 'web-search':
      return SEARCH_INTENT.test(text) ? undefined : 'the skill never asks for a web search';
    case 'mcp': {
      const mcp = grant.mcp;
      if (!mcp) return undefined;
      const names = [mcp.server, ...(mcp.tool !== undefined ? [mcp.tool] : [])];
      return names.some((name) => mentionsName(text, name)) ? undefined : `the skill never mentions the \`${mcp.server}\` MCP server or its tools`;
    }
    default:
      // Read, Edit, Write and other tools are used implicitly by almost any task.
      return undefined;
  }
}

function unusedBash(context: MatchContext, grant: Grant, text: string): string | undefined {
  const model = context.model;
  const pattern = grant.bash;
  if (!pattern) return undefined;
  const commands = commandsOfSkill(model, 'markdown', context.memo);
  if (commands.some((command) => grantAllowsCommand(grant, command.text))) return undefined;
  if (pattern.mode === 'any') {
    // Code of any language (a Python fence, a bundled script) is run through the shell.
    return model.units.length > 0 ? undefined : 'the skill has no scripts and no code to run';
  }
  const written = pattern.mode === 'prefix' ? pattern.prefix : pattern.mode === 'glob' ? pattern.glob : pattern.command;
  const words = normaliseCommand(written).split(' ');
  const program = words[0] ?? '';
  if (program === '' || program.includes('*')) return undefined;
  const script = words.find((word) => /\.(?:py|sh|js|mjs|cjs|ts|rb|pl|ps1)$/.test(word));
  const prose = normaliseCommand(text);
  if (script !== undefined) return mentions(prose, script) ? undefined : `nothing in the skill runs or mentions \`${script}\``;
  // Prose may lead the agent to run a command without spelling it out ("use curl to query the
  // API", "commit and push the branch"): the program, its subcommands or the work it is known
  // for all count as use.
  const subcommands = words.slice(1).filter((word) => /^[a-z][a-z0-9-]{1,39}$/.test(word) && !GENERIC_SUBCOMMANDS.has(word));
  const anchors = [program, ...subcommands];
  if (anchors.some((anchor) => mentions(prose, anchor)) || PROGRAM_VOCABULARY[program]?.test(prose)) return undefined;
  return `nothing in the skill runs or mentions \`${program}\``;
}

/** Subcommands too common in prose to show that a grant is used. */
const GENERIC_SUBCOMMANDS: ReadonlySet<string> = new Set(['run', 'exec', 'x', 'get', 'set', 'list', 'show', 'view', 'new', 'help', 'do', 'use']);

/** What instructions say when they mean these programs without naming them. */
const PROGRAM_VOCABULARY: Readonly<Record<string, RegExp>> = {
  git: /\b(?:commit|branch|push|pull|merge|rebase|checkout|stash|diff|tag|clone|repository|repo)\w*\b/i,
  gh: /\b(?:github|issues?|pull\s+requests?|PRs?|releases?|workflows?)\b/i,
  glab: /\b(?:gitlab|issues?|merge\s+requests?|MRs?)\b/i,
  npm: /\b(?:package\.json|node\s+modules|dependencies|scripts?)\b/i,
};

/** `text` contains `word` not glued to other word characters (case-insensitive). */
function mentions(text: string, word: string): boolean {
  if (word.length > 200) return true;
  return new RegExp(`(?<![\\w.-])${escapeRegExp(word)}(?![\\w-])`, 'i').test(text);
}

/** An MCP name as prose writes it: `create_issue`, `create-issue` or `create issue`. */
function mentionsName(text: string, name: string): boolean {
  if (name.length > 100) return true;
  const parts = name.split(/[_-]+/).filter((part) => part !== '').map(escapeRegExp);
  return parts.length > 0 && new RegExp(`(?<![A-Za-z0-9])${parts.join('[\\s_-]?')}(?![A-Za-z0-9])`, 'i').test(text);
}

/** Grants the grammar cannot read as intended: `:*` before the end, unbalanced parentheses, empty patterns. */
export function allowedToolsMalformedGrant(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const skill = grantsOfSkill(context.model);
  if (!skill) return [];
  return skill.parsed.problems.slice(0, MAX_FINDINGS).map((problem) => ({
    file: skill.skillMd.path,
    start: problem.start,
    end: problem.end,
    captures: { grant: problem.text, problem: problem.detail },
  }));
}
