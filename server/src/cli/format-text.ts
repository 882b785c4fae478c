import * as path from 'node:path';
import type { RuleMeta } from '../engine/engine';
import { SEVERITIES, type Finding } from '../engine/types';
import type { ScanOutcome, ScannedSkill } from './main';
import { visibleLine } from './visible-text';

const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((severity) => severity.length));

/**
 * Compiler-style report: a header per skill, then `path:line:col  severity  CODE  message` per
 * finding (paths relative to the working directory, so terminals and editors can open them),
 * then one summary line. Paths and messages hold scanned text, so each line is made visible.
 */
export function formatTextReport(outcome: ScanOutcome): string {
  const blocks = outcome.skills.map((skill) => skillLines(skill).map(visibleLine).join('\n'));
  return [...blocks, summaryLine(outcome)].join('\n\n') + '\n';
}

function skillLines(skill: ScannedSkill): string[] {
  const header = `${skill.root}  ${skill.report.verdict} (score ${skill.report.score})`;
  return [header, ...skill.findings.map((finding) => findingLine(skill, finding))];
}

function findingLine(skill: ScannedSkill, finding: Finding): string {
  const location = `${path.posix.join(skill.root, finding.file)}:${finding.span.line}:${finding.span.column}`;
  const suppression = skill.suppressions.get(finding);
  const suppressed = suppression === undefined ? '' : `  [suppressed by baseline: ${oneLine(suppression.reason)}]`;
  return `${location}  ${finding.severity.padEnd(SEVERITY_WIDTH)}  ${finding.ruleId}  ${oneLine(finding.message)}${suppressed}`;
}

function summaryLine(outcome: ScanOutcome): string {
  const { summary } = outcome;
  const counts = SEVERITIES.map((severity) => `${summary.findings[severity]} ${severity}`).join(', ');
  const hidden = summary.findingsHidden > 0 ? `, ${summary.findingsHidden} below ${summary.severity} not shown` : '';
  const suppressed = summary.findingsSuppressed > 0 ? `, ${summary.findingsSuppressed} suppressed by the baseline` : '';
  return (
    `${plural(summary.skillsScanned, 'skill')} scanned, ${summary.skillsFlagged} flagged: ` +
    `${counts}${hidden}${suppressed} (${summary.durationMs} ms)`
  );
}

/** `SKL401  remote-script-piped-to-shell  high  Remote script piped into a shell`, columns aligned. */
export function formatTextRules(rules: readonly RuleMeta[]): string {
  if (rules.length === 0) return 'no rules\n';
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const idWidth = Math.max(...sorted.map((rule) => rule.id.length));
  const slugWidth = Math.max(...sorted.map((rule) => rule.slug.length));
  const lines = sorted.map(
    (rule) =>
      `${rule.id.padEnd(idWidth)}  ${rule.slug.padEnd(slugWidth)}  ${rule.severity.padEnd(SEVERITY_WIDTH)}  ${rule.title}`,
  );
  return lines.join('\n') + '\n';
}

/** A finding is one line, whatever its message holds. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
