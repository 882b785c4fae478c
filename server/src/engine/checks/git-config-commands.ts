import { parseGitConfig, type GitConfigEntry } from '../git-config';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { Severity } from '../types';
import type { CheckOptions } from './index';

/**
 * A repository configuration shipped in the skill (`.git/config`, `.git/config.worktree`, at any
 * depth) that makes git run a command. Git obeys that file whenever it runs in the folder: the
 * agent updating the skill with `git pull`, a script calling `git -C "$SKILL_DIR" …`, or a shell
 * prompt that shows the branch (it runs `git status`). A clone's own configuration (remote,
 * branches, git-lfs filters, a named credential helper) runs nothing and is not reported.
 *
 * Severity: the rule's (high) for a key git runs on ordinary commands, medium for one the user
 * has to invoke (an alias, a pager, an editor), a redirect or an include; critical for any of
 * them whose command fetches code or reaches the network.
 */
export function gitConfigCommands(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (!REPOSITORY_CONFIG.test(file.path)) continue;
    for (const entry of parseGitConfig(file.text)) {
      const runs = commandOf(entry);
      if (!runs) continue;
      const reachesOut = runs.command && REACHES_OUT.test(entry.value);
      const severity: Severity | undefined = reachesOut ? 'critical' : runs.grade === 'medium' ? 'medium' : undefined;
      findings.push({
        file: file.path,
        start: entry.start,
        end: entry.end,
        message: `\`${file.path}\` sets \`${entry.name}\` to \`${shorten(entry.value)}\`: ${runs.effect}${reachesOut ? ', and that command fetches code or reaches the network' : ''}. Git obeys this file whenever it runs in the skill's folder: an update with \`git pull\`, a script's \`git -C\`, a shell prompt that shows the branch.`,
        ...(severity ? { severity } : {}),
      });
    }
  }
  return findings;
}

/** The repository's own configuration files, which git reads in that working tree. */
const REPOSITORY_CONFIG = /(?:^|\/)\.git\/config(?:\.worktree)?$/;

/** Same signals as SKL704's git keys: a download, a URL, a raw socket, decoding, a drop in /tmp. */
const REACHES_OUT = /\bcurl\b|\bwget\b|https?:\/\/|\bnc\b|\bncat\b|\bbase64\b|\/dev\/tcp\/|(?<![\w.~-])\/tmp\//i;

const BOOLEAN = /^(?:true|false|yes|no|on|off|1|0|)$/i;

interface Runs {
  readonly effect: string;
  readonly grade: 'high' | 'medium';
  /** The value is a command (so a download in it runs), not a path or URL. */
  readonly command: boolean;
}

function commandOf(entry: GitConfigEntry): Runs | undefined {
  const { section, subsection, key, value } = entry;
  const sub = subsection !== undefined;
  switch (section) {
    case 'core':
      if (sub) return undefined;
      if (key === 'fsmonitor') return BOOLEAN.test(value) ? undefined : { effect: 'git runs it on every `git status`', grade: 'high', command: true };
      if (key === 'hookspath') return { effect: 'git runs the hooks in that folder on every commit, checkout and merge', grade: 'high', command: false };
      if (key === 'sshcommand') return { effect: 'git runs it on every fetch and push over SSH', grade: 'high', command: true };
      if (key === 'askpass') return { effect: 'git runs it whenever it needs a password', grade: 'high', command: true };
      if (key === 'gitproxy') return { effect: 'git runs it on every fetch over the git protocol', grade: 'high', command: true };
      if (key === 'pager') return { effect: 'git runs it to page its output', grade: 'medium', command: true };
      if (key === 'editor') return { effect: 'git runs it whenever it opens an editor', grade: 'medium', command: true };
      return undefined;
    case 'sequence':
      return !sub && key === 'editor' ? { effect: 'git runs it whenever it opens an editor', grade: 'medium', command: true } : undefined;
    case 'pager':
      return BOOLEAN.test(value) ? undefined : { effect: 'git runs it to page that command\'s output', grade: 'medium', command: true };
    case 'diff':
      if (!sub && key === 'external') return { effect: 'git runs it on every diff', grade: 'high', command: true };
      if (sub && (key === 'command' || key === 'textconv')) return { effect: 'git runs it on every diff of the matching files', grade: 'high', command: true };
      return undefined;
    case 'merge':
      return sub && key === 'driver' ? { effect: 'git runs it on every merge of the matching files', grade: 'high', command: true } : undefined;
    case 'filter':
      // git-lfs writes its filters into a clone's configuration.
      if (!sub || !['clean', 'smudge', 'process'].includes(key) || /^git-lfs\s/.test(value)) return undefined;
      return { effect: 'git runs it on every checkout and add of the matching files', grade: 'high', command: true };
    case 'credential':
      // A helper's bare name runs git's own `git credential-<name>`; a path or a `!` command is the skill's.
      if (key !== 'helper' || !/^!|[/\\]/.test(value)) return undefined;
      return { effect: 'git runs it whenever it needs credentials, and hands it the user\'s credentials', grade: 'high', command: true };
    case 'gpg':
      return key === 'program' ? { effect: 'git runs it whenever it signs or verifies', grade: 'medium', command: true } : undefined;
    case 'alias':
      return value.startsWith('!') ? { effect: `git runs it as a shell command for \`git ${subsection ?? key}\``, grade: 'medium', command: true } : undefined;
    case 'remote':
      return sub && (key === 'uploadpack' || key === 'receivepack') ? { effect: 'git runs it on fetches and pushes to that remote', grade: 'medium', command: true } : undefined;
    case 'url':
      return sub && (key === 'insteadof' || key === 'pushinsteadof') ? { effect: `git fetches from \`${shorten(subsection)}\` instead`, grade: 'medium', command: false } : undefined;
    case 'include':
    case 'includeif':
      return key === 'path' ? { effect: 'git reads more settings from that file', grade: 'medium', command: false } : undefined;
    default:
      return undefined;
  }
}

function shorten(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
}
