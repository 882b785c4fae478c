import { afterWrapper, SYSTEM_BIN_PREFIX, wrapperNamed } from '../shell-wrappers';
/**
 * A small, linear shell tokenizer: splits Bash text into simple commands and their words, with
 * offsets, so the capability inventory can name the programs a skill runs. It understands what
 * changes where a command starts (quotes, escapes, comments, `;` `&` `|` and newlines, `$(…)`
 * and backtick substitutions, here-documents, redirections); it does not expand anything. Every
 * character is visited once and nesting is capped, so hostile text cannot make it slow.
 */

export interface ShellWord {
  /** The word with quotes and escapes removed; a substitution inside it reads `$(…)`. */
  readonly text: string;
  /** Offsets of the raw word in the scanned text. */
  readonly start: number;
  readonly end: number;
  /** The word is the target of a redirection (`> file`), not an argument. */
  readonly redirectTarget: boolean;
}

export interface ShellCommand {
  readonly words: readonly ShellWord[];
}

/** Substitutions nested deeper than this are read as plain text. */
const MAX_NESTING = 32;
/** Words kept per command: the inventory needs the program and a few arguments, not all. */
const MAX_WORDS = 64;
/** Characters kept per word. */
const MAX_WORD_CHARS = 4096;
/** Commands kept per text. */
const MAX_COMMANDS = 20_000;

/**
 * Characters with no meaning to the tokenizer, outside and inside double quotes. Runs are capped:
 * an unbounded `+` over a multi-megabyte line overflowed the regex engine's stack in a long-lived
 * process; the loop appends consecutive runs to the same word anyway.
 */
const PLAIN_RUN = /[^\s\\'"#$`()\n;&|<>]{1,4096}/y;
const DOUBLE_QUOTED_RUN = /[^\\"$`]{1,4096}/y;

interface Context {
  readonly kind: 'top' | 'dollar-paren' | 'backtick';
  words: ShellWord[];
  word: string;
  wordStart: number;
  /** Whether the word being built has any content (an empty quoted string counts). */
  inWord: boolean;
  inDouble: boolean;
  parenDepth: number;
  nextIsRedirectTarget: boolean;
  /** Set when the word being built follows a redirection operator. */
  wordIsRedirectTarget: boolean;
}

function newContext(kind: Context['kind']): Context {
  return {
    kind,
    words: [],
    word: '',
    wordStart: 0,
    inWord: false,
    inDouble: false,
    parenDepth: 0,
    nextIsRedirectTarget: false,
    wordIsRedirectTarget: false,
  };
}

export function splitShellCommands(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const stack: Context[] = [newContext('top')];
  const pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let context = stack[0] as Context;

  const appendChar = (ch: string, at: number): void => {
    if (!context.inWord) {
      context.inWord = true;
      context.wordStart = at;
      context.wordIsRedirectTarget = context.nextIsRedirectTarget;
      context.nextIsRedirectTarget = false;
    }
    // A word longer than this is data, not a command name: keep its start only.
    if (context.word.length < MAX_WORD_CHARS) context.word += ch.slice(0, MAX_WORD_CHARS - context.word.length);
  };
  const endWord = (at: number): void => {
    if (!context.inWord) return;
    if (context.words.length < MAX_WORDS) {
      context.words.push({ text: context.word, start: context.wordStart, end: at, redirectTarget: context.wordIsRedirectTarget });
    }
    context.word = '';
    context.inWord = false;
    context.wordIsRedirectTarget = false;
  };
  const endCommand = (at: number): void => {
    endWord(at);
    if (context.words.length > 0 && commands.length < MAX_COMMANDS) commands.push({ words: context.words });
    context.words = [];
  };
  const push = (kind: Context['kind']): boolean => {
    if (stack.length >= MAX_NESTING) return false;
    const inner = newContext(kind);
    stack.push(inner);
    context = inner;
    return true;
  };
  const pop = (at: number, placeholder: string): void => {
    endCommand(at);
    stack.pop();
    context = stack[stack.length - 1] as Context;
    appendChar(placeholder, at);
  };

  let i = 0;
  const length = text.length;
  while (i < length) {
    const ch = text[i] as string;
    const next = text[i + 1];

    if (context.inDouble) {
      if (ch === '\\' && next !== undefined) {
        if (next !== '\n') appendChar(next, i);
        i += 2;
      } else if (ch === '"') {
        context.inDouble = false;
        i++;
      } else if (ch === '$' && next === '(' && text[i + 2] !== '(' && push('dollar-paren')) {
        i += 2;
      } else if (ch === '`' && context.kind !== 'backtick' && push('backtick')) {
        i++;
      } else if (ch === '`' && context.kind === 'backtick') {
        pop(i, '$(…)');
        i++;
      } else {
        // Copy the run of ordinary characters at once: one append per run, not per character.
        DOUBLE_QUOTED_RUN.lastIndex = i;
        const run = DOUBLE_QUOTED_RUN.exec(text);
        const stop = run ? i + run[0].length : i + 1;
        appendChar(text.slice(i, stop), i);
        i = stop;
      }
      continue;
    }

    switch (ch) {
      case '\\':
        if (next === '\n') i += 2; // line continuation
        else if (next === '\r' && text[i + 2] === '\n') i += 3;
        else {
          if (next !== undefined) appendChar(next, i);
          i += 2;
        }
        continue;
      case "'": {
        // Single quotes: everything literal up to the next quote.
        appendChar('', i);
        const close = text.indexOf("'", i + 1);
        const stop = close === -1 ? length : close;
        context.word += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      case '"':
        appendChar('', i);
        context.inDouble = true;
        i++;
        continue;
      case '#':
        if (!context.inWord) {
          const lineEnd = text.indexOf('\n', i);
          i = lineEnd === -1 ? length : lineEnd;
          continue;
        }
        appendChar(ch, i);
        i++;
        continue;
      case '$':
        if (next === '(' && text[i + 2] === '(') {
          // `$((…))` is arithmetic, not a command.
          appendChar('$((…))', i);
          i = skipArithmetic(text, i + 1);
          continue;
        }
        if (next === '(') {
          // `$(…)`: a command of its own; the outer word keeps a placeholder.
          if (push('dollar-paren')) {
            i += 2;
            continue;
          }
        }
        appendChar(ch, i);
        i++;
        continue;
      case '`':
        if (context.kind === 'backtick') {
          pop(i, '$(…)');
          i++;
          continue;
        }
        if (push('backtick')) {
          i++;
          continue;
        }
        appendChar(ch, i);
        i++;
        continue;
      case '(':
        if (context.inWord && /[@?*+!]$/.test(context.word)) {
          // extglob such as `@(a|b)`: part of the word
          appendChar(ch, i);
          i++;
          continue;
        }
        if (context.words.length === 0 && !context.inWord) {
          if (next === '(') {
            i = skipArithmetic(text, i); // `(( i++ ))`
            continue;
          }
          context.parenDepth++;
          i++;
          continue;
        }
        if (isFunctionDefinition(context, text, i)) {
          context.word = '';
          context.inWord = false;
          context.words = [];
          i = text.indexOf(')', i) + 1;
          continue;
        }
        endCommand(i);
        context.parenDepth++;
        i++;
        continue;
      case ')':
        if (context.kind === 'dollar-paren' && context.parenDepth === 0) {
          pop(i, '$(…)');
          i++;
          continue;
        }
        if (context.parenDepth > 0) context.parenDepth--;
        endCommand(i);
        i++;
        continue;
      case '\n':
        endCommand(i);
        i++;
        if (pendingHeredocs.length > 0) i = skipHeredocBodies(text, i, pendingHeredocs.splice(0));
        continue;
      case ';':
      case '&':
      case '|':
        endCommand(i);
        i++;
        continue;
      case '<':
      case '>': {
        endWord(i);
        if (ch === '<' && next === '<' && text[i + 2] !== '<') {
          const heredoc = readHeredocDelimiter(text, i + 2);
          if (heredoc) {
            pendingHeredocs.push({ delimiter: heredoc.delimiter, stripTabs: heredoc.stripTabs });
            i = heredoc.end;
            continue;
          }
        }
        // Drop a file-descriptor number written just before the operator (`2>`).
        const last = context.words[context.words.length - 1];
        if (last && last.end === i && /^\d+$/.test(last.text)) context.words.pop();
        let j = i + 1;
        while (j < length && (text[j] === '>' || text[j] === '<' || text[j] === '&' || text[j] === '|')) j++;
        // `>&2` and friends name a descriptor, not a file.
        if (text[j - 1] === '&' && /\d|-/.test(text[j] ?? '')) {
          while (j < length && /[\d-]/.test(text[j] as string)) j++;
        } else {
          context.nextIsRedirectTarget = true;
        }
        i = j;
        continue;
      }
      case ' ':
      case '\t':
      case '\r':
        endWord(i);
        i++;
        continue;
      default: {
        PLAIN_RUN.lastIndex = i;
        const run = PLAIN_RUN.exec(text);
        const stop = run ? i + run[0].length : i + 1;
        appendChar(text.slice(i, stop), i);
        i = stop;
      }
    }
  }
  // Unclosed substitutions: flush from the innermost out.
  while (stack.length > 1) pop(length, '$(…)');
  endCommand(length);
  return commands;
}

/** From the first of two opening parentheses to just past the matching `))` (or the end). */
function skipArithmetic(text: string, from: number): number {
  let depth = 0;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return j + 1;
    } else if (ch === '\n') {
      // Arithmetic hardly ever spans lines; an unclosed `((` must not swallow the script.
      return j;
    }
  }
  return text.length;
}

function isFunctionDefinition(context: Context, text: string, at: number): boolean {
  if (!(context.words.length === 0 && context.inWord) && !(context.words.length === 1 && context.words[0]?.text === 'function')) {
    return false;
  }
  let j = at + 1;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return text[j] === ')';
}

function readHeredocDelimiter(text: string, from: number): { delimiter: string; stripTabs: boolean; end: number } | undefined {
  let j = from;
  const stripTabs = text[j] === '-';
  if (stripTabs) j++;
  while (text[j] === ' ' || text[j] === '\t') j++;
  const match = /^(['"]?)([A-Za-z0-9_.-]{1,64})\1/.exec(text.slice(j, j + 70));
  if (!match) return undefined;
  return { delimiter: match[2] as string, stripTabs, end: j + match[0].length };
}

/** Skips here-document bodies that start at `from`; returns the offset after the last terminator. */
function skipHeredocBodies(text: string, from: number, heredocs: readonly { delimiter: string; stripTabs: boolean }[]): number {
  let i = from;
  for (const heredoc of heredocs) {
    for (;;) {
      if (i >= text.length) return text.length;
      const lineEnd = text.indexOf('\n', i);
      const stop = lineEnd === -1 ? text.length : lineEnd;
      let line = text.slice(i, stop).replace(/\r$/, '');
      if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
      i = stop + 1;
      if (line === heredoc.delimiter) break;
    }
  }
  return Math.min(i, text.length);
}

/** Words that start a command but are not one. */
const SHELL_KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'case', 'esac', 'in', 'select',
  'function', '{', '}', '!', 'coproc', '$', '>', '%',
]);

/** Keywords whose whole command is syntax (`for x in …`), not a program. */
const SKIPPED_COMMANDS: ReadonlySet<string> = new Set(['[', '[[', 'test', 'for', 'case', 'select', 'function', 'return', 'exit', 'break', 'continue', 'local', 'declare', 'typeset', 'readonly', 'export', 'unset', 'shift', 'set', 'true', 'false', ':']);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

export interface ProgramWord {
  /** `curl`, `/usr/bin/curl` shortened to `curl`; a script path stays as written. */
  readonly name: string;
  readonly word: ShellWord;
  /** Index of the program word in its command. */
  readonly index: number;
}

/**
 * The programs a simple command runs: its first real word, after assignments, keywords and
 * wrappers such as `sudo` or `timeout 5` (a wrapper that matters, like `sudo`, is listed too).
 */
export function programsOf(command: ShellCommand): readonly ProgramWord[] {
  let programs = programCache.get(command);
  if (programs === undefined) {
    programs = findPrograms(command);
    programCache.set(command, programs);
  }
  return programs;
}

/** Several collectors ask for the programs of the same command. */
const programCache = new WeakMap<ShellCommand, readonly ProgramWord[]>();

function findPrograms(command: ShellCommand): ProgramWord[] {
  const programs: ProgramWord[] = [];
  const words = command.words;
  const texts = words.map((word) => word.text);
  let i = 0;
  while (i < words.length) {
    const word = words[i] as ShellWord;
    const text = word.text;
    if (word.redirectTarget || text === '' || ASSIGNMENT.test(text) || SHELL_KEYWORDS.has(text)) {
      i++;
      continue;
    }
    if (SKIPPED_COMMANDS.has(text)) return programs;
    const name = text.replace(SYSTEM_BIN_PREFIX, '');
    const wrapper = wrapperNamed(text);
    if (!wrapper) {
      if (!text.startsWith('-')) programs.push({ name: name.slice(0, 120), word, index: i });
      return programs;
    }
    if (wrapper.record) programs.push({ name, word, index: i });
    i = afterWrapper(texts, i);
  }
  return programs;
}
