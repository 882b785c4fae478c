import { programsOf, splitShellCommands, type ShellCommand, type ShellWord } from '../integrity/shell-words';
import type { CodeUnit, FileModel, SkillModel } from '../skill-model';
import { moveSpans, perUnit, type ResultMemo } from '../result-memo';
import { normaliseCommand } from './allowed-tools-grammar';

/**
 * The shell commands a skill tells the agent to run through its Bash tool: commands in shell
 * code fences and dynamic-context (`!`) commands, inline code that runs a bundled script or a
 * common command-line tool, and prose such as "run `python scripts/x.py`". What bundled scripts
 * run internally is not listed: the agent runs the script, not what is inside it, so only the
 * script invocation needs a grant.
 */
export interface NeededCommand {
  /** The command as written, whitespace collapsed, from its program word on. */
  readonly text: string;
  /** Unquoted words from the program on (redirections left out). */
  readonly words: readonly string[];
  readonly program: string;
  readonly file: string;
  /** Offsets of the command in `file`. */
  readonly start: number;
  readonly end: number;
  readonly origin: 'fence' | 'dynamic' | 'inline' | 'prose';
  /** Index in `words` of the bundled script the command runs, when it runs one. */
  readonly scriptWord?: number;
  /** The program is a literal name, not a variable or substitution. */
  readonly literal: boolean;
}

/** Commands the read-only or navigation kind that do not make a grant worth writing. */
const TRIVIAL_PROGRAMS: ReadonlySet<string> = new Set([
  'cd', 'pwd', 'echo', 'printf', 'ls', 'cat', 'head', 'tail', 'wc', 'which', 'type', 'sleep', 'date', 'clear',
  'read', 'source', '.', 'alias', 'whoami', 'true', 'false',
]);

/** Programs that run the script named by their next non-option argument. */
const SCRIPT_RUNNERS: ReadonlySet<string> = new Set([
  'python', 'python3', 'python2', 'py', 'node', 'nodejs', 'deno', 'bun', 'bash', 'sh', 'zsh', 'ruby', 'perl', 'php',
  'pwsh', 'powershell', 'tsx', 'ts-node', 'Rscript', 'uv', 'uvx', 'npx', 'osascript',
]);

/** Command-line tools that inline code such as `git status` names as something to run. */
const INLINE_TOOLS: ReadonlySet<string> = new Set([
  'git', 'gh', 'glab', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'pip', 'pip3', 'uv', 'uvx', 'poetry', 'python', 'python3',
  'node', 'deno', 'make', 'cargo', 'go', 'docker', 'kubectl', 'helm', 'terraform', 'az', 'aws', 'gcloud', 'curl', 'wget',
  'jq', 'pytest', 'ruff', 'black', 'eslint', 'prettier', 'tsc', 'dotnet', 'mvn', 'gradle', 'bash', 'sh',
]);

const PROGRAM_NAME = /^[\w.~/${}+@-]{1,120}$/;
const MAX_COMMANDS = 500;
const MAX_INLINE_LENGTH = 300;

export function isTrivialCommand(command: NeededCommand): boolean {
  return TRIVIAL_PROGRAMS.has(command.program);
}

/**
 * The commands of the skill, in file order. `scope` picks SKILL.md alone (what the agent is
 * told directly) or every Markdown file of the skill (reference files it may be sent to).
 */
export function commandsTheSkillRuns(model: SkillModel, scope: 'skill-md' | 'markdown', memo?: ResultMemo): NeededCommand[] {
  const inScope = (file: FileModel): boolean => file.kind === 'skill-md' || (scope === 'markdown' && file.kind === 'markdown');
  const bundled = bundledPaths(model);
  // Part of the key of every kept fence and inline-code result: built once per call, not per span.
  const bundledKey = [...bundled].join('\u0000');
  const found: NeededCommand[] = [];
  const add = (command: NeededCommand | undefined): void => {
    if (command && found.length < MAX_COMMANDS) found.push(command);
  };
  for (const unit of model.units) {
    if (unit.language !== 'bash' || unit.origin === 'script' || unit.origin === 'inline' || !inScope(unit.file)) continue;
    for (const command of fenceCommands(unit, bundled, bundledKey, memo)) add(command);
  }
  for (const file of model.files) {
    if (!inScope(file) || !file.markdown) continue;
    for (const code of file.markdown.inlineCode) {
      if (code.dynamic || code.contentEnd - code.contentStart > MAX_INLINE_LENGTH) continue;
      const command = inlineCommand(file.text.slice(code.contentStart, code.contentEnd), file, bundled, bundledKey, memo);
      if (command) add({ ...command, start: code.contentStart + command.start, end: code.contentStart + command.end });
    }
    for (const command of scriptRunsInProse(file, bundled)) add(command);
  }
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
}

/** Names the inline-code commands among the memo's results. */
const INLINE_COMMAND = {};

/**
 * The command an inline code span names, offsets relative to the span, or undefined when it
 * names none worth granting. It depends on the span's text, the file, and which scripts the skill
 * bundles; kept between scans, since a SKILL.md edit leaves almost every span as it was.
 */
function inlineCommand(content: string, file: FileModel, bundled: ReadonlySet<string>, bundledKey: string, memo: ResultMemo | undefined): NeededCommand | undefined {
  const entry = memo?.keyed(`inline-command\u0000${file.path}\u0000${bundledKey}\u0001${content}`);
  const id = memo?.idOf(INLINE_COMMAND) ?? -1;
  const kept = entry?.results.get(id) as NeededCommand | null | undefined;
  if (kept !== undefined) return kept ?? undefined;
  let command: NeededCommand | undefined;
  if (!/[\r\n]/.test(content)) {
    const first = splitShellCommands(content)[0];
    const found = first && fromShellCommand(first, content, file, 0, 'inline', bundled);
    if (found && (found.scriptWord !== undefined || (INLINE_TOOLS.has(found.program) && found.words.length >= 2))) command = found;
  }
  entry?.results.set(id, command ?? null);
  return command;
}

/** Names the fence commands among the memo's results. */
const FENCE_COMMANDS = {};

/**
 * The commands of one shell fence or `!` command. They depend on the unit and on which scripts
 * the skill bundles; kept between scans and moved with the fence.
 */
function fenceCommands(unit: CodeUnit, bundled: ReadonlySet<string>, bundledKey: string, memo: ResultMemo | undefined): readonly NeededCommand[] {
  const origin = unit.origin === 'dynamic' ? 'dynamic' : 'fence';
  const compute = (): NeededCommand[] => {
    const text = promptLinesOnly(unit.text);
    return splitShellCommands(text).flatMap((command) => fromShellCommand(command, text, unit.file, unit.start, origin, bundled) ?? []);
  };
  return perUnit(memo, Number.POSITIVE_INFINITY, unit, FENCE_COMMANDS, compute, moveSpans, `${origin}\u0000${bundledKey}`);
}

/** Relative paths of the skill's scripts, as a command would name them. */
function bundledPaths(model: SkillModel): ReadonlySet<string> {
  return new Set(model.files.filter((file) => file.kind === 'script' || SCRIPT_EXTENSION.test(file.path)).map((file) => file.path));
}

const SCRIPT_EXTENSION = /\.(?:py|sh|bash|zsh|js|mjs|cjs|ts|mts|rb|pl|php|ps1|r|R|lua|jl)$/;
/** A "program" with a document or data extension is a file listing or a path in prose, not a command. */
const DOCUMENT_EXTENSION = /\.(?:md|mdx|markdown|txt|json|ya?ml|toml|csv|tsv|xml|html?|css|png|jpe?g|gif|svg|pdf|docx?|xlsx?|pptx?|lock|log|ini|cfg|conf)$/i;

/** The bundled file a command word names, if any (`./scripts/x.py`, `${CLAUDE_SKILL_DIR}/scripts/x.py`). */
function bundledPathOf(word: string, bundled: ReadonlySet<string>): string | undefined {
  const path = normaliseCommand(word);
  return path !== '' && bundled.has(path) ? path : undefined;
}

/**
 * A console transcript (`$ git status` followed by output) keeps only its prompt lines, with the
 * prompt blanked; offsets stay those of the original text.
 */
function promptLinesOnly(text: string): string {
  if (!/^[ \t]*\$[ \t]/m.test(text)) return text;
  return text.replace(/^([^\n]*)$/gm, (line) => {
    const prompt = /^([ \t]*)\$([ \t])/.exec(line);
    return prompt ? `${prompt[1] as string} ${prompt[2] as string}${line.slice(prompt[0].length)}` : ' '.repeat(line.length);
  });
}

function fromShellCommand(
  command: ShellCommand,
  text: string,
  file: FileModel,
  offset: number,
  origin: NeededCommand['origin'],
  bundled: ReadonlySet<string>,
): NeededCommand | undefined {
  const program = programsOf(command)[0];
  if (!program) return undefined;
  const words = command.words.slice(program.index).filter((word) => !word.redirectTarget);
  const first = words[0] as ShellWord;
  const name = program.name;
  const literal = !/[$`]/.test(first.text) || bundledPathOf(first.text, bundled) !== undefined;
  if (literal && !PROGRAM_NAME.test(name)) return undefined;
  if (!/[A-Za-z]/.test(name) || DOCUMENT_EXTENSION.test(name)) return undefined;
  const last = command.words.reduce((end, word) => Math.max(end, word.end), first.end);
  const wordTexts = words.map((word) => word.text);
  return {
    text: normaliseSpaces(text.slice(first.start, last)),
    words: wordTexts,
    program: name,
    file: file.path,
    start: offset + first.start,
    end: offset + last,
    origin,
    literal,
    ...scriptWordOf(wordTexts, name, bundled),
  };
}

function scriptWordOf(words: readonly string[], program: string, bundled: ReadonlySet<string>): { scriptWord?: number } {
  if (bundledPathOf(words[0] ?? '', bundled) !== undefined) return { scriptWord: 0 };
  if (!SCRIPT_RUNNERS.has(program)) return {};
  // `python3 -u scripts/x.py`, `uv run scripts/x.py`, `npx tsx scripts/x.ts`: the first bundled argument.
  for (let i = 1; i < Math.min(words.length, 5); i++) {
    if (bundledPathOf(words[i] as string, bundled) !== undefined) return { scriptWord: i };
  }
  return {};
}

function normaliseSpaces(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** "Run python scripts/extract.py on the file": an interpreter followed by a bundled script in prose. */
const PROSE_SCRIPT_RUN =
  /\b(python3?|node|bash|sh|deno run|bun|ruby|perl|uv run)[ \t]{1,4}((?:\$\{?CLAUDE_SKILL_DIR\}?\/|\.\/)?[\w.-]{1,100}(?:\/[\w.-]{1,100}){0,8}\.(?:py|sh|js|mjs|cjs|ts|rb|pl))(?![\w/])/g;

function scriptRunsInProse(file: FileModel, bundled: ReadonlySet<string>): NeededCommand[] {
  const markdown = file.markdown;
  if (!markdown) return [];
  const commands: NeededCommand[] = [];
  for (const [from, to] of markdown.prose) {
    const text = file.text.slice(from, to);
    for (const match of text.matchAll(PROSE_SCRIPT_RUN)) {
      const script = match[2] as string;
      if (bundledPathOf(script, bundled) === undefined) continue;
      const runner = (match[1] as string).split(' ');
      const start = from + (match.index ?? 0);
      commands.push({
        text: `${match[1] as string} ${script}`,
        words: [...runner, script],
        program: runner[0] as string,
        file: file.path,
        start,
        end: start + match[0].length,
        origin: 'prose',
        literal: true,
        scriptWord: runner.length,
      });
      if (commands.length >= MAX_COMMANDS) return commands;
    }
  }
  return commands;
}
