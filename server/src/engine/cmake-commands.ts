/**
 * The command lines a CMake script runs through `execute_process` (at configure time) and
 * `add_custom_command`/`add_custom_target` (at build time), read from their `COMMAND` arguments.
 *
 * CMake hands each `COMMAND` its arguments as a program and its argument list, not as a string for
 * a shell, and `execute_process` joins its `COMMAND`s into a pipeline: the first's output is the
 * second's input. So `execute_process(COMMAND curl … COMMAND sh)` is `curl … | sh` written
 * without the bar. Each command line is given as a same-length rendering of its source, read as a
 * shell line: what is not an argument (comments, line breaks, the keywords between commands) is
 * blanked, and in a pipeline each `COMMAND` between two commands becomes a `|`. Offsets stay those
 * of the source, so findings point at the arguments as written.
 */
import type { LineRange } from './shell-lines';

/** A command line and the text to read it as: the source, same length, as a shell would take it. */
export interface RenderedRange extends LineRange {
  readonly text: string;
}

const COMMAND_CALL = /\b(?<name>execute_process|add_custom_command|add_custom_target)[ \t]*\(/gi;

/**
 * The keywords of the three commands that end a `COMMAND`'s arguments (CMake reads the same
 * words as keywords, not as arguments).
 */
const KEYWORDS: ReadonlySet<string> = new Set([
  'ALL', 'APPEND', 'BYPRODUCTS', 'CODEGEN', 'COMMAND_ECHO', 'COMMAND_ERROR_IS_FATAL', 'COMMAND_EXPAND_LISTS', 'COMMENT', 'DEPENDS',
  'DEPENDS_EXPLICIT_ONLY', 'DEPFILE', 'ECHO_ERROR_VARIABLE', 'ECHO_OUTPUT_VARIABLE', 'ENCODING', 'ERROR_FILE', 'ERROR_QUIET',
  'ERROR_STRIP_TRAILING_WHITESPACE', 'ERROR_VARIABLE', 'IMPLICIT_DEPENDS', 'INPUT_FILE', 'JOB_POOL', 'JOB_SERVER_AWARE',
  'MAIN_DEPENDENCY', 'OUTPUT', 'OUTPUT_FILE', 'OUTPUT_QUIET', 'OUTPUT_STRIP_TRAILING_WHITESPACE', 'OUTPUT_VARIABLE', 'POST_BUILD',
  'PRE_BUILD', 'PRE_LINK', 'RESULTS_VARIABLE', 'RESULT_VARIABLE', 'SOURCES', 'TARGET', 'TIMEOUT', 'USES_TERMINAL', 'VERBATIM',
  'WORKING_DIRECTORY',
]);

interface Token {
  readonly start: number;
  readonly end: number;
  /** The word as written, for unquoted arguments only (a quoted `"COMMAND"` is an argument). */
  readonly word?: string;
}

/** The command lines of every `COMMAND` in `text`, a CMake script; offsets relative to `text`. */
export function cmakeCommands(text: string): RenderedRange[] {
  const ranges: RenderedRange[] = [];
  // Calls do not nest: a name inside an earlier call's arguments (or after an unclosed one) is an
  // argument, and skipping it keeps many unclosed calls from each reading to the end.
  let readTo = 0;
  // A call in a comment runs nothing: calls are looked for with comments blanked.
  for (const call of withoutComments(text).matchAll(COMMAND_CALL)) {
    if ((call.index ?? 0) < readTo) continue;
    const open = (call.index ?? 0) + call[0].length;
    const { tokens, close } = argumentsOf(text, open);
    readTo = close;
    const groups: Command[] = [];
    let current: Command | undefined;
    for (const token of tokens) {
      if (token.word === 'COMMAND') {
        current = { keyword: token, args: [] };
        groups.push(current);
      } else if (token.word !== undefined && KEYWORDS.has(token.word)) current = undefined;
      else current?.args.push(token);
    }
    const commands = groups.filter((group) => group.args.length > 0);
    if (commands.length === 0) continue;
    if (call.groups?.name?.toLowerCase() === 'execute_process') ranges.push(render(text, commands, true));
    else for (const command of commands) ranges.push(render(text, [command], false));
  }
  return ranges;
}

/** A `COMMAND` keyword and the arguments after it. */
interface Command {
  readonly keyword: Token;
  readonly args: Token[];
}

/**
 * The source from the first argument of `commands` to the last, with every character outside an
 * argument blanked (a line break included, which would end a shell line) and, for a pipeline, the
 * `COMMAND` before each command but the first a `|`.
 */
function render(text: string, commands: readonly Command[], pipeline: boolean): RenderedRange {
  const start = commands[0]?.args[0]?.start ?? 0;
  const end = commands.at(-1)?.args.at(-1)?.end ?? start;
  const chars = Array.from({ length: end - start }, () => ' ');
  for (const [index, command] of commands.entries()) {
    for (const token of command.args) {
      for (let at = token.start; at < token.end; at++) {
        const char = text[at] ?? ' ';
        chars[at - start] = char === '\n' || char === '\r' ? ' ' : char;
      }
    }
    if (pipeline && index > 0) chars[command.keyword.start - start] = '|';
  }
  return { start, end, text: chars.join('') };
}

/**
 * The arguments of a call whose `(` ends just before `open`, to its closing parenthesis (`close`,
 * the text's end when there is none): quoted
 * (`"…"` with `\` escapes), bracket (`[[…]]`, `[=[…]=]`) and unquoted ones, in which parentheses
 * nest. Comments (`# …` and `#[[…]]`) are skipped. An unclosed call ends with the text.
 */
function argumentsOf(text: string, open: number): { tokens: Token[]; close: number } {
  const tokens: Token[] = [];
  let at = open;
  let depth = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (SPACE.has(text.charCodeAt(at))) {
      at++;
      continue;
    }
    // Parentheses inside the call nest, and are arguments of their own.
    if (char === ')' || char === '(') {
      if (char === ')' && depth === 0) break;
      depth += char === '(' ? 1 : -1;
      tokens.push({ start: at, end: at + 1, word: char });
      at++;
      continue;
    }
    if (char === '#') {
      const bracket = bracketClose(text, at + 1);
      at = bracket ?? lineEnd(text, at);
      continue;
    }
    const bracket = char === '[' ? bracketClose(text, at) : undefined;
    if (bracket !== undefined) {
      tokens.push({ start: at, end: bracket });
      at = bracket;
      continue;
    }
    if (char === '"') {
      const end = quotedEnd(text, at);
      tokens.push({ start: at, end });
      at = end;
      continue;
    }
    let end = at;
    while (end < text.length && !ENDS_UNQUOTED.has(text.charCodeAt(end))) end++;
    tokens.push({ start: at, end, word: text.slice(at, end) });
    at = end;
  }
  return { tokens, close: at };
}

/** White space between arguments. */
const SPACE: ReadonlySet<number> = new Set([...' \t\n\r\v\f'].map((char) => char.charCodeAt(0)));
/** Characters that end an unquoted argument: white space, parentheses, a comment, a quote. */
const ENDS_UNQUOTED: ReadonlySet<number> = new Set([...SPACE, ...[...'()#"'].map((char) => char.charCodeAt(0))]);

/**
 * `text` with its comments (`# …` to the line's end, `#[[…]]`) blanked, same length; `#` inside a
 * quoted or bracket argument is no comment.
 */
export function withoutComments(text: string): string {
  if (!text.includes('#')) return text;
  const parts: string[] = [];
  let copied = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === '"') {
      at = quotedEnd(text, at);
    } else if (char === '[') {
      at = bracketClose(text, at) ?? at + 1;
    } else if (char === '#') {
      const end = bracketClose(text, at + 1) ?? lineEnd(text, at);
      parts.push(text.slice(copied, at), text.slice(at, end).replace(/[^\n]/g, ' '));
      copied = end;
      at = end;
    } else at++;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The end of a quoted argument opening at `at` (past its closing quote; a backslash escapes the next character), or the text's end. */
function quotedEnd(text: string, at: number): number {
  let close = at + 1;
  while (close < text.length && text[close] !== '"') close += text[close] === '\\' ? 2 : 1;
  return Math.min(text.length, close + 1);
}

/** The end of a bracket argument or comment body opening at `at` (`[`, `=`s, `[`), or undefined when none opens there. */
function bracketClose(text: string, at: number): number | undefined {
  const opening = /^\[(=*)\[/.exec(text.slice(at, at + 64));
  if (!opening) return undefined;
  const closer = `]${opening[1] ?? ''}]`;
  const close = text.indexOf(closer, at + opening[0].length);
  return close === -1 ? text.length : close + closer.length;
}

function lineEnd(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline === -1 ? text.length : newline;
}
