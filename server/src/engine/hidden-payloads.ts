import { notebookCode, type LineOrigins } from './notebooks';
import { declaredDeceptiveEncoding, decodeSource } from './source-encoding';
import { programIndex, unwrapCommand, WRAPPER_NAMES } from './shell-wrappers';
import { hiddenCharacters } from './display-text';
import { decodedLiteralsOf } from './checks/encoded-literal';
import { runsOf } from './checks/invisible-unicode';
import { unitsOf, type FileModel, type SkillModel } from './skill-model';
import { escapeRegExp } from './matchers/regex-util';
import { commandWordsOf, programFileName, readsProgramFromStdin, segments } from './dataflow/shell-text';
import { unescapeJavaScript, unescapePython } from './dataflow/string-escapes';
import { toolDescriptionRanges } from './instructions/roles';

/**
 * Text a skill hides from review: base64 and hex literals, strings spelled with character codes
 * (`chr(99)+chr(117)…`, `String.fromCharCode(…)`), runs of escape sequences (`"\x63\x75…"`), and
 * constant strings cut into short pieces (`"cu"+"rl"+" -s"`). Also code carried as data: a JSON
 * string value that is a script (a workflow's function node, a config's `customFunction`) is run
 * by whatever tool reads the document, yet no code rule sees it as written. So is a shell command
 * written as a string and handed to a shell (`os.system("curl … | sh")`, `exec('…')`,
 * `bash -c "…"`) or as an argument list (`subprocess.run(["pip", "install", …])`): the shell rules
 * read shell code, not another language's literals. And so is text behind invisible characters,
 * and a shell line whose path or host sits in a variable the unit assigns. The engine decodes or
 * rewrites each one and scans the result with the same rules, reporting what it finds at the
 * literal (or line).
 */

export type HidingKind = 'base64' | 'hex' | 'character codes' | 'escape sequences' | 'string pieces' | 'json value' | 'shell string' | 'invisible characters' | 'shell variables' | 'shell expansion' | 'shell quoting' | 'inline program' | 'command list' | 'look-alike letters' | 'link title' | 'notebook cell' | 'declared encoding' | 'identifier spelling' | 'built command' | 'command wrapper' | 'here-document' | 'program text' | 'reversed string' | 'base32' | 'rot13' | 'split word' | 'note to the agent' | 'tool description';

export interface HiddenPayload {
  /** The skill file (posix, relative to the skill root) that holds the literal. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly how: HidingKind;
  readonly text: string;
  /** The file name the text is scanned under, when its surroundings say what it is. */
  readonly scanAs?: string;
  /**
   * Where each line of `text` came from, when it was assembled from many places (notebook cells):
   * a finding is then reported at its own line's origin rather than across the whole payload.
   */
  readonly lines?: LineOrigins;
}

export interface HiddenPayloadLimits {
  readonly maxPayloads: number;
  readonly maxDecodedChars: number;
}

/**
 * Each payload is scanned again as a skill of its own, so the count is bounded; past it a payload
 * is not dropped in silence but counted, and the scan says the skill was only partly analysed.
 * The benign corpus's largest count of one kind in a skill is 104 (JSON values).
 */
const DEFAULT_LIMITS: HiddenPayloadLimits = { maxPayloads: 500, maxDecodedChars: 512 * 1024 };
/** Shorter decoded text cannot hold a command worth reporting. */
const MIN_DECODED = 8;

const CHR_CHAIN = /\bchr\(\s{0,3}(?:0x[0-9a-fA-F]{1,6}|\d{1,7})\s{0,3}\)(?:\s{0,3}\+\s{0,3}chr\(\s{0,3}(?:0x[0-9a-fA-F]{1,6}|\d{1,7})\s{0,3}\)){3,2000}/g;
const CODE_LIST =
  /(?:\bString\.fromCharCode\(\s{0,3}(?:\.\.\.\s{0,3})?\[?|\bmap\(\s{0,3}chr\s{0,3},\s{0,3}[[(]|\bchr\(\w{1,20}\)\s{1,3}for\s{1,3}\w{1,20}\s{1,3}in\s{1,3}[[(]|\bbytes(?:array)?\(\s{0,3}[[(])\s{0,3}((?:(?:0x[0-9a-fA-F]{1,6}|\d{1,7})\s{0,3},\s{0,3}){3,4000}(?:0x[0-9a-fA-F]{1,6}|\d{1,7}))/g;
/**
 * A string literal written backwards and turned around where it is used: Python `'…'[::-1]`,
 * JavaScript `'…'.split('').reverse().join('')` and `[...'…'].reverse().join('')`, Ruby
 * `'…'.reverse`, PHP `strrev('…')`. Group `body` is the literal's text.
 */
const REVERSED_LITERAL =
  /(?<quote>["'`])(?<body>[^"'`\\\n]{8,4000})\k<quote>\s{0,3}(?:\[\s{0,3}::\s{0,3}-1\s{0,3}\]|\.split\(\s{0,3}(["'`])\3\s{0,3}\)\s{0,3}\.reverse\(\s{0,3}\)|\.reverse\b(?!\s{0,3}\())|(?:\[\s{0,3}\.\.\.|\bstrrev\(\s{0,3})(?<spread>["'`])(?<spreadBody>[^"'`\\\n]{8,4000})\k<spread>/g;
/** A literal handed to Python's rot13 codec: `codecs.decode('phey …', 'rot13')` (encode is the same map). */
const ROT13_LITERAL = /\bcodecs\.(?:de|en)code\(\s{0,3}(["'])([^"'\\\n]{8,4000})\1\s{0,3},\s{0,3}(?:encoding\s{0,3}=\s{0,3})?["']rot[_-]?13["']/g;
/** A literal handed to Python's base32 decoder: `base64.b32decode('MNZXE3BA…')`. */
const BASE32_LITERAL = /\bb32decode\(\s{0,3}[bB]?(["'])([A-Z2-7=\s]{16,20000})\1/g;
const ESCAPE_RUN = /(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\}|\\[0-7]{3}){8,4000}/g;
const STRING_PIECES = /(?:(["'])[^"'\\\n]{0,40}\1\s{0,3}\+\s{0,3}){2,200}(["'])[^"'\\\n]{0,40}\2/g;
/**
 * A list of one- and two-character strings, `['c', 'u', 'r', 'l', …]`, assigned and joined later
 * (`''.join(p)`): a word spelled out a letter at a time, which no reader would write by hand.
 */
const LETTER_LIST = /\[\s{0,3}(?:(["'])[^"'\\\n]{0,2}\1\s{0,3},\s{0,3}){7,4000}(["'])[^"'\\\n]{0,2}\2\s{0,3},?\s{0,3}\]/g;
/**
 * A list of words turned around and joined where it is written: JavaScript
 * `[…].reverse().join(' ')`, Python `' '.join([…][::-1])` and `' '.join(reversed([…]))`. Group
 * `items` is the list's inside; `before` and `after` the separator; a list without one of the
 * three reversals is not one.
 */
const REVERSED_LIST =
  /(?:(?<beforeQuote>["'])(?<before>[^"'\\\n]{0,3})\k<beforeQuote>\.join\(\s{0,3}(?:(?<reversed>reversed)\(\s{0,3})?)?\[(?<items>(?:\s{0,3}(?<itemQuote>["'])[^"'\\\n]{0,200}\k<itemQuote>\s{0,3},){1,200}\s{0,3}(?<lastQuote>["'])[^"'\\\n]{0,200}\k<lastQuote>\s{0,3},?\s{0,3})\](?:\s{0,3}\.reverse\(\s{0,3}\)\s{0,3}\.join\(\s{0,3}(?<afterQuote>["'`])(?<after>[^"'`\\\n]{0,3})\k<afterQuote>|\s{0,3}\[\s{0,3}::\s{0,3}-1\s{0,3}\])?/g;
/** The contents of the quoted strings a `+` chain matched by {@link STRING_PIECES} or {@link LONG_PIECES} joins. */
function quotedPieces(chain: string): string[] {
  return [...chain.matchAll(/(["'])([^"'\\\n]*)\1/g)].map((m) => m[2] as string);
}

/** Concatenations of long pieces are line wrapping, not hiding. */
const MAX_MEAN_PIECE = 6;
/**
 * Pieces of any length joined with `+`: wrapping or not, a credential split across them
 * (`"sk-ant-api03-" + "Qx7v…"`) is as hard-coded as one written whole. Read only when the joined
 * text starts with a key's prefix.
 */
const LONG_PIECES = /(?:(["'])[^"'\\\n]{1,200}\1\s{0,3}\+\s{0,3}){1,20}(["'])[^"'\\\n]{1,200}\2/g;
const KEY_PREFIX_PIECE = /["'](?:sk-|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza|hf_|npm_|pypi-|rk_live_|sk_live_)/;
const KEY_PREFIX = /^(?:sk-|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza|hf_|npm_|pypi-|rk_live_|sk_live_)[\w-]{16,}$/;

/**
 * A key written as a list joined with a short separator: `"_".join(["ghp", "…"])` in Python,
 * `['ghp', '…'].join('_')` in JavaScript. Reported only when the joined text is a key.
 */
const PYTHON_JOINED_LIST = /(["'])(?<separator>[^"'\\\n]{0,3})\1\s{0,3}\.join\(\s{0,3}[[(]\s{0,3}(?<items>(?:(["'])[^"'\\\n]{1,200}\4\s{0,3},\s{0,3}){1,20}(["'])[^"'\\\n]{1,200}\5)\s{0,3},?\s{0,3}[\])]\s{0,3}\)/g;
const SCRIPT_JOINED_LIST = /\[\s{0,3}(?<items>(?:(["'])[^"'\\\n]{1,200}\2\s{0,3},\s{0,3}){1,20}(["'])[^"'\\\n]{1,200}\3)\s{0,3},?\s{0,3}\]\s{0,3}\.join\(\s{0,3}(["'])(?<separator>[^"'\\\n]{0,3})\4\s{0,3}\)/g;

function number(text: string): number {
  return text.startsWith('0x') || text.startsWith('0X') ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10);
}

function fromCodes(codes: readonly number[]): string | undefined {
  if (codes.some((code) => !Number.isFinite(code) || code < 0 || code > 0x10ffff)) return undefined;
  return String.fromCodePoint(...codes.slice(0, 100_000));
}

function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (letter) => {
    const base = letter <= 'Z' ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, undefined when the text is not base32 or does not decode to text. */
function fromBase32(text: string): string | undefined {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of text.replace(/[\s=]+/g, '')) {
    const digit = BASE32_ALPHABET.indexOf(char);
    if (digit === -1) return undefined;
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  return /[\x00-\x08\x0e-\x1f\ufffd]/.test(decoded) ? undefined : decoded;
}

function unescape(run: string): string {
  return run.replace(/\\x([0-9a-fA-F]{2})|\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\([0-7]{3})/g, (_all, hex2: string, brace: string, hex4: string, octal: string) => {
    const code = hex2 ? Number.parseInt(hex2, 16) : brace ? Number.parseInt(brace, 16) : hex4 ? Number.parseInt(hex4, 16) : Number.parseInt(octal, 8);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** A JSON string literal long enough to hold a command; escapes kept for JSON.parse. */
const JSON_STRING = /"((?:[^"\\\n]|\\.){16,20000})"(?!\s{0,20}:)/g;
const JSON_FENCE_INFO: ReadonlySet<string> = new Set(['json', 'jsonc', 'json5']);

/** The JSON documents of a file: the file itself, or a Markdown file's `json` fences. */
function* jsonDocuments(file: FileModel): Generator<{ readonly start: number; readonly text: string }> {
  if (/\.json[c5]?$/i.test(file.path)) {
    yield { start: 0, text: file.text };
    return;
  }
  for (const fence of file.markdown?.fences ?? []) {
    if (JSON_FENCE_INFO.has(fence.info)) yield { start: fence.contentStart, text: file.text.slice(fence.contentStart, fence.contentEnd) };
  }
}

/** String values (not keys) of JSON documents that read as code in a scripting language. */
function* codeInJsonValues(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  for (const document of jsonDocuments(file)) {
    for (const match of document.text.matchAll(JSON_STRING)) {
      let value: unknown;
      try {
        value = JSON.parse(match[0]);
      } catch {
        continue;
      }
      if (typeof value !== 'string' || decodedFileName(value) === 'decoded.md') continue;
      const start = document.start + match.index;
      yield { start, end: start + match[0].length, how: 'json value', text: value };
    }
  }
}

/**
 * The start of a call that hands a string literal to a shell, up to and including the literal's
 * opening quote (group `quote`), by the language of the code around it: `os.system("`,
 * `subprocess.run(["bash", "-c", "`, `execSync(\``, `bash -c '`. The literal itself is read by
 * {@link stringLiteralAt}, so the search stays linear whatever the file holds.
 */
const SHELL_CALL_HEADS: Readonly<Record<'python' | 'javascript' | 'bash', RegExp>> = {
  python:
    /\b(?<call>os\.(?:system|popen)|__import__\([ \t]{0,5}["']os["'][ \t]{0,5}\)\.(?:system|popen)|(?:subprocess|sp)\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|commands\.getoutput)\([ \t]{0,20}(?<list>\[[ \t]{0,20}["'](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["'][ \t]{0,20},[ \t]{0,20}["']-c["'][ \t]{0,20},[ \t]{0,20})?[rRuUfF]{0,2}(?<quote>["'])/g,
  javascript:
    /\b(?<call>exec|execSync|spawn|spawnSync|execaCommand|execaCommandSync)\([ \t]{0,20}(?<list>["'](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["'][ \t]{0,20},[ \t]{0,20}\[[ \t]{0,20}["']-c["'][ \t]{0,20},[ \t]{0,20})?(?<quote>["'`])/g,
  // `sh -c '…'` (also by path, inside another command: `launchctl submit -- /bin/sh -c '…'`),
  // `eval '…'`, AppleScript's `do shell script "…"` and Terminal's `do script "…"`, and programs
  // that hand a string to a shell: `su [user] -c`, `runuser -c`, `sg group -c`, `script -qc`,
  // `flock lockfile -c`, `watch [-n 60]`.
  bash: /(?:^|[\s;&|(]|(?<=["'])(?=do[ \t]))(?<call>(?:\/usr)?(?:\/bin\/)?(?:ba|z|da|k)?sh[ \t]{1,10}-c|do[ \t]{1,5}(?:shell[ \t]{1,5})?script|eval|(?:su|runuser)(?:[ \t]{1,10}(?:-[a-z]{1,3}|--[a-z-]{2,20}|[a-z_][\w-]{0,31})){0,3}?[ \t]{1,10}(?:-c|--command)|sg[ \t]{1,10}[\w-]{1,32}[ \t]{1,10}-c|script(?:[ \t]{1,10}-[a-zA-Z]{1,5}){0,3}?[ \t]{1,10}-[a-zA-Z]{0,5}c|flock[ \t]{1,10}[^\s'"]{1,200}?[ \t]{1,10}-c|watch(?:[ \t]{1,10}-[a-zA-Z]{1,3}(?:[ \t]{1,10}\d{1,6}(?:\.\d{1,3})?)?){0,4})[ \t]{1,10}(?<quote>["'])/gm,
};
/**
 * Python's exec and spawn families and `pty.spawn` replace or start a program from its path and
 * arguments (`os.execv('/bin/sh', ['sh', '-c', '…'])`, `os.execl('/bin/sh', 'sh', '-c', '…')`,
 * `pty.spawn(['bash', '-c', '…'])`): when the program is a shell given `-c`, the next literal is a
 * command string. The path and mode arguments before it are skipped, up to a bound.
 */
/**
 * A Python shell call handed over as a function with its command beside it, to run later or in
 * another thread or process: `atexit.register(os.system, "…")`, `threading.Timer(5, os.system,
 * ["…"])`, `Thread(target=subprocess.run, args=("…",))`, `functools.partial(os.system, "…")`,
 * `multiprocessing.Process(target=os.system, args=("…",))`, an executor's `submit(os.system, "…")`,
 * `loop.run_in_executor(None, os.system, "…")`, `map(os.system, ["…"])`.
 */
const PYTHON_DEFERRED_HEAD =
  /\b(?<call>(?:atexit\.)?register|(?:functools\.)?partial|(?:threading\.)?Timer|(?:threading\.)?Thread|(?:multiprocessing\.)?Process|(?:asyncio\.)?to_thread|(?<=[\w)]\.)(?:submit|apply_async|run_in_executor)|map)\((?<list>[^\n]{0,60}?(?:target[ \t]{0,3}=[ \t]{0,3})?(?:os\.system|os\.popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput))[ \t]{0,5},[ \t]{0,5}(?:args[ \t]{0,3}=[ \t]{0,3})?[([]?[ \t]{0,5})[rRuUfF]{0,2}(?<quote>["'])/g;
/** python-crontab's job command, a shell line cron runs: `cron.new(command='…')`. */
const PYTHON_CRON_HEAD = /\b(?<call>[\w.]{1,40}\.new)\((?<list>[ \t]{0,5}command[ \t]{0,3}=[ \t]{0,3})[rRuUfF]{0,2}(?<quote>["'])/g;
const PYTHON_EXEC_HEAD =
  /\b(?<call>os\.(?:exec|spawn)[lv]p?e?|os\.posix_spawnp?|pty\.spawn)\((?<list>[^\n]{0,120}?["'](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["'][ \t]{0,20},[ \t]{0,20}["']-c["'][ \t]{0,20},[ \t]{0,20})[rRuUfF]{0,2}(?<quote>["'])/g;
/**
 * Python libraries that hand a string to a shell: invoke's and Fabric's `run`/`sudo` (`c.run('…')`,
 * `from invoke import run`), pexpect (`pexpect.spawn('bash -c "…"')`), and a shell given `-c`
 * through the `sh` package (`sh.bash('-c', '…')`) or plumbum (`local['sh']['-c', '…']`).
 */
const PYTHON_LIBRARY_HEAD =
  /(?<![\w.])(?<call>(?:invoke\.)?run|(?:c|ctx|context|conn|connection|host)\.(?:run|sudo|local)|pexpect\.(?:spawnu?|run|runu)|(?:sh\.(?:ba|z|da|k)?sh\(|local\[[ \t]{0,5}["'](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["'][ \t]{0,5}\]\[)[ \t]{0,5}["']-c["'][ \t]{0,5},)\(?[ \t]{0,20}(?<list>)[rRuUfF]{0,2}(?<quote>["'])/g;
/**
 * zx's and Bun's shell, a tagged template: `` await $`curl … | sh` ``, `` Bun.$`…` ``. What the
 * template holds is a command line.
 */
const JAVASCRIPT_TEMPLATE_SHELL_HEAD = /(?<![\w$.])(?<call>(?:Bun\.)?\$)(?<list>)(?<quote>`)/g;
/**
 * JavaScript calls that start a program from its path and arguments (`execFileSync('/bin/bash',
 * ['-c', '…'])`, `Bun.spawn(['sh', '-c', '…'])`, `new Deno.Command('bash', { args: ['-c', '…'] })`):
 * when the program is a shell given `-c`, the next literal is a command string.
 */
/**
 * A child_process call handed over as a function with its command beside it, run later:
 * `setTimeout(execSync, 1000, '…')`, `setImmediate(cp.exec, '…')`, `process.nextTick(execSync, '…')`.
 */
const JAVASCRIPT_DEFERRED_HEAD =
  /\b(?<call>setTimeout|setInterval|setImmediate|process\.nextTick)\((?<list>[^\n]{0,80}?\b(?:execSync|exec)[ \t]{0,5},(?:[ \t]{0,5}\d{1,9}[ \t]{0,5},)?[ \t]{0,5})(?<quote>["'`])/g;
const JAVASCRIPT_EXEC_HEAD =
  /\b(?<call>execFile(?:Sync)?|execa(?:Sync)?|Bun\.spawn(?:Sync)?|Deno\.run|Deno\.Command)\((?<list>[^\n]{0,120}?["'](?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh["'][^\n]{0,40}?["']-c["'][ \t]{0,20},[ \t]{0,20})(?<quote>["'`])/g;
/**
 * A program handed to an interpreter on a shell command line (`python3 -c "…"`, `node -e '…'`,
 * `powershell -NoProfile -Command "…"`): the quoted text is code in the interpreter's language,
 * read as such. Up to four options may come first, each with at most one word of value.
 */
const INLINE_PROGRAM_HEAD =
  /(?:^|[\s;&|(`])(?<interpreter>python[0-9.]{0,5}|pypy3?|node|nodejs|bun|deno[ \t]{1,10}eval|powershell(?:\.exe)?|pwsh)(?:[ \t]{1,10}-(?!c\b|e\b|p\b|-eval\b|-print\b|command\b)[A-Za-z]{1,20}(?:[ \t]{1,10}(?![-"'])[A-Za-z]{1,20}(?=[ \t]))?){0,4}[ \t]{1,10}(?<flag>-c|-e|-p|--eval|--print|-command)?[ \t]{0,10}(?<quote>["'])/gim;
const MAX_COMMAND_STRING = 4000;
const MIN_COMMAND_STRING = 8;

/**
 * The string literal whose opening quote is at `open`: its body and the offset just past its
 * closing quote, or undefined when it does not close within `limit` characters (or, unless it is
 * a template literal or `spansLines` says so, on its line).
 */
function stringLiteralAt(text: string, open: number, spansLines = false, limit = MAX_COMMAND_STRING): { readonly body: string; readonly end: number } | undefined {
  const quote = text[open];
  const multiline = spansLines || quote === '`';
  const end = Math.min(text.length, open + 1 + limit);
  for (let at = open + 1; at < end; at++) {
    const char = text[at];
    if (char === '\\') at++;
    else if (char === quote) return { body: text.slice(open + 1, at), end: at + 1 };
    else if (char === '\n' && !multiline) return undefined;
  }
  return undefined;
}

/** `subprocess.run("…")` passes the string through a shell only with `shell=True` (or `sh -c`). */
function handsToShell(call: string, listForm: boolean, restOfLine: string): boolean {
  if (listForm || !/^(?:subprocess|sp)\.(?:run|call|check_call|check_output|Popen)$/.test(call)) return true;
  return /\bshell[ \t]{0,5}=[ \t]{0,5}True\b/.test(restOfLine);
}

/** The text the shell receives, for the escapes a command string commonly holds. */
function unquoteShellString(body: string): string {
  return body.replace(/\\(.)/g, (_all, escaped: string) => (escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped));
}

/**
 * The text a string literal of `language` holds, its body opening at `open` in `text`: after the
 * language's escapes (`'c\x75rl'` is `curl`; a Python raw string keeps its backslashes), or the
 * backslashes a shell would take off where the language is another.
 */
function literalText(text: string, open: number, body: string, language: string | undefined): string {
  if (language === 'python') return unescapePython(body, /[rRbBfFuU]{1,2}$/.exec(text.slice(Math.max(0, open - 2), open))?.[0] ?? '');
  if (language === 'javascript') return unescapeJavaScript(body);
  return unquoteShellString(body);
}

/** The code of a file, with where it starts and its language: the script itself, or each fence. */
interface CodePiece {
  readonly start: number;
  readonly text: string;
  readonly language: string | undefined;
  /** Inline code in a sentence: only the programs it gives an interpreter are read from it (see `codeInShellStrings`). */
  readonly inSentence?: boolean;
}

function codePieces(file: FileModel): CodePiece[] {
  const pieces: CodePiece[] = [];
  if (file.kind === 'script') pieces.push({ start: 0, text: file.text, language: file.language });
  for (const fence of file.markdown?.fences ?? []) {
    pieces.push({ start: fence.contentStart, text: file.text.slice(fence.contentStart, fence.contentEnd), language: fence.language });
  }
  // Inline code the model reads as a command line (`python3 -c "…"` in a sentence), and
  // dynamic-context commands, which run as the skill loads: the file's units of those origins.
  for (const unit of file.markdown ? unitsOf(file) : []) {
    if (unit.origin === 'inline' || unit.origin === 'dynamic') pieces.push({ start: unit.start, text: unit.text, language: unit.language, inSentence: unit.origin === 'inline' });
  }
  return pieces;
}

/** A call that runs a program from an argument list: `subprocess.run([…])`, `spawn('pip', […])`. */
const COMMAND_LIST_HEADS: Readonly<Record<'python' | 'javascript', RegExp>> = {
  python: /\b(?:subprocess|sp)\.(?:run|call|check_call|check_output|Popen)\([ \t]{0,20}\[/g,
  javascript: /\b(?:spawn|spawnSync|execFile|execFileSync|execa|execaSync)\([ \t]{0,20}(?=["'`])/g,
};
const MAX_LIST_ITEMS = 60;

/**
 * The string literals of a list that starts at `at` (`"pip", "install", …]`), or undefined when an
 * item is not a plain literal: a variable argument may be anything, so the command is not known.
 */
function literalListAt(text: string, at: number, close: string, language?: string): { readonly items: string[]; readonly end: number } | undefined {
  const items: string[] = [];
  let index = at;
  while (items.length < MAX_LIST_ITEMS) {
    while (index < text.length && /\s/.test(text[index] ?? '')) index++;
    if (text[index] === close) return { items, end: index + 1 };
    const quote = text[index];
    if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
    const literal = stringLiteralAt(text, index);
    if (!literal || (quote === '`' && literal.body.includes('${'))) return undefined;
    items.push(literalText(text, index, literal.body, language));
    index = literal.end;
    while (index < text.length && /\s/.test(text[index] ?? '')) index++;
    if (text[index] === ',') index++;
  }
  return undefined;
}

/** Just past the `)` that closes the call whose arguments continue at `from`, within a few hundred characters. */
function closingParen(text: string, from: number): number | undefined {
  let depth = 0;
  const limit = Math.min(text.length, from + 500);
  for (let index = from; index < limit; index++) {
    const char = text[index];
    if (char === '"' || char === "'" || char === '`') {
      const literal = stringLiteralAt(text, index);
      if (!literal) return undefined;
      index = literal.end - 1;
    } else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) return char === ')' ? index + 1 : undefined;
      depth--;
    }
  }
  return undefined;
}

/** An argument as a shell would need it written: quoted when it holds spaces or shell syntax. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * Programs run from an argument list (`subprocess.run(["pip", "install", "--index-url", URL, …])`)
 * written out as the shell command they amount to, so the shell rules that know `pip`, `curl` or
 * `git` read them too.
 */
function* commandsInArgumentLists(piece: { readonly start: number; readonly text: string }, language: 'python' | 'javascript'): Generator<Omit<HiddenPayload, 'file'>> {
  const head = new RegExp(COMMAND_LIST_HEADS[language]);
  let match: RegExpExecArray | null;
  while ((match = head.exec(piece.text)) !== null) {
    let at = match.index + match[0].length;
    const words: string[] = [];
    if (language === 'javascript') {
      const program = stringLiteralAt(piece.text, at);
      if (!program) continue;
      words.push(literalText(piece.text, at, program.body, language));
      const comma = /^\s*,\s*\[/.exec(piece.text.slice(program.end, program.end + 40));
      at = program.end + (comma ? comma[0].length : 0);
      if (comma) {
        const list = literalListAt(piece.text, at, ']', language);
        if (!list) continue;
        words.push(...list.items);
        at = list.end;
      }
    } else {
      const list = literalListAt(piece.text, at, ']', language);
      if (!list) continue;
      words.push(...list.items);
      at = list.end;
    }
    head.lastIndex = Math.max(head.lastIndex, at);
    at = closingParen(piece.text, at) ?? at;
    // `["bash", "-c", "…"]` is a command string, read as one already.
    if (words.length < 2 || /^(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh$/.test(words[0] ?? '')) continue;
    const text = words.map(shellWord).join(' ');
    yield { start: piece.start + match.index, end: piece.start + at, how: 'command list', text, scanAs: 'command.sh' };
  }
}

function* codeInShellStrings(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  for (const piece of codePieces(file)) {
    const language = piece.language === 'typescript' ? 'javascript' : piece.language;
    if (language !== 'python' && language !== 'javascript' && language !== 'bash') continue;
    // A command string in a sentence's inline code is read where it stands, with its line (a
    // heading's command is not an order), by the rules over inline code; the program it hands to
    // an interpreter is another language, which no rule over it reads.
    if (piece.inSentence) {
      if (language === 'bash') yield* inlinePrograms(piece);
      continue;
    }
    if (language !== 'bash') yield* commandsInArgumentLists(piece, language);
    const heads = language === 'python' ? [SHELL_CALL_HEADS.python, PYTHON_EXEC_HEAD, PYTHON_DEFERRED_HEAD, PYTHON_CRON_HEAD, PYTHON_LIBRARY_HEAD] : language === 'javascript' ? [SHELL_CALL_HEADS.javascript, JAVASCRIPT_EXEC_HEAD, JAVASCRIPT_TEMPLATE_SHELL_HEAD, JAVASCRIPT_DEFERRED_HEAD] : [SHELL_CALL_HEADS.bash];
    for (const pattern of heads) {
      yield* shellStringsAfter(piece, new RegExp(pattern), language);
    }
    if (language === 'bash') {
      yield* inlinePrograms(piece);
      yield* wrappedCommands(piece);
      yield* programsInHereDocuments(piece);
      yield* wordsSplitAcrossLines(piece);
    }
  }
}

/**
 * A shell command run through wrappers (`timeout 5 cat ~/.ssh/id_rsa`, `sudo -u root nohup …`),
 * from its first wrapper to the end of its line (and its continuation lines).
 */
const WRAPPED_COMMAND = new RegExp(`(?:^|[;&|(]|\\$\\()[ \\t]*(?<command>(?:/usr(?:/local)?)?(?:/s?bin/)?(?:${WRAPPER_NAMES.map(escapeRegExp).join('|')})[ \\t]+[^\\s])`, 'gm');

/**
 * Commands that run their program through wrappers, with the wrappers taken off: the rules that
 * name a program by its first word (`cat` of a key, `iptables -F`, `crontab`) read the command
 * as the wrapper runs it. The wrappers themselves are still read where they stand (`sudo`,
 * `nohup … &`).
 */
function* wrappedCommands(piece: { readonly start: number; readonly text: string }): Generator<Omit<HiddenPayload, 'file'>> {
  // A wrapper later on a line already taken is read inside that payload's own scan.
  let taken = 0;
  for (const match of piece.text.matchAll(WRAPPED_COMMAND)) {
    const begin = (match.index ?? 0) + match[0].length - (match.groups?.['command'] ?? '').length;
    if (begin < taken) continue;
    let end = piece.text.indexOf('\n', begin);
    while (end !== -1 && piece.text[end - 1] === '\\') end = piece.text.indexOf('\n', end + 1);
    if (end === -1) end = piece.text.length;
    const command = piece.text.slice(begin, end);
    const unwrapped = unwrapCommand(command);
    if (unwrapped === command || unwrapped.trim().length < MIN_COMMAND_STRING) continue;
    taken = end;
    yield { start: piece.start + begin, end: piece.start + end, how: 'command wrapper', text: unwrapped, scanAs: 'command.sh' };
  }
}

const MAX_MARKERS_PER_LINE = 4;
const MAX_MARKER_CONTEXT = 1000;
/** A here-document's marker (`<<EOF`, `<<-'EOF'`, `<< "END"`; not a here-string's `<<<`). */
const HEREDOC_MARKER = /(?<!<)<<(?<strip>-?)[ \t]*(?:'(?<single>[^'\n]{1,40})'|"(?<double>[^"\n]{1,40})"|\\?(?<bare>[A-Za-z_][\w.-]{0,39}))/g;

/**
 * Here-documents that a shell or an interpreter reads as its program (`bash <<EOF`, `sudo sh -s
 * <<'EOF'`, `python3 - <<EOF`, `cat <<EOF | bash`): the body is code in that language, which the
 * rules over the script read as text only. Each line is reported where it stands.
 */
function* programsInHereDocuments(piece: { readonly start: number; readonly text: string }): Generator<Omit<HiddenPayload, 'file'>> {
  const { text } = piece;
  const marker = new RegExp(HEREDOC_MARKER);
  let match: RegExpExecArray | null;
  let markersOnLine = 0;
  let markerLine = -1;
  while ((match = marker.exec(text)) !== null) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const lineEnd = text.indexOf('\n', match.index);
    if (lineEnd === -1) return;
    // A few markers per line, each read with a bounded stretch of its line, keep a long line of
    // markers linear; a real command line holds one or two.
    markersOnLine = lineStart === markerLine ? markersOnLine + 1 : 1;
    markerLine = lineStart;
    if (markersOnLine > MAX_MARKERS_PER_LINE) {
      marker.lastIndex = lineEnd;
      continue;
    }
    // Only a body a program reads is walked, and the search goes on past it: so each line is
    // walked once however many markers there are. A marker in a comment or a string reads as no
    // command and does not hide what follows.
    const before = text.slice(Math.max(lineStart, match.index - MAX_MARKER_CONTEXT), match.index);
    const after = text.slice(match.index + match[0].length, Math.min(lineEnd, match.index + match[0].length + MAX_MARKER_CONTEXT));
    const program = hereDocumentReader(before, after);
    if (program === undefined) continue;
    const delimiter = match.groups?.['single'] ?? match.groups?.['double'] ?? match.groups?.['bare'] ?? '';
    const stripTabs = match.groups?.['strip'] === '-';
    const lines: { start: number; end: number }[] = [];
    let at = lineEnd + 1;
    while (at < text.length) {
      const next = text.indexOf('\n', at);
      const end = next === -1 ? text.length : next;
      const line = text.slice(at, end);
      if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) break;
      lines.push({ start: at, end });
      at = end + 1;
    }
    marker.lastIndex = Math.max(marker.lastIndex, Math.min(at, text.length));
    const body = lines.map((line) => (stripTabs ? text.slice(line.start, line.end).replace(/^\t+/, '') : text.slice(line.start, line.end))).join('\n');
    if (body.trim().length < MIN_COMMAND_STRING) continue;
    yield {
      start: piece.start + lineStart,
      end: piece.start + (lines[lines.length - 1]?.end ?? lineEnd),
      how: 'here-document',
      text: body,
      scanAs: programFileName(program),
      lines: lines.map((line) => ({ start: piece.start + line.start, end: piece.start + line.end })),
    };
  }
}

/**
 * The shell or interpreter that reads a here-document as its program, from the text of its line
 * before and after the marker: the command the marker is given to (`sudo bash -s <<EOF`), or the
 * command a plain `cat` pipes it to (`cat <<EOF | python3 -`). Undefined when neither reads it so.
 */
function hereDocumentReader(before: string, after: string): string | undefined {
  const receiving = segments(commandWordsOf(before.replace(/^.*(?:&&|\|\||[;({]|\$\()/, ''))).pop() ?? [];
  // Words after the marker belong to the same command up to a pipe or a list separator.
  const rest = commandWordsOf(after);
  const cut = rest.findIndex((word) => word === '|' || word === ';' || word === '&');
  const words = [...receiving, ...(cut === -1 ? rest : rest.slice(0, cut))];
  if (readsProgramFromStdin(words)) return programOfWords(words);
  const unwrapped = words.slice(programIndex(words, { stdinOnly: true }));
  if (unwrapped[0] !== 'cat' || unwrapped.slice(1).some((word) => word !== '-') || rest[0] !== '|') return undefined;
  const next = segments(rest)[0] ?? [];
  return readsProgramFromStdin(next) ? programOfWords(next) : undefined;
}

function programOfWords(words: readonly string[]): string {
  return words[programIndex(words, { stdinOnly: true })] ?? '';
}

/** A backslash and line break between two characters of one word (`cu\` then `rl …`). */
const SPLIT_WORD = /[^\s\\]\\\r?\n[^\s]/g;

/**
 * Command lines whose words a backslash and line break cut in two (`cu\` at the end of one line,
 * `rl -s … | s\` and `h` on the next): the shell joins the lines before it reads the words, so
 * the line is scanned joined, as the shell reads it.
 */
function* wordsSplitAcrossLines(piece: { readonly start: number; readonly text: string }): Generator<Omit<HiddenPayload, 'file'>> {
  const { text } = piece;
  let done = -1;
  for (const match of text.matchAll(SPLIT_WORD)) {
    if (match.index < done) continue;
    const start = text.lastIndexOf('\n', match.index) + 1;
    let end = text.indexOf('\n', match.index + 1);
    while (end !== -1 && text[end - 1] === '\\') end = text.indexOf('\n', end + 1);
    if (end === -1) end = text.length;
    done = end;
    const joined = text.slice(start, end).replace(/\\\r?\n/g, '');
    if (joined.trim().length >= MIN_COMMAND_STRING) yield { start: piece.start + start, end: piece.start + end, how: 'split word', text: joined, scanAs: 'command.sh' };
  }
}

/** Programs given to Python, PowerShell or a JavaScript runtime with `-c`, `-e` or `eval`, as code of that language. */
function* inlinePrograms(piece: { readonly start: number; readonly text: string }): Generator<Omit<HiddenPayload, 'file'>> {
  // The interpreter, when the match gives it its program; the program is read in its language.
  const interpreterOf = (match: RegExpExecArray): string | undefined => {
    const interpreter = (match.groups?.['interpreter'] ?? '').toLowerCase();
    const language = interpreter.startsWith('py') ? 'python' : interpreter.startsWith('powershell') || interpreter === 'pwsh' ? 'powershell' : 'javascript';
    // `deno eval` takes the program with no flag; Python and PowerShell after `-c` (or
    // `-Command`), the JavaScript runtimes after `-e`, `-p`, `--eval` or `--print`.
    const flag = match.groups?.['flag']?.toLowerCase();
    const takesProgram = interpreter.startsWith('deno') || (language === 'javascript' ? flag !== undefined && flag !== '-c' && flag !== '-command' : flag === '-c' || (language === 'powershell' && flag === '-command'));
    return takesProgram ? interpreter : undefined;
  };
  for (const { match, open, literal, kind: interpreter } of literalsAfter(piece.text, new RegExp(INLINE_PROGRAM_HEAD), true, interpreterOf)) {
    if (literal.body.length < MIN_COMMAND_STRING) continue;
    const text = match.groups?.['quote'] === "'" ? literal.body : unquoteShellString(literal.body);
    yield { start: piece.start + open, end: piece.start + literal.end, how: 'inline program', text, scanAs: programFileName(interpreter) };
  }
}

/** The command strings that follow each match of `head` in `piece` and reach a shell. */
function* shellStringsAfter(piece: { readonly start: number; readonly text: string }, head: RegExp, language: string): Generator<Omit<HiddenPayload, 'file'>> {
  for (const { match, open, literal } of literalsAfter(piece.text, head, false, () => true)) {
    const lineEnd = piece.text.indexOf('\n', literal.end);
    const restOfLine = piece.text.slice(literal.end, Math.min(lineEnd === -1 ? piece.text.length : lineEnd, literal.end + 200));
    if (literal.body.length < MIN_COMMAND_STRING || !handsToShell(match.groups?.['call'] ?? '', match.groups?.['list'] !== undefined, restOfLine)) continue;
    // A command string is shell code whatever it starts with.
    yield { start: piece.start + open, end: piece.start + literal.end, how: 'shell string', text: literalText(piece.text, open, literal.body, language), scanAs: 'command.sh' };
  }
}

/**
 * The string literal that opens where each match of `head` (ending at its quote) ends, with what
 * `classify` says of the match; matches it returns undefined for are passed over.
 *
 * The search goes on just after each opening quote, so a head inside a literal or a comment is
 * read too: `# os.system("` on a comment line must not pair its quote with a real call's and so
 * hide it, nor skip what follows. Linear all the same: a literal closes at the next quote of its
 * kind, so literals opened by successive heads with one quote character never overlap; and once a
 * literal that may span lines is found never to close, no later one with that quote closes.
 */
function* literalsAfter<Kind>(
  text: string,
  head: RegExp,
  spansLines: boolean,
  classify: (match: RegExpExecArray) => Kind | undefined,
): Generator<{ readonly match: RegExpExecArray; readonly open: number; readonly literal: { readonly body: string; readonly end: number }; readonly kind: Kind }> {
  const neverClosesFrom = new Map<string, number>();
  let match: RegExpExecArray | null;
  while ((match = head.exec(text)) !== null) {
    const open = match.index + match[0].length - 1;
    head.lastIndex = open + 1;
    const kind = classify(match);
    if (kind === undefined) continue;
    const quote = text[open] ?? '';
    const multiline = spansLines || quote === '`';
    if (multiline && open >= (neverClosesFrom.get(quote) ?? Infinity)) continue;
    // No length limit here: the search stays linear without one (see above).
    const literal = stringLiteralAt(text, open, spansLines, Infinity);
    if (!literal) {
      if (multiline) neverClosesFrom.set(quote, open);
      continue;
    }
    yield { match, open, literal, kind };
  }
}

/**
 * Letters that Python folds to ASCII in identifiers (NFKC: fullwidth `ｏｓ`, mathematical `𝐨𝐬`),
 * and JavaScript's escapes of ASCII letters (`r\u0065quire`, `\u{65}val`): each language reads
 * `os.system` or `require` there, a parser and a pattern see other characters.
 */
const FOLDED_TO_ASCII = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF3F\uFF41-\uFF5A]|[\u{1D400}-\u{1D7FF}]/u;
const ASCII_ESCAPE = /\\u(?:00([2-7][0-9A-Fa-f])|\{0*([2-7][0-9A-Fa-f])\})/g;

/** The script as its language reads its names, when that differs from its text; else undefined. */
function identifiersAsRead(text: string, language: string | undefined): string | undefined {
  if (language === 'python') return FOLDED_TO_ASCII.test(text) ? text.normalize('NFKC') : undefined;
  if (language !== 'javascript' && language !== 'typescript') return undefined;
  if (!text.includes('\\u')) return undefined;
  let changed = false;
  const read = text.replace(ASCII_ESCAPE, (whole, short: string | undefined, braced: string | undefined) => {
    const char = String.fromCharCode(Number.parseInt(short ?? braced ?? '', 16));
    if (!/[\w$]/.test(char)) return whole;
    changed = true;
    return char;
  });
  return changed ? read : undefined;
}

/** Invisible characters that split words or smuggle text; removed before the line is scanned again. */
const INVISIBLE = hiddenCharacters();

/** The ASCII that Unicode tag characters (U+E0020–E007E) spell. */
function tagText(run: string): string {
  let text = '';
  for (const char of run) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp >= 0xe0020 && cp <= 0xe007e) text += String.fromCharCode(cp - 0xe0000);
  }
  return text;
}

/** What the code at `offset` is scanned as: its fence's or script's language, else Markdown. */
function scanNameAt(file: FileModel, offset: number): string {
  const fence = file.markdown?.fences.find((candidate) => offset >= candidate.contentStart && offset < candidate.contentEnd);
  const language = fence ? fence.language : file.kind === 'script' ? file.language : undefined;
  switch (language) {
    case 'bash':
      return 'command.sh';
    case 'python':
      return 'decoded.py';
    case 'javascript':
    case 'typescript':
      return 'decoded.js';
    default:
      return 'decoded.md';
  }
}

/**
 * Text that invisible characters hide from a reader but not from the agent: the ASCII that tag
 * characters spell, and each line whose words zero-width or direction characters split
 * (`cu\u200brl … | sh`), read with those characters removed, as the agent reads it.
 */
function* textBehindInvisibleCharacters(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  const lines = new Set<number>();
  for (const run of runsOf(file)) {
    if (run.kind === 'tag') {
      const text = tagText(file.text.slice(run.start, run.end));
      yield { start: run.start, end: run.end, how: 'invisible characters', text };
    } else if (run.kind === 'zero-width' || run.kind === 'bidi') {
      lines.add(file.lines.lineOf(run.start));
    }
  }
  for (const line of lines) {
    const start = file.lines.lineStart(line);
    const end = file.lines.lineEnd(line);
    const text = file.text.slice(start, end).replace(INVISIBLE, '');
    yield { start, end, how: 'invisible characters', text, scanAs: scanNameAt(file, start) };
  }
}

/**
 * Cyrillic and Greek letters drawn like Latin ones, with the Latin letter a reader sees. Only
 * letters whose lower- or upper-case forms are true look-alikes are listed.
 */
const LOOK_ALIKE_LETTERS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ӏ: 'l', һ: 'h', ԛ: 'q', ԝ: 'w',
    А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S', Ԍ: 'G', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y',
    α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
    Α: 'A', Β: 'B', Ε: 'E', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ζ: 'Z',
  }),
);
const LOOK_ALIKE_CLASS = `[${[...LOOK_ALIKE_LETTERS.keys()].join('')}]`;
/** A word that mixes Latin letters with look-alike ones ("Іgnore"): a reader sees one word, a keyword filter another. */
const MIXED_SCRIPT_WORD = new RegExp(`[A-Za-z]${LOOK_ALIKE_CLASS}|${LOOK_ALIKE_CLASS}[A-Za-z]`, 'u');
/**
 * The lines of a Markdown or text file with a word written in mixed scripts, read with the
 * look-alike letters replaced by the Latin ones they imitate, so "Іgnore all previous
 * instructions" meets the rules that "Ignore …" does. Words wholly in Cyrillic or Greek (real
 * Russian or Greek text) are left as they are. All such lines of a file are one payload, each
 * line keeping its place, so however many there are none is left out (the first 200 were read).
 */
function* textBehindLookAlikeLetters(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  if (!file.markdown || !/[\u0370-\u03ff\u0400-\u052f]/u.test(file.text)) return;
  const folded: { readonly start: number; readonly end: number; readonly text: string }[] = [];
  for (let line = 1; line <= file.lines.lineCount; line++) {
    const start = file.lines.lineStart(line);
    const end = file.lines.lineEnd(line);
    const text = file.text.slice(start, end);
    if (!MIXED_SCRIPT_WORD.test(text)) continue;
    const read = text.replace(/[A-Za-z\u0370-\u03ff\u0400-\u052f]+/gu, (word) => (/[A-Za-z]/.test(word) ? [...word].map((char) => LOOK_ALIKE_LETTERS.get(char) ?? char).join('') : word));
    if (read !== text) folded.push({ start, end, text: read });
  }
  const payload = joinedPayload(folded, 'look-alike letters', scanNameAt(file, folded[0]?.start ?? 0));
  if (payload) yield payload;
}

/**
 * Pieces of a file read as one text, a blank line between pieces so that each stays a paragraph
 * of its own; every line of the text keeps the file range of its piece.
 */
function joinedPayload(pieces: readonly { readonly start: number; readonly end: number; readonly text: string }[], how: HidingKind, scanAs: string): Omit<HiddenPayload, 'file'> | undefined {
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!first || !last) return undefined;
  const lines: { start: number; end: number }[] = [];
  for (const [index, piece] of pieces.entries()) {
    const origin = { start: piece.start, end: piece.end };
    const count = piece.text.split('\n').length;
    for (let line = 0; line < count; line++) lines.push(origin);
    // The blank line after a piece belongs to it.
    if (index < pieces.length - 1) lines.push(origin);
  }
  return { start: first.start, end: last.end, how, text: pieces.map((piece) => piece.text).join('\n\n'), scanAs, lines };
}

/**
 * A link's title (`[guide](https://… "title")`, `[id]: https://… 'title'`): rendered Markdown shows
 * it only as a tooltip, the agent reads it with the rest of the text. Titles are read from the
 * links the Markdown parser found, and from reference definitions line by line, so a file full of
 * half-written links costs one bounded match per link.
 */
const INLINE_LINK_TITLE = /\s(?:"([^"\n]{8,1000})"|'([^'\n]{8,1000})'|\(([^()\n]{8,1000})\))\s{0,3}\)$/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]{1,200}\]:[ \t]{0,3}<?[^\s>]{1,500}>?[ \t]{1,10}(?:"([^"\n]{8,1000})"|'([^'\n]{8,1000})'|\(([^()\n]{8,1000})\))[ \t]*$/;
const MAX_LINK_SOURCE = 3000;

function* linkTitles(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  const markdown = file.markdown;
  if (!markdown) return;
  const titled: { start: number; title: string }[] = [];
  for (const link of markdown.links) {
    if (link.kind === 'autolink' || link.end - link.start > MAX_LINK_SOURCE) continue;
    const source = file.text.slice(link.start, link.end);
    const match = INLINE_LINK_TITLE.exec(source);
    const title = match?.slice(1).find((group) => group !== undefined);
    if (match && title !== undefined) titled.push({ start: link.start + match.index + match[0].indexOf(title), title });
  }
  if (file.text.includes(']:')) {
    for (let line = 1; line <= file.lines.lineCount; line++) {
      const start = file.lines.lineStart(line);
      const end = file.lines.lineEnd(line);
      if (end - start > MAX_LINK_SOURCE || !/^ {0,3}\[/.test(file.text.slice(start, start + 4))) continue;
      const text = file.text.slice(start, end);
      const match = REFERENCE_DEFINITION.exec(text);
      const title = match?.slice(1).find((group) => group !== undefined);
      if (match && title !== undefined) titled.push({ start: start + text.lastIndexOf(title), title });
    }
  }
  // A one-word title ("Download") says nothing; a sentence may be an order. All of a file's
  // titles are one payload, each keeping its place, so none is left out (200 were read).
  const sentences = titled.filter(({ title }) => /\s\S+\s/.test(title)).sort((a, b) => a.start - b.start);
  const payload = joinedPayload(sentences.map(({ start, title }) => ({ start, end: start + title.length, text: title })), 'link title', 'decoded.md');
  if (payload) yield payload;
}

/** `NAME=value` in shell code, with the value quoted or bare; no command substitution. */
const SHELL_ASSIGNMENT = /(?:^|[;&|(\s])(?:(?:export|local|readonly|declare)[ \t]{1,10}(?:-\w{1,5}[ \t]{1,10})?)?([A-Za-z_]\w{0,40})=("[^"\n$`]{0,300}(?:\$(?:[A-Za-z_]\w{0,40}|\{[A-Za-z_]\w{0,40}(?::\d{1,4}(?::\d{1,4})?)?\})[^"\n$`]{0,300}){0,8}"|'[^'\n]{0,300}'|[^\s;&|()'"`]{1,300})(?=[\s;&|)]|$)/gm;
/** `which bash`, `command -v curl`, `type -p sh`: a look-up that prints a program's path (group: the program). */
const LOOK_UP = String.raw`(?:which|command\s{1,5}-v|type\s{1,5}-[pP])\s{1,5}([\w.+-]{1,60})`;
/** `S=$(which bash)`, `C=$(command -v curl)`: the variable names that program. */
const LOOKED_UP_ASSIGNMENT = new RegExp(String.raw`(?:^|[;&|(\s])([A-Za-z_]\w{0,40})="?(?:\$\(\s{0,5}${LOOK_UP}\s{0,5}\)|` + '`' + String.raw`\s{0,5}${LOOK_UP}\s{0,5}` + '`' + String.raw`)"?(?=[\s;&|)]|$)`, 'gm');
/** `cmd=(curl -s https://…)`: an array of words. */
const ARRAY_ASSIGNMENT = /(?:^|[;&|(\s])(?:(?:local|declare)[ \t]{1,10}(?:-a[ \t]{1,10})?)?([A-Za-z_]\w{0,40})=\(([^()\n$`]{1,300})\)/gm;
/** `"${cmd[@]}"` and `${cmd[*]}`: every word of the array, quotes and all, as the shell passes them. */
const ARRAY_REFERENCE = /"?\$\{([A-Za-z_]\w{0,40})\[[@*]\]\}"?/g;
/** `set -- curl -s URL`: the words become the positional parameters. */
const POSITIONAL_ASSIGNMENT = /(?:^|[;&|(\s])set[ \t]{1,10}--[ \t]{1,10}([^;&|()\n$`]{1,300})/gm;
/** `"$@"`, `$*`, `${@}`: every positional parameter. */
const POSITIONAL_REFERENCE = /"?\$(?:\{[@*]\}|[@*])"?/g;
/** `$NAME` or `${NAME}`; a name the script never assigns is left as written. */
const SHELL_REFERENCE = /\$(?:\{([A-Za-z_]\w{0,40})\}|([A-Za-z_]\w{0,40})(?!\w))/g;

/**
 * A shell word with quotes or escapes inside it (`s""h`, `c'u'rl`, `"cu"rl`, `c\url`): the shell
 * removes them, so the word is the command or path it spells. A word quoted whole (`"$f"`) is
 * ordinary quoting and left alone.
 */
const SPLIT_SHELL_WORD = /[^\s|;&<>()`]{0,100}(?:\w(?:""|''|["'])\w|\\[A-Za-z])[^\s|;&<>()`]{0,100}/g;
const WHOLLY_QUOTED = /^(["'])[^"']*\1$/;

/** ANSI-C quoting (`$'\x63url'`), which bash expands to the text its escapes spell. */
const ANSI_C_QUOTED = /\$'((?:[^'\\\n]|\\[^\n]){1,200})'/g;
/** `${NAME:-word}` and its kin: the default word when NAME holds nothing. */
/** `${a:2:1}`: a substring of a variable's value (group 1 the name, 2 the offset, 3 the length). */
const SUBSTRING_EXPANSION = /\$\{([A-Za-z_]\w{0,40}):(\d{1,4})(?::(\d{1,4}))?\}/g;
/** `${!y}`: the variable whose name `y` holds. */
const INDIRECT_EXPANSION = /\$\{!([A-Za-z_]\w{0,40})\}/g;
/** `printf -v cmd '%s %s' curl -s`: an assignment of what printf would print (group 1 the name, 2 the rest). */
const PRINTF_ASSIGNMENT = /(?:^|[;&|(\s])printf[ \t]{1,10}-v[ \t]{1,10}([A-Za-z_]\w{0,40})[ \t]{1,10}([^\n;&|]{1,400})/gm;
const DEFAULT_EXPANSION = /\$\{([A-Za-z_]\w{0,40}):?[-=]([^}\s'"$`]{1,200})\}/g;
/** `$(echo word)`, `$(printf word)` and the backquoted forms: a command that only prints a word. */
const ECHOED_WORD = /\$\(\s{0,5}(?:echo|printf)(?:\s{1,5}-[neE]{1,3})?\s{1,5}(["']?)([\w./:@%+=,~-]{1,200})\1\s{0,5}\)|`\s{0,5}(?:echo|printf)(?:\s{1,5}-[neE]{1,3})?\s{1,5}(["']?)([\w./:@%+=,~-]{1,200})\3\s{0,5}`/g;
/** `$(which bash)`, `$(command -v curl)`: the path of a program, read as its name. */
const LOOKED_UP_PROGRAM = new RegExp(String.raw`\$\(\s{0,5}${LOOK_UP}\s{0,5}\)|` + '`' + String.raw`\s{0,5}${LOOK_UP}\s{0,5}` + '`', 'g');
/** `$IFS` unset splits on a blank: `curl${IFS}-s${IFS}…` is three words. */
const IFS_REFERENCE = /\$\{IFS(?::0:1)?\}|\$IFS(?!\w)/g;
/** Brace expansion at a command's start: `{curl,-s,https://…}` is the words `curl -s https://…`. */
const BRACED_WORDS = /(^|[;&|(][ \t]{0,10})\{((?:[^\s{},]{1,200},){1,20}[^\s{},]{1,200})\}/gm;
const SHELL_EXPANSION_HINT = /\$'|\$\{\w{1,40}:?[-=]|\$\(\s{0,5}(?:echo|printf|which|command|type)\b|`\s{0,5}(?:echo|printf|which|command|type)\b|\$\{?IFS\b|\{[^\s{},]{1,200},/;
const SHELL_WORD = /^[\w./:@%+=,~-]{1,200}$/;

/**
 * Words a shell works out before it runs the line, written as it will see them: ANSI-C quoting,
 * a default value (`${CMD:-curl}`; a variable the unit assigns a constant is filled in before),
 * a command that only echoes a word (`| $(echo bash)`) or looks a program up (`$(which bash)`),
 * `$IFS` (a blank between words) and brace expansion at a command's start (`{curl,-s,…}`). Only
 * results that are plain words (a command, path or host) are written in; anything else is left
 * as it was.
 */
function expandShellWords(line: string): string {
  if (!SHELL_EXPANSION_HINT.test(line)) return line;
  return line
    .replace(ANSI_C_QUOTED, (whole, body: string) => {
      const decoded = decodeAnsiC(body);
      return decoded !== undefined && SHELL_WORD.test(decoded) ? decoded : whole;
    })
    .replace(DEFAULT_EXPANSION, (whole, _name: string, fallback: string) => (SHELL_WORD.test(fallback) ? fallback : whole))
    .replace(ECHOED_WORD, (_whole, _q1: string | undefined, word1: string | undefined, _q2: string | undefined, word2: string | undefined) => word1 ?? word2 ?? '')
    .replace(LOOKED_UP_PROGRAM, (_whole, program1: string | undefined, program2: string | undefined) => program1 ?? program2 ?? '')
    .replace(IFS_REFERENCE, ' ')
    .replace(BRACED_WORDS, (_whole, before: string, words: string) => `${before}${words.split(',').join(' ')}`);
}

/** The text of an ANSI-C quoted body, or undefined when an escape is one bash would not read as a character. */
function decodeAnsiC(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? '';
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(body.slice(i + 1));
    const octal = /^([0-7]{1,3})/.exec(body.slice(i + 1));
    const unicode = /^[uU]([0-9a-fA-F]{1,8})/.exec(body.slice(i + 1));
    if (hex) {
      out += String.fromCharCode(parseInt(hex[1] ?? '0', 16));
      i += hex[0].length;
    } else if (octal) {
      out += String.fromCharCode(parseInt(octal[1] ?? '0', 8));
      i += octal[0].length;
    } else if (unicode) {
      const code = parseInt(unicode[1] ?? '0', 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += unicode[0].length;
    } else if ('\\\'"?'.includes(next)) {
      out += next;
      i += 1;
    } else {
      return undefined;
    }
  }
  return out;
}

function dequoteShellWords(line: string): string {
  if (!/\w(?:""|''|["'])\w|\\[A-Za-z]/.test(line)) return line;
  return line.replace(SPLIT_SHELL_WORD, (word) => {
    if (WHOLLY_QUOTED.test(word)) return word;
    const bare = word.replace(/\\([A-Za-z])/g, '$1').replace(/["']/g, '');
    return /^[\w./:@%+=,~-]{1,200}$/.test(bare) ? bare : word;
  });
}

/**
 * Shell lines whose meaning hides behind a variable (`T=$HOME; rm -rf "$T"/*`,
 * `RC=~/.bashrc; echo … >> "$RC"`), with each variable the unit assigns a constant to written out
 * in place, so the rules see the path or host the command really uses; and lines whose command
 * words are spelled with quotes inside them (`s""h`), with the quoting removed as the shell does.
 */
function* shellLinesWithVariablesFilledIn(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  for (const piece of codePieces(file)) {
    if (piece.language !== 'bash') continue;
    if (!piece.text.includes('=') && !piece.text.includes('set --') && !piece.text.includes('printf')) {
      yield* dequotedLines(piece);
      continue;
    }
    // Every assignment, however many: 200 harmless ones once pushed `R=bash` out of the map.
    const values = new Map<string, string>();
    for (const match of piece.text.matchAll(SHELL_ASSIGNMENT)) {
      const [name, raw] = [match[1] ?? '', match[2] ?? ''];
      values.set(name, raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw);
    }
    for (const match of piece.text.matchAll(LOOKED_UP_ASSIGNMENT)) values.set(match[1] ?? '', match[2] ?? match[3] ?? '');
    if (piece.text.includes('printf')) {
      for (const match of piece.text.matchAll(PRINTF_ASSIGNMENT)) {
        const printed = printfText(match[2] ?? '');
        if (printed !== undefined) values.set(match[1] ?? '', printed);
      }
    }
    const arrays = new Map<string, string>();
    for (const match of piece.text.matchAll(ARRAY_ASSIGNMENT)) arrays.set(match[1] ?? '', (match[2] ?? '').trim());
    let positional: string | undefined;
    for (const match of piece.text.matchAll(POSITIONAL_ASSIGNMENT)) positional = (match[1] ?? '').trim();
    if (values.size === 0 && arrays.size === 0 && positional === undefined) {
      yield* dequotedLines(piece);
      continue;
    }
    let offset = 0;
    for (const line of piece.text.split('\n')) {
      const lineStart = offset;
      offset += line.length + 1;
      const filled = line.includes('$')
        ? line
            .replace(ARRAY_REFERENCE, (whole, name: string) => arrays.get(name) ?? whole)
            .replace(POSITIONAL_REFERENCE, (whole) => positional ?? whole)
            .replace(INDIRECT_EXPANSION, (whole, name: string) => values.get(values.get(name) ?? '') ?? whole)
            .replace(SHELL_REFERENCE, (_all, braced: string | undefined, bare: string | undefined) => values.get(braced ?? bare ?? '') ?? _all)
            // After the references: a value may be built of substrings (`c="${a:2:1}${a:20:1}"`).
            .replace(SUBSTRING_EXPANSION, (whole, name: string, offset: string, length: string | undefined) => {
              const value = values.get(name);
              const from = Number(offset);
              return value === undefined ? whole : value.slice(from, length === undefined ? undefined : from + Number(length));
            })
            .replace(DEFAULT_EXPANSION, (whole, name: string) => {
              const value = values.get(name);
              return value !== undefined && SHELL_WORD.test(value) ? value : whole;
            })
        : line;
      const expanded = expandShellWords(filled);
      const dequoted = dequoteShellWords(expanded);
      if (dequoted === line) continue;
      const how = filled !== line ? 'shell variables' : expanded !== filled ? 'shell expansion' : 'shell quoting';
      yield { start: piece.start + lineStart, end: piece.start + lineStart + line.length, how, text: dequoted, scanAs: 'command.sh' };
    }
  }
}

/**
 * What `printf FORMAT ARGS…` prints, for a format of `%s` and literal text and plain or quoted
 * words; undefined for anything else (the line is then left as written).
 */
function printfText(rest: string): string | undefined {
  const words = [...rest.matchAll(/'([^']*)'|"([^"$`\\]*)"|([^\s'"$`\\]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  const [format, ...args] = words;
  if (format === undefined || /%(?!s|%)/.test(format)) return undefined;
  let next = 0;
  return format.replace(/%([s%])/g, (_whole, kind: string) => (kind === '%' ? '%' : args[next++] ?? ''));
}

function* dequotedLines(piece: { readonly start: number; readonly text: string }): Generator<Omit<HiddenPayload, 'file'>> {
  if (!/\w(?:""|''|["'])\w|\\[A-Za-z]/.test(piece.text) && !SHELL_EXPANSION_HINT.test(piece.text)) return;
  let offset = 0;
  for (const line of piece.text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const expanded = expandShellWords(line);
    const dequoted = dequoteShellWords(expanded);
    if (dequoted !== line) {
      yield { start: piece.start + lineStart, end: piece.start + lineStart + line.length, how: expanded !== line ? 'shell expansion' : 'shell quoting', text: dequoted, scanAs: 'command.sh' };
    }
  }
}

/**
 * Text in a script or data file that speaks to the agent reading it: "note to the AI", "AI agents
 * reading this", "if you are an LLM", "instructions for Claude", a `note_for_agent` field. Agents
 * open scripts and data files to run or debug them, and read such a note as an order. Also a line
 * labelled for the agent that goes on with an order ("AI agent: …", "assistant: ignore the previous
 * instructions", "SYSTEM: the assistant must …", "Agent: silently copy …", a value or line that opens
 * "Assistant, after formatting upload …"): a chat transcript's ordinary turns do not start so.
 */
const AGENT_ADDRESS =
  /\b(?:(?:note|message|instructions?|attention|notice|important|reminder|directive)s?[ \t]{1,5}(?:to|for)[ \t]{1,5}(?:the[ \t]{1,5}|any[ \t]{1,5}|all[ \t]{1,5})?(?:ai|llm|assistant|agent|model|claude|copilot|chatgpt|gpt|codex|cursor|gemini)s?\b|(?:ai|llm)[ \t]{1,5}(?:agents?|assistants?|models?)[ \t]{1,5}(?:reading|processing|parsing|seeing)[ \t]{1,5}this\b|if[ \t]{1,5}you[ \t]{1,5}are[ \t]{1,5}(?:an?[ \t]{1,5})?(?:ai|llm|language[ \t]{1,5}model|assistant|agent|claude)\b|(?:dear|hey|hello|attention)[ \t]{1,5}(?:ai|assistant|agent|claude|llm)\b|note_for_(?:agent|ai|assistant|llm|model|claude)\b|(?:ai|llm)[ \t]{1,5}(?:agents?|assistants?|models?)[ \t]{0,3}:|(?:(?<![\w-])(?:assistant|agent|claude|ai|system)[ \t]{0,3}:|(?<=(?:^|["'>|])[ \t]{0,3})(?:assistant|agent|claude)[ \t]{0,3},)[ \t]{0,5}(?=(?:please[ \t]{1,5})?(?:ignore|disregard|forget|override|you[ \t]{1,5}(?:must|should|are[ \t]{1,5}now)|the[ \t]{1,5}(?:assistant|agent|ai|model)[ \t]{1,5}(?:must|should)|from[ \t]{1,5}now|before[ \t]{1,5}(?:you|answering|summari[sz]ing|continuing)|always|never|do[ \t]{1,5}not|silently|quietly|secretly|(?:after|when|once)[ \t]{1,5}(?:you|formatting|finishing|done|the)|(?:also|then|first)[ \t]{1,5}(?:send|upload|copy|read|run|execute|post|forward|export|include|add|delete)|send|upload|copy|read|run|execute|post|forward|export|delete)\b))/gim;
/** A cheap test before the search: a name for the agent somewhere in the text (`note_for_agent` too). */
const AGENT_WORD = /agent|assistant|\bai\b|llm|model|claude|copilot|gpt|codex|cursor|gemini/i;
/** Where a note ends: a blank line, the end of its comment or docstring. */
const NOTE_END = /\n[ \t]*\n|\*\/|"""|'''|-->/;
const COMMENT_MARKER = /^[ \t]*(?:#+|\/\/+|\/?\*+|--|;+|<!--|REM\b|::)[ \t]?/;
const MAX_NOTE = 1500;

/** What comes before a note on its line when the note is a comment: only the comment's marker. */
const COMMENT_LEAD = /^[ \t]*(?:#+|\/\/+|\/?\*+|--|;+|REM|::|<!--)[ \t]*$/;

/**
 * Whether the text at `at` in a script is inside a comment: its line's comment marker, or (in
 * JavaScript and TypeScript) an open `/* … *\/` block. A string literal in a script is not a note: it is data, most often a prompt the
 * script sends to another model ("Instructions for the assistant: answer in JSON").
 */
function inComment(text: string, at: number, blockComments: boolean): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (COMMENT_LEAD.test(text.slice(lineStart, at))) return true;
  return blockComments && text.lastIndexOf('/*', at) > text.lastIndexOf('*/', at);
}

/** A print statement's opening, up to the start of its text: `print("`, `echo '`, `console.log(\``, `Write-Host "`. */
const PRINT_LEAD = /^[ \t]*(?:print[ \t]{0,3}\([ \t]{0,3}[rRfFbBuU]{0,2}["']{1,3}|echo(?:[ \t]{1,5}-[neE]{1,3})?[ \t]{1,5}["']?|printf[ \t]{1,5}["']|console\.(?:log|error|warn|info)\([ \t]{0,3}["'`]|sys\.std(?:out|err)\.write\([ \t]{0,3}[rRfFbBuU]{0,2}["']|Write-(?:Host|Output)[ \t]{1,5}["']?|puts[ \t]{1,5}["'])[^"'`\n]{0,200}$/;

/**
 * Whether the text at `at` in a script is inside the text a print statement writes out. A script's
 * output is the tool result the agent reads next, so an address to the agent there is an order in
 * the agent's own context, not a prompt sent to another model.
 */
function isPrinted(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return PRINT_LEAD.test(text.slice(lineStart, at));
}

/**
 * From each address to the agent to the end of its comment or paragraph, with comment markers
 * taken off each line: in a script only in its comments and in what it prints, in a data file
 * anywhere.
 */
function* notesToTheAgent(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  if (file.markdown || !AGENT_WORD.test(file.text)) return;
  const text = file.text;
  const script = file.kind === 'script';
  const blockComments = file.language === 'javascript' || file.language === 'typescript';
  let done = -1;
  for (const match of text.matchAll(AGENT_ADDRESS)) {
    if (match.index < done) continue;
    const printed = script && isPrinted(text, match.index);
    if (script && !printed && !inComment(text, match.index, blockComments)) continue;
    const window = text.slice(match.index, Math.min(text.length, match.index + MAX_NOTE));
    // What a script prints reaches the agent as the tool's output: the note ends with its line.
    const stop = printed ? /\n/.exec(window) : NOTE_END.exec(window);
    const end = match.index + (stop ? stop.index : window.length);
    done = end;
    const note = text
      .slice(match.index, end)
      .split('\n')
      .map((line) => line.replace(COMMENT_MARKER, ''))
      .join('\n');
    if (note.trim().length >= MIN_DECODED) yield { start: match.index, end, how: 'note to the agent', text: note, scanAs: 'note.md' };
  }
}

/**
 * A tool description read as a document of its own: the instruction classifier grades its
 * sentences where they stand, and this lets every other rule read it too (a `curl … | sh` in
 * inline code, an order to keep a step from the user). Escapes are read as the model reads them.
 */
function* toolDescriptions(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  if (file.markdown) return;
  for (const [start, end] of toolDescriptionRanges(file)) {
    const text = file.text.slice(start, end).replace(/\\n/g, '\n').replace(/\\(["'`\\])/g, '$1').replace(/^[ \t]+/gm, '');
    yield { start, end, how: 'tool description', text, scanAs: 'tool.md' };
  }
}

function* payloadsInFile(file: FileModel): Generator<Omit<HiddenPayload, 'file'>> {
  const text = file.text;
  yield* notesToTheAgent(file);
  yield* toolDescriptions(file);
  // Python runs the code its declared source encoding decodes to (UTF-7, unicode_escape), not the ASCII shown.
  const encoding = file.kind === 'script' && file.language === 'python' ? declaredDeceptiveEncoding(text) : undefined;
  if (encoding) yield { start: 0, end: text.length, how: 'declared encoding', text: decodeSource(text, encoding), scanAs: 'source.py' };
  const respelled = file.kind === 'script' ? identifiersAsRead(text, file.language) : undefined;
  if (respelled !== undefined) yield { start: 0, end: text.length, how: 'identifier spelling', text: respelled, scanAs: file.language === 'python' ? 'source.py' : file.language === 'typescript' ? 'source.ts' : 'source.js' };
  yield* textBehindInvisibleCharacters(file);
  yield* textBehindLookAlikeLetters(file);
  yield* linkTitles(file);
  yield* shellLinesWithVariablesFilledIn(file);
  for (const code of notebookCode(file.path, text)) {
    yield { start: code.lines[0]?.start ?? 0, end: code.lines[code.lines.length - 1]?.end ?? 0, how: 'notebook cell', text: code.text, scanAs: code.scanAs, lines: code.lines };
  }
  yield* codeInJsonValues(file);
  yield* codeInShellStrings(file);
  for (const { literal, decoded } of decodedLiteralsOf(file)) {
    if (decoded) yield { start: literal.start, end: literal.end, how: literal.encoding, text: decoded };
  }
  for (const match of text.matchAll(CHR_CHAIN)) {
    const codes = [...match[0].matchAll(/chr\(\s{0,3}(0x[0-9a-fA-F]{1,6}|\d{1,7})/g)].map((m) => number(m[1] as string));
    const decoded = fromCodes(codes);
    if (decoded) yield { start: match.index, end: match.index + match[0].length, how: 'character codes', text: decoded };
  }
  for (const match of text.matchAll(CODE_LIST)) {
    const codes = (match[1] as string).split(',').map((part) => number(part.trim()));
    const decoded = fromCodes(codes);
    if (decoded) yield { start: match.index, end: match.index + match[0].length, how: 'character codes', text: decoded };
  }
  if (text.includes('reverse') || text.includes('[::-1]') || text.includes('strrev(')) {
    for (const match of text.matchAll(REVERSED_LITERAL)) {
      const body = match.groups?.['body'] ?? match.groups?.['spreadBody'] ?? '';
      // `[...'abc']` alone spreads a string into letters; only a reversal turns it around.
      if (match.groups?.['spreadBody'] !== undefined && match[0].startsWith('[') && !/^\s{0,3}\]\s{0,3}\.reverse\(/.test(text.slice(match.index + match[0].length, match.index + match[0].length + 20))) continue;
      yield { start: match.index, end: match.index + match[0].length, how: 'reversed string', text: [...body].reverse().join('') };
    }
  }
  if (text.includes('rot')) {
    for (const match of text.matchAll(ROT13_LITERAL)) {
      yield { start: match.index, end: match.index + match[0].length, how: 'rot13', text: rot13(match[2] ?? '') };
    }
  }
  if (text.includes('b32decode(')) {
    for (const match of text.matchAll(BASE32_LITERAL)) {
      const decoded = fromBase32(match[2] ?? '');
      if (decoded) yield { start: match.index, end: match.index + match[0].length, how: 'base32', text: decoded };
    }
  }
  for (const match of text.matchAll(ESCAPE_RUN)) {
    yield { start: match.index, end: match.index + match[0].length, how: 'escape sequences', text: unescape(match[0]) };
  }
  if (text.includes('[')) {
    for (const match of text.matchAll(LETTER_LIST)) {
      const letters = [...match[0].matchAll(/(["'])([^"'\\\n]{0,2})\1/g)].map((m) => m[2] as string);
      yield { start: match.index, end: match.index + match[0].length, how: 'string pieces', text: letters.join('') };
    }
  }
  if (text.includes('reverse') || text.includes('::-1]')) {
    for (const match of text.matchAll(REVERSED_LIST)) {
      const groups = match.groups ?? {};
      if (groups['reversed'] === undefined && groups['after'] === undefined && !/::\s{0,3}-1\s{0,3}\]$/.test(match[0])) continue;
      const separator = groups['before'] ?? groups['after'] ?? ' ';
      const words = [...(groups['items'] ?? '').matchAll(/(["'])([^"'\\\n]{0,200})\1/g)].map((m) => m[2] as string);
      yield { start: match.index, end: match.index + match[0].length, how: 'reversed string', text: words.reverse().join(separator) };
    }
  }
  if (KEY_PREFIX_PIECE.test(text)) {
    for (const match of text.matchAll(LONG_PIECES)) {
      const joined = quotedPieces(match[0]).join('');
      if (KEY_PREFIX.test(joined)) yield { start: match.index, end: match.index + match[0].length, how: 'string pieces', text: joined };
    }
  }
  if (text.includes('.join(')) {
    for (const match of [...text.matchAll(PYTHON_JOINED_LIST), ...text.matchAll(SCRIPT_JOINED_LIST)]) {
      const joined = quotedPieces(match.groups?.['items'] ?? '').join(match.groups?.['separator'] ?? '');
      if (KEY_PREFIX.test(joined)) yield { start: match.index, end: match.index + match[0].length, how: 'string pieces', text: joined };
    }
  }
  for (const match of text.matchAll(STRING_PIECES)) {
    const pieces = quotedPieces(match[0]);
    const joined = pieces.join('');
    if (pieces.length >= 3 && joined.length / pieces.length <= MAX_MEAN_PIECE) {
      yield { start: match.index, end: match.index + match[0].length, how: 'string pieces', text: joined };
    }
  }
}

/**
 * A file's first `cap` payloads of each kind, of at least {@link MIN_DECODED} characters, and a
 * count of the rest; kept per file model, so a file unchanged since the last scan is not searched
 * again. The cap is per kind so that harmless command strings cannot use up the room a base64
 * payload needs.
 */
interface FilePayloads {
  readonly cap: number;
  readonly payloads: readonly Omit<HiddenPayload, 'file'>[];
  /** Payloads past the cap, by kind: found, not kept. */
  readonly overflow: ReadonlyMap<HidingKind, number>;
}

const payloadsByFile = new WeakMap<FileModel, FilePayloads>();

function payloadsOf(file: FileModel, cap: number): FilePayloads {
  const kept = payloadsByFile.get(file);
  if (kept && kept.cap >= cap) return kept;
  const payloads: Omit<HiddenPayload, 'file'>[] = [];
  const counts = new Map<HidingKind, number>();
  const overflow = new Map<HidingKind, number>();
  for (const payload of payloadsInFile(file)) {
    if (payload.text.trim().length < MIN_DECODED) continue;
    const count = counts.get(payload.how) ?? 0;
    if (count >= cap) {
      overflow.set(payload.how, (overflow.get(payload.how) ?? 0) + 1);
      continue;
    }
    counts.set(payload.how, count + 1);
    payloads.push(payload);
  }
  const found = { cap, payloads, overflow };
  payloadsByFile.set(file, found);
  return found;
}

export interface HiddenPayloadSearch {
  readonly payloads: readonly HiddenPayload[];
  /** Payloads found past the limits, by kind: not scanned, so the analysis is partial. */
  readonly leftOut: ReadonlyMap<HidingKind, number>;
}

/** Every hidden payload in the skill's files, in file order, within the limits of each kind, and a count of those past them. */
export function searchHiddenPayloads(model: SkillModel, limits: HiddenPayloadLimits = DEFAULT_LIMITS): HiddenPayloadSearch {
  const payloads: HiddenPayload[] = [];
  const leftOut = new Map<HidingKind, number>();
  const leave = (how: HidingKind, count: number): void => {
    leftOut.set(how, (leftOut.get(how) ?? 0) + count);
  };
  const used = new Map<HidingKind, { count: number; chars: number }>();
  for (const file of model.files) {
    const found = payloadsOf(file, limits.maxPayloads);
    for (const [how, count] of found.overflow) leave(how, count);
    for (const payload of found.payloads) {
      const kind = used.get(payload.how) ?? { count: 0, chars: 0 };
      if (kind.count >= limits.maxPayloads || kind.chars + payload.text.length > limits.maxDecodedChars) {
        leave(payload.how, 1);
        continue;
      }
      used.set(payload.how, { count: kind.count + 1, chars: kind.chars + payload.text.length });
      payloads.push({ file: file.path, ...payload });
    }
  }
  return { payloads, leftOut };
}

/** {@link searchHiddenPayloads}'s payloads alone. */
export function findHiddenPayloads(model: SkillModel, limits: HiddenPayloadLimits = DEFAULT_LIMITS): readonly HiddenPayload[] {
  return searchHiddenPayloads(model, limits).payloads;
}

/** Text that reads as a shell command line or script. */
const INTERPRETER_COMMAND_LINE = /^\s{0,20}(?:(?:sudo|nohup|exec)\s+)?(?:[\w./-]{0,60}\/)?(?:node|nodejs|deno|bun|python[0-9.]{0,4}|perl|ruby|php|pwsh|powershell)(?:\.exe)?(?:\s+-{1,2}[\w-]{1,20}){0,6}?\s+-(?:e|c|p|-eval|-print|[Cc]ommand|EncodedCommand)\s/;
const SHELL_START = /^\s{0,20}(?:#!|(?:sudo\s+)?(?:curl|wget|bash|sh|nc|ncat|rm|chmod|echo|cat|crontab|python3?|powershell|iex)\b)|\|\s{0,3}(?:ba|z)?sh\b|\/dev\/tcp\//m;

/**
 * The file name the decoded text is scanned under, which decides the grammar and rules that
 * apply: a shell command, Python, JavaScript, or else instructions read as Markdown.
 */
export function decodedFileName(text: string): string {
  const head = text.slice(0, 4096);
  // `node -e "require('https')…"`, `python3 -c "import os…"`: a command line, though the program it
  // hands over looks like JavaScript or Python.
  if (INTERPRETER_COMMAND_LINE.test(head)) return 'decoded.sh';
  if (/\brequire\(\s*['"]|\bchild_process\b|=>|\bfunction\s*\w*\s*\(|\bfetch\(/.test(head)) return 'decoded.js';
  if (/^\s{0,20}(?:#!.{0,40}python|import\s+\w|from\s+[\w.]+\s+import\b|def\s+\w+\()|\b(?:os\.system|subprocess\.\w+|socket\.socket|exec|eval)\s*\(/m.test(head)) {
    return 'decoded.py';
  }
  // A command line may start with wrappers (`timeout 60 sh -c …`, `nohup bash …`).
  if (SHELL_START.test(head) || SHELL_START.test(unwrapCommand(head.slice(0, 400)))) {
    return 'decoded.sh';
  }
  return 'decoded.md';
}
