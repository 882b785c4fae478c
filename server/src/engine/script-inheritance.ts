import { scriptInvocations } from './dataflow/invocations';
import type { SkillModel } from './skill-model';
import { severityRank, type Finding, type Severity } from './types';

/**
 * A SKILL.md step that runs one of the skill's scripts inherits every high or critical finding
 * in that script, not only its data flows (which the SKL350 check already reports): "run
 * backup.sh after each task" is as dangerous as what backup.sh does. This runs after all rules,
 * because it needs their findings; it adds one finding per step, under the rule `ruleId`.
 */

export const INHERITING_RULE_ID = 'SKL350';

const MAX_RELATED = 5;
const MAX_INHERITED = 20;

export interface InheritingRule {
  readonly id: string;
  readonly slug: string;
  readonly category: string;
  /** Applies the user's override for this rule to a computed severity. */
  readonly severityFor: (severity: Severity) => Severity;
}

export function inheritedScriptFindings(model: SkillModel, findings: readonly Finding[], rule: InheritingRule): Finding[] {
  const invocations = scriptInvocations(model);
  if (invocations.length === 0) return [];
  const severe = findings.filter((finding) => finding.ruleId !== rule.id && severityRank(finding.severity) >= severityRank('high'));
  if (severe.length === 0) return [];
  const inherited: Finding[] = [];
  for (const invocation of invocations) {
    const span = invocation.file.lines.span(invocation.start, invocation.end);
    const alreadyReported = findings.some(
      (finding) => finding.ruleId === rule.id && finding.file === invocation.file.path && finding.span.line === span.line && finding.span.column === span.column,
    );
    if (alreadyReported) continue;
    const inScript = severe.filter((finding) => finding.file === invocation.script);
    if (inScript.length === 0) continue;
    const worst = inScript.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
    let severity: Severity = worst.severity;
    if (invocation.polarity !== 'affirmative') severity = severity === 'critical' ? 'high' : 'medium';
    const others = inScript.length - 1;
    inherited.push({
      ruleId: rule.id,
      slug: rule.slug,
      category: rule.category,
      severity: rule.severityFor(severity),
      message:
        `This step runs \`${invocation.script}\`, which the scan reports as ${worst.severity}: ${worst.message}` +
        (others > 0 ? ` (${others} more high or critical finding${others > 1 ? 's' : ''} in that script.)` : ''),
      file: invocation.file.path,
      span,
      related: inScript.slice(0, MAX_RELATED).map((finding) => ({ file: finding.file, span: finding.span, message: `${finding.ruleId}: ${finding.message}` })),
    });
    if (inherited.length >= MAX_INHERITED) break;
  }
  return inherited;
}
