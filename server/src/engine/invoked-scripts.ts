import { pathMatches } from './dataflow/invocations';
import type { CodeLanguage } from './markdown';

/**
 * Files the skill's own commands run with a named interpreter, whatever they are called:
 * `bash scripts/setup.txt`, `python3 tools/helper.dat`, `source lib/env`. A file's extension or
 * `#!` line says what it is only when it is honest; the command that runs it says what the agent
 * will do with it, so such a file is analysed as a script of that language.
 */

/** An interpreter named at the start of a command, and the language it runs. */
const INTERPRETERS: readonly (readonly [RegExp, CodeLanguage])[] = [
  [/^(?:ba|z|k|mk|da|a|y)?sh$|^fish$|^source$|^\.$/, 'bash'],
  [/^python[0-9.]*$|^pypy[0-9.]*$|^py$|^uv$|^pipx$/, 'python'],
  [/^node(?:js)?$|^deno$|^bun$/, 'javascript'],
  [/^tsx$|^ts-node$/, 'typescript'],
  [/^pwsh$|^powershell$/, 'powershell'],
  [/^ruby$|^perl$|^php$|^lua$/, 'text'],
];

/**
 * `<word> [run] [flags] <path>` in a command: a word after a command boundary, an optional `run`
 * (`uv run`, `deno run`, `bun run`), up to four flags, then a path. The search resumes at the
 * path, so in `sudo sh x` or `npx tsx x` the interpreter is found as the word after the first.
 * Path segments take any character but separators and quotes, so a look-alike extension
 * (`setup.ѕh`, with a Cyrillic `ѕ`) is still a path. Bounded classes and counts, so it stays
 * linear on any text.
 */
const INVOCATION =
  /(?<=^|[\s;&|(`'"])([\w.-]{1,16})(?:\s+run)?(?:\s+-{1,2}[\w-]{1,20}){0,4}\s+["']?((?:\$\{?\w{1,40}\}?\/|~\/|\.\/)?[^\s"'`;&|()<>/\\]{1,100}(?:\/[^\s"'`;&|()<>/\\]{1,100}){0,10})/g;

/** A path segment as {@link INVOCATION} reads it. */
const PATH = String.raw`(?:\$\{?\w{1,40}\}?\/|~\/|\.\/)?[^\s"'\`;&|()<>/\\]{1,100}(?:\/[^\s"'\`;&|()<>/\\]{1,100}){0,10}`;
/**
 * The same file handed to an interpreter on its standard input: `bash < setup.txt`, `sh -s <
 * setup.txt`, `python3 - < helper.dat`, and `cat setup.txt | sudo bash`. Interpreter, then path.
 */
const FED_BY_REDIRECT = new RegExp(String.raw`(?<=^|[\s;&|(\`'"])([\w.-]{1,16})(?:\s+-{1,2}[\w-]{0,20}){0,4}\s*<\s*["']?(${PATH})`, 'g');
const FED_BY_PIPE = new RegExp(String.raw`(?<=^|[\s;&|(\`'"])cat\s+["']?(${PATH})["']?\s*\|\s*(?:sudo\s+(?:-\w+\s+)*)?([\w.-]{1,16})`, 'g');

/**
 * The language each bundled file is run as by the commands in `texts`, for files in `paths`.
 * A file run with two different interpreters keeps the first.
 */
export function languagesByInvocation(texts: Iterable<string>, paths: readonly string[]): Map<string, CodeLanguage> {
  const found = new Map<string, CodeLanguage>();
  if (paths.length === 0) return found;
  const names = [...new Set(paths.map((path) => path.slice(path.lastIndexOf('/') + 1)))];
  for (const text of texts) {
    // Most commands name none of the files: one search per name rules the text out.
    if (!names.some((name) => text.includes(name))) continue;
    INVOCATION.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = INVOCATION.exec(text)) !== null) {
      const target = match[2] ?? '';
      INVOCATION.lastIndex = match.index + match[0].length - target.length;
      const language = interpreterLanguage(match[1] ?? '');
      if (!language) continue;
      const path = bundlePath(target, paths);
      if (path !== undefined && !found.has(path)) found.set(path, language);
    }
    for (const fed of text.matchAll(FED_BY_REDIRECT)) note(fed[1] ?? '', fed[2] ?? '');
    for (const fed of text.matchAll(FED_BY_PIPE)) note(fed[2] ?? '', fed[1] ?? '');
  }
  return found;

  function note(interpreter: string, target: string): void {
    const language = interpreterLanguage(interpreter);
    const path = language ? bundlePath(target, paths) : undefined;
    if (language && path !== undefined && !found.has(path)) found.set(path, language);
  }
}

function interpreterLanguage(word: string): CodeLanguage | undefined {
  for (const [pattern, language] of INTERPRETERS) if (pattern.test(word)) return language;
  return undefined;
}

/** The bundle path a command names: `scripts/x`, `./scripts/x`, `${CLAUDE_SKILL_DIR}/scripts/x`, or `x`. */
function bundlePath(mentioned: string, paths: readonly string[]): string | undefined {
  const clean = mentioned.replace(/^(?:\$\w+\/|\.\/)/, '');
  if (clean === '' || clean.includes('..')) return undefined;
  return paths.find((path) => pathMatches(clean, path));
}
