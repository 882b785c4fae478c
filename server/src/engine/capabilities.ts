import { programsOf, splitShellCommands, type ShellCommand, type ShellWord } from './integrity/shell-words';
import { buildSkillModel, type CodeUnit, type FileModel, type SkillModel } from './skill-model';
import { parseAllowedToolsField } from './permissions/allowed-tools-grammar';
import { perUnit, type ResultMemo } from './result-memo';
import { escapeRegExp } from './matchers/regex-util';
import {
  CAPABILITY_KINDS,
  type CapabilityEvidence,
  type CapabilityInventory,
  type CapabilityItem,
  type CapabilityKind,
  type SkillBundle,
} from './types';

/**
 * The capability inventory: what a skill's code can reach, read from its code units (scripts,
 * Markdown code fences, dynamic `!` commands) and its `allowed-tools` field. It is deliberately
 * a plain extraction, not a judgement: the lock file records it so that `verify` can say "this
 * skill now talks to a new host" even when no rule fires.
 *
 * Everything here is a single pass of bounded regular expressions or the linear shell tokenizer
 * over each unit, so a hostile skill cannot make it slow; values and evidence lists are capped.
 */

/** Locations kept per value: enough to find it, small enough for a lock file. */
const MAX_EVIDENCE_PER_VALUE = 10;
/** Distinct values kept per kind. */
const MAX_VALUES_PER_KIND = 1000;
/** Longest value kept (longer ones are cut with `…`). */
const MAX_VALUE_LENGTH = 200;
/** Longest string literal read as a command. */
const MAX_LITERAL_LENGTH = 4000;
/** Lines after a path mention in which a Python or JS write call makes it a persistence write. */
const WRITE_WINDOW_LINES = 3;

export function capabilitiesOfBundle(bundle: SkillBundle): CapabilityInventory {
  return buildCapabilityInventory(buildSkillModel(bundle));
}

/** The report and SKL205's check both want the inventory of the same model: build it once. */
const inventories = new WeakMap<SkillModel, CapabilityInventory>();

/**
 * The inventory of a model, built once per model. With the language server's result memo, the
 * items each code unit (script file, fence) contributes are kept between scans and replayed in
 * order, so an edit in SKILL.md reads neither the scripts nor the fences it did not touch again.
 */
export function buildCapabilityInventory(model: SkillModel, memo?: ResultMemo): CapabilityInventory {
  let inventory = inventories.get(model);
  if (inventory === undefined) {
    inventory = collectInventory(model, memo);
    inventories.set(model, inventory);
  }
  return inventory;
}

/** Receives capability items: the collector itself, or a recorder whose items are replayed later. */
interface CapabilitySink {
  add(kind: CapabilityKind, rawValue: string, file: FileModel, start: number, end: number): void;
}

/** One item a unit contributed, without its file (always the unit's own); offsets relative to the unit. */
type RecordedItem = readonly [kind: CapabilityKind, value: string, start: number, end: number];
/** Names the recorded items among a script file's memoised results. */
const UNIT_ITEMS = {};

function collectInventory(model: SkillModel, memo: ResultMemo | undefined): CapabilityInventory {
  const collector = new CapabilityCollector();
  for (const unit of model.units) {
    if (!memo) {
      collectUnit(unit, collector);
      continue;
    }
    // Offsets are kept relative to the unit, so the items hold wherever the unit has moved.
    const items = perUnit(memo, Number.POSITIVE_INFINITY, unit, UNIT_ITEMS, () => {
      const recorded: RecordedItem[] = [];
      collectUnit(unit, { add: (kind, value, _file, start, end) => recorded.push([kind, value, start - unit.start, end - unit.start]) });
      return recorded;
    }, (relative) => relative);
    for (const [kind, value, start, end] of items) collector.add(kind, value, unit.file, unit.start + start, unit.start + end);
  }
  if (model.skillMd) collectAllowedTools(model.skillMd, collector);
  return collector.inventory();
}

function collectUnit(unit: CodeUnit, sink: CapabilitySink): void {
  collectHosts(unit, sink);
  collectSensitivePaths(unit, sink);
  collectPersistence(unit, sink);
  collectEnvironment(unit, sink);
  collectCommands(unit, sink);
  collectFiles(unit, sink);
}

/** The values of each kind, without evidence: what the lock file stores and `verify` compares. */
export function capabilityValues(inventory: CapabilityInventory): Record<CapabilityKind, string[]> {
  const values = {} as Record<CapabilityKind, string[]>;
  for (const kind of CAPABILITY_KINDS) values[kind] = inventory[kind].map((item) => item.value);
  return values;
}

class CapabilityCollector implements CapabilitySink {
  private readonly byKind = new Map<CapabilityKind, Map<string, CapabilityEvidence[]>>(
    CAPABILITY_KINDS.map((kind) => [kind, new Map()]),
  );

  add(kind: CapabilityKind, rawValue: string, file: FileModel, start: number, end: number): void {
    const value = rawValue.length > MAX_VALUE_LENGTH ? `${rawValue.slice(0, MAX_VALUE_LENGTH - 1)}…` : rawValue;
    if (value === '') return;
    const values = this.byKind.get(kind) as Map<string, CapabilityEvidence[]>;
    let evidence = values.get(value);
    if (evidence === undefined) {
      if (values.size >= MAX_VALUES_PER_KIND) return;
      evidence = [];
      values.set(value, evidence);
    }
    if (evidence.length >= MAX_EVIDENCE_PER_VALUE) return;
    const span = file.lines.span(start, end);
    const duplicate = evidence.some(
      (seen) => seen.file === file.path && seen.span.line === span.line && seen.span.column === span.column,
    );
    if (!duplicate) evidence.push({ file: file.path, span });
  }

  inventory(): CapabilityInventory {
    const build = (kind: CapabilityKind): CapabilityItem[] =>
      [...(this.byKind.get(kind) as Map<string, CapabilityEvidence[]>)]
        .sort(([a], [b]) => compareText(a, b))
        .map(([value, evidence]) => ({ value, evidence: [...evidence].sort(compareEvidence) }));
    return {
      hosts: build('hosts'),
      sensitivePaths: build('sensitivePaths'),
      envVars: build('envVars'),
      commands: build('commands'),
      persistence: build('persistence'),
      allowedTools: build('allowedTools'),
      filesRead: build('filesRead'),
      filesWritten: build('filesWritten'),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Hosts

/** `scheme://authority`; the authority stops at the first character a host cannot hold. */
const URL_PATTERN = /\b([a-z][a-z0-9+.-]{0,19}):\/\/([^\s/?#'"`<>()\\,;|{}^]{1,300})/gi;
/** Schemes that name no remote host. */
const LOCAL_SCHEMES: ReadonlySet<string> = new Set(['file', 'data', 'javascript', 'about', 'blob', 'chrome', 'vscode']);
/** Socket-level calls whose first argument (or tuple element) is a host name. */
const SOCKET_HOST_PATTERN =
  /\b(?:connect|connect_ex|create_connection|gethostbyname|gethostbyname_ex|getaddrinfo|resolve|lookup)\s*\(\s*\(?\s*(['"])([A-Za-z0-9.-]{1,253})\1/g;
/** `host: "…"`, `hostname="…"` in option objects and keyword arguments. */
const HOST_OPTION_PATTERN = /\b(?:host|hostname|server_host)\s*[:=]\s*(['"])([A-Za-z0-9.-]{1,253})\1/g;
/** Shell programs whose plain arguments name a host. */
const HOST_ARGUMENT_PROGRAMS: ReadonlySet<string> = new Set([
  'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'telnet', 'ftp', 'dig', 'nslookup', 'host', 'ping', 'socat', 'mosh',
]);
/** For these, only `user@host` or `host:path` arguments name a host; a plain word is a local file. */
const COPY_PROGRAMS: ReadonlySet<string> = new Set(['scp', 'rsync', 'sftp']);
const HOST_WORD = /^@?(?:[\w.+-]{1,64}@)?([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,10}\.[a-z]{2,24}|\d{1,3}(?:\.\d{1,3}){3})(:[^\s]*)?$/i;
/** Extensions that make `name.ext` a file rather than a host when it is a plain argument. */
const FILE_LIKE_TLDS: ReadonlySet<string> = new Set([
  'txt', 'json', 'sh', 'py', 'js', 'ts', 'md', 'html', 'log', 'zip', 'tar', 'gz', 'tgz', 'csv', 'xml', 'yaml', 'yml',
  'conf', 'cfg', 'ini', 'pem', 'key', 'pub', 'tmp', 'out', 'bin', 'exe', 'dat', 'db', 'png', 'jpg', 'pdf', 'lock', 'toml',
]);

function collectHosts(unit: CodeUnit, collector: CapabilitySink): void {
  const text = unit.text;
  for (const match of text.matchAll(URL_PATTERN)) {
    const scheme = (match[1] as string).toLowerCase();
    if (LOCAL_SCHEMES.has(scheme)) continue;
    const host = hostOfAuthority(match[2] as string);
    if (host === undefined) continue;
    const at = unit.start + (match.index ?? 0);
    collector.add('hosts', host, unit.file, at, at + match[0].length);
  }
  if (unit.language === 'python' || unit.language === 'javascript' || unit.language === 'typescript') {
    for (const pattern of [SOCKET_HOST_PATTERN, HOST_OPTION_PATTERN]) {
      for (const match of text.matchAll(pattern)) {
        const host = normaliseHost(match[2] as string);
        if (host === undefined) continue;
        const at = unit.start + (match.index ?? 0);
        collector.add('hosts', host, unit.file, at, at + match[0].length);
      }
    }
  }
}

function hostOfAuthority(authority: string): string | undefined {
  const afterUser = authority.slice(authority.lastIndexOf('@') + 1);
  if (afterUser.startsWith('[')) {
    const close = afterUser.indexOf(']');
    return close > 1 && /^[0-9a-f:.]+$/i.test(afterUser.slice(1, close)) ? afterUser.slice(0, close + 1).toLowerCase() : undefined;
  }
  const colon = afterUser.indexOf(':');
  return normaliseHost(colon === -1 ? afterUser : afterUser.slice(0, colon));
}

/** Lower-cased host, or undefined for a template or anything that is not a literal host name. */
function normaliseHost(text: string): string | undefined {
  const host = text.toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9._-]{1,253}$/.test(host) || !/[a-z0-9]/.test(host)) return undefined;
  if (host.startsWith('.') || host.startsWith('-')) return undefined;
  return host;
}

function hostsInShellCommand(command: ShellCommand, unit: CodeUnit, offset: number, collector: CapabilitySink): void {
  for (const program of programsOf(command)) {
    if (!HOST_ARGUMENT_PROGRAMS.has(program.name)) continue;
    const copy = COPY_PROGRAMS.has(program.name);
    for (const word of command.words.slice(program.index + 1)) {
      if (word.redirectTarget || word.text.startsWith('-')) continue;
      const match = HOST_WORD.exec(word.text);
      if (!match) continue;
      const hasUserOrPath = word.text.includes('@') || match[2] !== undefined;
      if (copy && !hasUserOrPath) continue;
      const host = (match[1] as string).toLowerCase();
      const tld = host.slice(host.lastIndexOf('.') + 1);
      if (!hasUserOrPath && FILE_LIKE_TLDS.has(tld)) continue;
      collector.add('hosts', host, unit.file, offset + word.start, offset + word.end);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sensitive paths

interface PathPattern {
  readonly pattern: RegExp;
  /** How the matched text becomes a value. */
  readonly value: (matched: string) => string;
}

/** Paths under the home folder: recorded as `~/…` whatever way the code reaches home. */
const HOME_SENSITIVE = new RegExp(
  String.raw`(?<![\w.$-])(?:` +
    [
      String.raw`\.ssh(?:/[\w.@-]{1,100})?`,
      String.raw`\.aws(?:/(?:credentials|config|sso/cache))?`,
      String.raw`\.config/(?:gcloud|gh|hub|op|rclone)(?:/[\w.-]{1,100})?`,
      String.raw`\.azure(?:/[\w.-]{1,100})?`,
      String.raw`\.kube(?:/config)?`,
      String.raw`\.docker/config\.json`,
      String.raw`\.npmrc`,
      String.raw`\.yarnrc(?:\.yml)?`,
      String.raw`\.pypirc`,
      String.raw`\.netrc`,
      String.raw`\.git-credentials`,
      String.raw`\.gnupg(?:/[\w.-]{1,100})?`,
      String.raw`\.password-store`,
      String.raw`\.vault-token`,
      String.raw`\.terraform\.d/credentials\.tfrc\.json`,
      String.raw`\.cargo/credentials(?:\.toml)?`,
      String.raw`\.gem/credentials`,
      String.raw`\.m2/settings\.xml`,
      String.raw`\.(?:bash|zsh|python|psql|mysql|node_repl)_history`,
      String.raw`\.(?:bashrc|zshrc|bash_profile|zprofile|profile|zshenv|bash_login|zlogin)`,
      String.raw`\.claude/\.credentials\.json`,
      String.raw`\.config/(?:google-chrome|chromium|BraveSoftware)(?:/[\w .-]{1,100})?`,
      String.raw`\.mozilla/firefox(?:/[\w.-]{1,100})?`,
      String.raw`Library/(?:Keychains|Cookies)(?:/[\w.-]{1,100})?`,
      String.raw`Library/Application Support/(?:Google/Chrome|BraveSoftware|Firefox|Exodus|Electrum|1Password)`,
      String.raw`\.(?:electrum|bitcoin|ethereum|monero|solana)(?:/[\w.-]{1,100})?`,
    ].join('|') +
    String.raw`)(?![\w-])`,
  'g',
);

const SENSITIVE_PATTERNS: readonly PathPattern[] = [
  { pattern: HOME_SENSITIVE, value: (matched) => `~/${matched}` },
  {
    pattern: /(?<![\w.-])\/(?:etc\/(?:shadow|gshadow|passwd|sudoers|master\.passwd)|etc\/ssh\/ssh_host_\w{1,20}_key|proc\/self\/environ|var\/run\/secrets\/[\w./-]{1,100})(?![\w-])/g,
    value: (matched) => matched,
  },
  { pattern: /(?<![\w.$-])\.env(?:\.[\w-]{1,40})?(?![\w-])/g, value: (matched) => matched },
  { pattern: /(?<![\w.-])\.git\/config(?![\w-])/g, value: (matched) => matched },
  // python-dotenv and dotenv read `.env` without naming it.
  { pattern: /\b(?:load_dotenv|dotenv_values)\s*\(|\brequire\s*\(\s*['"]dotenv['"]\s*\)\.config\b|\bimport\s+['"]dotenv\/config['"]/g, value: () => '.env' },
];

/** A home prefix written right before a path: the evidence range starts there. */
const HOME_PREFIX = /(?:~|\$HOME|\$\{HOME\})\/$/;

function collectSensitivePaths(unit: CodeUnit, collector: CapabilitySink): void {
  for (const { pattern, value } of SENSITIVE_PATTERNS) {
    for (const match of unit.text.matchAll(pattern)) {
      const index = match.index ?? 0;
      const prefix = HOME_PREFIX.exec(unit.text.slice(Math.max(0, index - 8), index))?.[0] ?? '';
      const at = unit.start + index;
      collector.add('sensitivePaths', value(match[0]), unit.file, at - prefix.length, at + match[0].length);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Persistence

interface PersistencePattern {
  readonly pattern: RegExp;
  /** The location recorded; `home` prefixes `~/` to the matched text. */
  readonly value: (matched: string, homeHint: boolean) => string;
}

const homeValue = (matched: string): string => `~/${matched}`;
const hintedValue = (matched: string, homeHint: boolean): string => (homeHint ? `~/${matched}` : matched);

const PERSISTENCE_PATTERNS: readonly PersistencePattern[] = [
  { pattern: /(?<![\w.$-])\.(?:bashrc|zshrc|bash_profile|zprofile|profile|zshenv|bash_login|zlogin|kshrc|cshrc|tcshrc)(?![\w-])/g, value: homeValue },
  { pattern: /(?<![\w.-])\.config\/fish\/config\.fish/g, value: homeValue },
  { pattern: /(?<![\w.-])\.config\/(?:systemd\/user|autostart)(?:\/[\w@.-]{1,100})?/g, value: homeValue },
  { pattern: /(?<![\w.-])Library\/(?:LaunchAgents|LaunchDaemons)(?:\/[\w.-]{1,100})?/g, value: (matched, homeHint) => (homeHint ? `~/${matched}` : `/${matched}`) },
  { pattern: /(?<![\w.-])\.ssh\/authorized_keys2?/g, value: homeValue },
  {
    pattern:
      /(?<![\w-])\/(?:etc\/(?:cron[\w.]{0,20}(?:\/[\w.-]{1,100})?|systemd\/system(?:\/[\w@.-]{1,100})?|rc\.local|init\.d(?:\/[\w.-]{1,100})?|profile(?:\.d\/[\w.-]{1,100})?|bash\.bashrc|environment|ld\.so\.preload)|var\/spool\/cron(?:\/[\w.-]{1,100})?|lib\/systemd\/system(?:\/[\w@.-]{1,100})?)/g,
    value: (matched) => matched,
  },
  {
    pattern:
      /(?<![\w.-])(?:\.claude\/(?:settings(?:\.local)?\.json|hooks|agents|commands|skills)|\.agents\/skills|\.codex\/(?:config\.toml|skills|AGENTS\.md)|\.cursor\/(?:rules|mcp\.json)|\.vscode\/(?:tasks|settings)\.json|\.git\/hooks(?:\/[\w.-]{1,100})?|\.mcp\.json|(?:CLAUDE|AGENTS)\.md)(?![\w-])/g,
    value: hintedValue,
  },
];

/** The code before a path says it is under the home folder. */
const HOME_HINT = /(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|home\(\)|expanduser\([^)]{0,40}|homedir\(\)|HOME['"]?\]?\)?)\s*[,+/]?\s*['"]?\/?$/;

/** In shell code, the location is written when it is a redirection target, or `tee`/`cp`/`mv`/… names it. */
const SHELL_WRITERS: ReadonlySet<string> = new Set(['tee', 'cp', 'mv', 'install', 'ln', 'rsync', 'dd', 'sed']);
/** In Python, JS and PowerShell: calls that write files. */
const CODE_WRITE_HINT =
  /\bopen\s*\([^)\n]{0,200}['"][rbt]{0,2}[wax][bt+]{0,2}['"]|\.write(?:_text|_bytes|lines)?\s*\(|\b(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|symlink|symlinkSync)\b|\bshutil\.(?:copy|copy2|copyfile|copytree|move)\b|\bos\.(?:symlink|rename|replace)\b|\b(?:Out-File|Add-Content|Set-Content|Copy-Item|New-Item)\b/;

/** Commands that install persistence by themselves, whatever file they touch. */
const PERSISTENCE_COMMANDS: readonly { readonly test: (words: readonly string[]) => boolean; readonly value: string }[] = [
  { test: (w) => w[0] === 'crontab' && !w.slice(1).some((x) => x === '-l' || x === '-r'), value: 'crontab' },
  { test: (w) => w[0] === 'systemctl' && w.includes('enable'), value: 'systemd (systemctl enable)' },
  { test: (w) => w[0] === 'launchctl' && (w.includes('load') || w.includes('bootstrap') || w.includes('enable')), value: 'launchd (launchctl load)' },
  { test: (w) => w[0] === 'schtasks' && w.some((x) => /^\/create$/i.test(x)), value: 'Windows scheduled task' },
  { test: (w) => w[0] === 'git' && w.includes('config') && w.some((x) => /^core\.hooksPath$/i.test(x)), value: 'git core.hooksPath' },
  { test: (w) => w[0] === 'reg' && /^add$/i.test(w[1] ?? '') && w.some((x) => /CurrentVersion\\Run/i.test(x)), value: 'Windows Run key' },
];

function collectPersistence(unit: CodeUnit, collector: CapabilitySink): void {
  const text = unit.text;
  const shell = unit.language === 'bash' ? shellIndexOf(unit) : undefined;
  for (const { pattern, value } of PERSISTENCE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      const written = shell ? writtenByShell(shell, start, end) : writtenByCode(text, start, end);
      if (!written) continue;
      const homeHint = HOME_HINT.test(text.slice(Math.max(0, start - 40), start));
      const prefix = HOME_PREFIX.exec(text.slice(Math.max(0, start - 8), start))?.[0] ?? '';
      collector.add('persistence', value(match[0], homeHint), unit.file, unit.start + start - prefix.length, unit.start + end);
    }
  }
  for (const command of shell?.commands ?? []) {
    for (const program of programsOf(command)) {
      const words = command.words.slice(program.index).map((word) => word.text);
      words[0] = program.name;
      const hit = PERSISTENCE_COMMANDS.find((candidate) => candidate.test(words));
      if (hit) collector.add('persistence', hit.value, unit.file, unit.start + program.word.start, unit.start + program.word.end);
    }
  }
}

/** Programs that write the file named by their last argument. */
const LAST_ARGUMENT_WRITERS: ReadonlySet<string> = new Set(['cp', 'mv', 'install', 'ln', 'rsync']);

function writtenByShell(shell: ShellIndex, start: number, end: number): boolean {
  const located = wordAt(shell, start, end);
  if (located === undefined) return false;
  const { word, command, index } = located;
  if (word.redirectTarget) return true;
  for (const program of programsOf(command)) {
    if (program.index >= index || !SHELL_WRITERS.has(program.name)) continue;
    if (LAST_ARGUMENT_WRITERS.has(program.name)) {
      const lastArgument = [...command.words].reverse().find((candidate) => !candidate.redirectTarget);
      if (lastArgument === word) return true;
    } else if (program.name === 'sed') {
      // `sed -i` edits in place; plain `sed` only reads.
      if (command.words.some((candidate) => /^-i/.test(candidate.text) || candidate.text === '--in-place')) return true;
    } else {
      return true; // `tee`, `dd of=…`
    }
  }
  return false;
}

/** How far around a path mention the write hints are looked for: bounds the work on long lines. */
const WRITE_WINDOW_CHARS = 1000;

function writtenByCode(text: string, start: number, end: number): boolean {
  // The path and the write are often on different lines (`rc = home / ".bashrc"` … `open(rc, "a")`).
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - WRITE_WINDOW_CHARS);
  let windowEnd = end;
  for (let line = 0; line <= WRITE_WINDOW_LINES && windowEnd !== -1; line++) {
    windowEnd = text.indexOf('\n', windowEnd + (line === 0 ? 0 : 1));
  }
  const stop = Math.min(windowEnd === -1 ? text.length : windowEnd, end + WRITE_WINDOW_CHARS);
  const window = text.slice(lineStart, stop);
  return CODE_WRITE_HINT.test(window) || /(?:^|[^>=<-])>>?\s*['"]?[~$\w./{}-]*$/.test(text.slice(lineStart, start));
}

// ---------------------------------------------------------------------------------------------
// Files read and written

/** A literal that names a file: has a folder or an extension, and is not a URL, flag or pattern. */
const FILE_LIKE = /^(?:~|\$HOME|\$\{HOME\}|\.{1,2})?[\w./@%+-]{0,300}$/;

function filePathValue(text: string): string | undefined {
  const value = text.replace(/^(?:\$HOME|\$\{HOME\})(?=\/)/, '~');
  if (value.length < 2 || value.length > 300 || !FILE_LIKE.test(value) || value.startsWith('-')) return undefined;
  if (!/[/.]/.test(value) || /^\.+$/.test(value) || value.includes('://') || /^\d+(?:\.\d+)*$/.test(value)) return undefined;
  if (value === '/dev/null' || value.startsWith('/dev/fd/') || value === '/dev/stdout' || value === '/dev/stderr' || value === '/dev/stdin') {
    return undefined;
  }
  return value;
}

/** Programs whose file arguments they read. */
const SHELL_FILE_READERS: ReadonlySet<string> = new Set([
  'cat', 'head', 'tail', 'less', 'more', 'source', '.', 'base64', 'xxd', 'od', 'wc', 'sort', 'uniq', 'jq', 'yq', 'grep',
  'diff', 'sha256sum', 'md5sum', 'gpg', 'openssl', 'scp', 'tar', 'zip', 'gzip', 'python', 'python3', 'node', 'bash', 'sh',
]);
/** Programs that write every file argument. */
const SHELL_FILE_WRITERS: ReadonlySet<string> = new Set(['tee', 'touch', 'truncate', 'shred']);

const PYTHON_OPEN = /\bopen\(\s{0,4}[rbfu]{0,2}(['"])([^'"\n]{1,300})\1(?:\s{0,4},\s{0,4}(?:mode\s{0,4}=\s{0,4})?[rbfu]{0,2}(['"])([rwabxt+]{1,4})\3)?/g;
const PYTHON_PATH_IO = /\bPath\(\s{0,4}[rbfu]{0,2}(['"])([^'"\n]{1,300})\1\s{0,4}\)\s{0,4}\.\s{0,4}(read_text|read_bytes|write_text|write_bytes|open|touch|unlink)\b/g;
const JS_FS_CALL =
  /\b(readFileSync|readFile|createReadStream|writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|unlinkSync|rmSync)\(\s{0,4}(['"`])([^'"`\n$]{1,300})\2/g;
const JS_WRITE_CALL = /^(?:write|append|createWrite|unlink|rm)/;

function collectFiles(unit: CodeUnit, collector: CapabilitySink): void {
  const add = (kind: 'filesRead' | 'filesWritten', raw: string, start: number, end: number): void => {
    const value = filePathValue(raw);
    if (value !== undefined) collector.add(kind, value, unit.file, unit.start + start, unit.start + end);
  };
  switch (unit.language) {
    case 'bash':
      for (const command of shellCommandsOf(unit)) {
        for (const word of command.words) {
          if (!word.redirectTarget) continue;
          // The operator before the target says which way the data goes.
          const before = unit.text.slice(Math.max(0, word.start - 4), word.start).trimEnd();
          add(before.endsWith('<') ? 'filesRead' : 'filesWritten', word.text, word.start, word.end);
        }
        const programs = programsOf(command);
        const program = programs[programs.length - 1];
        if (program === undefined) continue;
        const args = command.words.slice(program.index + 1).filter((word) => !word.redirectTarget && !word.text.startsWith('-'));
        if (LAST_ARGUMENT_WRITERS.has(program.name) && args.length >= 2) {
          const target = args[args.length - 1] as ShellWord;
          for (const source of args.slice(0, -1)) add('filesRead', source.text, source.start, source.end);
          add('filesWritten', target.text, target.start, target.end);
        } else if (SHELL_FILE_WRITERS.has(program.name)) {
          for (const arg of args) add('filesWritten', arg.text, arg.start, arg.end);
        } else if (SHELL_FILE_READERS.has(program.name)) {
          for (const arg of args) add('filesRead', arg.text, arg.start, arg.end);
        } else if (program.name === 'curl') {
          // `-d @file`, `-F name=@file`, `-T file` upload a file; `-o file` writes one.
          for (let i = program.index + 1; i < command.words.length; i++) {
            const word = command.words[i] as ShellWord;
            const next = command.words[i + 1];
            const upload = /@([^\s;]{1,300})$/.exec(word.text);
            if (upload?.[1] && upload[1] !== '-') add('filesRead', upload[1], word.end - upload[1].length, word.end);
            if (next && (word.text === '-T' || word.text === '--upload-file')) add('filesRead', next.text, next.start, next.end);
            if (next && (word.text === '-o' || word.text === '--output')) add('filesWritten', next.text, next.start, next.end);
          }
        }
      }
      break;
    case 'python':
      for (const match of unit.text.matchAll(PYTHON_OPEN)) {
        const path = match[2] as string;
        const at = (match.index ?? 0) + match[0].indexOf(path);
        add(/[wax+]/.test(match[4] ?? 'r') ? 'filesWritten' : 'filesRead', path, at, at + path.length);
      }
      for (const match of unit.text.matchAll(PYTHON_PATH_IO)) {
        const path = match[2] as string;
        const at = (match.index ?? 0) + match[0].indexOf(path);
        add(/^read|^open$/.test(match[3] as string) ? 'filesRead' : 'filesWritten', path, at, at + path.length);
      }
      break;
    case 'javascript':
    case 'typescript':
      for (const match of unit.text.matchAll(JS_FS_CALL)) {
        const path = match[3] as string;
        const at = (match.index ?? 0) + match[0].indexOf(path, (match[1] as string).length);
        add(JS_WRITE_CALL.test(match[1] as string) ? 'filesWritten' : 'filesRead', path, at, at + path.length);
      }
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Environment variables

/** Shell variables the shell itself sets: reading them reads no environment. */
const SHELL_OWN_VARIABLES: ReadonlySet<string> = new Set([
  'BASH_SOURCE', 'BASH_REMATCH', 'BASH_VERSION', 'BASH_LINENO', 'BASHPID', 'FUNCNAME', 'LINENO', 'RANDOM', 'SECONDS',
  'PIPESTATUS', 'IFS', 'OPTARG', 'OPTIND', 'REPLY', 'PPID', 'EUID', 'UID', 'SHLVL', 'OLDPWD', 'PWD',
]);

const SHELL_VARIABLE = /\$(?:\{#?([A-Z_][A-Z0-9_]{0,100})|([A-Z_][A-Z0-9_]{0,100}))/g;
const SHELL_ASSIGNED = /(?:^|[\s;&|(])(?:(?:export|local|declare|typeset|readonly)\s+(?:-\w+\s+)*)?([A-Z_][A-Z0-9_]{0,100})\+?=|\bfor\s+([A-Z_][A-Z0-9_]{0,100})\s+in\b|\bread\s+(?:-\w+\s+)*([A-Z_][A-Z0-9_]{0,100})/g;
const POWERSHELL_VARIABLE = /\$env:([A-Za-z_][A-Za-z0-9_]{0,100})|GetEnvironmentVariable\(\s*['"]([A-Za-z_][A-Za-z0-9_]{0,100})['"]/g;
const PYTHON_NAMED = /\b(?:environ(?:\.(?:get|setdefault|pop))?\s*[[(]|getenv\s*\()\s*(['"])([A-Za-z_][A-Za-z0-9_]{0,100})\1/g;
const PYTHON_WHOLE = /(?<!import\s{1,10})\benviron\b(?!\s*(?:\[|\.(?:get|setdefault|pop)\b))|\bos\.environb\b/g;
const JS_NAMED = /\b(?:process|Bun)\.env(?:\.([A-Za-z_$][\w$]{0,100})|\s*\[\s*(['"`])([A-Za-z_][\w]{0,100})\2\s*\])|\bDeno\.env\.get\(\s*(['"`])([A-Za-z_]\w{0,100})\4/g;
const JS_DESTRUCTURED = /\{([^{}]{1,500})\}\s*=\s*process\.env\b/g;
const JS_WHOLE = /\bprocess\.env\b(?!\s*[.[])|\bDeno\.env\.toObject\(/g;

function collectEnvironment(unit: CodeUnit, collector: CapabilitySink): void {
  const text = unit.text;
  const add = (name: string, start: number, end: number): void =>
    collector.add('envVars', name, unit.file, unit.start + start, unit.start + end);
  switch (unit.language) {
    case 'bash': {
      const assigned = new Set<string>();
      for (const match of text.matchAll(SHELL_ASSIGNED)) assigned.add((match[1] ?? match[2] ?? match[3]) as string);
      for (const match of text.matchAll(SHELL_VARIABLE)) {
        const name = (match[1] ?? match[2]) as string;
        if (assigned.has(name) || SHELL_OWN_VARIABLES.has(name)) continue;
        add(name, match.index ?? 0, (match.index ?? 0) + match[0].length);
      }
      for (const command of shellCommandsOf(unit)) {
        for (const program of programsOf(command)) {
          const rest = command.words.slice(program.index + 1).filter((word) => !word.redirectTarget);
          const dumpsAll =
            (program.name === 'printenv' && rest.every((word) => word.text.startsWith('-'))) ||
            (program.name === 'env' && rest.length === 0) ||
            (program.name === 'export' && rest.some((word) => word.text === '-p'));
          if (dumpsAll) add('*', program.word.start, program.word.end);
          if (program.name === 'printenv') {
            for (const word of rest) if (/^[A-Za-z_]\w*$/.test(word.text)) add(word.text, word.start, word.end);
          }
        }
      }
      // `env` alone is a wrapper with nothing to run, so programsOf() skips it: look for it directly.
      for (const command of shellCommandsOf(unit)) {
        const words = command.words.filter((word) => !word.redirectTarget);
        if (words.length === 1 && words[0]?.text === 'env') add('*', words[0].start, words[0].end);
      }
      break;
    }
    case 'powershell':
      for (const match of text.matchAll(POWERSHELL_VARIABLE)) {
        add((match[1] ?? match[2]) as string, match.index ?? 0, (match.index ?? 0) + match[0].length);
      }
      break;
    case 'python':
      for (const match of text.matchAll(PYTHON_NAMED)) add(match[2] as string, match.index ?? 0, (match.index ?? 0) + match[0].length);
      for (const match of text.matchAll(PYTHON_WHOLE)) add('*', match.index ?? 0, (match.index ?? 0) + match[0].length);
      break;
    case 'javascript':
    case 'typescript': {
      for (const match of text.matchAll(JS_NAMED)) {
        add((match[1] ?? match[3] ?? match[5]) as string, match.index ?? 0, (match.index ?? 0) + match[0].length);
      }
      const destructuredAt = new Set<number>();
      for (const match of text.matchAll(JS_DESTRUCTURED)) {
        const at = match.index ?? 0;
        destructuredAt.add(at + match[0].length - 'process.env'.length);
        for (const part of (match[1] as string).split(',')) {
          const name = /^\s*([A-Za-z_$][\w$]*)/.exec(part)?.[1];
          if (name !== undefined) add(name, at, at + match[0].length);
        }
      }
      for (const match of text.matchAll(JS_WHOLE)) {
        const at = match.index ?? 0;
        if (!destructuredAt.has(at)) add('*', at, at + match[0].length);
      }
      break;
    }
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

const PYTHON_SHELL_CALL =
  /\b(?:(?:subprocess|sp)\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\.(system|popen|exec[lv]p?e?|spawn[lv]p?e?)|pty\.(spawn)|commands\.(getoutput))\s*\(\s*(?:os\.P_\w+\s*,\s*)?/g;
const PYTHON_IMPORTED_CALL = /(?<![\w.])(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)\s*\(\s*/g;
const JS_PROCESS_CALL = /(?<![\w$.])(?:[\w$]+\.)?(exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)\s*\(\s*/g;

/** Calls whose string argument is handed to a shell (split it into commands); the others name one program. */
const SHELL_STRING_CALLS: ReadonlySet<string> = new Set(['system', 'popen', 'getoutput', 'getstatusoutput', 'exec', 'execSync']);

function collectCommands(unit: CodeUnit, collector: CapabilitySink): void {
  switch (unit.language) {
    case 'bash':
      for (const command of shellCommandsOf(unit)) {
        for (const program of programsOf(command)) {
          collector.add('commands', program.name, unit.file, unit.start + program.word.start, unit.start + program.word.end);
        }
        hostsInShellCommand(command, unit, unit.start, collector);
      }
      break;
    case 'python': {
      const imported = namesImportedFromSubprocess(unit.text);
      for (const match of unit.text.matchAll(PYTHON_SHELL_CALL)) {
        const name = (match[1] ?? match[2] ?? match[3] ?? match[4]) as string;
        commandFromCallArgument(unit, (match.index ?? 0) + match[0].length, SHELL_STRING_CALLS.has(name) || /shell\s*=\s*True/.test(lineAt(unit.text, match.index ?? 0)), collector);
      }
      if (imported.size > 0) {
        for (const match of unit.text.matchAll(PYTHON_IMPORTED_CALL)) {
          const name = match[1] as string;
          if (!imported.has(name)) continue;
          commandFromCallArgument(unit, (match.index ?? 0) + match[0].length, SHELL_STRING_CALLS.has(name), collector);
        }
      }
      break;
    }
    case 'javascript':
    case 'typescript':
      // Only files that load child_process: `exec(` is also a RegExp method.
      if (!/\bchild_process\b/.test(unit.text)) break;
      for (const match of unit.text.matchAll(JS_PROCESS_CALL)) {
        const name = match[1] as string;
        if (name === 'fork') continue; // runs a Node module, not a program
        commandFromCallArgument(unit, (match.index ?? 0) + match[0].length, SHELL_STRING_CALLS.has(name), collector);
      }
      break;
    default:
      break;
  }
}

/** `from subprocess import run, Popen` → {run, Popen}: only those bare calls are subprocess calls. */
function namesImportedFromSubprocess(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/\bfrom\s+subprocess\s+import\s+\(?([\w\s,]{1,300})/g)) {
    for (const part of (match[1] as string).split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name) names.add(name);
    }
  }
  return names;
}

/** Reads the first argument of a call (a string literal, or a list whose first item is one). */
function commandFromCallArgument(unit: CodeUnit, at: number, viaShell: boolean, collector: CapabilitySink): void {
  const text = unit.text;
  let index = at;
  let list = false;
  if (text[index] === '[') {
    list = true;
    index++;
    while (text[index] === ' ' || text[index] === '\n' || text[index] === '\t') index++;
  }
  const literal = readStringLiteral(text, index);
  if (literal === undefined) return;
  if (viaShell && !list) {
    for (const command of splitShellCommands(literal.value)) {
      for (const program of programsOf(command)) {
        // Escapes make in-literal offsets approximate; clamp them to the literal.
        const start = Math.min(literal.contentStart + program.word.start, literal.contentEnd);
        const end = Math.min(literal.contentStart + program.word.end, literal.contentEnd);
        collector.add('commands', program.name, unit.file, unit.start + start, unit.start + end);
      }
      hostsInShellCommand(command, unit, unit.start + literal.contentStart, collector);
    }
    return;
  }
  const program = (list ? literal.value : literal.value.split(/\s+/)[0] ?? '').replace(/^\/(?:usr\/(?:local\/)?)?s?bin\//, '');
  if (program !== '') collector.add('commands', program, unit.file, unit.start + literal.contentStart, unit.start + literal.contentEnd);
}

interface StringLiteral {
  readonly value: string;
  readonly contentStart: number;
  readonly contentEnd: number;
}

/** A Python or JS string literal starting at `at` (prefixes such as `r` or `f` allowed), or undefined. */
function readStringLiteral(text: string, at: number): StringLiteral | undefined {
  let index = at;
  let prefix = 0;
  while (prefix < 2 && /[rRbBuUfF]/.test(text[index] ?? '')) {
    index++;
    prefix++;
  }
  const quote = text[index];
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  const raw = /[rR]/.test(text.slice(at, index));
  const contentStart = index + 1;
  let value = '';
  for (let j = contentStart; j < text.length && j - contentStart < MAX_LITERAL_LENGTH; j++) {
    const ch = text[j] as string;
    if (ch === quote) return { value, contentStart, contentEnd: j };
    if (ch === '\n' && quote !== '`') return undefined;
    if (ch === '\\' && !raw && j + 1 < text.length) {
      j++;
      const escaped = text[j] as string;
      value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      continue;
    }
    value += ch;
  }
  return undefined;
}

function lineAt(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  // A call's keyword arguments may sit on the next lines: look a little further.
  const stop = end === -1 ? text.length : Math.min(text.length, end + 400);
  return text.slice(start, stop);
}

// ---------------------------------------------------------------------------------------------
// allowed-tools

function collectAllowedTools(skillMd: FileModel, collector: CapabilityCollector): void {
  const field = skillMd.frontmatter?.fields.get('allowed-tools');
  if (!field) return;
  // The same grammar the least-privilege rules use, so the lock records exactly the grants they see.
  for (const grant of parseAllowedToolsField(skillMd.text, field).grants) {
    collector.add('allowedTools', grant.text, skillMd, grant.start, grant.end);
  }
}

export interface ToolGrant {
  readonly tool: string;
  /** Text inside the parentheses; undefined for a bare tool, which grants everything. */
  readonly specifier?: string;
}

export function parseToolGrant(entry: string): ToolGrant {
  const open = entry.indexOf('(');
  if (open <= 0 || !entry.endsWith(')')) return { tool: entry };
  return { tool: entry.slice(0, open), specifier: entry.slice(open + 1, -1).trim() };
}

/**
 * Whether `granted` already allows everything `candidate` allows: the same tool, and either a
 * bare or `*` grant, or a specifier pattern that matches the candidate's specifier text. Used to
 * tell a widened `allowed-tools` (a new entry nothing covered before) from a narrowed one.
 */
export function grantCovers(granted: string, candidate: string): boolean {
  if (granted === candidate) return true;
  const a = parseToolGrant(granted);
  const b = parseToolGrant(candidate);
  if (a.tool !== b.tool) return false;
  if (a.specifier === undefined || a.specifier === '*' || a.specifier === '') return true;
  if (b.specifier === undefined || b.specifier === '*' || b.specifier === '') return false;
  const pattern = normaliseSpecifier(a.specifier);
  const value = normaliseSpecifier(b.specifier);
  if (pattern === value) return true;
  if (pattern.length > 500 || value.length > 500 || !pattern.includes('*')) return false;
  // Claude Code patterns: `*` matches any run of characters, including spaces.
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return regex.test(value);
}

/** `git:*` is Claude Code's older spelling of `git *`. */
function normaliseSpecifier(specifier: string): string {
  return specifier.endsWith(':*') ? `${specifier.slice(0, -2)} *` : specifier;
}

// ---------------------------------------------------------------------------------------------
// Shared

interface IndexedWord {
  readonly word: ShellWord;
  readonly command: ShellCommand;
  /** Position of the word in its command. */
  readonly index: number;
}

/** A unit's shell commands, and all their words sorted by start, to find the word at an offset. */
interface ShellIndex {
  readonly commands: readonly ShellCommand[];
  readonly words: readonly IndexedWord[];
}

/** Built once per unit: several collectors need the commands. */
const shellIndexes = new WeakMap<CodeUnit, ShellIndex>();

function shellIndexOf(unit: CodeUnit): ShellIndex {
  let index = shellIndexes.get(unit);
  if (index === undefined) {
    const commands = splitShellCommands(unit.text);
    const words = commands.flatMap((command) => command.words.map((word, position) => ({ word, command, index: position })));
    words.sort((a, b) => a.word.start - b.word.start || b.word.end - a.word.end);
    index = { commands, words };
    shellIndexes.set(unit, index);
  }
  return index;
}

function shellCommandsOf(unit: CodeUnit): readonly ShellCommand[] {
  return shellIndexOf(unit).commands;
}

/** The innermost word covering [start, end): the last one starting at or before `start`. */
function wordAt(shell: ShellIndex, start: number, end: number): IndexedWord | undefined {
  const words = shell.words;
  let low = 0;
  let high = words.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((words[mid] as IndexedWord).word.start <= start) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  // A substitution's words sit inside the outer word: step back to one that covers the range.
  for (let i = found; i >= 0 && i > found - 8; i--) {
    const candidate = words[i] as IndexedWord;
    if (candidate.word.end >= end) return candidate;
  }
  return undefined;
}

function compareEvidence(a: CapabilityEvidence, b: CapabilityEvidence): number {
  return compareText(a.file, b.file) || a.span.line - b.span.line || a.span.column - b.span.column;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
