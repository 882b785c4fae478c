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
  // A distinct rule counts 1 (a third of that one level below the top); repeats of the same
  // rule add a tenth each, capped at half, so one noisy rule cannot fill the band.
  const perRule = new Map<string, { gap: number; count: number }>();
  for (const finding of findings) {
    const gap = severityRank(top) - severityRank(finding.severity);
    if (gap > 1) continue;
    const seen = perRule.get(finding.ruleId);
    if (!seen || gap < seen.gap) perRule.set(finding.ruleId, { gap, count: (seen?.count ?? 0) + 1 });
    else seen.count++;
  }
  let weight = 0;
  for (const { gap, count } of perRule.values()) {
    const ruleWeight = 1 + Math.min(0.5, 0.1 * (count - 1));
    weight += gap === 0 ? ruleWeight : ruleWeight / 3;
  }
  const fill = 1 - Math.exp(-(weight - 1) / 3);
  const score = Math.round(floor + (ceiling - floor) * Math.max(0, Math.min(fill, 1)) * 0.999);
  return { score, verdict: VERDICTS[top] };
}
