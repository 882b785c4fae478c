import { classifyPath } from '../dataflow';
import { wrapperNamed } from '../shell-wrappers';
import type { Grant } from './allowed-tools-grammar';

export type Breadth = 'shell' | 'interpreter' | 'network' | 'write' | 'fetch' | 'secrets' | 'persistence';

/** Shells and programs that run a command string; wrappers (`sudo`, `env`, `xargs`, `timeout`…) are `wrapperNamed`. */
const SHELLS = /^(?:(?:ba|z|da|k|c|tc|fi)?sh|su|eval|source|\.|script|cmd(?:\.exe)?|powershell|pwsh)$/i;
const INTERPRETERS = /^(?:python[0-9.]*|py|node|nodejs|deno|bun|perl|ruby|php|lua|Rscript|java|osascript|npx|bunx|pnpx|uvx|pipx|npm\s+exec|uv\s+run|go\s+run)$/i;
const NETWORK = /^(?:curl|wget|nc|ncat|netcat|ssh|scp|sftp|rsync|ftp|telnet|http|https|httpie|aria2c|socat)$/i;
/** Commands that destroy whatever they are given, with what a grant of any arguments lets them do. */
const DESTRUCTIVE: readonly { readonly command: RegExp; readonly why: string }[] = [
  { command: /^(?:rm|shred|srm)$/i, why: 'which deletes any file' },
  { command: /^(?:dd|wipefs|mkfs(?:\.\w{1,10})?)$/i, why: 'which overwrites any disk' },
  { command: /^git\s+push\s+(?:.*\s)?(?:--force|-f)(?:\s|$)/i, why: 'which rewrites remote history' },
  { command: /^git\s+(?:reset\s+(?:.*\s)?--hard|clean\s+(?:.*\s)?-[a-z]*f[a-z]*)(?:\s|$)/i, why: 'which discards uncommitted work' },
];

/** How broad one grant is, or undefined when it is narrow. */
export function breadthOf(grant: Pick<Grant, 'tool' | 'specifier'>): { breadth: Breadth; why: string } | undefined {
  const tool = grant.tool;
  const spec = grant.specifier?.trim();
  if (/^bash$/i.test(tool)) {
    if (spec === undefined || spec === '' || /^[*:\s]+$/.test(spec)) return { breadth: 'shell', why: 'any shell command' };
    // The command word: up to the first space or the trailing `:*`.
    const command = spec.replace(/:\*$/, '').replace(/\s+\*$/, '').trim();
    const first = command.split(/\s+/)[0] ?? '';
    // `* --version` or `p*` match almost any program; `git:*` (a misplaced prefix marker) does not.
    if (/^[^*]{0,2}\*/.test(first)) return { breadth: 'shell', why: 'any command whose name matches a wildcard' };
    const firstTwo = command.split(/\s+/).slice(0, 2).join(' ');
    const wildcardArgs = /(?::\*|\s\*|\*)$/.test(spec) || /\*/.test(command.slice(first.length));
    // A wrapper (`timeout`, `nohup`, `nice`, `stdbuf`…) with any arguments runs any command too.
    if (SHELLS.test(first) || SHELLS.test(firstTwo) || wrapperNamed(first.toLowerCase()) !== undefined) {
      return wildcardArgs ? { breadth: 'shell', why: `\`${first}\` with any arguments, which runs any command` } : undefined;
    }
    if (INTERPRETERS.test(first) || INTERPRETERS.test(firstTwo)) {
      if (!wildcardArgs) return undefined;
      const rest = command.slice(first.length).trim();
      // `python ${CLAUDE_SKILL_DIR}/scripts/x.py *` names the script: narrow enough.
      if (/^(?:\$\{?CLAUDE_SKILL_DIR\}?|\.\/)?[\w./${}-]*\.(?:py|js|mjs|cjs|ts|rb|pl|php)\b/.test(rest)) return undefined;
      if (/^(?:-m\s+\w|run\s+\w|exec\s+\w)/.test(rest) && !/\*/.test(rest.split(/\s+/).slice(0, 2).join(' '))) return undefined;
      return { breadth: 'interpreter', why: `\`${first}\` with any arguments, which runs any code` };
    }
    if (NETWORK.test(first)) {
      const rest = command.slice(first.length).trim();
      return wildcardArgs && rest === '' ? { breadth: 'network', why: `\`${first}\` with any arguments, which reaches any host` } : undefined;
    }
    // `Bash(rm:*)`, `Bash(git push --force:*)`: a command that destroys, pre-approved on anything.
    const destroys = wildcardArgs ? DESTRUCTIVE.find((entry) => entry.command.test(first) || entry.command.test(`${command} `)) : undefined;
    if (destroys) return { breadth: 'write', why: `\`${command}\` with any arguments, ${destroys.why}` };
    // `Bash(printenv:*)`, `Bash(cat ~/.npmrc)`: a command that prints the environment or a key file.
    if (/^printenv$/i.test(first)) return { breadth: 'secrets', why: `\`${command}\`, which prints every secret in the environment` };
    const keyFile = command
      .split(/\s+/)
      .slice(1)
      .map((word) => credentialSpecifier(word))
      .find((found) => found !== undefined);
    if (keyFile) return { breadth: 'secrets', why: `\`${command}\`, which reads ${keyFile}` };
    return undefined;
  }
  // `mcp__*`: every tool of every MCP server the user has connected (mail, files, databases, payments).
  if (/^mcp__\*(?:__\*)?$/i.test(tool)) return { breadth: 'fetch', why: 'every tool of every MCP server the user has connected' };
  if (/^webfetch$/i.test(tool)) {
    if (spec === undefined || /^(?:domain:)?\*?$/.test(spec)) return { breadth: 'fetch', why: 'fetching any URL' };
    return undefined;
  }
  // A file tool pointed at the user's keys or credentials (`Read(~/.ssh/**)`, `Grep(~/.aws/*)`).
  const secret = /^(?:read|grep|glob|ls|write|edit|multiedit)$/i.test(tool) && spec ? credentialSpecifier(spec) : undefined;
  // The message says "pre-approves …": the reason is kept short, as captures are cut at 80 characters.
  if (secret) return { breadth: 'secrets', why: `${/^(?:write|edit|multiedit)$/i.test(tool) ? 'changing' : 'reading'} \`${spec ?? ''}\`, which holds ${secret}` };
  if (/^(?:write|edit|multiedit|notebookedit)$/i.test(tool)) {
    const runsLater = spec ? runsLaterSpecifier(spec) : undefined;
    if (runsLater) return { breadth: 'persistence', why: `changing \`${spec ?? ''}\`, ${runsLater}` };
    if (spec === undefined || /^(?:\/\/|~\/|\/)?\*\*?(?:\/\*\*?)?$/.test(spec)) return { breadth: 'write', why: 'writing any file' };
    return undefined;
  }
  return undefined;
}

/**
 * Files whose content decides what runs later or what the agent may do: its own settings and MCP
 * servers, editor tasks, Git hooks, login items and services. Keyed by what changing them does.
 */
const RUNS_LATER: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /(?:^|\/)\.claude(?:\/|$)|(?:^|\/)\.claude\.json$|(?:^|\/)\.mcp\.json$|(?:^|\/)\.(?:cursor|codex|gemini|windsurf)(?:\/|$)/, why: "the agent's own settings, hooks or MCP servers" },
  { pattern: /(?:^|\/)\.vscode\/(?:tasks|settings|launch)\.json$|(?:^|\/)\.vscode(?:\/\*{1,2})?$/, why: 'editor tasks and settings that run commands' },
  { pattern: /(?:^|\/)\.git\/hooks(?:\/|$)|(?:^|\/)\.husky(?:\/|$)|(?:^|\/)\.gitconfig$|(?:^|\/)\.git\/config$/, why: 'Git hooks or configuration that run commands' },
  { pattern: /(?:^|\/)\.config\/(?:autostart|systemd)(?:\/|$)|(?:^|\/)Library\/Launch(?:Agents|Daemons)(?:\/|$)|(?:^|\/)(?:cron\.d|crontabs?)(?:\/|$)|^\/etc(?:\/|$)|(?:^|\/)\.envrc$|(?:^|\/)\.ssh\/rc$/, why: 'what the system runs at login, on a schedule or as a service' },
];

/** What changing the files a specifier names would do, when they decide what runs later. */
function runsLaterSpecifier(spec: string): string | undefined {
  const path = specifierPath(spec);
  return RUNS_LATER.find((entry) => entry.pattern.test(path))?.why;
}

/** A file tool's path specifier as a path: `//` is the root, `$HOME` the home folder. */
function specifierPath(spec: string): string {
  return spec.replace(/^\/\//, '/').replace(/^\$HOME\b|^\$\{HOME\}/, '~');
}

/** What a file tool's path specifier reaches, when that is the user's keys or credentials. */
function credentialSpecifier(spec: string): string | undefined {
  let path = specifierPath(spec);
  while (/\/\*{1,2}$/.test(path)) path = path.replace(/\/\*{1,2}$/, '');
  // `Read(//**)`, `Read(~/**)`: every file on the disk or in the home folder, keys included.
  if (path === '' || path === '/' || path === '~' || /^\/(?:home|Users|root)(?:\/\*{1,2})?$/.test(path)) {
    return /^(?:~|\/home|\/Users|\/root)/.test(path) ? 'every file in the home folder, keys included' : 'every file on the disk, keys included';
  }
  const source = classifyPath(path);
  return source?.category === 'credential-file' ? source.description : undefined;
}
