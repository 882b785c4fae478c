import { strict as assert } from 'node:assert';
import { displayText, escapeHidden, escapeHiddenInJson, hasHiddenOrControl, oneLineMessage, unlinkedText, withVisibleText } from '../../../server/src/engine/display-text';
import type { Finding } from '../../../server/src/engine/types';

/** Characters that act on a terminal or hide text, one of each kind. */
const HIDDEN = {
  escape: '\u001b',
  bell: '\u0007',
  delete: '\u007f',
  c1ControlSequenceIntroducer: '\u009b',
  softHyphen: '\u00ad',
  arabicLetterMark: '\u061c',
  zeroWidthSpace: '\u200b',
  zeroWidthJoiner: '\u200d',
  rightToLeftMark: '\u200f',
  lineSeparator: '\u2028',
  rightToLeftOverride: '\u202e',
  popDirectionalIsolate: '\u2069',
  byteOrderMark: '\ufeff',
  hangulFiller: '\u3164',
  tagLetterA: '\udb40\udc41',
};

/** Text that is shown as it is, non-ASCII included. */
const VISIBLE = ['plain ASCII ~!@#$%^&*()', 'é ñ ß', 'Привет', '日本語', 'مرحبا', '👩 💻 🇫🇷', '\u00a0non-breaking'];

const FINDING: Finding = {
  ruleId: 'SKL999',
  slug: 'test-rule',
  category: 'test',
  severity: 'high',
  message: 'plain',
  file: 'SKILL.md',
  span: { line: 1, column: 1, endLine: 1, endColumn: 2 },
};

describe('display text: scanned text in messages and reports', () => {
  it('escapes each control, bidirectional and invisible character, and nothing else', () => {
    for (const [kind, char] of Object.entries(HIDDEN)) {
      assert.ok(hasHiddenOrControl(`a${char}b`), kind);
      const escaped = escapeHidden(`a${char}b`);
      assert.ok(!hasHiddenOrControl(escaped), `${kind}: ${JSON.stringify(escaped)}`);
      assert.match(escaped, /^a\\u(\{e00[0-7][0-9a-f]\}|[0-9a-f]{4})b$/, kind);
    }
    assert.equal(escapeHidden('\u001b[2K'), '\\u001b[2K');
    assert.equal(escapeHidden('\udb40\udc41'), '\\u{e0041}');
    for (const text of VISIBLE) {
      assert.equal(hasHiddenOrControl(text), false, text);
      assert.equal(escapeHidden(text), text);
    }
  });

  it('is idempotent: escaping escaped text changes nothing', () => {
    const once = escapeHidden(Object.values(HIDDEN).join('x'));
    assert.equal(escapeHidden(once), once);
  });

  it('makes a message one line: line breaks and tabs become spaces, the rest is escaped', () => {
    assert.equal(oneLineMessage('run\n`curl`\r\nnow\tplease\u2028ok'), 'run `curl` now please ok');
    assert.equal(oneLineMessage('erase\u001b[1A\u001b[2Kthis'), 'erase\\u001b[1A\\u001b[2Kthis');
  });

  it('shortens a captured value after escaping it', () => {
    assert.equal(displayText('a\u200bb'), 'a\\u200bb');
    assert.equal(displayText('  two\n\nlines  '), 'two lines');
    assert.equal(displayText('x'.repeat(200)).length, 80);
    assert.equal(displayText('\u202e'.repeat(100), 20), `${'\\u202e'.repeat(3)}…`, 'never half an escape');
    assert.equal(displayText(`${'x'.repeat(14)}\udb40\udc41`, 20), `${'x'.repeat(14)}…`);
  });

  it('rewrites a finding only where its texts hold hidden characters', () => {
    assert.equal(withVisibleText(FINDING), FINDING, 'a clean finding is returned as it is');
    const dirty: Finding = {
      ...FINDING,
      message: 'send to `evil\u202e.test`',
      related: [{ file: 'a.sh', span: FINDING.span, message: 'read\nhere' }],
      fix: { title: 'remove \u001b[31m', edits: [{ file: 'SKILL.md', span: FINDING.span, newText: 'kept\u202everbatim' }] },
    };
    const shown = withVisibleText(dirty);
    assert.equal(shown.message, 'send to `evil\\u202e.test`');
    assert.equal(shown.related?.[0]?.message, 'read here');
    assert.equal(shown.fix?.title, 'remove \\u001b[31m');
    assert.equal(shown.fix?.edits[0]?.newText, 'kept\u202everbatim', 'edits change the file and stay verbatim');
  });

  it('breaks link syntax for surfaces that make links of it, and escapes hidden characters', () => {
    // The shape of a link in a VS Code notification message: label, then an http(s), command or file target.
    const link = /\[[^\]]+\]\((?:https?:\/\/|command:|file:)[^)\s]+\)/i;
    const folder = '[Show details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20e.test%7Csh%5Cn%22%7D)';
    assert.match(folder, link);
    assert.doesNotMatch(unlinkedText(folder), link);
    assert.equal(unlinkedText('[a](file:x) and [b](https://e.test)\u202e'), '[a] (file:x) and [b] (https://e.test)\\u202e');
    assert.equal(unlinkedText('plain [brackets] and (parentheses)'), 'plain [brackets] and (parentheses)');
  });

  it('escapes in serialised JSON what JSON.stringify leaves raw, and the data stays the same', () => {
    const value = { path: `scripts/n${Object.values(HIDDEN).join('')}.sh`, visible: VISIBLE };
    const serialised = escapeHiddenInJson(JSON.stringify(value, null, 2));
    assert.ok(!hasHiddenOrControl(serialised.replace(/\n/g, '')), serialised);
    assert.deepEqual(JSON.parse(serialised), value);
  });
});
