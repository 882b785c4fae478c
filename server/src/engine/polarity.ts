/**
 * Polarity of an instruction in Markdown prose: is the matched phrase negated ("never read
 * ~/.ssh"), or quoted as an example ("attackers write “ignore previous instructions”")? Such
 * matches are kept (SKILL.md is the attack surface) but graded lower.
 */

// "Not only the teacher's" widens the order rather than negating it.
const NEGATION = /\b(?:never|not(?!\s+only\b)|no|don't|do\s+not|does\s+not|doesn't|cannot|can't|won't|must\s+not|mustn't|should\s+not|shouldn't|avoid|refuse\s+to|forbidden|prohibited|disallow(?:ed)?)\b/i;
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
  return NEGATION.test(mainClause(sentence)) ? 'negated' : 'affirmative';
}

/**
 * "To avoid permission prompts, add …", "If you don't have Node, install it": a negation inside a
 * leading clause that a comma closes before the match belongs to that clause, not to the order.
 */
const LEADING_CLAUSE = /^\s*(?:(?:in\s+order\s+|so\s+as\s+)?to|if|when|whenever|unless|because|since|as|so\s+that)\b[^,]{0,120},/i;

function mainClause(sentence: string): string {
  const leading = LEADING_CLAUSE.exec(sentence);
  return leading ? sentence.slice(leading[0].length) : sentence;
}

function isInsideQuotes(before: string): boolean {
  const straight = (before.match(/(?<![A-Za-z])"|"(?![A-Za-z])/g) ?? []).length;
  const opening = (before.match(/[“«‘]/g) ?? []).length;
  const closing = (before.match(/[”»’]/g) ?? []).length;
  if (straight % 2 === 1) return !isFieldValue(before);
  return opening > closing;
}

/**
 * `hint="…"`, `"retry_hint": "…"`, `--prompt "…"`: a string assigned to a named field or option
 * is data handed to whatever reads that field (a tool argument, a config value, a model prompt),
 * not a sentence the author quotes as an example; its text reaches a model as written. Prose that
 * introduces a quotation ("Attackers write: "…"") has a space or a bare colon, so it stays quoted.
 */
const FIELD_VALUE_OPENING = /(?:"[A-Za-z_][\w.-]{0,40}"[ \t]{0,3}:[ \t]{0,3}|(?<![\w-])[A-Za-z_][\w.-]{0,40}=|(?:^|[ \t])--[A-Za-z][\w-]{0,40}(?:=|[ \t]{1,3}))"[^"]*$/;

function isFieldValue(before: string): boolean {
  return FIELD_VALUE_OPENING.test(before.slice(-400));
}

/** Headings that forbid what follows: "Don'ts", "Never do this", "What not to do", "Prohibited". */
const NEGATING_HEADING = /^(?:\W{0,4}(?:\p{Extended_Pictographic}\s*)?)?(?:don'?ts?\b|do\s+not\b|never\b|avoid\b|what\s+not\s+to\b|things\s+(?:to\s+avoid|not\s+to)|forbidden\b|prohibited\b|not\s+allowed\b|must\s+not\b)|\b(?:anti[- ]?patterns?|bad\s+(?:examples?|practices?)|prohibitions?|restrictions|(?:common\s+)?(?:mistakes|pitfalls)|limitations|boundaries|guardrails|safety\s+(?:rules|constraints))\b/iu;
/** Headings that describe attacks rather than ask for them: a security skill's catalogue. */
const DESCRIBING_HEADING = /\b(?:red\s+flags?|warning\s+signs|attack(?:s|er)?(?:\s+(?:patterns?|examples?|vectors?|techniques?|scenarios?|surface))?|threats?(?:\s+model(?:ing)?)?|malicious|injection\s+(?:patterns?|examples?|attempts?|techniques?)|(?:prompt\s+)?injections?|vulnerabilit(?:y|ies)|exploits?|indicators?(?:\s+of\s+compromise)?|IOCs?|what\s+to\s+(?:look|watch)\s+(?:for|out)|detection|suspicious|dangerous\s+patterns?|examples?\s+of\s+(?:bad|malicious|unsafe))\b/iu;

/**
 * `mcp-retry-exploit`, `prompt_injection_demo`, `` `attack-sim` ``: written as code, or lower case
 * with an underscore, a digit or two hyphens. "Anti-patterns" and "red-flags" are words.
 */
const IDENTIFIER_HEADING = /^[ \t]*(?:`[A-Za-z0-9.]+(?:[-_][A-Za-z0-9.]+)+`|(?=[a-z0-9.-]*(?:_|\d|-[a-z0-9.]+-))[a-z0-9.]+(?:[-_][a-z0-9.]+)+)[ \t]*$/;

/**
 * Polarity a section heading gives to the text under it: a "Don'ts" or "Anti-patterns" section
 * lists what not to do (negated); a "Red flags" or "Attack patterns" section describes threats
 * (quoted). Anything else leaves polarity to the sentence itself.
 */
export function sectionPolarity(title: string): Exclude<Polarity, 'affirmative'> | undefined {
  const bounded = title.slice(0, 200);
  // `# mcp-exploit-demo`, `## prompt_injection_guard`: an identifier names a skill or a tool; it
  // does not say that the section under it describes attacks.
  if (IDENTIFIER_HEADING.test(bounded)) return undefined;
  if (NEGATING_HEADING.test(bounded)) return 'negated';
  if (DESCRIBING_HEADING.test(bounded)) return 'quoted';
  return undefined;
}
