import { analyseSkill, type Flow } from '../dataflow';
import { scriptInvocations } from '../dataflow/invocations';
import type { MatchContext, RawFinding } from '../matchers/types';
import { severityRank, type Severity } from '../types';
import type { CheckOptions } from './index';
import { flowMessage, flowSeverity } from './dataflow-flow';

/**
 * A SKILL.md (or reference Markdown) step that runs one of the skill's scripts inherits what the
 * script does: the instruction is reported with the script's worst dataflow finding, and the
 * related locations point into the script, so the editor shows on the instruction why running
 * that step is dangerous. A negated or quoted mention ("never run x.sh") is kept one level lower.
 */

const MAX_FINDINGS = 20;

const FLOW_SEVERITY: Readonly<Record<Flow['kind'], Severity>> = { secret: 'critical', download: 'critical', privacy: 'high' };

export function instructionRunsDangerousScript(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const invocations = scriptInvocations(context.model);
  if (invocations.length === 0) return [];
  const flows = analyseSkill(context).flows;
  const findings: RawFinding[] = [];
  for (const invocation of invocations) {
    const inherited = flows.filter((flow) => flow.sink.file === invocation.script);
    if (inherited.length === 0) continue;
    const severityOf = (flow: Flow): Severity => flowSeverity(flow) ?? FLOW_SEVERITY[flow.kind];
    const worst = inherited.reduce((a, b) => (severityRank(severityOf(b)) > severityRank(severityOf(a)) ? b : a));
    let severity = severityOf(worst);
    if (invocation.polarity !== 'affirmative') severity = severity === 'critical' ? 'high' : 'medium';
    const others = inherited.length - 1;
    findings.push({
      file: invocation.file.path,
      start: invocation.start,
      end: invocation.end,
      severity,
      message: `This step runs \`${invocation.script}\`, where ${lowerFirst(flowMessage(worst))}${others > 0 ? ` (${others} more flow${others > 1 ? 's' : ''} in that script)` : ''}`,
      related: inherited.slice(0, 5).flatMap((flow) => [
        { file: flow.sink.file, start: flow.sink.start, end: flow.sink.end, message: `${flowMessage(flow)}` },
        { file: flow.source.file, start: flow.source.start, end: flow.source.end, message: 'The data comes from here.' },
      ]),
    });
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings;
}

/** "The SSH key flows …" → "the SSH key flows …"; an acronym ("AWS credentials") keeps its case. */
function lowerFirst(text: string): string {
  if (text.length === 0 || /^[A-Z]{2}/.test(text)) return text;
  return `${(text[0] ?? '').toLowerCase()}${text.slice(1)}`;
}
