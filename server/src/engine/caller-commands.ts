import { analyseSkill } from './dataflow';
import type { MatchContext } from './matchers/types';
import type { Finding } from './types';

/** Rules whose findings a command runner lowers: Python and Node running a command through a shell. */
export const CALLER_GRADED_RULE_IDS: ReadonlySet<string> = new Set(['SKL401', 'SKL404']);

const NOTE =
  ' The command is exactly what the script was given on its command line, so whoever runs the script chooses it: check what SKILL.md passes to it.';

/**
 * A shell command that is exactly a value the script was given on its command line (`sys.argv`,
 * `parse_args()`, `process.argv`, through variables, containers and loops, with no text around
 * it) is chosen by whoever runs the script: the agent, following SKILL.md, which is scanned too.
 * That is a command runner, not a command built out of data, so its high SKL401 or SKL404 finding
 * becomes medium with that reason; `"convert " + args.file` keeps its grade. Needs the dataflow analysis, so it runs while
 * the scan's cache is alive.
 */
export function gradeCallerCommands(context: MatchContext, findings: Finding[]): void {
  const candidates = findings.filter((finding) => CALLER_GRADED_RULE_IDS.has(finding.ruleId) && finding.severity === 'high');
  if (candidates.length === 0) return;
  const commands = analyseSkill(context).callerCommands;
  if (commands.length === 0) return;
  const runners = new Set<string>();
  for (const command of commands) {
    const file = context.model.files.find((candidate) => candidate.path === command.file);
    if (!file) continue;
    const span = file.lines.span(command.start, command.end);
    runners.add(`${command.file}:${span.line}:${span.column}:${span.endLine}:${span.endColumn}`);
  }
  for (const [index, finding] of findings.entries()) {
    if (!CALLER_GRADED_RULE_IDS.has(finding.ruleId) || finding.severity !== 'high') continue;
    const { line, column, endLine, endColumn } = finding.span;
    if (!runners.has(`${finding.file}:${line}:${column}:${endLine}:${endColumn}`)) continue;
    findings[index] = { ...finding, severity: 'medium', message: `${finding.message}${NOTE}` };
  }
}
