import type { Finding } from './types';

/**
 * Characters that a terminal, a CI log or an editor panel acts on or hides instead of showing:
 * C0 and C1 controls and DEL (escape sequences can erase lines or retitle the terminal; C1 `CSI`
 * starts one without ESC), line and paragraph separators, bidirectional controls (they reorder
 * what is shown), and zero-width, filler and other invisible format characters, Unicode tag
 * characters included (they spell hidden ASCII). Scanned text reaches the messages and the CLI's
 * report, so these are shown escaped there: a skill cannot hide or rewrite its own findings.
 */
const HIDDEN_OR_CONTROL = hiddenCharacters('\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029');
const HAS_HIDDEN_OR_CONTROL = new RegExp(HIDDEN_OR_CONTROL.source);

/**
 * Characters that split words or hide text while showing nothing: soft hyphen, combining grapheme
 * joiner, Arabic letter mark, Hangul and Mongolian fillers, zero-width characters and marks,
 * bidirectional controls, word joiner and invisible operators, the byte order mark; and Unicode
 * tag characters (as UTF-16 surrogate pairs). The detection of hidden text and the display of
 * scanned text share this list, with `extra` characters in the same class.
 */
export function hiddenCharacters(extra = ''): RegExp {
  return new RegExp(`[${extra}\\u00ad\\u034f\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\u3164\\ufeff\\uffa0]|\\udb40[\\udc00-\\udc7f]`, 'g');
}

/** `\u001b` for a BMP character, `\u{e0041}` for a tag character. */
function escapeOne(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Whether `text` holds a character {@link escapeHidden} would escape. */
export function hasHiddenOrControl(text: string): boolean {
  return HAS_HIDDEN_OR_CONTROL.test(text);
}

/** `text` with every control, bidirectional and invisible character written as an escape (`\u202e`). */
export function escapeHidden(text: string): string {
  return hasHiddenOrControl(text) ? text.replace(HIDDEN_OR_CONTROL, escapeOne) : text;
}

/**
 * `text` for a surface that turns `[label](target)` into a link, such as VS Code's notifications,
 * which take `command:` targets too: a skill folder named `[Show](command:…)` would otherwise put
 * a link in a warning about that skill that runs a command of its choosing when clicked. Hidden
 * characters are escaped and a space is put between `]` and `(`.
 */
export function unlinkedText(text: string): string {
  return escapeHidden(text).replace(/\]\(/g, '] (');
}

/** A message as one line: line breaks and tabs become spaces, then the rest is escaped. */
export function oneLineMessage(text: string): string {
  return escapeHidden(text.replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' '));
}

/** A captured value for a message: whitespace runs as one space, hidden characters escaped, at most `max` characters. */
export function displayText(value: string, max = 80): string {
  const single = escapeHidden(value.replace(/\s+/g, ' ').trim());
  // Cut before an escape the limit would split, so what is shown never reads as another character.
  return single.length > max ? `${single.slice(0, max - 1).replace(/\\(u(\{[0-9a-f]*|[0-9a-f]{0,3})?)?$/, '')}…` : single;
}

/**
 * The finding with its message, related messages and fix title as one line of visible text. The
 * last step of every scan, so no check has to remember it. The fix's edits stay verbatim: they
 * change the file, and are shown as a diff.
 */
export function withVisibleText(finding: Finding): Finding {
  const related = finding.related;
  const unsafe =
    hasHiddenOrControl(finding.message) ||
    (related !== undefined && related.some((location) => hasHiddenOrControl(location.message))) ||
    (finding.fix !== undefined && hasHiddenOrControl(finding.fix.title));
  if (!unsafe) return finding;
  return {
    ...finding,
    message: oneLineMessage(finding.message),
    ...(related ? { related: related.map((location) => ({ ...location, message: oneLineMessage(location.message) })) } : {}),
    ...(finding.fix ? { fix: { ...finding.fix, title: oneLineMessage(finding.fix.title) } } : {}),
  };
}

/** What `JSON.stringify` leaves raw of the hidden characters: it escapes C0 controls only. */
const RAW_IN_JSON = hiddenCharacters('\\u007f-\\u009f\\u2028\\u2029');

/**
 * Serialised JSON with the hidden characters that `JSON.stringify` leaves raw (it escapes only C0
 * controls) written as `\uXXXX` escapes: the same data, but a terminal that shows the report
 * cannot be steered by a C1 control, nor its lines reordered by a bidirectional one.
 */
export function escapeHiddenInJson(serialised: string): string {
  return serialised.replace(RAW_IN_JSON, (match) => {
    let escaped = '';
    for (let i = 0; i < match.length; i++) escaped += `\\u${match.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
