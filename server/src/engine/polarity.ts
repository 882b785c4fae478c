/**
 * Polarity of an instruction in Markdown prose: is the matched phrase negated ("never read
 * ~/.ssh"), or quoted as an example ("attackers write “ignore previous instructions”")? Such
 * matches are kept (SKILL.md is the attack surface) but graded lower.
 */

const NEGATION = /\b(?:never|not|no|don't|do\s+not|does\s+not|doesn't|cannot|can't|won't|must\s+not|mustn't|should\s+not|shouldn't|avoid|refuse\s+to|forbidden|prohibited|disallow(?:ed)?)\b/i;
const SENTENCE_BREAK = /[.!?;:\n](?=\s|$)/g;
const LOOKBACK = 100;

export type Polarity = 'affirmative' | 'negated' | 'quoted';

/** Classifies the match that starts at `start` in `text` (a file text or a mask of it). */
export function polarityAt(text: string, start: number): Polarity {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, 0);
  const line = text.slice(lineStart, start);
  if (/^[ \t]{0,3}>/.test(line)) return 'quoted';
  if (isInsideQuotes(line)) return 'quoted';
  const window = text.slice(Math.max(lineStart, start - LOOKBACK), start);
  let sentence = window;
  SENTENCE_BREAK.lastIndex = 0;
  let last = -1;
  let match: RegExpExecArray | null;
  while ((match = SENTENCE_BREAK.exec(window)) !== null) last = match.index;
  if (last !== -1) sentence = window.slice(last + 1);
  return NEGATION.test(sentence) ? 'negated' : 'affirmative';
}

function isInsideQuotes(before: string): boolean {
  const straight = (before.match(/(?<![A-Za-z])"|"(?![A-Za-z])/g) ?? []).length;
  const opening = (before.match(/[“«‘]/g) ?? []).length;
  const closing = (before.match(/[”»’]/g) ?? []).length;
  return straight % 2 === 1 || opening > closing;
}
