import { parseArgs } from 'node:util';
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
}

export interface RulesCommand {
  readonly kind: 'rules';
  readonly format: 'text' | 'json';
  readonly output?: string;
}

export type CliCommand =
  | ScanCommand
  | RulesCommand
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

Options for scan:
  --severity LEVEL     Report findings at or above LEVEL (default: low)
  --fail-on LEVEL      Exit 1 when any finding is at or above LEVEL, whatever --severity hides (default: high)
  -f, --format FORMAT  text, json or sarif (default: text)
  -o, --output FILE    Write the report to FILE instead of standard output
  --exclude GLOB       Skip paths matching GLOB (repeatable)
  --no-color           Accepted for compatibility; the output has no colour

Options for rules:
  -f, --format FORMAT  text or json (default: text)
  -o, --output FILE    Write the list to FILE instead of standard output

  -h, --help           Show this help
  -v, --version        Show the version

LEVEL is one of ${SEVERITIES.join(', ')} (any case).
Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error or failure to scan.
`;

const OPTION_SPEC = {
  severity: { type: 'string' },
  'fail-on': { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  exclude: { type: 'string', multiple: true },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const SCAN_ONLY_OPTIONS = ['severity', 'fail-on', 'exclude'] as const;

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...operands] = positionals;
  if (command === undefined) {
    throw new UsageError("missing command: expected 'scan' or 'rules'");
  }
  const output = values.output;
  if (output === '') throw new UsageError('--output needs a file name');

  if (command === 'scan') {
    return {
      kind: 'scan',
      paths: operands,
      severity: severityOption('--severity', values.severity, 'low'),
      failOn: severityOption('--fail-on', values['fail-on'], 'high'),
      format: formatOption(values.format, OUTPUT_FORMATS, 'text'),
      exclude: values.exclude ?? [],
      ...(output === undefined ? {} : { output }),
    };
  }

  if (command === 'rules') {
    if (operands.length > 0) throw new UsageError(`'rules' takes no arguments, got '${operands[0]}'`);
    const scanOnly = SCAN_ONLY_OPTIONS.find((name) => values[name] !== undefined);
    if (scanOnly !== undefined) throw new UsageError(`--${scanOnly} applies only to 'scan'`);
    return {
      kind: 'rules',
      format: formatOption(values.format, ['text', 'json'] as const, 'text'),
      ...(output === undefined ? {} : { output }),
    };
  }

  throw new UsageError(`unknown command '${command}': expected 'scan' or 'rules'`);
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
