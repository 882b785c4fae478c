import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import manifest from '../../../package.json';
import {
  BaselineMatcher,
  capabilitiesOfBundle,
  findingEvidence,
  severityRank,
  type CapabilityInventory,
  type Finding,
  type SkillBundle,
  type RuleMeta,
  type Severity,
  type SkillReport,
  type Suppression,
} from '../engine';
import { LineIndex } from '../engine/positions';
import { scannerIdOf } from '../report-cache';
import { HELP_TEXT, TOOL_NAME, UsageError, parseCliArgs, type RulesCommand, type ScanCommand } from './args';
import {
  CliFailure,
  EXIT_CLEAN,
  EXIT_ERROR,
  EXIT_FINDINGS,
  REAL_DEPENDENCIES,
  collectSkills,
  compareText,
  describeError,
  emit,
  reportError,
  type CliDependencies,
  type CliIo,
  type ScanProblem,
} from './context';
import { formatJsonReport, formatJsonRules } from './format-json';
import { formatSarifReport } from './format-sarif';
import { formatTextReport, formatTextRules } from './format-text';
import { readBaseline, runBaselineCommand, runKeygen, runLock, runVerify } from './integrity-commands';

export { EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, compareText, displayPath } from './context';
export type { CliDependencies, CliIo, ScanProblem } from './context';

export interface ScannedSkill {
  /** Skill folder relative to the working directory, posix separators; `.` for the directory itself. */
  readonly root: string;
  readonly absoluteRoot: string;
  readonly report: SkillReport;
  /** Findings at or above `--severity`, sorted by file, line and column. */
  readonly findings: readonly Finding[];
  /** Whitespace-normalised text of each reported finding's first line, for stable fingerprints. */
  readonly evidence: ReadonlyMap<Finding, string>;
  /** Reported findings that a baseline entry accepts: shown, marked, and left out of the exit code. */
  readonly suppressions: ReadonlyMap<Finding, Suppression>;
  readonly capabilities: CapabilityInventory;
}

export interface ScanSummary {
  readonly skillsScanned: number;
  /** Skills with at least one reported finding. */
  readonly skillsFlagged: number;
  /** Reported findings per severity (suppressed ones included). */
  readonly findings: Readonly<Record<Severity, number>>;
  /** Findings below `--severity`, left out of the report. */
  readonly findingsHidden: number;
  /** Findings, shown or hidden, that the baseline accepts. */
  readonly findingsSuppressed: number;
  readonly severity: Severity;
  readonly failOn: Severity;
  /** Whether any finding not suppressed, shown or hidden, is at or above `--fail-on`. */
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
      case 'lock':
        return await runLock(command, io, dependencies);
      case 'verify':
        return await runVerify(command, io, dependencies);
      case 'keygen':
        return runKeygen(command, io);
      case 'baseline':
        return await runBaselineCommand(command, io, dependencies);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      reportError(io, `${error.message} (see '${TOOL_NAME} --help')`);
    } else if (error instanceof CliFailure) {
      reportError(io, error.message);
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
  // Read the baseline first: a broken one is an error before any work, not after a long scan.
  const baseline = command.baseline === undefined ? undefined : readBaseline(path.resolve(io.cwd, command.baseline), command.baseline);
  const cache = command.cacheDir === undefined ? undefined : { dir: path.resolve(io.cwd, command.cacheDir), scannerId: runningScannerId() };
  const collection = await collectSkills(command.paths, command.exclude, io, dependencies, cache);
  const { cwd, engine } = collection;
  if (cache) io.stderr(`${TOOL_NAME}: ${collection.reused} of ${collection.skills.length} skill(s) unchanged since an earlier scan; their reports came from ${cache.dir}\n`);
  const errors: ScanProblem[] = [...collection.errors];
  const matcher = baseline === undefined ? undefined : new BaselineMatcher(baseline.file, dependencies.now());
  const threshold = severityRank(command.severity);
  const failThreshold = severityRank(command.failOn);
  const skills: ScannedSkill[] = [];
  let failed = false;
  let findingsHidden = 0;
  let findingsSuppressed = 0;

  for (const { root, absoluteRoot, bundle, report } of collection.skills) {
    const suppressionsOfAll = matcher === undefined || baseline === undefined
      ? new Map<Finding, Suppression>()
      : suppressFindings(report.findings, bundle, matcher, baselineSkillKey(baseline.folder, absoluteRoot));
    findingsSuppressed += suppressionsOfAll.size;
    if (report.findings.some((finding) => severityRank(finding.severity) >= failThreshold && !suppressionsOfAll.has(finding))) {
      failed = true;
    }
    const reported = report.findings.filter((finding) => severityRank(finding.severity) >= threshold);
    findingsHidden += report.findings.length - reported.length;
    const findings = [...reported].sort(compareFindings);
    skills.push({
      root,
      absoluteRoot,
      report,
      findings,
      evidence: collectEvidence(bundle, findings),
      capabilities: report.capabilities ?? capabilitiesOfBundle(bundle),
      suppressions: new Map(findings.flatMap((finding) => {
        const suppression = suppressionsOfAll.get(finding);
        return suppression === undefined ? [] : [[finding, suppression] as const];
      })),
    });
  }

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
      findingsSuppressed,
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

function suppressFindings(
  findings: readonly Finding[],
  bundle: SkillBundle,
  matcher: BaselineMatcher,
  skill: string,
): Map<Finding, Suppression> {
  const suppressions = new Map<Finding, Suppression>();
  const lineIndexes = new Map<string, LineIndex>();
  for (const finding of findings) {
    const entry = matcher.match(skill, finding, findingEvidence(bundle, finding, lineIndexes));
    if (entry !== undefined) {
      suppressions.set(finding, { reason: entry.reason, ...(entry.expires === undefined ? {} : { expires: entry.expires }) });
    }
  }
  return suppressions;
}

/** Baseline entries name skills relative to the baseline file's folder, like lock entries. */
export function baselineSkillKey(baselineFolder: string, skillRoot: string): string {
  const relative = path.relative(baselineFolder, skillRoot);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
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

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId)
  );
}

/**
 * The scanner build this process runs: its code bundle and the compiled rules beside it. A cached
 * report from any other build (an upgrade, a local rebuild) is never reused.
 */
function runningScannerId(): string {
  return scannerIdOf([__filename, path.join(__dirname, 'rules.json')].filter((file) => existsSync(file)));
}
