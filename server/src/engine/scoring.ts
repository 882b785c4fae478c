import { severityRank, type Finding, type Severity, type Verdict } from './types';

/**
 * Each severity owns a band of the 0–100 score, so a pile of low findings can never outscore a
 * single high one: info 0–4, low 5–24, medium 25–49, high 50–79, critical 80–100. Inside the top
 * band the score grows with the number of distinct rules at that severity (repeats of one rule add
 * little) and approaches, but never reaches, the band's ceiling.
 */
const BANDS: Readonly<Record<Severity, readonly [number, number]>> = {
  info: [0, 4],
  low: [5, 24],
  medium: [25, 49],
  high: [50, 79],
  critical: [80, 100],
};

const VERDICTS: Readonly<Record<Severity, Verdict>> = {
  critical: 'malicious',
  high: 'dangerous',
  medium: 'suspicious',
  low: 'notice',
  info: 'clean',
};

export function scoreFindings(findings: readonly Finding[]): { score: number; verdict: Verdict } {
  if (findings.length === 0) return { score: 0, verdict: 'clean' };
  let top: Severity = 'info';
  for (const finding of findings) if (severityRank(finding.severity) > severityRank(top)) top = finding.severity;
  const [floor, ceiling] = BANDS[top];
  let weight = 0;
  const perRule = new Map<string, number>();
  for (const finding of findings) {
    const gap = severityRank(top) - severityRank(finding.severity);
    if (gap > 1) continue;
    const seen = perRule.get(finding.ruleId) ?? 0;
    perRule.set(finding.ruleId, seen + 1);
    // A distinct rule counts fully, each repeat of it a quarter; one level below counts a third.
    const base = seen === 0 ? 1 : 0.25;
    weight += gap === 0 ? base : base / 3;
  }
  const fill = 1 - Math.exp(-(weight - 1) / 3);
  const score = Math.round(floor + (ceiling - floor) * Math.max(0, Math.min(fill, 1)) * 0.999);
  return { score, verdict: VERDICTS[top] };
}
