import { fenceLabel, type CodeLanguage } from './markdown';
import { cmakeCommands } from './cmake-commands';

/**
 * Shell commands written inside a fence labelled as another language (`curl … | sh` in a
 * ```python block, `!pip install` notebook escapes). An agent follows the instruction whatever the
 * label says, and the labelled grammar cannot parse the line, so without this the command would
 * be seen by no rule at all.
 */

/** Notebook and IPython escapes that hand the rest of the line to a shell. */
const ESCAPE_PREFIX = /^[ \t]{0,40}(?:!|%%?(?:bash|sh|system)[ \t]+)?[ \t]{0,4}/;

/** Commands whose first word is unambiguous at the start of a line of Python or JavaScript. */
const SHELL_COMMAND = new RegExp(
  String.raw`^(?:sudo[ \t]+(?:-[A-Za-z]{1,4}[ \t]+){0,3})?` +
    String.raw`(?:curl|wget|nc|ncat|netcat|socat|bash|sh|zsh|chmod|chown|rm|crontab|apt-get|apt|brew|pip3?|npm|npx|yarn|pnpm|` +
    String.raw`git|mkdir|cp|mv|cat|echo|source|nohup|systemctl|launchctl|ssh|scp|rsync|base64|openssl|dig|nslookup|` +
    String.raw`xattr|osascript|powershell|pwsh|iwr|tar|unzip|dd|shred|useradd|usermod|history|kill|pkill|nmap)` +
    // The next character rules out identifiers and calls (`cat = 1`, `rm(x)`, `git.Repo`).
    String.raw`[ \t]+[^ \t=(.,:;\[\]{}+*/%<>!&|^~'")]`,
);

/** `export` and `source` are not commands in JavaScript and TypeScript modules. */
const JS_KEYWORD_LIKE = /^[ \t]*(?:export|source)[ \t]/;

export interface LineRange {
  readonly start: number;
  readonly end: number;
  /**
   * What to read as the command, when not the source itself: a rendering of the same length, so
   * offsets within it are offsets in the source (see `cmakeCommands`).
   */
  readonly text?: string;
}

/**
 * Shell-command lines (each with its `\` continuations) inside the text of a fence whose language
 * is Python, JavaScript or TypeScript. Offsets are relative to `text`.
 */
export function shellLinesInCode(text: string, language: CodeLanguage): LineRange[] {
  if (language !== 'python' && language !== 'javascript' && language !== 'typescript') return [];
  const ranges: LineRange[] = [];
  let offset = 0;
  let open: { start: number; end: number } | undefined;
  while (offset < text.length) {
    let lineEnd = text.indexOf('\n', offset);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(offset, Math.min(lineEnd, offset + 2000));
    const contentEnd = line.endsWith('\r') ? lineEnd - 1 : lineEnd;
    if (open) {
      // A continuation line of the command above.
      open.end = contentEnd;
    } else {
      const prefix = ESCAPE_PREFIX.exec(line)?.[0].length ?? 0;
      const rest = line.slice(prefix);
      const isCommand = SHELL_COMMAND.test(rest) && !(language !== 'python' && JS_KEYWORD_LIKE.test(rest));
      if (isCommand) open = { start: offset + prefix, end: contentEnd };
    }
    if (open && !/\\\r?$/.test(line)) {
      ranges.push(open);
      open = undefined;
    }
    offset = lineEnd + 1;
  }
  if (open) ranges.push(open);
  return ranges;
}

/**
 * Configuration fences whose strings a shell runs: container specs and compose files
 * (`command: ["sh", "-c", "…"]`), CI workflows (`run: |`) and Makefile recipes. The agent applies
 * them as written, so what they run is read like any other shell line. Dockerfile `RUN` lines are
 * left out: they run inside the image being built, where `useradd app` is good practice.
 */
const CONFIG_FENCE_LABELS: ReadonlySet<string> = new Set(['yaml', 'yml', 'json', 'jsonc', 'json5', 'makefile', 'make', 'mk', 'just', 'justfile']);

/**
 * `sh -c "…"` in any quoting: flow arrays (`"sh", "-c", "…"`), command strings (`bash -c '…'`) and
 * command strings inside JSON strings (`"bash -c \\"…\\""`).
 */
const SHELL_DASH_C = /(?<![\w/.-])(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["']?(?:\s*,\s*|[ \t]+)["']?-c["']?(?:\s*,\s*|[ \t]+)(?<quote>\\?["'])/g;
/** A YAML key whose value a shell runs, with the value on the same line or as a `|`/`>` block. */
const YAML_SHELL_KEY = /^(?<indent>[ \t]*)(?:-[ \t]+)?(?:run|script|command|entrypoint|cmd|before_script|after_script|postStart|preStop)[ \t]*:[ \t]*(?<value>[^\n]*)$/gm;
/** A shell key inside a flow mapping, `{…, command: "…"}`, up to its value's opening quote. */
const YAML_FLOW_SHELL_KEY = /[{,][ \t]*["']?(?:run|script|command|entrypoint|cmd)["']?[ \t]*:[ \t]*(?<quote>["'])/g;
/** A block-list item `- -c` whose next item is the command. */
const DASH_C_ITEM = /^[ \t]*-[ \t]+["']?-c["']?[ \t]*\r?\n(?<indent>[ \t]*)-[ \t]+(?<value>[^\n]*)$/gm;
/** A recipe line, after the prefixes make reads and the shell never sees: `@` (silent), `-` (ignore errors), `+`. */
const MAKE_RECIPE = /^\t(?<prefix>[@+\- \t]*)(?<value>[^\n]+)$/gm;
/** An indented line of a `just` recipe (a recipe's body is indented under its `name:` line). */
const JUST_RECIPE_LINE = /^(?<indent>[ \t]+)(?![ \t#])[^\n]+$/gm;
/**
 * A key whose value is a list of commands, one per item: GitLab CI's `script:`, `before_script:`
 * and `after_script:`, Taskfile's `cmds:`, Drone's and Woodpecker's `commands:`.
 */
const YAML_COMMAND_LIST_KEY = /^(?<indent>[ \t]*)(?:-[ \t]+)?(?:script|before_script|after_script|cmds|commands)[ \t]*:[ \t]*(?:#[^\n]*)?$/gm;
/** Shell commands inside a configuration fence labelled `info`; offsets relative to `text`. */
export function embeddedShellCommands(text: string, info: string): LineRange[] {
  const label = fenceLabel(info);
  if (!CONFIG_FENCE_LABELS.has(label)) return [];
  const found: LineRange[] = [];
  const add = (start: number, end: number): void => {
    let from = start;
    let to = end;
    while (from < to && /\s/.test(text[from] ?? '')) from++;
    while (to > from && /\s/.test(text[to - 1] ?? '')) to--;
    if (to > from) found.push({ start: from, end: to });
  };
  const unclosed = new Map<string, number>();
  for (const match of text.matchAll(SHELL_DASH_C)) {
    const quote = match.groups?.quote ?? '"';
    const start = (match.index ?? 0) + match[0].length;
    // Inside a string already read to the end of the text: part of that command.
    if (start >= (unclosed.get(quote) ?? Infinity)) continue;
    add(start, quotedEnd(text, start, quote, unclosed));
  }
  if (label === 'yaml' || label === 'yml') {
    for (const pattern of [DASH_C_ITEM, YAML_SHELL_KEY]) {
      // A block scalar's lines are its text, not YAML: a `run:` line inside one is part of the
      // script. Passing over them keeps the search linear without a limit on a block's length
      // (4,000 characters of `echo` lines once hid the dropper after them).
      let insideBlockUntil = -1;
      for (const match of text.matchAll(pattern)) {
        if ((match.index ?? 0) < insideBlockUntil) continue;
        const value = match.groups?.value ?? '';
        const valueStart = (match.index ?? 0) + match[0].length - value.length;
        const block = /^[|>][+-]?[ \t]*(?:#.*)?$/.test(value.trim());
        if (block) {
          const end = yamlBlockEnd(text, valueStart + value.length, (match.groups?.indent ?? '').length);
          insideBlockUntil = end;
          add(valueStart + value.length, end);
        } else if (value.trim() !== '' && !/^\[/.test(value.trim())) {
          // `command: "curl … | sh"`: the shell gets what is inside the quotes, not one quoted word.
          const quoted = /^([ \t]*)(["'])(.*)\2[ \t]*(?:#.*)?$/.exec(value);
          if (quoted) add(valueStart + (quoted[1] ?? '').length + 1, valueStart + (quoted[1] ?? '').length + 1 + (quoted[3] ?? '').length);
          else add(valueStart, valueStart + value.length);
        }
      }
    }
    // Flow style, `{type: command, command: "curl … | sh"}`: the quoted value after the key.
    for (const match of text.matchAll(YAML_FLOW_SHELL_KEY)) {
      const quote = match.groups?.quote ?? '"';
      const start = (match.index ?? 0) + match[0].length;
      if (start >= (unclosed.get(quote) ?? Infinity)) continue;
      add(start, quotedEnd(text, start, quote, unclosed));
    }
  }
  if (label === 'yaml' || label === 'yml') {
    let listedUntil = -1;
    for (const match of text.matchAll(YAML_COMMAND_LIST_KEY)) {
      if ((match.index ?? 0) < listedUntil) continue;
      listedUntil = commandListItems(text, (match.index ?? 0) + match[0].length, (match.groups?.indent ?? '').length, add);
    }
  }
  if (label === 'just' || label === 'justfile') {
    for (const match of text.matchAll(JUST_RECIPE_LINE)) add((match.index ?? 0) + (match.groups?.indent ?? '').length, (match.index ?? 0) + match[0].length);
  }
  if (label === 'makefile' || label === 'make' || label === 'mk') {
    for (const match of text.matchAll(MAKE_RECIPE)) add((match.index ?? 0) + 1 + (match.groups?.['prefix'] ?? '').length, (match.index ?? 0) + match[0].length);
  }
  return distinct(found);
}

/**
 * Each range once, in order. A range inside another is kept: the `sh -c "…"` string inside a
 * `command:` value is a command line of its own (a quadratic search for ranges inside earlier ones
 * once needed a limit on their count, which let the two hundred and first command pass unread).
 */
function distinct(ranges: readonly LineRange[]): LineRange[] {
  const seen = new Set<string>();
  const kept: LineRange[] = [];
  for (const range of ranges) {
    const key = `${range.start}:${range.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(range);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Where a string opened by `quote` just before `start` closes (backslash escapes skipped), however
 * long it is: `unclosed` notes, per quote, a start from which no closing quote follows, so that the
 * caller can pass over a later string opened by the same quote (it could only close where the
 * earlier one would have) and the search stays linear. Commands of configuration files are read
 * whole, however many there are (two hundred harmless CI steps, or 4,000 characters of a `run:`
 * block or an `sh -c` string, once pushed a dropper out of the analysis).
 */
function quotedEnd(text: string, start: number, quote: string, unclosed: Map<string, number>): number {
  const limit = text.length;
  if (quote.length > 1) {
    // An escaped quote opened it, inside an outer string: the matching escaped quote closes it.
    const close = text.indexOf(quote, start);
    if (close === -1) unclosed.set(quote, start);
    return close === -1 || close > limit ? limit : close;
  }
  for (let i = start; i < limit; i++) {
    const char = text[i];
    if (char === '\\' && quote === '"') i++;
    else if (char === quote) return i;
  }
  unclosed.set(quote, start);
  return limit;
}

/** End of a YAML block scalar starting after `from`: the last line indented deeper than `indent`. */
/**
 * The items of the block list that follows a key at `keyIndent` (from `from`, the end of the key's
 * line), each a command handed to `add`: a plain or quoted scalar, or a block scalar (`- |`). An
 * item that is a map (`- task: lint`) is not a command; its own keys are read by the key
 * patterns. Returns where the list ends.
 */
function commandListItems(text: string, from: number, keyIndent: number, add: (start: number, end: number) => void): number {
  let listIndent = -1;
  let offset = from;
  let end = from;
  while (offset < text.length) {
    const lineStart = text[offset] === '\n' ? offset + 1 : offset;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    offset = lineEnd;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    const item = /^[ \t]*-[ \t]+/.exec(line);
    if (listIndent === -1) {
      // A list may sit at its key's own indentation (`script:` then `- …` under it).
      if (!item || indent < keyIndent) break;
      listIndent = indent;
    }
    if (indent > listIndent) {
      end = lineEnd;
      continue;
    }
    if (!item || indent < listIndent) break;
    end = lineEnd;
    const valueStart = lineStart + item[0].length;
    const value = line.slice(item[0].length);
    if (/^[|>][+-]?[ \t]*(?:#.*)?$/.test(value.trim())) {
      const blockEnd = yamlBlockEnd(text, lineEnd, indent);
      add(lineEnd, blockEnd);
      offset = Math.max(offset, blockEnd);
      end = Math.max(end, blockEnd);
    } else if (!/^[\w.-]{1,60}[ \t]*:(?:[ \t]|$)/.test(value) && !/^[[{]/.test(value)) {
      // Quotes around a scalar are YAML's, not the shell's.
      const quoted = /^(["'])(.*)\1[ \t]*(?:#.*)?$/.exec(value);
      const start = quoted ? valueStart + 1 : valueStart;
      add(start, quoted ? start + (quoted[2] ?? '').length : lineEnd);
    }
  }
  return end;
}

function yamlBlockEnd(text: string, from: number, indent: number): number {
  let end = from;
  let offset = text.indexOf('\n', from);
  while (offset !== -1 && offset < text.length) {
    const lineStart = offset + 1;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (line.trim() !== '') {
      const lineIndent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
      if (lineIndent <= indent) break;
      end = lineEnd;
    }
    offset = lineEnd < text.length ? lineEnd : -1;
  }
  return end;
}

const MARKUP_FENCE_LABELS: ReadonlySet<string> = new Set(['html', 'htm', 'xhtml', 'vue', 'svelte', 'liquid', 'erb', 'ejs', 'handlebars', 'hbs', 'jinja', 'jinja2', 'php']);
const SCRIPT_ELEMENT = /<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*["']?(?:text\/(?:template|x-template|html|plain)|application\/(?:ld\+)?json|importmap)\b)[^>]{0,300}>/gi;

/**
 * Inline `<script>` elements of a markup fence (an HTML page, a template, a component), as
 * JavaScript; offsets relative to `text`. A snippet the skill tells the agent to paste into a page
 * runs in every visitor's browser, so it is read like any other script.
 */
export function embeddedScriptBlocks(text: string, info: string): LineRange[] {
  const label = fenceLabel(info);
  if (!MARKUP_FENCE_LABELS.has(label)) return [];
  const ranges: LineRange[] = [];
  // Lower-cased once: once per element made many elements cost the square of the text.
  const lowered = text.toLowerCase();
  for (const match of text.matchAll(SCRIPT_ELEMENT)) {
    const start = (match.index ?? 0) + match[0].length;
    const close = lowered.indexOf('</script', start);
    const end = close === -1 ? text.length : close;
    if (text.slice(start, end).trim() !== '') ranges.push({ start, end });
  }
  return ranges;
}

/** Compiled languages read as text: Go, Rust, Java, Kotlin, Swift, C#, C, C++, Scala, Dart, Groovy, Julia, R. */
const COMPILED_LANGUAGE_LABELS: ReadonlySet<string> = new Set(['go', 'golang', 'rs', 'rust', 'java', 'kt', 'kts', 'kotlin', 'swift', 'cs', 'csharp', 'c', 'cc', 'cpp', 'c++', 'scala', 'dart', 'groovy', 'jl', 'julia', 'r', 'R']);
/**
 * A shell given `-c` and its command through a builder's calls, as Rust and others write it:
 * `Command::new("sh").arg("-c").arg("…")`, `.args(&["-c", "…"])`. The comma form
 * (`exec.Command("sh", "-c", "…")`, `new ProcessBuilder("bash", "-c", "…")`) is
 * {@link SHELL_DASH_C}'s. The opening quote of the command ends the match.
 */
const SHELL_ARG_C = /(?<![\w/.-])(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["'][ \t]{0,5}\)[ \t]{0,5}\.args?\([ \t]{0,5}(?:&?\[|vec!\[)?[ \t]{0,5}["']-c["'][ \t]{0,5}(?:\)[ \t]{0,5}\.arg\(|,)[ \t]{0,5}(?<quote>["'])/g;

/**
 * Where a command line starts in a file a system or script host runs, by label; the match ends
 * where the command begins. AppleScript's `do shell script "…"`, VBScript's `shell.Run "…"` and
 * `.Exec("…")`, a desktop entry's or systemd unit's `Exec=`/`ExecStart=` line (its prefix flags
 * `-@:+!` dropped), and a launchd plist's program arguments `sh`, `-c`, then the command.
 */
const LAUNCHER_COMMAND: Readonly<Record<'applescript' | 'vbscript' | 'desktop' | 'plist', RegExp>> = {
  applescript: /\bdo[ \t]{1,5}shell[ \t]{1,5}script[ \t]{1,5}(?<quote>")/g,
  vbscript: /\.(?:Run|Exec)[ \t]{0,5}\(?[ \t]{0,5}(?<quote>")/gi,
  desktop: /^[ \t]*(?:Exec|TryExec|ExecStart(?:Pre|Post)?|ExecStop(?:Post)?|ExecReload|ExecCondition)[ \t]*=[ \t]*[-@:+!]{0,4}/gm,
  plist: /<string>[ \t]*(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh[ \t]*<\/string>\s{0,40}<string>[ \t]*-c[ \t]*<\/string>\s{0,40}<string>/g,
};
/** The labels of the files whose commands {@link LAUNCHER_COMMAND} finds, and which of its patterns each takes. */
const LAUNCHER_KIND: Readonly<Record<string, keyof typeof LAUNCHER_COMMAND>> = {
  applescript: 'applescript', osascript: 'applescript', vbs: 'vbscript', vbscript: 'vbscript', wsf: 'vbscript', desktop: 'desktop', service: 'desktop', plist: 'plist',
};
/** Build scripts whose commands are handed to a shell the way compiled helpers do (`sh -c "…"`, `'sh', '-c', '…'`). */
const BUILD_SCRIPT_LABELS: ReadonlySet<string> = new Set(['cmake', 'gradle']);
/**
 * Languages with no grammar here whose scripts still shell out (Ruby, Perl, PHP, Lua, Tcl, awk,
 * the compiled languages), build scripts, and the files a system or script host runs (see
 * {@link LAUNCHER_KIND}): their scripts and fences are read as text, and the strings they hand to
 * a shell as shell lines.
 */
const SHELL_OUT_LABELS: ReadonlySet<string> = new Set(['ruby', 'rb', 'perl', 'pl', 'pm', 'php', 'lua', 'tcl', 'awk', 'gawk', ...COMPILED_LANGUAGE_LABELS, ...BUILD_SCRIPT_LABELS, ...Object.keys(LAUNCHER_KIND)]);
/** A call that hands its string argument to a shell; the opening quote ends the match. */
const SHELL_OUT_CALL = /(?<![\w$@>-])(?:system|exec|spawn|popen|shell_exec|passthru|proc_open|os\.execute|io\.popen|IO\.popen|Open3\.(?:capture[23e]?|popen[23]|pipeline\w*)|Kernel\.(?:system|exec|spawn))[ \t]*\(?[ \t]*(?<quote>["'])/g;
/**
 * Backticks, and `%x(…)`/`qx{…}` with any paired or repeated delimiter, on one line. A backtick
 * string stops at the next backtick, so an unclosed one is scanned once, to its line's end.
 */
const SHELL_OUT_QUOTED = /`(?<backtick>[^`\n]+)`|(?<![\w$@])(?:%x|qx)[ \t]*(?<open>[({[<|/!])/g;
const CLOSING: Readonly<Record<string, string>> = { '(': ')', '{': '}', '[': ']', '<': '>' };

/**
 * The shell commands a script in one of {@link SHELL_OUT_LABELS} runs; offsets relative to `text`.
 * A CMake script's `COMMAND`s come with the shell line they amount to (see `cmakeCommands`).
 */
export function shellOutCommands(text: string, label: string): LineRange[] {
  if (!SHELL_OUT_LABELS.has(label)) return [];
  const ranges: LineRange[] = [];
  const add = (start: number, end: number): void => {
    if (end > start && text.slice(start, end).trim() !== '') ranges.push({ start, end });
  };
  const launcher = LAUNCHER_KIND[label];
  if (launcher) return launcherCommands(text, launcher);
  // A command is read to its closing quote or its line's end, however long (4,000 characters of
  // padding once hid the `| sh` after them).
  const quoted = new LineCloser(text);
  for (const match of text.matchAll(SHELL_OUT_CALL)) {
    const start = (match.index ?? 0) + match[0].length;
    const quote = match.groups?.quote ?? '"';
    add(start, quoted.close(start, quote, quote === '"'));
  }
  if (label === 'cmake') ranges.push(...cmakeCommands(text));
  if (COMPILED_LANGUAGE_LABELS.has(label) || BUILD_SCRIPT_LABELS.has(label)) {
    const commands = new LineCloser(text);
    const starts: { start: number; quote: string }[] = [];
    for (const pattern of [SHELL_DASH_C, SHELL_ARG_C]) {
      for (const match of text.matchAll(pattern)) {
        const quote = match.groups?.quote ?? '';
        if (quote === '"' || quote === "'") starts.push({ start: (match.index ?? 0) + match[0].length, quote });
      }
    }
    for (const { start, quote } of starts.sort((a, b) => a.start - b.start)) add(start, commands.close(start, quote, quote === '"'));
  }
  const delimited = new LineCloser(text);
  for (const match of text.matchAll(SHELL_OUT_QUOTED)) {
    const at = match.index ?? 0;
    const backtick = match.groups?.backtick;
    if (backtick !== undefined) {
      add(at + 1, at + 1 + backtick.length);
      continue;
    }
    const open = match.groups?.open ?? '(';
    const start = at + match[0].length;
    add(start, delimited.close(start, CLOSING[open] ?? open, false));
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** The commands a launcher file hands to a shell (see {@link LAUNCHER_COMMAND}): each to its closing quote, `</string>` or line end. */
function launcherCommands(text: string, kind: keyof typeof LAUNCHER_COMMAND): LineRange[] {
  const ranges: LineRange[] = [];
  const quoted = new LineCloser(text);
  for (const match of text.matchAll(LAUNCHER_COMMAND[kind])) {
    const start = (match.index ?? 0) + match[0].length;
    const lineEnd = text.indexOf('\n', start);
    let end: number;
    if (kind === 'plist') {
      const close = text.indexOf('</string>', start);
      end = close === -1 ? (lineEnd === -1 ? text.length : lineEnd) : close;
    } else if (kind === 'desktop') {
      end = lineEnd === -1 ? text.length : lineEnd;
    } else {
      // AppleScript escapes a quote with a backslash; VBScript doubles it, which reads as the end.
      end = quoted.close(start, '"', kind === 'applescript');
    }
    if (end > start && text.slice(start, end).trim() !== '') ranges.push({ start, end });
  }
  return ranges;
}

/**
 * Where a string opened on a line closes on that line, for starts in increasing order: the line's
 * end when it does not. A start past one from which a closer was already missing on the same line
 * is answered without a scan, so many unclosed strings on one long line are read once.
 */
class LineCloser {
  private lineEnd = -1;
  private readonly missingFrom = new Map<string, number>();

  constructor(private readonly text: string) {}

  close(start: number, closer: string, escapes: boolean): number {
    if (start > this.lineEnd) {
      const newline = this.text.indexOf('\n', start);
      this.lineEnd = newline === -1 ? this.text.length : newline;
      this.missingFrom.clear();
    }
    if (start >= (this.missingFrom.get(closer) ?? Infinity)) return this.lineEnd;
    for (let i = start; i < this.lineEnd; i++) {
      const char = this.text[i];
      if (char === '\\' && escapes) i++;
      else if (char === closer) return i;
    }
    this.missingFrom.set(closer, start);
    return this.lineEnd;
  }
}

/** `cat > path.py <<'PY'`, `tee -a hook.sh <<EOF`: a here-document written into a script file. */
const PLANTED_HEREDOC = /(?:^|[;&|(]|\s)(?:cat|tee)(?:[ \t]+-a)?[ \t]*>{0,2}[ \t]*["']?(?<path>[^\s"'<>|;&]{1,300}\.(?<ext>py|pyw|js|mjs|cjs|sh|bash|zsh))["']?[ \t]*<<-?[ \t]*(?<quote>["']?)(?<tag>[A-Za-z_][\w-]{0,40})\k<quote>[^\n]{0,200}\n/g;
const PLANTED_LANGUAGES: Readonly<Record<string, 'python' | 'javascript' | 'bash'>> = {
  py: 'python', pyw: 'python', js: 'javascript', mjs: 'javascript', cjs: 'javascript', sh: 'bash', bash: 'bash', zsh: 'bash',
};

const NON_BLANK = /\S/g;

/** The start of each line that could be a here-document's end tag, by its trimmed text, in order. */
function linesByText(text: string): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  for (let offset = 0; offset < text.length; ) {
    const lineEnd = text.indexOf('\n', offset);
    const stop = lineEnd === -1 ? text.length : lineEnd;
    const trimmed = text.slice(offset, stop).trim();
    if (trimmed.length > 0 && trimmed.length <= 41) {
      const starts = lines.get(trimmed);
      if (starts) starts.push(offset);
      else lines.set(trimmed, [offset]);
    }
    offset = stop + 1;
  }
  return lines;
}

export interface PlantedScript extends LineRange {
  readonly language: 'python' | 'javascript' | 'bash';
}

/**
 * Scripts a shell script or fence writes out through a here-document (an IPython startup file, a
 * git hook, a helper it runs later): the skill's code as much as the shell around it, so they are
 * read in their own language. Offsets relative to `text`; the body ends at the tag's line.
 */
export function plantedScripts(text: string): PlantedScript[] {
  if (!text.includes('<<')) return [];
  const found: PlantedScript[] = [];
  // Where each possible end tag stands alone on a line, found in one pass; each here-document then
  // ends at the first such line after it. Scanning on from each header instead cost the square of
  // the text when tags never closed, which a limit of twenty scripts kept down and which let a
  // twenty-first pass unread.
  let tagLines: Map<string, number[]> | undefined;
  const passed = new Map<string, number>();
  // Bodies may nest (a planted script that plants another); in all, they may hold the text a few
  // times over, not as many times as there are headers.
  let budget = 4 * text.length;
  for (const match of text.matchAll(PLANTED_HEREDOC)) {
    const language = PLANTED_LANGUAGES[(match.groups?.['ext'] ?? '').toLowerCase()];
    const tag = match.groups?.['tag'];
    if (!language || !tag) continue;
    const start = (match.index ?? 0) + match[0].length;
    tagLines ??= linesByText(text);
    const lines = tagLines.get(tag) ?? [];
    let at = passed.get(tag) ?? 0;
    while (at < lines.length && (lines[at] ?? 0) < start) at++;
    passed.set(tag, at);
    const end = lines[at] ?? text.length;
    budget -= end - start;
    if (budget < 0) break;
    NON_BLANK.lastIndex = start;
    if ((NON_BLANK.exec(text)?.index ?? end) < end) found.push({ start, end, language });
  }
  return found;
}
