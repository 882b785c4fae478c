import { parseArgs } from 'node:util';
import { isIsoDate } from '../engine/integrity/baseline';
import { defaultCacheDir } from '../report-cache';
import { SEVERITIES, parseSeverity, type Severity } from '../engine/types';

export const TOOL_NAME = 'skill-sentinel';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ScanCommand {
  readonly kind: 'scan';
  /** As typed by the user; empty means the working directory. */
  readonly paths: readonly string[];
  readonly severity: Severity;
  readonly failOn: Severity;
  readonly format: OutputFormat;
  readonly output?: string;
  readonly exclude: readonly string[];
  /** Suppression baseline to apply. */
  readonly baseline?: string;
  /** Reuse reports of unchanged skills from this folder (`--cache`, `--cache-location`). */
  readonly cacheDir?: string;
}

export interface RulesCommand {
  readonly kind: 'rules';
  readonly format: 'text' | 'json';
  readonly output?: string;
}

export interface LockCommand {
  readonly kind: 'lock';
  readonly paths: readonly string[];
  readonly lockfile?: string;
  /** Approve skills whose verdict is dangerous or malicious too. */
  readonly force: boolean;
  /** Private key file to sign the lock with. */
  readonly signKey?: string;
  readonly exclude: readonly string[];
}

export interface VerifyCommand {
  readonly kind: 'verify';
  readonly paths: readonly string[];
  readonly lockfile?: string;
  /** Public key the lock's signature must verify with. */
  readonly trustKey?: string;
  readonly format: 'text' | 'json';
  readonly output?: string;
  readonly exclude: readonly string[];
}

export interface KeygenCommand {
  readonly kind: 'keygen';
  /** The private key goes to PREFIX, the public key to PREFIX.pub. */
  readonly out: string;
  readonly force: boolean;
}

export interface BaselineCommand {
  readonly kind: 'baseline';
  readonly paths: readonly string[];
  readonly baseline?: string;
  readonly reason: string;
  readonly expires?: string;
  /** Only findings at or above this are accepted into the baseline. */
  readonly severity: Severity;
  readonly exclude: readonly string[];
}

export type CliCommand =
  | ScanCommand
  | RulesCommand
  | LockCommand
  | VerifyCommand
  | KeygenCommand
  | BaselineCommand
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

/** A mistake in the command line: reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP_TEXT = `Usage: skill-sentinel <command> [options]

Commands:
  scan [PATH...]       Scan the skills (folders holding a SKILL.md) under each PATH (default: .)
  rules                List the rules: id, slug, severity, title
  lock [PATH...]       Approve the skills under each PATH: record their files, capabilities and
                       verdict in the lock file
  verify [PATH...]     Check the skills under each PATH against the lock file
  keygen --out PREFIX  Create an Ed25519 key pair for signing lock files (PREFIX, PREFIX.pub)
  baseline [PATH...]   Accept the current findings into the suppression baseline (needs --reason)

Options for scan:
  --severity LEVEL     Report findings at or above LEVEL (default: low)
  --fail-on LEVEL      Exit 1 when any finding is at or above LEVEL, whatever --severity hides (default: high)
  -f, --format FORMAT  text, json or sarif (default: text)
  -o, --output FILE    Write the report to FILE instead of standard output
  --exclude GLOB       Skip paths matching GLOB (repeatable; also for lock, verify and baseline)
  --baseline FILE      Mark findings accepted in FILE as suppressed; they do not count for --fail-on
  --cache              Reuse the reports of skills unchanged since an earlier run of this build
                       (kept in $XDG_CACHE_HOME/skill-sentinel or ~/.cache/skill-sentinel)
  --cache-location DIR Keep the reused reports in DIR instead (implies --cache)
  --no-color           Accepted for compatibility; the output has no colour

Options for rules:
  -f, --format FORMAT  text or json (default: text)
  -o, --output FILE    Write the list to FILE instead of standard output

Options for lock and verify:
  --lockfile FILE      Lock file (default: skill-sentinel.lock.json in the one folder PATH given,
                       otherwise in the current directory)
  --force              lock: approve skills with high or critical findings too
  --sign-key FILE      lock: sign the lock with this private key (from keygen)
  --trust-key FILE     verify: require a valid signature by this public key (PREFIX.pub)
  -f, --format FORMAT  verify: text or json (default: text)
  -o, --output FILE    verify: write the report to FILE

Options for keygen:
  --out PREFIX         Write the private key to PREFIX (mode 0600) and the public key to PREFIX.pub
  --force              Overwrite existing key files

Options for baseline:
  --baseline FILE      Baseline file (default: skill-sentinel.baseline.json)
  --reason TEXT        Why these findings are accepted (required)
  --expires DATE       Stop accepting them after DATE (YYYY-MM-DD)
  --severity LEVEL     Accept findings at or above LEVEL (default: low)

  -h, --help           Show this help
  -v, --version        Show the version

LEVEL is one of ${SEVERITIES.join(', ')} (any case).
Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error or failure to scan.
lock: 0 locked; 1 refused (a high or critical finding without --force); 2 error.
verify: 0 every skill matches the lock; 1 a skill changed, is not approved, is missing, or the
signature is missing or bad; 2 error (unreadable or tampered lock file, bad key).
`;

const OPTION_SPEC = {
  severity: { type: 'string' },
  'fail-on': { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  exclude: { type: 'string', multiple: true },
  'no-color': { type: 'boolean' },
  baseline: { type: 'string' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  lockfile: { type: 'string' },
  force: { type: 'boolean' },
  'sign-key': { type: 'string' },
  'trust-key': { type: 'string' },
  out: { type: 'string' },
  reason: { type: 'string' },
  expires: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type OptionName = Exclude<keyof typeof OPTION_SPEC, 'help' | 'version'>;
type CommandName = 'scan' | 'rules' | 'lock' | 'verify' | 'keygen' | 'baseline';

const COMMANDS: readonly CommandName[] = ['scan', 'rules', 'lock', 'verify', 'keygen', 'baseline'];

/** Which command accepts which option; anything else is a usage error naming where it belongs. */
const ALLOWED_OPTIONS: Readonly<Record<CommandName, readonly OptionName[]>> = {
  scan: ['severity', 'fail-on', 'format', 'output', 'exclude', 'no-color', 'baseline', 'cache', 'cache-location'],
  rules: ['format', 'output'],
  lock: ['lockfile', 'force', 'sign-key', 'exclude'],
  verify: ['lockfile', 'trust-key', 'format', 'output', 'exclude', 'no-color'],
  keygen: ['out', 'force'],
  baseline: ['baseline', 'reason', 'expires', 'severity', 'exclude'],
};

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...operands] = positionals;
  if (command === undefined) {
    throw new UsageError(`missing command: expected one of ${COMMANDS.join(', ')}`);
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command '${command}': expected one of ${COMMANDS.join(', ')}`);
  }
  const name = command as CommandName;
  for (const option of Object.keys(values) as (keyof typeof values)[]) {
    if (option === 'help' || option === 'version' || values[option] === undefined) continue;
    if (!ALLOWED_OPTIONS[name].includes(option)) {
      const owners = COMMANDS.filter((candidate) => ALLOWED_OPTIONS[candidate].includes(option)).map((owner) => `'${owner}'`);
      throw new UsageError(`--${option} applies only to ${owners.join(' and ')}`);
    }
  }
  const output = nonEmpty('--output', values.output);
  const exclude = values.exclude ?? [];

  switch (name) {
    case 'scan': {
      const baseline = nonEmpty('--baseline', values.baseline);
      const cacheLocation = nonEmpty('--cache-location', values['cache-location']);
      const cacheDir = cacheLocation ?? (values.cache === true ? defaultCacheDir() : undefined);
      return {
        kind: 'scan',
        paths: operands,
        severity: severityOption('--severity', values.severity, 'low'),
        failOn: severityOption('--fail-on', values['fail-on'], 'high'),
        format: formatOption(values.format, OUTPUT_FORMATS, 'text'),
        exclude,
        ...(output === undefined ? {} : { output }),
        ...(baseline === undefined ? {} : { baseline }),
        ...(cacheDir === undefined ? {} : { cacheDir }),
      };
    }
    case 'rules':
      if (operands.length > 0) throw new UsageError(`'rules' takes no arguments, got '${operands[0]}'`);
      return {
        kind: 'rules',
        format: formatOption(values.format, ['text', 'json'] as const, 'text'),
        ...(output === undefined ? {} : { output }),
      };
    case 'lock': {
      const lockfile = nonEmpty('--lockfile', values.lockfile);
      const signKey = nonEmpty('--sign-key', values['sign-key']);
      return {
        kind: 'lock',
        paths: operands,
        force: values.force === true,
        exclude,
        ...(lockfile === undefined ? {} : { lockfile }),
        ...(signKey === undefined ? {} : { signKey }),
      };
    }
    case 'verify': {
      const lockfile = nonEmpty('--lockfile', values.lockfile);
      const trustKey = nonEmpty('--trust-key', values['trust-key']);
      return {
        kind: 'verify',
        paths: operands,
        format: formatOption(values.format, ['text', 'json'] as const, 'text'),
        exclude,
        ...(lockfile === undefined ? {} : { lockfile }),
        ...(trustKey === undefined ? {} : { trustKey }),
        ...(output === undefined ? {} : { output }),
      };
    }
    case 'keygen': {
      if (operands.length > 0) throw new UsageError(`'keygen' takes no arguments, got '${operands[0]}'`);
      const out = nonEmpty('--out', values.out);
      if (out === undefined) throw new UsageError("'keygen' needs --out PREFIX");
      return { kind: 'keygen', out, force: values.force === true };
    }
    case 'baseline': {
      const reason = values.reason?.trim();
      if (reason === undefined || reason === '') throw new UsageError("'baseline' needs --reason TEXT saying why the findings are accepted");
      const expires = nonEmpty('--expires', values.expires);
      if (expires !== undefined && !isIsoDate(expires)) {
        throw new UsageError(`invalid --expires '${expires}': expected a date such as 2030-12-31`);
      }
      const baseline = nonEmpty('--baseline', values.baseline);
      return {
        kind: 'baseline',
        paths: operands,
        reason,
        severity: severityOption('--severity', values.severity, 'low'),
        exclude,
        ...(expires === undefined ? {} : { expires }),
        ...(baseline === undefined ? {} : { baseline }),
      };
    }
  }
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`${flag} needs ${flag === '--output' ? 'a file name' : 'a value'}`);
  return value;
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTION_SPEC, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError(error));
  }
}

/** node:util's messages are long and suggest `--` tricks; keep the gist on one line. */
function explainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    return `unknown option '${quoted}'`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    const flag = quoted.split(' ')[0] ?? quoted;
    return /argument missing/.test(message) ? `${flag} needs a value` : `${flag} takes no value`;
  }
  return message.split(/\r?\n/)[0] ?? message;
}

function severityOption(flag: string, text: string | undefined, fallback: Severity): Severity {
  if (text === undefined) return fallback;
  const severity = parseSeverity(text);
  if (severity === undefined) {
    throw new UsageError(`invalid ${flag} '${text}': expected one of ${SEVERITIES.join(', ')}`);
  }
  return severity;
}

function formatOption<const Allowed extends readonly string[]>(
  text: string | undefined,
  allowed: Allowed,
  fallback: Allowed[number],
): Allowed[number] {
  if (text === undefined) return fallback;
  const lower = text.trim().toLowerCase();
  const match = allowed.find((format) => format === lower);
  if (match === undefined) {
    throw new UsageError(`invalid --format '${text}': expected one of ${allowed.join(', ')}`);
  }
  return match;
}
