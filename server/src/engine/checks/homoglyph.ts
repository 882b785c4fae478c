import { domainToUnicode } from 'node:url';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/**
 * Look-alike names and hosts: the frontmatter `name`, and the host of every URL in every text file
 * (Markdown links, code, config). Reports a label that mixes Latin letters with Cyrillic or Greek
 * ones, a label written entirely in Cyrillic/Greek letters that all look like Latin ones
 * (`аррӏе`), and punycode (`xn--`) labels that decode to either. Other internationalised hosts
 * are reported when `options.otherIdn` is true (used at a lower severity).
 *
 * Options: `targets`: any of `name`, `host` (default both); `otherIdn`: report only plain IDN
 * hosts (true) or only look-alikes (false/absent).
 */

/** Cyrillic and Greek letters that render like Latin letters in common fonts. */
const CONFUSABLE = new Set(
  [...'аеорсухіјѕԁӏһԛԝвкмнтАВЕКМНОРСТХІЈЅԌԚԜҮαεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧΖ'].map((c) => c.codePointAt(0) as number),
);

type Script = 'latin' | 'cyrillic' | 'greek' | 'other' | 'neutral';

function scriptOf(cp: number): Script {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f)) return 'latin';
  if (cp >= 0x400 && cp <= 0x52f) return 'cyrillic';
  if (cp >= 0x370 && cp <= 0x3ff) return 'greek';
  if ((cp >= 0x30 && cp <= 0x39) || cp === 0x2d || cp === 0x5f) return 'neutral';
  return 'other';
}

function title(script: string): string {
  return script.charAt(0).toUpperCase() + script.slice(1);
}

export interface LookAlike {
  readonly lookalike: boolean;
  readonly idn: boolean;
  readonly reason: string;
}

/** Judges one label (already decoded from punycode). */
export function judgeLabel(label: string): LookAlike | undefined {
  const scripts = new Set<Script>();
  let allConfusable = true;
  let nonAscii = false;
  for (const ch of label) {
    const cp = ch.codePointAt(0) as number;
    const script = scriptOf(cp);
    if (cp > 0x7f) nonAscii = true;
    if (script !== 'neutral') scripts.add(script);
    if ((script === 'cyrillic' || script === 'greek') && !CONFUSABLE.has(cp)) allConfusable = false;
    if (script === 'latin' || script === 'other') allConfusable = false;
  }
  if (!nonAscii) return undefined;
  // Accented Latin alone (münchen.de) is an ordinary internationalised name, not a look-alike.
  if ([...scripts].every((script) => script === 'latin')) return undefined;
  const latin = scripts.has('latin');
  const lookScripts = [...scripts].filter((s) => s === 'cyrillic' || s === 'greek');
  if (latin && lookScripts.length > 0) return { lookalike: true, idn: true, reason: `mixes Latin with ${lookScripts.map(title).join(' and ')} letters` };
  if (lookScripts.length > 0 && scripts.size === lookScripts.length && allConfusable) {
    return { lookalike: true, idn: true, reason: `is written in ${lookScripts.map(title).join(' and ')} letters that all look like Latin ones` };
  }
  return { lookalike: false, idn: true, reason: 'is an internationalised name' };
}

const URL_START = /\b(?:https?|wss?|ftp|git|ssh|sftp):\/\//gi;
const HOST_CHAR = /[^\s/?#:@"'<>()[\]`\\|,;]/u;
const MAX_PER_FILE = 30;

export function homoglyph(context: MatchContext, options: CheckOptions): RawFinding[] {
  const targets = Array.isArray(options.targets) ? new Set(options.targets as string[]) : new Set(['name', 'host']);
  const wantIdn = options.otherIdn === true;
  const findings: RawFinding[] = [];
  const skillMd = context.model.skillMd;
  if (targets.has('name') && skillMd) {
    const field = skillMd.frontmatter?.fields.get('name');
    if (field && typeof field.value === 'string') {
      const verdict = judgeLabel(field.value);
      if (!wantIdn && verdict?.lookalike) {
        findings.push({ file: skillMd.path, start: field.valueStart, end: field.valueEnd, captures: { what: 'skill name', value: field.value, shown: field.value, reason: verdict.reason } });
      }
    }
  }
  if (!targets.has('host')) return findings;
  for (const file of context.model.files) {
    if (Date.now() > context.deadline) break;
    const text = file.text;
    URL_START.lastIndex = 0;
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = URL_START.exec(text)) !== null && count < MAX_PER_FILE) {
      let i = match.index + match[0].length;
      // Skip userinfo: scan the authority up to 300 characters.
      let hostStart = i;
      const limit = Math.min(text.length, i + 300);
      let j = i;
      while (j < limit && HOST_CHAR.test(text[j] as string)) j++;
      if (text[j] === '@') {
        hostStart = j + 1;
        j = hostStart;
        while (j < limit && HOST_CHAR.test(text[j] as string)) j++;
      }
      i = j;
      URL_START.lastIndex = Math.max(URL_START.lastIndex, i);
      let host = text.slice(hostStart, i);
      while (host.endsWith('.')) host = host.slice(0, -1);
      if (host.length === 0) continue;
      const result = judgeHost(host);
      if (!result) continue;
      if (result.lookalike === wantIdn) continue;
      findings.push({
        file: file.path,
        start: hostStart,
        end: hostStart + host.length,
        captures: { what: 'host', value: host, shown: result.shown, reason: result.reason },
      });
      count++;
    }
  }
  return findings;
}

function judgeHost(host: string): (LookAlike & { shown: string }) | undefined {
  const labels = host.split('.');
  const hasPunycode = labels.some((label) => label.toLowerCase().startsWith('xn--'));
  const nonAscii = /[^\x00-\x7f]/.test(host);
  if (!hasPunycode && !nonAscii) return undefined;
  let unicode = host;
  if (hasPunycode) {
    const decoded = domainToUnicode(host.toLowerCase());
    if (decoded) unicode = decoded;
  }
  let idn: LookAlike | undefined;
  for (const label of unicode.split('.')) {
    const verdict = judgeLabel(label);
    if (verdict?.lookalike) return { ...verdict, shown: unicode };
    idn ??= verdict;
  }
  // Punycode in a skill hides what the host looks like; people write the Unicode form.
  if (hasPunycode) return { lookalike: true, idn: true, reason: `is punycode for \`${unicode}\``, shown: unicode };
  return idn ? { ...idn, shown: unicode } : undefined;
}
