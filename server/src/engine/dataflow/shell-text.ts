import { programIndex } from '../shell-wrappers';
import { classifyPath, shellCommandSource, type PathSource } from './labels';

/**
 * Reading command lines that Python or JavaScript hand to a shell (`os.system(f"…")`,
 * `execSync('…')`): a small, linear tokenizer over the folded text, enough to see which program
 * runs and which files it reads. Bash units are walked on their own tree instead (bash.ts).
 */

const MAX_COMMAND_LENGTH = 4000;
const MAX_WORDS = 200;

/** Splits a command line into words, honouring simple quotes; operators are words of their own. */
export function commandWordsOf(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote = '';
  const input = text.length > MAX_COMMAND_LENGTH ? text.slice(0, MAX_COMMAND_LENGTH) : text;
  const flush = (): void => {
    if (current.length > 0 && words.length < MAX_WORDS) words.push(current);
    current = '';
  };
  for (const char of input) {
    if (quote) {
      if (char === quote) quote = '';
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ' ' || char === '\t' || char === '\n') {
      flush();
    } else if (char === '|' || char === ';' || char === '&') {
      flush();
      if (words.length < MAX_WORDS) words.push(char);
    } else {
      current += char;
    }
  }
  flush();
  return words;
}

/** Splits words at `|`, `;` and `&` into the commands of a pipeline or list. */
export function segments(words: readonly string[]): string[][] {
  const out: string[][] = [[]];
  for (const word of words) {
    if (word === '|' || word === ';' || word === '&') out.push([]);
    else out[out.length - 1]?.push(word);
  }
  return out.filter((segment) => segment.length > 0);
}

const UPLOAD_FLAG = /^(?:-d|--data[\w-]*|-F|--form[\w-]*|-T|--upload-file|--post-data|--post-file|--body-data|--body-file)(?:=|$)|^-[a-zA-Z]*[dFT]$/;

/**
 * The local file a curl or wget argument sends, given the flag before it: the value of `-T`,
 * `--upload-file`, `--post-file` or `--body-file`, and `@path` (or `name=@path`, `<path`) after a
 * data or form flag; `-` stands for standard input. Undefined for any other argument.
 */
export function uploadedFilePath(flag: string, word: string): string | undefined {
  if (/^(?:-T|--upload-file|--post-file|--body-file)$/.test(flag)) return word;
  if (!/^(?:-F|--form|-d|--data|--data-binary|--data-raw|--data-ascii|--data-urlencode|--json)$/.test(flag)) return undefined;
  return /^(?:[\w.-]{0,40}=)?[@<](.+)$/s.exec(word)?.[1]?.replace(/;.*$/, '');
}

/**
 * Whether a network tool's command line (its words, the tool first) sends what it reads on
 * standard input: curl or wget told to upload `-` (`--data-binary @-`, `-T -`), and the socket
 * and remote-shell clients, which send their input as they read it.
 */
export function sendsStandardInput(words: readonly string[]): boolean {
  const tool = (words[0] ?? '').replace(/^.*\//, '');
  if (/^(?:nc|ncat|netcat|socat|telnet|ssh)$/.test(tool) || (tool === 'openssl' && words[1] === 's_client')) return true;
  if (!/^(?:curl|wget)$/.test(tool)) return false;
  return words.some((word, index) => index > 0 && uploadedFilePath(words[index - 1] ?? '', word) === '-');
}

/** What the output of a command line is, when it is a source: a dump, the clipboard, a file, a download. */
export function commandSource(words: readonly string[]): PathSource | undefined {
  for (const segment of segments(words)) {
    const program = (segment[0] ?? '').replace(/^.*\//, '');
    const direct = shellCommandSource(segment);
    if (direct) return direct;
    if (/^(?:cat|head|tail|less|more|base64|xxd|od|strings|tac|gzip|zcat|tar|zip)$/.test(program)) {
      for (const word of segment.slice(1)) {
        const source = classifyPath(word);
        if (source) return source;
      }
    }
    if ((program === 'curl' || program === 'wget') && !segment.some((word) => UPLOAD_FLAG.test(word))) {
      return { category: 'download', description: 'data downloaded from the network' };
    }
  }
  return undefined;
}

const INTERPRETERS = /^(?:(?:ba|z|da|k)?sh|python[0-9.]*|node|perl|ruby|php|pwsh|powershell|deno|bun)$/;

/** Inline-program flags: `bash -c`, `python3 -c`, `node -e`, `pwsh -Command`. */
const INLINE_FLAG = /^-(?:[a-z]*c|e|-eval|Command|EncodedCommand)$/i;

/** The flag that gives `program` its program as an argument: `-c` to a shell (`-ec` too), `-e` to Perl, `-r` to PHP. */
function takesInlineProgram(program: string, word: string): boolean {
  const name = program.replace(/^.*\//, '');
  if (/^(?:ba|z|da|k)?sh$/.test(name)) return /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word);
  if (name === 'php') return word === '-r';
  if (/^(?:perl|ruby)$/.test(name)) return /^-[a-zA-Z]*[eE]$/.test(word);
  return INLINE_FLAG.test(word);
}

/**
 * Whether the command runs a shell or an interpreter that reads its program from standard input:
 * `bash`, `sh -s -- x`, `python3 -`, `sudo -u root bash`, not `bash x.sh`, `python -m json.tool`
 * or `node -e …`, unless the inline program itself runs what it reads from stdin
 * (`python3 -c "import sys; exec(sys.stdin.read())"`, `perl -e 'eval join "", <STDIN>'`).
 */
export function readsProgramFromStdin(words: readonly string[]): boolean {
  const command = words.slice(programIndex(words, { stdinOnly: true }));
  if (!INTERPRETERS.test((command[0] ?? '').replace(/^.*\//, ''))) return false;
  for (let index = 1; index < command.length; index++) {
    const word = command[index] ?? '';
    if (word === '-' || word === '-s' || word === '--' || word === '/dev/stdin') return true;
    if (takesInlineProgram(command[0] ?? '', word)) return evaluatesStdin(command[index + 1] ?? '');
    if (/^-(?:m|File)$/i.test(word) || !word.startsWith('-')) return false;
  }
  return true;
}

/** ssh's options that take a value, so that the value is not read as the destination. */
const SSH_VALUE_OPTION = /^-[bcDEeFIiJLlmOopQRSWw]$/;

/** The index of an `ssh` command's destination among its words: the first that is not an option or an option's value. */
export function sshDestination(words: readonly string[]): number | undefined {
  for (let index = 1; index < words.length; index++) {
    const word = words[index] ?? '';
    if (!word.startsWith('-')) return index;
    if (SSH_VALUE_OPTION.test(word)) index++;
  }
  return undefined;
}

/**
 * The command line an `ssh` argument list has the remote shell run: the words after its
 * destination, joined with spaces as ssh joins them (`ssh host 'curl … | sh'`).
 */
export function sshRemoteCommand(words: readonly string[]): string | undefined {
  if ((words[0] ?? '').replace(/^.*\//, '') !== 'ssh') return undefined;
  const destination = sshDestination(words);
  return destination === undefined || destination + 1 >= words.length ? undefined : words.slice(destination + 1).join(' ');
}

/**
 * `crontab -` or `crontab` alone (`-u USER` aside): the cron table it reads on standard input
 * replaces the user's. `-l`, `-e`, `-r` list, edit or remove it instead; another operand is a file.
 */
export function installsCronTableFromStdin(words: readonly string[]): boolean {
  if ((words[0] ?? '').replace(/^.*\//, '') !== 'crontab') return false;
  for (let index = 1; index < words.length; index++) {
    const word = words[index] ?? '';
    if (word === '-u') index++;
    else if (word !== '-') return false;
  }
  return true;
}

/** Index of the inline-program flag among a shell's or interpreter's words (`-c`, `-e`), or -1. */
export function inlineProgramFlag(words: readonly string[]): number {
  return words.findIndex((word, index) => index > 0 && takesInlineProgram(words[0] ?? '', word));
}

const STDIN_READ = /\bsys\.stdin\b|<STDIN>|<>|\$stdin\b|\bSTDIN\.read|php:\/\/stdin|\bprocess\.stdin\b|readFileSync\(\s*(?:0|["'`]\/dev\/stdin["'`])|\bio\.read\b|\bfileinput\b|\[Console\]::In\b|\$input\b/;
const EVALUATES = /\b(?:exec|eval|system|compile|Function|runInThisContext|runInNewContext|instance_eval|load|loadstring|Invoke-Expression|iex|passthru|shell_exec|popen)\b|`/;

/** An inline program, short enough to be read whole, that evaluates or runs what it reads from stdin. */
function evaluatesStdin(code: string): boolean {
  return code.length <= 2000 && STDIN_READ.test(code) && EVALUATES.test(code);
}

/** `bash -c CODE`, `python3 -c CODE`, `node -e CODE`: the last word is code. */
export function isInterpreterWithInlineCode(words: readonly string[]): boolean {
  const program = (words[0] ?? '').replace(/^.*\//, '');
  return INTERPRETERS.test(program) && words.slice(1, -1).some((word) => takesInlineProgram(program, word));
}

/** The file name a program given to `program` (`python3`, `/usr/bin/node`, `deno eval`) as text is scanned under, by its language. */
export function programFileName(program: string): string {
  const name = (program.trim().split(/\s/)[0] ?? '').replace(/^.*\//, '').toLowerCase();
  if (/^(?:python|pypy)/.test(name)) return 'inline.py';
  if (/^(?:node|nodejs|deno|bun)$/.test(name)) return 'inline.js';
  if (/^(?:pwsh|powershell)/i.test(name)) return 'inline.ps1';
  if (name === 'perl') return 'inline.pl';
  if (name === 'ruby') return 'inline.rb';
  if (name === 'php') return 'inline.php';
  return 'command.sh';
}
