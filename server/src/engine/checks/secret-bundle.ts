import { analyseSkill } from '../dataflow';
import { serviceOf, type TaintLabel } from '../dataflow/core';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/**
 * Secrets of two or more services packed into one serialised or encoded value (the dataflow
 * analysis records these "bundles"). A skill needs its own API key; gathering a JWT secret and a
 * mail-service key into one JSON blob is what a stealer does before sending, whether or not the
 * send is in the same file. One finding per bundle, at the serialising call, with each secret's
 * read as a related location.
 */

const MAX_FINDINGS = 20;
const MAX_RELATED = 6;

export function secretBundle(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  const seen = new Set<string>();
  for (const bundle of analyseSkill(context).bundles) {
    const key = `${bundle.file}\u0000${bundle.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const byService = new Map<string, TaintLabel>();
    for (const source of bundle.sources) if (!byService.has(serviceOf(source))) byService.set(serviceOf(source), source);
    const sources = [...byService.values()];
    const names = sources.map((source) => (source.secretName ? `\`${source.secretName}\`` : source.description));
    findings.push({
      file: bundle.file,
      start: bundle.start,
      end: bundle.end,
      captures: { count: String(sources.length), names: names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : ''), call: bundle.description },
      related: sources.slice(0, MAX_RELATED).map((source) => ({
        file: source.file,
        start: source.start,
        end: source.end,
        message: `${source.secretName ? `The secret \`${source.secretName}\`` : source.description} is read here.`,
      })),
    });
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings;
}
