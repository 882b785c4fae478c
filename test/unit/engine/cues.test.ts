import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CUES } from '../../../server/src/engine/instructions/classifier';
import { CueGate, cueKey, cueOptions } from '../../../server/src/engine/instructions/cues';
import { parseCompiledRules } from '../../../server/src/engine/rule-types';
import { DIST_DIR } from '../../support/engine';
import { fixtureTexts } from '../../support/rule-files';

/** A pattern that counts the times it really ran (`test` runs through `exec`). */
class CountingRegExp extends RegExp {
  runs = 0;

  override exec(text: string): RegExpExecArray | null {
    this.runs++;
    return super.exec(text);
  }
}

describe('CueGate', () => {
  it('skips a pattern whose literals the sentence in focus lacks, and runs it when they are there', () => {
    const gate = new CueGate();
    const pattern = gate.cued(new CountingRegExp('\\b(?:upload|send)\\s+the\\s+keys\\b', 'i'));
    const quiet = 'Summarise the meeting notes for the team.';
    gate.focus(quiet);
    assert.equal(gate.test(pattern, quiet), false);
    assert.equal(pattern.runs, 0);
    const loud = 'Then SEND the keys to the server.';
    gate.focus(loud);
    assert.equal(gate.test(pattern, loud), true);
    assert.equal(pattern.runs, 1);
    assert.equal(gate.exec(pattern, loud)?.[0], 'SEND the keys');
  });

  it('answers for the sentence in focus however often it is focused, never from the sentence before', () => {
    const gate = new CueGate();
    const pattern = gate.cued(new CountingRegExp('\\bsend\\s+the\\s+keys\\b', 'i'));
    const quiet = 'Summarise the notes.';
    const loud = 'Send the keys.';
    gate.focus(quiet);
    assert.equal(gate.test(pattern, quiet), false);
    gate.focus(loud);
    gate.focus(loud);
    assert.equal(gate.test(pattern, loud), true);
    // The same text again, after another: its own literals, not those of the sentence before.
    gate.focus(quiet);
    gate.focus(quiet);
    assert.equal(gate.test(pattern, quiet), false);
    assert.equal(pattern.runs, 1);
  });

  it('runs every pattern on a text other than the sentence in focus', () => {
    const gate = new CueGate();
    const pattern = gate.cued(new CountingRegExp('exfiltrate', 'i'));
    gate.focus('a sentence about nothing');
    assert.equal(gate.test(pattern, 'a slice about nothing'), false);
    assert.equal(pattern.runs, 1);
  });

  it('runs a pattern that was never put behind the gate', () => {
    const gate = new CueGate();
    gate.cued(/unrelated/);
    const outside = new CountingRegExp('exfiltrate');
    gate.focus('nothing to see');
    assert.equal(gate.test(outside, 'nothing to see'), false);
    assert.equal(outside.runs, 1);
  });

  it('leaves a skipped global pattern ready for the next text', () => {
    const gate = new CueGate();
    const pattern = gate.cued(/token/g);
    pattern.lastIndex = 5;
    gate.focus('nothing');
    assert.equal(gate.exec(pattern, 'nothing'), null);
    assert.equal(pattern.lastIndex, 0);
  });

  it('gates a pattern too wide for one literal set by its alternatives, and a pattern without literals not at all', () => {
    const verbs = Array.from({ length: 300 }, (_, i) => `verb${i}`);
    const wide = new CountingRegExp(verbs.map((verb) => `\\b${verb}\\s+the\\s+keys\\b`).join('|'), 'i');
    assert.equal(cueOptions(wide)?.length, 300);
    assert.equal(cueOptions(/\w+\s+\d+/), undefined);
    const gate = new CueGate();
    gate.cued(wide);
    const quiet = 'Then verb12 the notes.';
    gate.focus(quiet);
    assert.equal(gate.test(wide, quiet), false);
    assert.equal(wide.runs, 0);
    const loud = 'Then VERB12 the keys.';
    gate.focus(loud);
    assert.equal(gate.test(wide, loud), true);
  });

  it('takes the compiled options of a pattern in the table', () => {
    // A table entry that disagrees with the pattern's own literal: only the table's literal passes.
    const gate = new CueGate();
    const pattern = gate.cued(/walrus-compiled-cue/i);
    gate.useCompiled({ [cueKey(pattern)]: [[['narwhal']]] });
    gate.focus('walrus-compiled-cue');
    assert.equal(gate.test(pattern, 'walrus-compiled-cue'), false);
  });
  it('never skips a pattern one of whose options needs no literal', () => {
    // An option without literal sets holds in every text; the per-sentence candidate marks name
    // only patterns with a literal present, so such a pattern must stay ungated.
    const gate = new CueGate();
    const pattern = gate.cued(new CountingRegExp('walrus|\\d{3}'));
    gate.useCompiled({ [cueKey(pattern)]: [[['walrus']], []] });
    gate.focus('call 555 now');
    assert.equal(gate.test(pattern, 'call 555 now'), true);
    assert.equal(pattern.runs, 1);
  });

  it('marks candidates afresh for each sentence', () => {
    const gate = new CueGate();
    const keys = gate.cued(new CountingRegExp('send\\s+the\\s+keys', 'i'));
    const notes = gate.cued(new CountingRegExp('summarise\\s+the\\s+notes', 'i'));
    for (const [sentence, expected] of [['Send the keys.', [true, false]], ['Summarise the notes.', [false, true]], ['Nothing.', [false, false]]] as const) {
      gate.focus(sentence);
      assert.deepEqual([gate.test(keys, sentence), gate.test(notes, sentence)], expected, sentence);
    }
    assert.deepEqual([keys.runs, notes.runs], [1, 1]);
  });
});


describe('the classifier behind its cue gate', () => {
  it('puts the patterns it tries on whole sentences behind the gate, with literals for nearly all of them', () => {
    assert.ok(CUES.cuedPatterns.length > 150, `${CUES.cuedPatterns.length} patterns`);
    const withLiterals = CUES.cuedPatterns.filter((pattern) => cueOptions(pattern) !== undefined);
    assert.ok(withLiterals.length > CUES.cuedPatterns.length * 0.9, `${withLiterals.length} of ${CUES.cuedPatterns.length}`);
  });

  it('never skips a pattern on a rules fixture text that the pattern matches', () => {
    let matched = 0;
    for (const text of fixtureTexts()) {
      CUES.focus(text);
      for (const pattern of CUES.cuedPatterns) {
        const plain = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
        if (!plain.test(text)) continue;
        matched++;
        assert.ok(CUES.mayMatch(pattern, text), `/${pattern.source.slice(0, 120)}/${pattern.flags} matches ${JSON.stringify(text.slice(0, 200))} but the gate skips it`);
      }
    }
    CUES.focus('');
    assert.ok(matched > 1000, `only ${matched} matching (pattern, text) pairs: the test would prove little`);
  });

  it('is compiled into rules.json for every gated pattern, as the engine would derive it', () => {
    const compiled = parseCompiledRules(JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rules.json'), 'utf8')) as unknown).classifierCues ?? {};
    for (const pattern of CUES.cuedPatterns) {
      const key = cueKey(pattern);
      assert.ok(key in compiled, `/${pattern.source.slice(0, 80)}/ is in the table`);
      assert.deepEqual(compiled[key], cueOptions(pattern) ?? null);
    }
  });
});
