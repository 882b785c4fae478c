import {
  classifyPath,
  HOOK_INPUT,
  hostMatchesVendor,
  isCredentialCategory,
  isCredentialFieldPrefix,
  isCredentialPrefix,
  isMetadataHost,
  isNeverSentSecret,
  isSharedLocation,
  isWellKnownVendor,
  secretVendor,
  SWEPT_PERSONAL_FILES,
  MESSAGE_STORES,
  type PathSource,
  type SourceCategory,
} from './labels';
import type { HelperRecording, OutsideRead } from './helper-replay';

/**
 * The abstract values the walkers compute, and the one place that decides whether a value
 * reaching a sink is a flow. A value is a small set of taint labels (where sensitive data came
 * from), an optional folded text (the string as far as it is known: `~/.ssh/*`), and the
 * parameters of the enclosing helper function it derives from (for function summaries).
 */

export interface Step {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface TaintLabel {
  readonly category: SourceCategory;
  /** What the data is, for messages: "the SSH private key", "the secret variable GITHUB_TOKEN". */
  readonly description: string;
  /** The environment variable, for named secrets. */
  readonly secretName?: string;
  /** The vendor whose hosts accept it as a credential, for a token its CLI printed (see `PathSource.vendor`). */
  readonly vendor?: string;
  /** Where it is read (file offsets). */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** Intermediate locations: a file written by one unit and read by another, a helper call. */
  readonly via: readonly Step[];
  /** The value was placed where a credential goes (a `key` field, after `Bearer `). */
  readonly credentialContext?: boolean;
  /** The value was placed inside a URL after a literal scheme and host. */
  readonly inUrl?: boolean;
}

export interface AbstractValue {
  readonly labels: readonly TaintLabel[];
  /** The string as far as it is known; unknown parts are `*`. */
  readonly text?: string;
  /** Bit i set: the value derives from parameter i of the helper being summarised. */
  readonly params: number;
  /** Element values of a tuple (`return user, key`), so unpacking keeps them apart. */
  readonly parts?: readonly AbstractValue[];
  /**
   * A dict, object or list literal as JSON (`json.dumps`, `JSON.stringify` of it), when its keys
   * are known; a value the walk does not know is `"*"`. So settings a script builds as an object
   * and writes as JSON (a hook's command) are read as the file they become.
   */
  readonly json?: string;
}

const MAX_PARTS = 10;

/** A tuple: the union of its elements, which are also kept one by one for unpacking. */
export function tupleValue(elements: readonly AbstractValue[]): AbstractValue {
  const whole = union(...elements);
  return elements.length > MAX_PARTS ? whole : { labels: whole.labels, params: whole.params, parts: elements };
}

/** Joins two values that may be tuples of the same arity, element by element. */
export function joinValues(a: AbstractValue, b: AbstractValue): AbstractValue {
  if (a.parts && b.parts && a.parts.length === b.parts.length) {
    const bParts = b.parts;
    return tupleValue(a.parts.map((part, index) => union(part, bParts[index] ?? EMPTY)));
  }
  return union(a, b);
}

export const EMPTY: AbstractValue = { labels: [], params: 0 };

const MAX_LABELS = 6;
const MAX_TEXT = 400;

export function textValue(text: string): AbstractValue {
  return { labels: [], params: 0, text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text };
}

/**
 * Longest JSON kept for a literal; literals whose source is longer are not written out (the JSON
 * is about as long). Settings with a hook run to a few hundred characters; the bound leaves room
 * for padding around them.
 */
export const MAX_JSON = 4000;

/** The JSON of one member of a literal: its own literal JSON (a number, `true`, `null`), a nested literal's, a known string, or `"*"`. */
export function jsonMember(value: AbstractValue, literalJson?: string): string {
  return literalJson ?? value.json ?? (value.text === undefined ? '"*"' : JSON.stringify(value.text));
}

/** A number literal as JSON writes it, or `"*"` when its spelling is not JSON's (`0x1F`, `1_000`, `5n`). */
export function jsonNumber(text: string): string {
  return /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text) ? text : '"*"';
}

/** An object literal's value with its JSON, from `[key, member JSON]` entries; undefined entries (a key not known) leave it without. */
export function withObjectJson(value: AbstractValue, entries: readonly (readonly [string, string])[] | undefined): AbstractValue {
  return entries === undefined ? value : withJson(value, `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${member}`).join(',')}}`);
}

/** A list literal's value with its JSON, from its members' JSON; undefined members (a spread) leave it without. */
export function withListJson(value: AbstractValue, members: readonly string[] | undefined): AbstractValue {
  return members === undefined ? value : withJson(value, `[${members.join(',')}]`);
}

function withJson(value: AbstractValue, json: string): AbstractValue {
  return json.length > MAX_JSON ? value : { ...value, json };
}

/**
 * A member set on an object (`settings.hooks = {…}`, `s['hooks'] = {…}`) as the JSON of a one-key
 * object, for `Scope.add` to merge into the object's own; undefined when the value's JSON is not known.
 */
export function memberAsJson(key: string | undefined, value: AbstractValue): string | undefined {
  if (key === undefined || key === '' || (value.json === undefined && value.text === undefined)) return undefined;
  return `{${JSON.stringify(key)}:${jsonMember(value)}}`;
}

/**
 * Two object JSONs merged, the later's keys winning: an object read from a file and then given
 * members is known by those members (what it held before is not). Undefined when either is not
 * an object or the result is longer than the bound.
 */
export function mergedObjectJson(before: string | undefined, added: string): string | undefined {
  try {
    const base: unknown = before === undefined ? {} : JSON.parse(before);
    const extra: unknown = JSON.parse(added);
    if (!isPlainObject(base) || !isPlainObject(extra)) return undefined;
    const merged = JSON.stringify({ ...base, ...extra });
    return merged.length > MAX_JSON ? undefined : merged;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What serialising a value as JSON gives: the literal's JSON where it is known (unbounded by `MAX_TEXT`, so the settings parse), the value otherwise. */
export function serialisedAsJson(value: AbstractValue): AbstractValue {
  return value.json === undefined ? value : { labels: value.labels, params: value.params, text: value.json };
}

export function withText(value: AbstractValue, text: string | undefined): AbstractValue {
  if (text === undefined) {
    if (value.text === undefined) return value;
    return { labels: value.labels, params: value.params };
  }
  return { labels: value.labels, params: value.params, text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text };
}

function labelKey(label: TaintLabel): string {
  return `${label.file}\u0000${label.start}\u0000${label.description}\u0000${label.credentialContext ? 1 : 0}${label.inUrl ? 1 : 0}`;
}

export function mergeLabels(a: readonly TaintLabel[], b: readonly TaintLabel[]): readonly TaintLabel[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = [...a];
  const seen = new Set(a.map(labelKey));
  for (const label of b) {
    if (out.length >= MAX_LABELS) break;
    const key = labelKey(label);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(label);
    }
  }
  return out;
}

/** Union of taint; the folded text is dropped (the result is not one known string). */
export function union(...values: readonly AbstractValue[]): AbstractValue {
  let labels: readonly TaintLabel[] = [];
  let params = 0;
  for (const value of values) {
    labels = mergeLabels(labels, value.labels);
    params |= value.params;
  }
  return labels.length === 0 && params === 0 ? EMPTY : { labels, params };
}

export function isTainted(value: AbstractValue): boolean {
  return value.labels.length > 0 || value.params !== 0;
}

export function mapLabels(value: AbstractValue, map: (label: TaintLabel) => TaintLabel | undefined): AbstractValue {
  if (value.labels.length === 0) return value;
  const labels: TaintLabel[] = [];
  for (const label of value.labels) {
    const mapped = map(label);
    if (mapped) labels.push(mapped);
  }
  return { ...value, labels };
}

/** The value without the script's-arguments label: a file's content is not the argument that named it. */
export function withoutCallerInput(value: AbstractValue): AbstractValue {
  return mapLabels(value, (label) => (label.category === 'caller-input' ? undefined : label));
}

/** Marks credential-category labels as used as a credential. */
export function asCredential(value: AbstractValue): AbstractValue {
  return mapLabels(value, (label) => (isCredentialCategory(label.category) && !label.credentialContext ? { ...label, credentialContext: true } : label));
}

export type StringPart = { readonly literal: string } | { readonly value: AbstractValue };

/**
 * Folds string building (f-strings, template literals, `+`, `%`, shell words): the text is the
 * concatenation with `*` for unknown parts; each interpolated value is checked against the text
 * before it, so `Bearer {token}` and `?key={token}` mark the token as a credential and
 * `https://host/{data}` marks the data as carried in a URL.
 */
export function foldString(parts: readonly StringPart[]): AbstractValue {
  let text = '';
  let labels: readonly TaintLabel[] = [];
  let params = 0;
  for (const part of parts) {
    if ('literal' in part) {
      text += part.literal;
    } else {
      const value = part.value;
      params |= value.params;
      if (value.labels.length > 0) {
        const credential = isCredentialPrefix(text) || isCredentialFieldPrefix(text);
        const inUrl = /(?:https?|wss?|ftp):\/\/[A-Za-z0-9.-]{1,253}/i.test(text);
        labels = mergeLabels(
          labels,
          value.labels.map((label) => ({
            ...label,
            ...(credential && isCredentialCategory(label.category) ? { credentialContext: true } : {}),
            ...(inUrl ? { inUrl: true } : {}),
          })),
        );
      }
      text += value.text ?? '*';
    }
    if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT);
  }
  return { labels, params, text };
}

// ---------------------------------------------------------------------------------------------
// Sinks and flows

export type SinkKind = 'network' | 'dns' | 'socket' | 'mail' | 'command' | 'shared-file' | 'executor';

/** Where in a request the value goes: `payload` (body, form, socket data), `url`, `header`, `dns`. */
export type SinkPosition = 'payload' | 'url' | 'header' | 'dns' | 'code';

export interface SinkSite {
  readonly kind: SinkKind;
  /** For messages: "an HTTP request body", "a DNS lookup". */
  readonly description: string;
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** The literal destination host, when known. */
  readonly host?: string;
  /** A shell runs the value as a command line: a helper handed a command string passes it on. */
  readonly shell?: true;
}

export type FlowKind = 'secret' | 'privacy' | 'download';

export interface Flow {
  readonly kind: FlowKind;
  readonly source: TaintLabel;
  readonly sink: SinkSite;
  /** Extra locations between source and sink (helper call sites). */
  readonly steps: readonly Step[];
  /**
   * A secret whose name names no service (`API_KEY`) used as a credential for a literal host: the
   * skill's own API if its instructions name that host, a flow if they never do. Which of the two
   * is decided per skill ({@link analyseSkill}), since a unit's walk does not see the Markdown.
   */
  readonly unlessHostDisclosed?: true;
}

export function flowKindOf(category: SourceCategory): FlowKind {
  if (category === 'privacy') return 'privacy';
  if (category === 'download') return 'download';
  return 'secret';
}

/** Whether a label arriving at a sink is a flow; `unless-host-disclosed`: see {@link Flow.unlessHostDisclosed}. */
export type FlowVerdict = 'flow' | 'no-flow' | 'unless-host-disclosed';

/**
 * Whether a label arriving at a sink in a given position is a flow. Downloaded data only matters
 * at executors, and sensitive data only at outbound sinks. A named secret (or `.env` content)
 * used as a credential (header, `key=` parameter, `Bearer …`) is how benign skills call their own
 * API: it is a flow only when the destination host is known and belongs to another service than
 * the one the secret is named after, or, for a name that names no service, when the skill never
 * tells the user about the host. A secret that *is* the URL (a webhook or database URL kept in an
 * environment variable) is the endpoint, not data.
 */
export function flowVerdict(label: TaintLabel, sink: SinkSite, position: SinkPosition): FlowVerdict {
  const verdict = (flows: boolean): FlowVerdict => (flows ? 'flow' : 'no-flow');
  if (label.category === 'caller-input') return 'no-flow';
  if (label.category === 'download') return verdict(sink.kind === 'executor');
  if (isMetadataHost(sink.host)) return 'no-flow';
  if (sink.kind === 'executor') return 'no-flow';
  // Personal files a wildcard swept up may be what a documented service is for; sent elsewhere, they leak.
  // The same for what a hook is handed: a tracing skill sends sessions to the service it names.
  // And for the user's messages, mail or notes: a skill may be for moving them to the service it names.
  if (label.category === 'privacy' && (label.description === SWEPT_PERSONAL_FILES || label.description === HOOK_INPUT.description || label.description === MESSAGE_STORES)) return 'unless-host-disclosed';
  // `TOKEN=$(az account get-access-token …)` used as a request's credential calls that service: a
  // flow only to a known host of another one.
  if (label.vendor !== undefined && (label.credentialContext === true || position === 'header')) return verdict(sink.host !== undefined && !hostMatchesVendor(label.vendor, sink.host));
  if (!isCredentialCategory(label.category)) return 'flow';
  if (label.secretName && isNeverSentSecret(label.secretName)) return verdict(position !== 'url' || label.inUrl === true);
  const credentialUse = label.credentialContext === true || position === 'header';
  if (position === 'url' && !label.inUrl && !credentialUse) return 'no-flow';
  if (!credentialUse) return 'flow';
  if (!sink.host) return 'no-flow';
  const vendor = label.secretName ? secretVendor(label.secretName) : undefined;
  if (vendor && hostMatchesVendor(vendor, sink.host)) return 'no-flow';
  if (vendor && isWellKnownVendor(vendor)) return 'flow';
  return label.secretName ? 'unless-host-disclosed' : 'no-flow';
}

export interface SecretBundle {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** For messages: "`json.dumps`". */
  readonly description: string;
  readonly sources: readonly TaintLabel[];
}

const MAX_BUNDLES_PER_UNIT = 20;

/** The service a secret belongs to (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are one). */
export function serviceOf(label: TaintLabel): string {
  return label.secretName ? secretVendor(label.secretName) ?? label.secretName : label.description;
}

export interface FileWrite {
  /** The folded path written. */
  readonly path: string;
  readonly labels: readonly TaintLabel[];
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

const MAX_FLOWS_PER_UNIT = 20;
const MAX_WRITES_PER_UNIT = 50;

/** Taint carried by files, by folded path: what other units (or earlier lines) wrote into them. */
export type FileTaints = ReadonlyMap<string, readonly TaintLabel[]>;

/** Collects what one unit's walk finds: flows, tainted file writes. */
/** A shell command that is exactly a value the script was given on its command line. */
export interface CallerCommand {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A command line a script hands to a shell, as far as the walk worked out its text (`*` for what it did not). */
export interface BuiltCommand {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The file name the text is scanned under, when it is not a shell command (`python3 -` reading a here-document). */
  readonly scanAs?: string;
}

/** Commands kept per unit: each is scanned again as shell code. */
const MAX_BUILT_COMMANDS = 50;

/**
 * Files whose lines a shell runs later: at every start, login or logout (bash, zsh, sh, fish, with
 * fish's `conf.d` snippets and the functions it autoloads by name; the user's and the system's),
 * at every SSH login (`~/.ssh/rc`), on entering the folder (direnv's
 * `.envrc`), or on a git operation (a hook in `.git/hooks` or Husky's `.husky`, or a file named as
 * a git hook in any `…hooks/` folder, which `core.hooksPath` can point every repository at).
 */
const FILE_A_SHELL_RUNS = /(?:^|[/~])\.(?:bashrc|bash_aliases|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin|zlogout|kshrc|envrc)$|\.config\/fish\/(?:config\.fish|conf\.d\/[\w.-]+\.fish|functions\/[\w.-]+\.fish)$|^\/etc\/(?:profile|bash\.bashrc|bashrc|zshrc|zsh\/zshrc|zprofile)$|^\/etc\/profile\.d\/|(?:^|[/~])\.ssh\/rc$|(?:^|\/)\.git\/hooks\/[\w.-]+$|(?:^|\/)\.husky\/[\w.-]+$|(?:^|[/~])[\w.-]*hooks\/(?:pre-commit|pre-push|pre-merge-commit|prepare-commit-msg|commit-msg|post-commit|post-checkout|post-merge|post-rewrite|pre-rebase|pre-auto-gc|reference-transaction)$/;
/**
 * Files a system reads commands from when it starts them: desktop entries (autostart, menus),
 * systemd units, launchd plists. What is written there is scanned as such a file, so the commands
 * in its `Exec=`, `ExecStart=` or `sh -c` arguments are read.
 */
const LAUNCHER_FILE = /\.(?:desktop|service|plist)$/;

/**
 * Files Python runs at every start: a `.pth` file's lines that begin with `import` (in the
 * site-packages folders; written anywhere else it is inert, but where `$SITE` points is not
 * known), `sitecustomize.py` and `usercustomize.py`.
 */
const FILE_PYTHON_RUNS = /\.pth$|(?:^|[/~])(?:site|user)customize\.py$/;

/** PowerShell's profiles, which every PowerShell session runs as it starts (`$PROFILE` names the user's). */
const POWERSHELL_PROFILE = /^["']?\$PROFILE(?:\.\w{1,30})?["']?$|(?:^|[/\\])(?:Microsoft\.(?:PowerShell|VSCode)_)?profile\.ps1["']?$/i;

/** Vim's and Neovim's start-up files. */
const VIM_STARTUP_FILE = /(?:^|[/~])(?:\.vimrc|\.gvimrc|\.exrc|\.config\/nvim\/init\.vim|\.vim\/plugin\/[\w.-]+\.vim)$/;
/** Commands kept from one written file's lines (Vim's, cron's). */
const MAX_LINE_COMMANDS = 20;
/** Longer lines are not Vim script or a cron line a person wrote, and the Vim patterns try each `|` in a line. */
const MAX_COMMAND_LINE = 4000;

/** The shell commands of Vim script lines: a `!` command (after `silent`, an `autocmd` event and pattern, or `|`), and `system('…')`. */
function vimShellCommands(text: string): string[] {
  const commands: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length > MAX_COMMAND_LINE) continue;
    const bang = /(?:^|\|)[ \t]*(?:(?:au(?:tocmd)?!?[ \t]+\S+[ \t]+\S+[ \t]+)?(?:sil(?:ent)?!?[ \t]+)?)!(?!=)([^\n]{1,2000})$/.exec(line);
    const called = /\bsystem\([ \t]*(["'])([^\n]{1,2000}?)\1[ \t]*\)/.exec(line);
    const command = bang?.[1] ?? called?.[2];
    if (command !== undefined && commands.length < MAX_LINE_COMMANDS) commands.push(command);
  }
  return commands;
}

/**
 * Cron tables: the system's (`/etc/crontab`, `/etc/cron.d/*`, whose lines name a user before the
 * command) and each user's (`/var/spool/cron/…`, also what `crontab -` reads on its input).
 */
const SYSTEM_CRON_TABLE = /^\/etc\/(?:crontab|cron\.d\/[\w.-]+)$/;
const USER_CRON_TABLE = /^\/var\/spool\/cron\/(?:crontabs\/)?[\w.$-]+$/;
/** Where `crontab -` puts the table it reads. */
export const USER_CRON_TABLE_PATH = '/var/spool/cron/crontabs/$USER';
/** A cron line: a schedule (five fields, or `@reboot`, `@hourly`…), then what runs (group 1). */
const CRON_LINE = /^[ \t]*(?:@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)|[\w*/,-]{1,40}(?:[ \t]+[\w*/,-]{1,40}){4})[ \t]+([^\n]{1,2000})$/;

/** The commands of a cron table's lines, each run by cron in a shell; `systemTable`: each line names its user first. */
function cronCommands(text: string, systemTable: boolean): string[] {
  const commands: string[] = [];
  for (const line of text.split('\n')) {
    if (commands.length >= MAX_LINE_COMMANDS) break;
    if (line.length > MAX_COMMAND_LINE || /^[ \t]*#/.test(line)) continue;
    const command = CRON_LINE.exec(line)?.[1];
    const run = systemTable ? command?.replace(/^[\w.-]{1,40}[ \t]+/, '') : command;
    if (run !== undefined && run.trim() !== '') commands.push(run);
  }
  return commands;
}

/** The shell commands a written file's lines run later: Vim's `!` commands and `system()` calls, a cron table's scheduled commands. */
function lineCommands(path: string, text: string): string[] {
  if (VIM_STARTUP_FILE.test(path)) return vimShellCommands(text);
  if (SYSTEM_CRON_TABLE.test(path)) return cronCommands(text, true);
  return USER_CRON_TABLE.test(path) ? cronCommands(text, false) : [];
}

/** Agent and editor settings whose hooks, tasks and servers run commands later. */
const AGENT_SETTINGS_FILE = /(?:^|[/~])\.(?:claude\/settings(?:\.local)?\.json|vscode\/tasks\.json|mcp\.json|cursor\/mcp\.json)$/;

/** The name a file's new content is scanned as, when something runs that file later. */
function runLaterAs(path: string): string | undefined {
  if (FILE_A_SHELL_RUNS.test(path)) return 'command.sh';
  if (FILE_PYTHON_RUNS.test(path)) return 'startup.py';
  if (POWERSHELL_PROFILE.test(path)) return 'profile.ps1';
  // Scanned under its own name, so the settings' hooks and tasks are read as the commands they run.
  const settings = AGENT_SETTINGS_FILE.exec(path.replace(/^["']|["']$/g, ''));
  if (settings) return settings[0].replace(/^[/~]/, '');
  const launcher = LAUNCHER_FILE.exec(path);
  return launcher ? `written${launcher[0]}` : undefined;
}

/**
 * A UNC path (`\\\\host\\share\\…`, its backslashes doubled as a script's string spells them,
 * `smb://host/…`, or `//host/share/…` with a dotted host, since `//usr/bin` is a local path);
 * group 1 or 2 is the host.
 */
const NETWORK_SHARE = /^["']?(?:(?:\\{2}|\\{4}|smb:\/\/)([A-Za-z0-9][\w.-]{0,252})|\/\/([A-Za-z0-9][\w-]{0,62}(?:\.[\w-]{1,63}){1,8}))(?:\\{1,2}|\/)[^\\/]/;

function isLocalShareHost(host: string): boolean {
  return /^(?:localhost|127(?:\.\d{1,3}){3}|\.|\?)$/i.test(host);
}

export class Recorder {
  readonly flows: Flow[] = [];
  readonly callerCommands: CallerCommand[] = [];
  readonly builtCommands: BuiltCommand[] = [];
  readonly writes: FileWrite[] = [];
  readonly bundles: SecretBundle[] = [];
  private readonly seen = new Set<string>();
  /** Writes seen so far in this unit, consulted by later reads. */
  private readonly localFiles = new Map<string, readonly TaintLabel[]>();
  /** The helper walk being recorded (`helper-replay.ts`): what the walkers report goes to it too. */
  log: HelperRecording | undefined;

  constructor(
    readonly file: string,
    /** Offset of the unit in its file: walkers give unit-relative offsets. */
    readonly base: number,
    private readonly fileTaints: FileTaints,
    /** What the script's standard input holds when it is a source (a hook script's input). */
    readonly scriptInput?: PathSource,
  ) {}

  /** A label for a source at unit-relative offsets. */
  label(source: PathSource, start: number, end: number, secretName?: string): TaintLabel {
    return {
      category: source.category,
      description: source.description,
      file: this.file,
      start: this.base + start,
      end: this.base + end,
      via: [],
      ...(secretName ? { secretName } : {}),
      ...(source.vendor ? { vendor: source.vendor } : {}),
    };
  }

  sink(kind: SinkKind, description: string, start: number, end: number, host?: string): SinkSite {
    return { kind, description, file: this.file, start: this.base + start, end: this.base + end, ...(host ? { host } : {}) };
  }

  /**
   * A command run through a shell (`shell=True`, `os.system`, `execSync`). Its text, where the
   * walk knows some of it, is kept to be read as shell code (a command assembled in variables, or
   * run through a renamed import, is seen by no pattern over the source). And when its whole value
   * comes from the script's arguments, with no literal text around it, the script runs the command
   * it was given: a caller command. A command built from an argument (`"convert " + args.file`)
   * is not one.
   */
  shellCommand(value: AbstractValue, start: number, end: number): void {
    this.log?.effect({ kind: 'shell-command', value, start, end });
    this.keepBuilt(value, start, end, undefined);
    if (value.labels.length === 0 || value.params !== 0 || !value.labels.every((label) => label.category === 'caller-input')) return;
    if (value.text !== undefined && value.text !== '*') return;
    if (this.callerCommands.length < 50) this.callerCommands.push({ file: this.file, start: this.base + start, end: this.base + end });
  }

  /**
   * A program that a shell command hands to a shell or an interpreter as text (`eval "$cmd"`,
   * `echo "…" | sh`, a here-document fed to `python3 -`, `bash -c "$(printf …)"`): its text,
   * where the walk knows it, is scanned again as code named `scanAs`, as a built command is.
   */
  programText(value: AbstractValue, start: number, end: number, scanAs: string): void {
    this.log?.effect({ kind: 'program-text', value, start, end, scanAs });
    this.keepBuilt(value, start, end, scanAs);
  }

  private keepBuilt(value: AbstractValue, start: number, end: number, scanAs: string | undefined): void {
    const text = value.text;
    if (text === undefined || this.builtCommands.length >= MAX_BUILT_COMMANDS || text.replace(/\*/g, '').trim().length < 8) return;
    this.builtCommands.push({ file: this.file, start: this.base + start, end: this.base + end, text, ...(scanAs ? { scanAs } : {}) });
  }

  /** Reports every label of `value` that flows into `sink`; returns whether any did. */
  reach(value: AbstractValue, sink: SinkSite, position: SinkPosition, steps: readonly Step[] = []): boolean {
    this.log?.effect({ kind: 'reach', value, sink, position, steps });
    return this.deliver(value, sink, position, steps);
  }

  private deliver(value: AbstractValue, sink: SinkSite, position: SinkPosition, steps: readonly Step[]): boolean {
    let any = false;
    for (const label of value.labels) {
      const verdict = flowVerdict(label, sink, position);
      if (verdict === 'no-flow') continue;
      any = true;
      const key = `${sink.start}\u0000${label.file}\u0000${label.start}`;
      if (this.seen.has(key) || this.flows.length >= MAX_FLOWS_PER_UNIT) continue;
      this.seen.add(key);
      this.flows.push({ kind: flowKindOf(label.category), source: label, sink, steps, ...(verdict === 'unless-host-disclosed' ? { unlessHostDisclosed: true as const } : {}) });
    }
    return any;
  }

  /**
   * Secrets of two or more services serialised or encoded into one value (`json.dumps({...})`,
   * `JSON.stringify`, base64): staging for exfiltration, whether or not the send is in view.
   * Credential use does not matter here: a dict key named like the secret is still a bundle.
   */
  bundle(value: AbstractValue, description: string, start: number, end: number): void {
    this.log?.effect({ kind: 'bundle', value, description, start, end });
    if (this.bundles.length >= MAX_BUNDLES_PER_UNIT) return;
    const secrets = value.labels.filter((label) => label.category !== 'privacy' && label.category !== 'download' && label.category !== 'caller-input');
    const services = new Set(secrets.map(serviceOf));
    if (services.size < 2) return;
    this.bundles.push({ file: this.file, start: this.base + start, end: this.base + end, description, sources: secrets });
  }

  /** Reading a file: a sensitive location is a source; a file some unit wrote carries its taint. */
  readFile(path: string | undefined, start: number, end: number): AbstractValue {
    this.log?.effect({ kind: 'read-file', path, start, end }, path === undefined ? undefined : this.writtenRead(path));
    if (path === undefined) return EMPTY;
    const source = classifyPath(path);
    let labels: readonly TaintLabel[] = source ? [this.label(source, start, end)] : [];
    const key = fileKey(path);
    if (!linkable(key)) return labels.length === 0 ? EMPTY : { labels, params: 0 };
    const local = this.localFiles.get(key);
    if (local) labels = mergeLabels(labels, local);
    const external = this.fileTaints.get(key);
    if (external) labels = mergeLabels(labels, external);
    return labels.length === 0 ? EMPTY : { labels, params: 0 };
  }

  /** Every file under a folder, as an archive of it reads them. */
  readFolder(path: string | undefined, start: number, end: number): AbstractValue {
    return path === undefined ? EMPTY : this.readFile(`${path.replace(/[\\/]+$/, '')}/*`, start, end);
  }

  /** Writing taint into a file: recorded for cross-unit linking, and a sink when the file is shared. */
  writeFile(path: string | undefined, value: AbstractValue, start: number, end: number): void {
    this.log?.effect({ kind: 'write-file', path, value, start, end }, path === undefined ? undefined : this.writtenRead(path));
    // A line written into a file a shell or a system runs later is a command run later: the rules
    // read it as one (`echo 'curl … | sh' >> ~/.bashrc`, an autostart entry's `Exec=`). A script's
    // string may spell the line break as `\n`, which the file then holds as a break.
    const written = value.text?.replace(/\\[nr]/g, '\n');
    const scanAs = path === undefined ? undefined : runLaterAs(path);
    if (scanAs !== undefined) this.keepBuilt(written === undefined ? value : withText(value, written), start, end, scanAs);
    // Vim's start-up files (`autocmd VimEnter * silent !curl … | sh`) and cron tables
    // (`*/10 * * * * curl … | sh`) hand commands in their lines to a shell.
    if (path !== undefined && written !== undefined) {
      for (const command of lineCommands(path, written)) this.keepBuilt(withText(value, command), start, end, 'command.sh');
    }
    if (path === undefined || value.labels.length === 0) return;
    const writeStep: Step = { file: this.file, start: this.base + start, end: this.base + end, message: `The data is written to \`${displayPath(path)}\` here.` };
    const carried = value.labels
      .filter((label) => label.category !== 'download' && label.category !== 'caller-input')
      .map((label) => ({ ...label, via: [...label.via, writeStep].slice(-4) }));
    if (carried.length === 0) return;
    const key = fileKey(path);
    if (isSharedLocation(path)) {
      this.deliver(value, this.sink('shared-file', `a file in the shared location \`${displayPath(path)}\``, start, end), 'payload', []);
    }
    // `\\host\share\k`, `//host/share/k`: a file written on another machine's network share.
    const share = NETWORK_SHARE.exec(path);
    const shareHost = share?.[1] ?? share?.[2];
    if (shareHost !== undefined && !isLocalShareHost(shareHost)) {
      this.deliver(value, this.sink('network', `a network share on ${shareHost}`, start, end, shareHost), 'payload', []);
    }
    if (!linkable(key)) return;
    this.localFiles.set(key, mergeLabels(this.localFiles.get(key) ?? [], carried));
    if (this.writes.length < MAX_WRITES_PER_UNIT) {
      this.writes.push({ path: key, labels: carried, file: this.file, start: this.base + start, end: this.base + end });
    }
  }

  /** The taint this unit has written so far into the file with this key. */
  writtenTo(key: string): readonly TaintLabel[] | undefined {
    return this.localFiles.get(key);
  }

  /** A file read or written: the writes to it so far are state outside a recorded helper walk. */
  private writtenRead(path: string): OutsideRead {
    const key = fileKey(path);
    return { kind: 'written-file', key, labels: this.localFiles.get(key) };
  }
}

/** A name specific enough to link two units: not unknown, not a device or a directory glob. */
function linkable(key: string): boolean {
  return key.length > 0 && !key.includes('*') && !/^(?:-|stdin|stdout|stderr|null)$/.test(key);
}

function displayPath(path: string): string {
  return path.length > 60 ? `…${path.slice(-59)}` : path;
}

/**
 * Files are linked by name: `./out/cp.txt`, `out/cp.txt` and `"cp.txt"` written in one unit and
 * read in another are the same file when their last two path segments agree (or their basename,
 * for a bare name).
 */
export function fileKey(path: string): string {
  const clean = path.replace(/^["']|["']$/g, '').replace(/\\/g, '/').replace(/\/+$/, '').replace(/^(?:\.\/)+/, '');
  const segments = clean.split('/').filter((segment) => segment.length > 0 && segment !== '.');
  return segments.slice(-1).join('/');
}
