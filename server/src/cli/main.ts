import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import manifest from '../../../package.json';
import {
  createEngine as createRealEngine,
  discoverSkills as discoverRealSkills,
  loadSkillBundle as loadRealSkillBundle,
  severityRank,
  type DiscoveryResult,
  type Engine,
  type Finding,
  type RuleMeta,
  type Severity,
  type SkillBundle,
  type SkillReport,
} from '../engine';
import { LineIndex } from '../engine/positions';
import { HELP_TEXT, TOOL_NAME, UsageError, parseCliArgs, type RulesCommand, type ScanCommand } from './args';
import { formatJsonReport, formatJsonRules } from './format-json';
import { formatSarifReport } from './format-sarif';
import { formatTextReport, formatTextRules } from './format-text';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

/** The engine seams main() uses; tests replace some of them. */
export interface CliDependencies {
  readonly createEngine: () => Promise<Engine>;
  readonly discoverSkills: (
    paths: string[],
    options: { exclude: string[] },
  ) => DiscoveryResult | Promise<DiscoveryResult>;
  readonly loadSkillBundle: (root: string) => SkillBundle | Promise<SkillBundle>;
}

const REAL_DEPENDENCIES: CliDependencies = {
  createEngine: () => createRealEngine(),
  discoverSkills: discoverRealSkills,
  loadSkillBundle: loadRealSkillBundle,
};

/** A path that could not be scanned, as shown to the user. */
export interface ScanProblem {
  /** Relative to the working directory, posix separators. */
  readonly path: string;
  readonly message: string;
}

export interface ScannedSkill {
  /** Skill folder relative to the working directory, posix separators; `.` for the directory itself. */
  readonly root: string;
  readonly absoluteRoot: string;
  readonly report: SkillReport;
  /** Findings at or above `--severity`, sorted by file, line and column. */
  readonly findings: readonly Finding[];
  /** Whitespace-normalised text of each reported finding's first line, for stable fingerprints. */
  readonly evidence: ReadonlyMap<Finding, string>;
}

export interface ScanSummary {
  readonly skillsScanned: number;
  /** Skills with at least one reported finding. */
  readonly skillsFlagged: number;
  /** Reported findings per severity. */
  readonly findings: Readonly<Record<Severity, number>>;
  /** Findings below `--severity`, left out of the report. */
  readonly findingsHidden: number;
  readonly severity: Severity;
  readonly failOn: Severity;
  /** Whether any finding, shown or hidden, is at or above `--fail-on`. */
  readonly failed: boolean;
  readonly durationMs: number;
}

export interface ScanOutcome {
  readonly cwd: string;
  readonly toolVersion: string;
  readonly rules: readonly RuleMeta[];
  /** Sorted by root. */
  readonly skills: readonly ScannedSkill[];
  readonly errors: readonly ScanProblem[];
  readonly summary: ScanSummary;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export async function main(
  argv: readonly string[],
  io: CliIo,
  overrides: Partial<CliDependencies> = {},
): Promise<number> {
  const dependencies: CliDependencies = { ...REAL_DEPENDENCIES, ...overrides };
  try {
    const command = parseCliArgs(argv);
    switch (command.kind) {
      case 'help':
        io.stdout(HELP_TEXT);
        return EXIT_CLEAN;
      case 'version':
        io.stdout(`${manifest.version}\n`);
        return EXIT_CLEAN;
      case 'rules':
        return await listRules(command, io, dependencies);
      case 'scan':
        return await scan(command, io, dependencies);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      reportError(io, `${error.message} (see '${TOOL_NAME} --help')`);
    } else {
      reportError(io, describeError(error));
    }
    return EXIT_ERROR;
  }
}

async function listRules(command: RulesCommand, io: CliIo, dependencies: CliDependencies): Promise<number> {
  const engine = await dependencies.createEngine();
  const text = command.format === 'json' ? formatJsonRules(engine.rules) : formatTextRules(engine.rules);
  await emit(text, command.output, io);
  return EXIT_CLEAN;
}

async function scan(command: ScanCommand, io: CliIo, dependencies: CliDependencies): Promise<number> {
  const startedAt = performance.now();
  const cwd = path.resolve(io.cwd);
  const errors: ScanProblem[] = [];
  const skillRoots = new Set<string>();

  const requestedPaths = command.paths.length > 0 ? command.paths : ['.'];
  for (const requested of requestedPaths) {
    const absolute = path.resolve(cwd, requested);
    const found = await discoverUnder(absolute, command.exclude, dependencies);
    for (const problem of found.errors) {
      errors.push({ path: displayPath(cwd, path.resolve(cwd, problem.path)), message: problem.message });
    }
    if (found.skills.length === 0 && found.errors.length === 0) {
      io.stderr(`${TOOL_NAME}: no skills found under ${requested}\n`);
    }
    for (const skill of found.skills) skillRoots.add(path.resolve(cwd, skill));
  }

  const engine = await dependencies.createEngine();
  const threshold = severityRank(command.severity);
  const failThreshold = severityRank(command.failOn);
  const skills: ScannedSkill[] = [];
  let failed = false;
  let findingsHidden = 0;

  for (const absoluteRoot of skillRoots) {
    let bundle: SkillBundle;
    let report: SkillReport;
    try {
      bundle = await dependencies.loadSkillBundle(absoluteRoot);
      report = engine.scan(bundle);
    } catch (error) {
      errors.push({ path: displayPath(cwd, absoluteRoot), message: describeError(error) });
      continue;
    }
    if (report.findings.some((finding) => severityRank(finding.severity) >= failThreshold)) failed = true;
    const reported = report.findings.filter((finding) => severityRank(finding.severity) >= threshold);
    findingsHidden += report.findings.length - reported.length;
    const findings = [...reported].sort(compareFindings);
    skills.push({
      root: displayPath(cwd, absoluteRoot),
      absoluteRoot,
      report,
      findings,
      evidence: collectEvidence(bundle, findings),
    });
  }
  skills.sort((a, b) => compareText(a.root, b.root));

  const findingCounts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const skill of skills) {
    for (const finding of skill.findings) findingCounts[finding.severity] += 1;
  }
  const outcome: ScanOutcome = {
    cwd,
    toolVersion: engine.version,
    rules: engine.rules,
    skills,
    errors,
    summary: {
      skillsScanned: skills.length,
      skillsFlagged: skills.filter((skill) => skill.findings.length > 0).length,
      findings: findingCounts,
      findingsHidden,
      severity: command.severity,
      failOn: command.failOn,
      failed,
      durationMs: Math.round(performance.now() - startedAt),
    },
  };

  // Problems go to stderr before the report so that they are seen even when the report is long.
  for (const problem of errors) reportError(io, `${problem.path}: ${problem.message}`);
  await emit(render(outcome, command), command.output, io);

  if (errors.length > 0) return EXIT_ERROR;
  return failed ? EXIT_FINDINGS : EXIT_CLEAN;
}

function render(outcome: ScanOutcome, command: ScanCommand): string {
  switch (command.format) {
    case 'text':
      return formatTextReport(outcome);
    case 'json':
      return formatJsonReport(outcome);
    case 'sarif':
      return formatSarifReport(outcome);
  }
}

async function discoverUnder(
  absolutePath: string,
  exclude: readonly string[],
  dependencies: CliDependencies,
): Promise<DiscoveryResult> {
  try {
    return await dependencies.discoverSkills([absolutePath], { exclude: [...exclude] });
  } catch (error) {
    return { skills: [], errors: [{ path: absolutePath, message: describeError(error) }] };
  }
}

function collectEvidence(bundle: SkillBundle, findings: readonly Finding[]): Map<Finding, string> {
  const evidence = new Map<Finding, string>();
  const indexes = new Map<string, LineIndex>();
  for (const finding of findings) {
    const source = bundle.files.get(finding.file);
    if (source === undefined) continue;
    let index = indexes.get(finding.file);
    if (index === undefined) {
      index = new LineIndex(source.text);
      indexes.set(finding.file, index);
    }
    evidence.set(finding, index.lineText(finding.span.line).trim().replace(/\s+/g, ' '));
  }
  return evidence;
}

async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  const target = path.resolve(io.cwd, output);
  try {
    await fs.writeFile(target, text, 'utf8');
  } catch (error) {
    throw new Error(`cannot write ${output}: ${describeError(error)}`, { cause: error });
  }
}

function reportError(io: CliIo, message: string): void {
  io.stderr(`${TOOL_NAME}: ${message}\n`);
}

/** One line, no stack: the CLI's users are not debugging it. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split(/\r?\n/).find((line) => line.trim() !== '') ?? 'unknown error';
  return firstLine.trim();
}

export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  return relative.split(path.sep).join('/');
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId)
  );
}

/** Locale-independent, so output is identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
