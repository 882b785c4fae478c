import type { FrontmatterField } from '../frontmatter';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/**
 * A small parser for the `allowed-tools` frontmatter field (Claude Code permission rules): a
 * space- or comma-separated string, a block list or a flow list. Each grant is `Tool` or
 * `Tool(specifier)`; parentheses may hold spaces (`Bash(git add:*)`), so tokens are split only
 * outside them. Every grant carries its exact offsets in SKILL.md, read from the YAML source.
 */
export interface Grant {
  readonly text: string;
  readonly tool: string;
  /** The text between the parentheses, or undefined for a bare tool. */
  readonly specifier: string | undefined;
  readonly start: number;
  readonly end: number;
}

const MAX_GRANTS = 200;

/** Parses the source text of the field's value (offsets relative to `base`). */
export function parseGrants(source: string, base: number): Grant[] {
  const grants: Grant[] = [];
  let i = 0;
  const n = source.length;
  // A block scalar header (`|`, `>-`, …) is not part of any grant.
  const header = /^[|>][-+0-9]{0,3}[ \t]*(?:#[^\n]*)?/.exec(source);
  if (header) i = header[0].length;
  while (i < n && grants.length < MAX_GRANTS) {
    const c = source[i] as string;
    // Separators and YAML punctuation between grants.
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',' || c === '[' || c === ']' || c === '"' || c === "'") {
      i++;
      continue;
    }
    if (c === '-' && (i + 1 >= n || /\s/.test(source[i + 1] as string))) {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(source[i - 1] as string))) {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    // Tool name: up to `(` or a separator.
    while (i < n && !/[\s,()[\]"']/.test(source[i] as string)) i++;
    const tool = source.slice(start, i);
    let specifier: string | undefined;
    if (source[i] === '(') {
      let depth = 0;
      const open = i;
      for (; i < n; i++) {
        const ch = source[i];
        if (ch === '(') depth++;
        else if (ch === ')') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        } else if (ch === '\n') break;
      }
      specifier = source.slice(open + 1, depth === 0 ? i - 1 : i);
    }
    if (tool.length === 0 && specifier === undefined) {
      i++;
      continue;
    }
    grants.push({ text: source.slice(start, i), tool, specifier, start: base + start, end: base + i });
  }
  return grants;
}

export function grantsOf(context: MatchContext): { field: FrontmatterField; grants: Grant[] } | undefined {
  const skillMd = context.model.skillMd;
  const field = skillMd?.frontmatter?.fields.get('allowed-tools');
  if (!skillMd || !field) return undefined;
  const source = skillMd.text.slice(field.valueStart, field.valueEnd);
  return { field, grants: parseGrants(source, field.valueStart) };
}

type Breadth = 'shell' | 'interpreter' | 'network' | 'write' | 'fetch';

const SHELLS = /^(?:(?:ba|z|da|k|c|tc|fi)?sh|sudo|su|doas|env|eval|exec|xargs|source|\.|busybox|script|cmd(?:\.exe)?|powershell|pwsh|nohup\s+(?:ba)?sh)$/i;
const INTERPRETERS = /^(?:python[0-9.]*|py|node|nodejs|deno|bun|perl|ruby|php|lua|Rscript|java|osascript|npx|bunx|pnpx|uvx|pipx|npm\s+exec|uv\s+run|go\s+run)$/i;
const NETWORK = /^(?:curl|wget|nc|ncat|netcat|ssh|scp|sftp|rsync|ftp|telnet|http|https|httpie|aria2c|socat)$/i;

/** How broad one grant is, or undefined when it is narrow. */
export function breadthOf(grant: Grant): { breadth: Breadth; why: string } | undefined {
  const tool = grant.tool;
  const spec = grant.specifier?.trim();
  if (/^bash$/i.test(tool)) {
    if (spec === undefined || spec === '' || /^[*:\s]+$/.test(spec)) return { breadth: 'shell', why: 'any shell command' };
    // The command word: up to the first space or the trailing `:*`.
    const command = spec.replace(/:\*$/, '').replace(/\s+\*$/, '').trim();
    const first = command.split(/\s+/)[0] ?? '';
    if (first.includes('*')) return { breadth: 'shell', why: 'any command whose name matches a wildcard' };
    const firstTwo = command.split(/\s+/).slice(0, 2).join(' ');
    const wildcardArgs = /(?::\*|\s\*|\*)$/.test(spec) || /\*/.test(command.slice(first.length));
    if (SHELLS.test(first) || SHELLS.test(firstTwo)) {
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
    return undefined;
  }
  if (/^webfetch$/i.test(tool)) {
    if (spec === undefined || /^(?:domain:)?\*?$/.test(spec)) return { breadth: 'fetch', why: 'fetching any URL' };
    return undefined;
  }
  if (/^(?:write|edit|multiedit|notebookedit)$/i.test(tool)) {
    if (spec === undefined || /^(?:\/\/|~\/|\/)?\*\*?(?:\/\*\*?)?$/.test(spec)) return { breadth: 'write', why: 'writing any file' };
    return undefined;
  }
  return undefined;
}

/**
 * Reports grants of the breadths listed in `options.breadths` (default: all) at the grant's exact
 * range inside the field.
 */
export function allowedToolsBreadth(context: MatchContext, options: CheckOptions): RawFinding[] {
  const parsed = grantsOf(context);
  const skillMd = context.model.skillMd;
  if (!parsed || !skillMd) return [];
  const wanted = Array.isArray(options.breadths) ? new Set(options.breadths as string[]) : undefined;
  const findings: RawFinding[] = [];
  for (const grant of parsed.grants) {
    const verdict = breadthOf(grant);
    if (!verdict || (wanted && !wanted.has(verdict.breadth))) continue;
    findings.push({ file: skillMd.path, start: grant.start, end: grant.end, captures: { grant: grant.text, why: verdict.why, tool: grant.tool } });
  }
  return findings;
}
