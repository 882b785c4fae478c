import { polarityAt, type Polarity } from '../polarity';
import type { FileModel, SkillModel } from '../skill-model';

/**
 * Where the Markdown of a skill tells the agent to run one of the skill's own scripts:
 * `python scripts/x.py` or `bash scripts/backup.sh` in a code fence or inline code, or prose such
 * as "run backup.sh from this skill's scripts directory". The instruction is what makes the
 * agent execute the script, so a dangerous script makes the instruction dangerous too.
 *
 * One linear scan per Markdown file: each script contributes two bounded patterns (its path and
 * its basename after a runner or a verb), all joined into one alternation of escaped literals.
 */

export interface ScriptInvocation {
  /** The Markdown file holding the instruction. */
  readonly file: FileModel;
  /** Offsets of the mention of the script. */
  readonly start: number;
  readonly end: number;
  /** The script's path in the bundle. */
  readonly script: string;
  readonly where: 'fence' | 'inline-code' | 'prose';
  readonly polarity: Polarity;
}

const RUNNER = /(?:^|[\s;&|(`'"])(?:sudo\s+)?(?:python[0-9.]*|py|pypy3?|uv\s+run|poetry\s+run|pipx\s+run|bash|sh|zsh|ksh|dash|fish|source|\.|node|deno(?:\s+run)?|bun(?:\s+run)?|tsx|ts-node|npx|pwsh|powershell(?:\s+-File)?|ruby|perl|chmod\s+\+x|exec)(?:\s+-[\w-]*){0,4}(?:\s+|\s*<\s*)["']?(?:[\w${}.~-]{0,80}\/)?$/;
const RUN_VERB = /\b(?:run|runs|running|execute|executes|executing|invoke|invokes|launch|launches|start|starts|call|calls|use|uses|using|trigger)\b[^.!?\n]{0,80}$/i;
const MAX_MENTIONS = 50;
/** Per Markdown file and script: enough to show the steps, not one per line of a long manual. */
const MAX_MENTIONS_PER_SCRIPT = 3;

export function scriptInvocations(model: SkillModel): ScriptInvocation[] {
  const scripts = model.files.filter((file) => file.kind === 'script');
  if (scripts.length === 0) return [];
  const out: ScriptInvocation[] = [];
  for (const file of model.files) {
    const markdown = file.markdown;
    if (!markdown) continue;
    for (const script of scripts) {
      if (out.length >= MAX_MENTIONS) return out;
      const base = script.path.slice(script.path.lastIndexOf('/') + 1);
      if (base.length < 3) continue;
      let from = file.frontmatter?.bodyStart ?? 0;
      let mentions = 0;
      while (mentions < MAX_MENTIONS_PER_SCRIPT) {
        const index = file.text.indexOf(base, from);
        if (index === -1) break;
        from = index + base.length;
        // A whole name only: `backup.sh`, not `mybackup.sh` or `backup.sh.bak`.
        const before = file.text[index - 1] ?? ' ';
        const after = file.text[index + base.length] ?? ' ';
        if (/[\w-]/.test(after)) continue;
        if (after === '.' && /[\w]/.test(file.text[index + base.length + 1] ?? ' ')) continue;
        const pathStart = pathStartOf(file.text, index);
        const mentioned = file.text.slice(pathStart, index + base.length).replace(/^\.\//, '');
        if (/[\w-]/.test(before) && pathStart === index) continue;
        if (mentioned.includes('/') && !pathMatches(mentioned, script.path)) continue;
        const where = regionOf(file, index);
        if (where === undefined) continue;
        const lineStart = file.text.lastIndexOf('\n', pathStart - 1) + 1;
        const prefix = file.text.slice(Math.max(lineStart, pathStart - 160), pathStart);
        // A runner (`python3 scripts/x.py`), a verb ("run backup.sh"), or the script as the command itself.
        const runs =
          RUNNER.test(prefix) ||
          RUN_VERB.test(prefix) ||
          (where === 'fence' && prefix.trim() === '') ||
          (where === 'inline-code' && prefix.endsWith('`'));
        if (!runs) continue;
        mentions++;
        out.push({ file, start: pathStart, end: index + base.length, script: script.path, where, polarity: polarityAt(file.text, pathStart) });
      }
    }
  }
  return out;
}

/** Walks back over path characters (`scripts/`, `./`, `${CLAUDE_SKILL_DIR}/`). */
function pathStartOf(text: string, index: number): number {
  let start = index;
  let steps = 0;
  while (start > 0 && steps++ < 200 && /[\w./${}~-]/.test(text[start - 1] ?? '')) start--;
  return start;
}

/** `scripts/x.py` mentioned as `x.py`, `scripts/x.py`, `${SKILL_DIR}/scripts/x.py` or `skill/scripts/x.py`. */
export function pathMatches(mentioned: string, scriptPath: string): boolean {
  const clean = mentioned.replace(/^.*\}\//, '').replace(/^~\//, '');
  return clean === scriptPath || clean.endsWith(`/${scriptPath}`) || scriptPath.endsWith(`/${clean}`) || scriptPath === clean;
}

function regionOf(file: FileModel, offset: number): ScriptInvocation['where'] | undefined {
  const markdown = file.markdown;
  if (!markdown) return undefined;
  if (markdown.fences.some((fence) => offset >= fence.contentStart && offset < fence.contentEnd)) return 'fence';
  if (markdown.inlineCode.some((code) => offset >= code.contentStart && offset < code.contentEnd)) return 'inline-code';
  if (markdown.comments.some((comment) => offset >= comment.start && offset < comment.end)) return undefined;
  if (markdown.links.some((link) => offset >= link.urlStart && offset < link.urlEnd)) return undefined;
  return markdown.prose.some(([start, end]) => offset >= start && offset < end) ? 'prose' : undefined;
}
