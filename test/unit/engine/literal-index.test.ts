import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { has, LiteralIndex } from '../../../server/src/engine/literal-index';
import { RegexLiteralFilter } from '../../../server/src/engine/matchers/literal-filter';
import type { RegexMatcher, TreeSitterMatcher } from '../../../server/src/engine/rule-types';
import { LiteralOptionTable, presenceOfAny, type LiteralPresence } from '../../../server/src/engine/literal-options';

const SEED = 20_261_122;

/** What the index must report: the literal found by a case-insensitive Unicode regex. */
function foundByRegex(text: string, literal: string): boolean {
  return new RegExp(literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'iu').test(text);
}

describe('LiteralIndex', () => {
  it('finds overlapping, nested and repeated literals in one pass', () => {
    const index = new LiteralIndex(['he', 'she', 'his', 'hers', 'ushers', 'r']);
    const present = index.presentIn('USHERS');
    assert.deepEqual(
      index.literals.filter((_, id) => has(present, id)),
      ['he', 'she', 'hers', 'ushers', 'r'],
    );
  });
  it('folds case like a case-insensitive Unicode regex, long s and Kelvin sign included', () => {
    const index = new LiteralIndex(['secret', 'key']);
    const present = index.presentIn('\u017fECRET \u212aEY');
    assert.equal(has(present, 0), true);
    assert.equal(has(present, 1), true);
  });
  it('treats other non-ASCII characters as breaking a literal', () => {
    const index = new LiteralIndex(['token']);
    assert.equal(has(index.presentIn('to\u00e9ken'), 0), false);
    assert.equal(has(index.presentIn('\u00e9token\u00e9'), 0), true);
  });
  it('reports exactly the literals a case-insensitive regex finds, for generated texts', () => {
    const alphabet = ['a', 'b', 'A', 'B', 'k', 'K', 's', 'S', '-', ' ', '\u212a', '\u017f', '\u00e9'];
    const word = fc.array(fc.constantFrom(...alphabet.slice(0, 9)), { minLength: 1, maxLength: 4 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12, selector: (w) => w.toLowerCase() }), fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (literals, chars) => {
        const text = chars.join('');
        const index = new LiteralIndex(literals);
        const present = index.presentIn(text);
        literals.forEach((literal, id) => assert.equal(has(present, id), foundByRegex(text, literal), `${JSON.stringify(literal)} in ${JSON.stringify(text)}`));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
  for (const [count, fits] of [[2_500, 'no longer fit 16 bits'], [1_200, 'fit 16 bits but not beside the recognition bit']] as const) {
    it(`finds the same literals when its states ${fits}`, () => {
      // Literals of 40 letters each: 2,500 make about 100,000 states, 1,200 about 48,000; both
      // take the wide transition table, whose entries hold a state number shifted by one bit.
      let state = SEED;
      const letter = (): string => {
        state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
        return String.fromCharCode(97 + ((state >>> 8) % 26));
      };
      const literals = Array.from({ length: count }, () => Array.from({ length: 40 }, letter).join(''));
      const index = new LiteralIndex(literals);
      assert.ok(index.stateCount > 0x8000, `${index.stateCount} states`);
      const text = `xx ${literals[count - 1] ?? ''} yy ${(literals[17] ?? '').toUpperCase()} ${(literals[1_000] ?? '').slice(1)}`;
      const present = index.presentIn(text);
      literals.forEach((literal, id) => assert.equal(has(present, id), text.toLowerCase().includes(literal), `literal ${id}`));
    });
  }
  it('finds one-character literals in each text anew, not in the texts before it', () => {
    const index = new LiteralIndex(['$', 'k', 'curl', '|']);
    const found = (text: string): string[] => index.literals.filter((_, id) => has(index.presentIn(text), id));
    assert.deepEqual(found('curl x | sh'), ['curl', '|']);
    assert.deepEqual(found('echo $HOME'), ['$']);
    assert.deepEqual(found('plain words'), []);
    assert.deepEqual(found('\u212aelvin'), ['k']);
    // The pass number that marks a character as seen starts again after its largest value.
    (index as unknown as { pass: number }).pass = 0x7fffffff - 1;
    assert.deepEqual(found('$'), ['$']);
    assert.deepEqual(found('none'), []);
    assert.deepEqual(found('K$'), ['$', 'k']);
  });
  it('marks the literals of a text in the caller\'s buffer, keeping the bits already set', () => {
    const index = new LiteralIndex(['token', 'secret', 'curl']);
    const bits = new Uint32Array(index.bitWords);
    index.markPresent('a TOKEN here', bits);
    index.markPresent('curl it', bits);
    assert.deepEqual([has(bits, 0), has(bits, 1), has(bits, 2)], [true, false, true]);
    assert.deepEqual(index.presentIn('a TOKEN here'), Uint32Array.of(1));
  });
  it('indexes only ASCII literals', () => {
    assert.equal(LiteralIndex.isIndexable('rm -rf'), true);
    assert.equal(LiteralIndex.isIndexable('\u00e9t\u00e9'), false);
    assert.equal(LiteralIndex.isIndexable(''), false);
  });
});

/** False when `text` cannot hold a match of the matcher's pattern, as the regex matcher asks it. */
function mayMatch(filter: RegexLiteralFilter, matcher: RegexMatcher, text: string, presence: Map<string, LiteralPresence>): boolean {
  const gate = filter.gateOf(matcher);
  return gate === undefined || filter.passes(gate, filter.presenceOf(text, presence));
}

describe('RegexLiteralFilter', () => {
  const matcher = (pattern: string, flags?: string): RegexMatcher => ({ kind: 'regex', target: 'markdown:prose', pattern, ...(flags ? { flags } : {}) }) as RegexMatcher;
  const injection = matcher('(?<![\\w-])(?:ignore\\s+previous\\s+rules|you\\s+are\\s+now\\s+free)', 'i');
  const noLiterals = matcher('\\w+\\s+\\d+');
  const accented = matcher('r\u00e9sum\u00e9\\s+\\w+', 'i');
  const filter = new RegexLiteralFilter([injection, noLiterals, accented]);

  it('skips a text that satisfies no option of the pattern, even when it holds words of each', () => {
    const presence = new Map<string, LiteralPresence>();
    assert.equal(mayMatch(filter, injection, 'You may ignore the rules now; free text follows.', presence), false);
    assert.equal(mayMatch(filter, injection, 'IGNORE the PREVIOUS rules', presence), true);
    assert.equal(mayMatch(filter, injection, 'you are, now, free', presence), true);
  });
  it('lets every text through for a pattern without usable literals', () => {
    const presence = new Map<string, LiteralPresence>();
    assert.equal(mayMatch(filter, noLiterals, 'nothing', presence), true);
    assert.equal(mayMatch(filter, accented, 'nothing', presence), true);
    assert.equal(filter.subsumesPrefilter(accented), false);
    assert.equal(filter.subsumesPrefilter(injection), true);
  });
  it('takes the options compiled into the matcher instead of deriving them again', () => {
    const compiledOptions: RegexMatcher = { ...matcher('\\w+\\s+\\d+', 'i'), literalOptions: [[['zebra']]] };
    const compiledFilter = new RegexLiteralFilter([compiledOptions]);
    const presence = new Map<string, LiteralPresence>();
    assert.equal(mayMatch(compiledFilter, compiledOptions, 'route 66', presence), false);
    assert.equal(mayMatch(compiledFilter, compiledOptions, 'zebra 66', presence), true);
  });
  it('lets every text through for a matcher compiled with no options, without deriving them again', () => {
    // The pattern has a literal ("tiger"): only a filter that took the compiled null would pass "route 66".
    const compiledNone: RegexMatcher = { ...matcher('tiger\\s+\\d+', 'i'), literalOptions: null };
    const compiledFilter = new RegexLiteralFilter([compiledNone]);
    assert.equal(mayMatch(compiledFilter, compiledNone, 'route 66', new Map<string, LiteralPresence>()), true);
  });
  it('scans each text once for all matchers of a scan', () => {
    const presence = new Map<string, LiteralPresence>();
    const text = 'ignore previous rules';
    mayMatch(filter, injection, text, presence);
    const kept = presence.get(text);
    mayMatch(filter, injection, text, presence);
    assert.equal(presence.size, 1);
    assert.equal(presence.get(text), kept);
  });
  describe('tree-sitter triggers', () => {
    const query = (trigger: string, triggerLiteralOptions?: TreeSitterMatcher['triggerLiteralOptions']): TreeSitterMatcher =>
      ({ kind: 'tree-sitter', languages: ['python'], query: '(call) @finding', trigger, ...(triggerLiteralOptions !== undefined ? { triggerLiteralOptions } : {}) }) as TreeSitterMatcher;
    const subprocess = query('\\b(?:Popen|check_output)\\(');
    const anyWord = query('\\w+');
    const triggers = new RegexLiteralFilter([injection, subprocess, anyWord]);

    it('rules out a text that lacks the literals of a trigger, from the same pass as the regex matchers', () => {
      const presence = new Map<string, LiteralPresence>();
      const text = 'import os\nos.system("ls")\n';
      assert.equal(triggers.mayTrigger(subprocess, text, presence), false);
      assert.equal(mayMatch(triggers, injection, text, presence), false);
      assert.equal(presence.size, 1);
      assert.equal(triggers.mayTrigger(subprocess, 'subprocess.check_output(["ls"])', presence), true);
    });
    it('folds case, which only lets more texts through to the case-sensitive trigger', () => {
      assert.equal(triggers.mayTrigger(subprocess, 'POPEN(x)', new Map<string, LiteralPresence>()), true);
    });
    it('lets every text through for a trigger without usable literals', () => {
      assert.equal(triggers.mayTrigger(anyWord, '', new Map<string, LiteralPresence>()), true);
    });
    it('takes the options compiled into the matcher instead of deriving them again', () => {
      const compiled = query('\\w+', [[['zebra']]]);
      const compiledNone = query('tiger', null);
      const filter = new RegexLiteralFilter([compiled, compiledNone]);
      const presence = new Map<string, LiteralPresence>();
      assert.equal(filter.mayTrigger(compiled, 'route 66', presence), false);
      assert.equal(filter.mayTrigger(compiled, 'zebra 66', presence), true);
      assert.equal(filter.mayTrigger(compiledNone, 'route 66', presence), true);
    });
  });
});

describe('LiteralOptionTable', () => {
  const table = new LiteralOptionTable<string>();
  table.add('curl-upload', [[['curl'], ['--data', '-d ']]]);
  table.add('token-or-key', [[['token']], [['api key']]]);
  table.add('unknown', undefined);

  it('allows a key only where one of its options holds, after ruling out keys that name no present literal', () => {
    const presence = table.presentIn('Run curl with --data @file');
    assert.equal(table.allows('curl-upload', presence), true);
    assert.equal(table.allows('token-or-key', presence), false);
    assert.equal(presence.candidates?.[table.indexOf('token-or-key') ?? -1], 0);
    // A key named by a present literal but whose option is not complete is still refused.
    assert.equal(table.allows('curl-upload', table.presentIn('curl https://x.example')), false);
  });
  it('lets every text through for a key without options', () => {
    assert.equal(table.gates('unknown'), false);
    assert.equal(table.allows('unknown', table.presentIn('nothing here')), true);
  });
  it('tests one key against a caller\'s buffer without the candidate marks', () => {
    const bits = new Uint32Array(table.bitWords);
    table.markPresent('Run curl with --data @file', bits);
    assert.equal(table.satisfiedAt(table.indexOf('curl-upload') ?? -1, bits), true);
    assert.equal(table.satisfiedAt(table.indexOf('token-or-key') ?? -1, bits), false);
    bits.fill(0);
    table.markPresent('curl https://x.example', bits);
    assert.equal(table.satisfiedAt(table.indexOf('curl-upload') ?? -1, bits), false);
  });
  it('unites the literals of parts, for "can any part match"', () => {
    const union = presenceOfAny([table.presentIn('a token here'), table.presentIn('curl -d x')]);
    assert.equal(table.allows('token-or-key', union), true);
    assert.equal(table.allows('curl-upload', union), true);
    assert.equal(table.allows('curl-upload', presenceOfAny([table.presentIn('curl x'), table.presentIn('--data y')])), true);
  });
});

