import type { MatchContext, RawFinding } from '../matchers/types';
import { analyseInstructions, type IntentClass } from '../instructions/classifier';
import type { CheckOptions } from './index';

const INTENTS: readonly IntentClass[] = ['send', 'read-secret', 'persist', 'escalate', 'destroy', 'remote-exec', 'disable-safeguard'];

function intentOption(options: CheckOptions): IntentClass {
  const value = options['intent'];
  const found = INTENTS.find((intent) => intent === value);
  if (!found) throw new Error(`instruction-intent: option "intent" must be one of ${INTENTS.join(', ')}`);
  return found;
}

/**
 * Natural-language instructions in SKILL.md and reference Markdown, classified by intent
 * (instructions/classifier.ts). The analysis runs once per skill; each rule reports its class, so
 * one behaviour (read `.env`, then upload it) is one finding under one rule.
 */
export function instructionIntent(context: MatchContext, options: CheckOptions): RawFinding[] {
  const intent = intentOption(options);
  return analyseInstructions(context.model, context.memo)
    .filter((finding) => finding.intent === intent)
    .map((finding) => ({
      file: finding.file,
      start: finding.start,
      end: finding.end,
      severity: finding.severity,
      message: finding.message,
      ...(finding.related.length > 0 ? { related: finding.related } : {}),
    }));
}
