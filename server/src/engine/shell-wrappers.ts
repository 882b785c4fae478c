/**
 * Programs that run another program named in their arguments: `sudo -u root bash`, `timeout 60
 * bash`, `nice -n 10 python3 x.py`, `env A=1 node`. Every reader of shell commands looks through
 * them to the program they run, from this one table, so that a wrapper one reader knows cannot
 * hide a command from another.
 */
export interface CommandWrapper {
  /**
   * Listed among the programs a command runs: `sudo` changes what the command may do, `time`
   * does not.
   */
  readonly record: boolean;
  /** Options followed by a separate value (`-u root`, `-n 10`). */
  readonly takesValue?: RegExp;
  /** Operands before the command: `timeout`'s duration, `flock`'s lock file. */
  readonly positional?: number;
  /**
   * Whether the command reads the wrapper's standard input as its own. `xargs` turns its input
   * into arguments instead, so `curl … | xargs bash` does not run the download as a script.
   */
  readonly passesStdin: boolean;
}

const WRAPPERS: ReadonlyMap<string, CommandWrapper> = new Map<string, CommandWrapper>([
  ['sudo', { record: true, takesValue: /^-[ugCDhprRTU]$/, passesStdin: true }],
  ['doas', { record: true, takesValue: /^-[uC]$/, passesStdin: true }],
  ['run0', { record: true, takesValue: /^-[uDg]$/, passesStdin: true }],
  ['pkexec', { record: true, takesValue: /^--user$/, passesStdin: true }],
  ['runuser', { record: true, takesValue: /^-[ugG]$/, passesStdin: true }],
  ['env', { record: false, takesValue: /^-[uSC]$/, passesStdin: true }],
  ['nohup', { record: true, passesStdin: true }],
  ['setsid', { record: true, passesStdin: true }],
  ['nice', { record: false, takesValue: /^-n$/, passesStdin: true }],
  ['ionice', { record: false, takesValue: /^-[cnp]$/, passesStdin: true }],
  ['chrt', { record: false, positional: 1, passesStdin: true }],
  ['taskset', { record: false, positional: 1, passesStdin: true }],
  ['cpulimit', { record: false, takesValue: /^-[lp]$/, passesStdin: true }],
  ['timeout', { record: false, takesValue: /^-[sk]$/, positional: 1, passesStdin: true }],
  ['gtimeout', { record: false, takesValue: /^-[sk]$/, positional: 1, passesStdin: true }],
  ['flock', { record: false, takesValue: /^-[wE]$/, positional: 1, passesStdin: true }],
  ['faketime', { record: false, positional: 1, passesStdin: true }],
  ['time', { record: false, takesValue: /^-[fo]$/, passesStdin: true }],
  ['command', { record: false, passesStdin: true }],
  ['builtin', { record: false, passesStdin: true }],
  ['exec', { record: false, takesValue: /^-a$/, passesStdin: true }],
  ['noglob', { record: false, passesStdin: true }],
  ['stdbuf', { record: false, takesValue: /^-[ioe]$/, passesStdin: true }],
  ['unbuffer', { record: false, passesStdin: true }],
  ['chronic', { record: false, passesStdin: true }],
  ['caffeinate', { record: false, takesValue: /^-[tw]$/, passesStdin: true }],
  ['eatmydata', { record: false, passesStdin: true }],
  ['torsocks', { record: true, passesStdin: true }],
  ['proxychains', { record: true, takesValue: /^-f$/, passesStdin: true }],
  ['proxychains4', { record: true, takesValue: /^-f$/, passesStdin: true }],
  ['strace', { record: false, takesValue: /^-[oeEpsuS]$/, passesStdin: true }],
  ['ltrace', { record: false, takesValue: /^-[oeEpsuS]$/, passesStdin: true }],
  // `busybox sh` runs the applet its first operand names.
  ['busybox', { record: false, passesStdin: true }],
  ['xargs', { record: true, takesValue: /^-[IPLnsdaE]$/, passesStdin: false }],
  ['watch', { record: true, takesValue: /^-[nd]$/, passesStdin: false }],
]);

/** The wrappers' names, for patterns that look for a command starting with one. */
export const WRAPPER_NAMES: readonly string[] = [...WRAPPERS.keys()];

/** `/usr/bin/`, `/bin/`, `/usr/local/sbin/` and Homebrew's: a program named by its path in a system folder. */
export const SYSTEM_BIN_PREFIX = /^\/(?:usr\/(?:local\/)?)?s?bin\/|^\/opt\/homebrew\/bin\//;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** The wrapper a command word names (`sudo`, `/usr/bin/timeout`), if it is one. */
export function wrapperNamed(word: string): CommandWrapper | undefined {
  return WRAPPERS.get(word.replace(SYSTEM_BIN_PREFIX, ''));
}

/**
 * The index of the first word after the wrapper at `at` and its options and operands: the
 * wrapped command's program, or the next wrapper. `words` are a command's words as written.
 */
export function afterWrapper(words: readonly string[], at: number): number {
  const name = (words[at] ?? '').replace(SYSTEM_BIN_PREFIX, '');
  const wrapper = WRAPPERS.get(name);
  let i = at + 1;
  if (!wrapper) return i;
  let positional = wrapper.positional ?? 0;
  while (i < words.length) {
    const argument = words[i] ?? '';
    if (argument === '--') return i + 1;
    if (argument.startsWith('-') && argument !== '-') {
      i += wrapper.takesValue?.test(argument) ? 2 : 1;
    } else if (name === 'env' && ASSIGNMENT.test(argument)) {
      i++;
    } else if (positional > 0) {
      positional--;
      i++;
    } else {
      break;
    }
  }
  return i;
}

/**
 * The index of the program a command runs once its wrappers are looked through (`words.length`
 * when only wrappers are written). With `stdinOnly`, stops at a wrapper that does not hand its
 * standard input to the command (`xargs`): what reads a pipe is then the wrapper itself.
 */
export function programIndex(words: readonly string[], options: { readonly stdinOnly?: boolean } = {}): number {
  let i = 0;
  while (i < words.length) {
    const wrapper = wrapperNamed(words[i] ?? '');
    if (!wrapper || (options.stdinOnly === true && !wrapper.passesStdin)) return i;
    i = afterWrapper(words, i);
  }
  return i;
}

/**
 * `command` from its first word after the wrappers that pass it their standard input, as
 * written (`sudo -u root bash -s` gives `bash -s`); `command` itself when it has none. Words are
 * split at blanks outside quotes, which is all a wrapper's options need.
 */
export function unwrapCommand(command: string): string {
  // Most commands start with their program: one look at the first word, and nothing allocated.
  const first = /^\s*([^\s'"\\]+)(?=\s|$)/.exec(command);
  if (first && wrapperNamed(first[1] ?? '') === undefined) return command;
  const words: { text: string; start: number }[] = [];
  // An unclosed quote runs to the end, so that no word is scanned twice. A backslash before a
  // line break continues the command: it separates words like a blank.
  const word = /(?:[^\s'"\\]|\\[^\n]|'[^']*(?:'|$)|"(?:[^"\\]|\\[\s\S]?)*(?:"|$))+/g;
  let wanted = 16;
  for (;;) {
    let match: RegExpExecArray | null;
    while (words.length < wanted && (match = word.exec(command)) !== null) words.push({ text: match[0], start: match.index });
    const complete = words.length < wanted;
    const index = programIndex(
      words.map((entry) => entry.text),
      { stdinOnly: true },
    );
    // A chain of wrappers is short, but a long one is read to its end.
    if (complete || index < words.length - 2) {
      if (index === 0) return command;
      const start = words[index]?.start;
      return start === undefined ? '' : command.slice(start);
    }
    wanted *= 2;
  }
}
