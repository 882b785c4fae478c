import type { CodeLanguage } from './markdown';

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
