import { parseFrontmatter, type FrontmatterField } from '../frontmatter';
import type { FileModel } from '../skill-model';
import type { Fix } from '../types';
import { parseAllowedToolsField, prefixGrant, type AllowedTools, type Grant } from './allowed-tools-grammar';
import { breadthOf } from './breadth';
import type { NeededCommand } from './needed-commands';

/**
 * The narrowest grants that cover what a skill runs, and the fix that writes them in place of a
 * broad grant. A command becomes `Bash(<prefix>:*)` where the prefix names what runs: the
 * interpreter and the bundled script (`python scripts/extract.py`), or the program and its
 * subcommand (`git status`, `npm run build`); its own arguments stay free.
 */

/** Subcommands after which the next word also names what runs (`npm run build`, `gh pr view`). */
const COMMAND_GROUPS: ReadonlySet<string> = new Set([
  'run', 'exec', 'x', 'dlx', 'compose', 'pr', 'issue', 'repo', 'release', 'workflow', 'run-script', 'container', 'image',
]);
const SUBCOMMAND = /^[a-z][a-z0-9-]{0,39}$/;
/** Words safe to write into any YAML form of the field and unambiguous in a pattern. */
const SAFE_WORD = /^[\w./${}@=+~%-]{1,200}$/;
const PYTHON = /^python[0-9.]*$/;
/** More distinct prefixes than this for one program collapse into `program:*` when that is still narrow. */
const MAX_PREFIXES_PER_PROGRAM = 4;

/** The prefix a grant for `command` should allow, or undefined when it cannot be written safely. */
export function suggestedPrefix(command: NeededCommand): string | undefined {
  if (!command.literal) return undefined;
  const words = command.words;
  let count = 1;
  if (command.scriptWord !== undefined) {
    count = command.scriptWord + 1;
  } else if (PYTHON.test(command.program) && words[1] === '-m' && /^[\w.]{1,100}$/.test(words[2] ?? '')) {
    count = 3;
  } else if (SUBCOMMAND.test(words[1] ?? '')) {
    count = COMMAND_GROUPS.has(words[1] as string) && SUBCOMMAND.test(words[2] ?? '') ? 3 : 2;
  }
  const prefix = words.slice(0, count);
  if (!prefix.every((word) => SAFE_WORD.test(word))) return undefined;
  return prefix.join(' ');
}

/**
 * `Bash(…)` grants covering every command, in order of first use; undefined when one of them
 * cannot be narrowed (a variable as program, or a command whose narrowest grant is still broad,
 * such as `python -c …`), since a partial list would silently drop something the skill runs.
 */
export function narrowestGrants(commands: readonly NeededCommand[]): string[] | undefined {
  const prefixes: string[] = [];
  for (const command of commands) {
    const prefix = suggestedPrefix(command);
    if (prefix === undefined) return undefined;
    if (!prefixes.includes(prefix)) prefixes.push(prefix);
  }
  const byProgram = new Map<string, string[]>();
  for (const prefix of prefixes) {
    const program = prefix.split(' ')[0] as string;
    byProgram.set(program, [...(byProgram.get(program) ?? []), prefix]);
  }
  const grants: string[] = [];
  for (const prefix of prefixes) {
    const program = prefix.split(' ')[0] as string;
    const siblings = byProgram.get(program) as string[];
    const collapsed = siblings.length > MAX_PREFIXES_PER_PROGRAM && breadthOf({ tool: 'Bash', specifier: `${program}:*` }) === undefined;
    const grant = prefixGrant(collapsed ? program : prefix);
    if (breadthOf({ tool: 'Bash', specifier: grant.slice(5, -1) }) !== undefined) return undefined;
    if (!grants.includes(grant)) grants.push(grant);
  }
  return grants;
}

/**
 * Replaces `grant` by `replacement` in the field, in the field's own form, and checks the result
 * by parsing it again: the fix is offered only when the new frontmatter is valid YAML, every
 * other field is unchanged, and the field reads back as exactly the intended grants.
 */
export function narrowingFix(skillMd: FileModel, parsed: AllowedTools, grant: Grant, replacement: readonly string[]): Fix | undefined {
  const frontmatter = skillMd.frontmatter;
  if (!frontmatter || grant.joiner === undefined || replacement.length === 0) return undefined;
  if (replacement.some((text) => grant.forbidden.test(text))) return undefined;
  const newText = replacement.join(grant.joiner);
  const rewritten = skillMd.text.slice(0, grant.start) + newText + skillMd.text.slice(grant.end);
  const reparsed = parseFrontmatter(rewritten);
  const kinds = (problems: readonly { kind: string }[]): string => problems.map((problem) => problem.kind).join(',');
  if (kinds(reparsed.problems) !== kinds(frontmatter.problems)) return undefined;
  const field: FrontmatterField | undefined = reparsed.fields.get('allowed-tools');
  if (!field) return undefined;
  const again = parseAllowedToolsField(rewritten, field);
  const expected = parsed.grants.flatMap((other) => (other === grant ? [...replacement] : [other.text]));
  if (again.form !== parsed.form || JSON.stringify(again.grants.map((other) => other.text)) !== JSON.stringify(expected)) return undefined;
  for (const [key, before] of frontmatter.fields) {
    if (key !== 'allowed-tools' && JSON.stringify(reparsed.fields.get(key)?.value) !== JSON.stringify(before.value)) return undefined;
  }
  return {
    title: `Narrow \`${grant.text}\` to ${replacement.map((text) => `\`${text}\``).join(', ')}`,
    edits: [{ file: skillMd.path, span: skillMd.lines.span(grant.start, grant.end), newText }],
  };
}
