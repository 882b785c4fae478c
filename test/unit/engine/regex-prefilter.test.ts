import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { alternativeLiteralOptions, buildPrefilter, requiredLiteralOptions, requiredLiteralSets, requiredLiterals, speedLiteralSets, speedPrefilter, startsWithLiteral } from '../../../server/src/engine/regex-prefilter';
import { mayMatch, testRegex, useCompiledPrefilters } from '../../../server/src/engine/matchers/regex-util';
import { parseCompiledRules } from '../../../server/src/engine/rule-types';
import { DIST_DIR } from '../../support/engine';
import { fixtureTexts, ruleFolders } from '../../support/rule-files';

const SEED = 20_261_122;

describe('requiredLiterals', () => {
  const cases: readonly (readonly [pattern: string, flags: string, expected: readonly string[] | undefined])[] = [
    ['curl|wget', '', ['curl', 'wget']],
    ['\\b(?:curl|wget)\\s+-[a-z]+', '', ['curl', 'wget']],
    // A character class is multiplied out while it stays small.
    ['id_[rd]sa', '', ['id_dsa', 'id_rsa']],
    ['~/\\.ssh/id_(?:rsa|ed25519)\\b', 'i', ['~/.ssh/id_rsa', '~/.ssh/id_ed25519']],
    // Optional parts break the literal; the most selective remaining run wins.
    ['https?://pastebin\\.com', '', ['://pastebin.com']],
    ['colou?r', '', ['colo']],
    // A repeated part must occur at least once.
    ['(?:ab)+c', '', ['ab']],
    ['x{3}', '', ['xxx']],
    // Lookarounds and anchors consume nothing.
    ['(?<![\\w-])ignore(?=\\s)', 'i', ['ignore']],
    ['^hooks:', 'm', ['hooks:']],
    // A shorter literal makes a longer one that contains it redundant.
    ['foo|foobar', '', ['foo']],
    ['(?<name>[A-Z]+)_TOKEN', '', ['_TOKEN']],
    // Nothing useful: every alternative must contribute, and optional or open-ended parts do not.
    ['curl|\\w+', '', undefined],
    ['(?:abc)?', '', undefined],
    ['[^a]+', '', undefined],
    ['\\d{4}-\\d{2}', '', ['-']],
    ['(a)\\1', '', ['a']],
    ['(?i:secret)', '', undefined],
    ['[a-z]{8}', '', undefined],
    ['(', '', undefined],
  ];
  for (const [pattern, flags, expected] of cases) {
    it(`/${pattern}/${flags} → ${expected ? expected.join(', ') : 'no prefilter'}`, () => {
      const literals = requiredLiterals(pattern, flags, true);
      assert.deepEqual(literals && [...literals].sort(), expected && [...expected].sort());
    });
  }

  it('leaves out a pattern that is itself a list of literals unless asked', () => {
    assert.equal(requiredLiterals('curl|wget'), undefined);
    assert.deepEqual(requiredLiterals('curl|wget', '', true), ['curl', 'wget']);
  });
});

describe('requiredLiteralOptions', () => {
  const sorted = (options: string[][][] | undefined): string[][][] | undefined => options?.map((option) => option.map((set) => [...set].sort())).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  it('keeps the alternatives of a pattern apart, each with the parts it requires', () => {
    const options = requiredLiteralOptions('(?<![\\w-])(?:ignore\\s+(?:all\\s+)?previous\\s+rules|you\\s+are\\s+now\\s+free)', 'i');
    assert.ok(options);
    assert.equal(options.length, 2);
    const injection = options.find((option) => option.flat().includes('ignore'));
    const persona = options.find((option) => option !== injection);
    assert.deepEqual(injection?.flat().sort(), ['ignore', 'previous', 'rules']);
    // At most three sets per option are kept, the most selective first.
    assert.equal(persona?.length, 3);
    assert.equal(persona?.[0]?.[0], 'free');
    for (const set of persona ?? []) assert.ok(set.every((word) => ['you', 'are', 'now', 'free'].includes(word)), JSON.stringify(set));
  });
  it('multiplies the options of parts in sequence', () => {
    assert.deepEqual(sorted(requiredLiteralOptions('(?:send|post)\\s+(?:[^.]{0,20}\\s+)?to\\s+(?:evil|bad)\\b')), [[['post', 'send'], ['bad', 'evil'], ['to']]]);
    assert.deepEqual(
      sorted(requiredLiteralOptions('(?:a\\d+b|c\\d+d)\\s(?:e\\d+f|g\\d+h)')),
      sorted([
        [['a'], ['b'], ['e']],
        [['a'], ['b'], ['g']],
        [['c'], ['d'], ['e']],
        [['c'], ['d'], ['g']],
      ]),
    );
  });
  it('gives nothing when one alternative requires nothing', () => {
    assert.equal(requiredLiteralOptions('secret\\s+key|\\w+'), undefined);
  });
});

describe('alternativeLiteralOptions', () => {
  // 300 top-level alternatives, each "<verb> the keys to <host>": too many options to keep apart
  // and too many first literals to merge into one set, so the other derivations give up.
  const verbs = Array.from({ length: 300 }, (_, i) => `verb${i}`);
  const wide = verbs.map((verb) => `\\b${verb}\\s+the\\s+keys\\s+to\\s+(?:evil|bad)\\b`).join('|');

  it('gives one option per top-level alternative where the whole alternation is too wide to merge', () => {
    assert.equal(requiredLiteralOptions(wide, 'i'), undefined);
    assert.equal(requiredLiteralSets(wide, 'i', true), undefined);
    const options = alternativeLiteralOptions(wide, 'i');
    assert.equal(options?.length, 300);
    assert.ok(options?.[7]?.some((set) => set.includes('verb7')), JSON.stringify(options?.[7]));
    assert.ok(options?.every((option) => option.length <= 3));
  });
  it('gives nothing when one alternative requires nothing', () => {
    assert.equal(alternativeLiteralOptions(`${wide}|\\w+`, 'i'), undefined);
  });
  it('keeps a list of literals as one set per alternative', () => {
    assert.deepEqual(alternativeLiteralOptions('sudoers|nopasswd'), [[['sudoers']], [['nopasswd']]]);
  });
});

describe('buildPrefilter', () => {
  it('tests literals with the regex case folding', () => {
    const prefilter = buildPrefilter('\\bignore\\s+previous', 'i');
    assert.ok(prefilter);
    assert.equal(prefilter.mayMatch('IGNORE previous'), true);
    assert.equal(prefilter.mayMatch('nothing here'), false);
  });
  it('is case-sensitive for a case-sensitive regex', () => {
    const prefilter = buildPrefilter('\\bAKIA[0-9A-Z]{16}\\b');
    assert.ok(prefilter);
    assert.equal(prefilter.mayMatch('akia0000000000000000'), false);
    assert.equal(prefilter.mayMatch('x AKIA0000000000000000'), true);
  });
  it('keeps u-mode case folding (the Kelvin sign folds to k)', () => {
    const prefilter = buildPrefilter('\\bkey\\s*=', 'iu');
    assert.ok(prefilter);
    assert.equal(new RegExp('\\bkey\\s*=', 'iu').test('\u212aey='), true);
    assert.equal(prefilter.mayMatch('\u212aey='), true);
  });
});

// ---------------------------------------------------------------------------------------------
// Soundness: a prefilter must never reject a text its regex matches.

interface PatternUnderTest {
  readonly where: string;
  readonly pattern: string;
  readonly flags: string;
}

/** Every regex the rules hold: regex matchers, `where` constraints, triggers, check options. */
function rulePatterns(): PatternUnderTest[] {
  const found: PatternUnderTest[] = [];
  const visit = (value: unknown, where: string, flags: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${where}[${index}]`, flags));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const ownFlags = typeof record.flags === 'string' ? record.flags : flags;
    for (const [key, item] of Object.entries(record)) {
      const isPattern = ['pattern', 'regex', 'notRegex', 'trigger', 'requires', 'unlessLine', 'exclude', 'forbiddenPattern'].includes(key);
      if (isPattern && typeof item === 'string') found.push({ where: `${where}.${key}`, pattern: item, flags: key === 'trigger' ? '' : ownFlags });
      else visit(item, `${where}.${key}`, ownFlags);
    }
  };
  for (const folder of ruleFolders()) visit(folder.definition.match, folder.folderName, '');
  return found;
}

describe('prefilter soundness', () => {
  const patterns = rulePatterns();
  const texts = fixtureTexts();

  it('finds prefilters for most rule regexes', () => {
    const withPrefilter = patterns.filter((p) => requiredLiterals(p.pattern, p.flags, true) !== undefined);
    assert.ok(patterns.length > 300, `only ${patterns.length} patterns found`);
    assert.ok(withPrefilter.length > patterns.length * 0.8, `${withPrefilter.length} of ${patterns.length}`);
  });

  it('never rejects a rules fixture text that the rule regex matches', () => {
    let matched = 0;
    for (const { where, pattern, flags } of patterns) {
      const prefilter = buildPrefilter(pattern, flags, true);
      if (!prefilter) continue;
      const regex = new RegExp(pattern, flags.replace(/[gyd]/g, ''));
      for (const text of texts) {
        if (!regex.test(text)) continue;
        matched++;
        assert.ok(prefilter.mayMatch(text), `${where}: /${pattern}/${flags} matches ${JSON.stringify(text.slice(0, 200))} but the prefilter ${JSON.stringify(prefilter.literals)} rejects it`);
      }
    }
    assert.ok(matched > 1000, `only ${matched} matching (pattern, text) pairs: the test would prove little`);
  });

  it('never rejects, by its literal options, a rules fixture text that the rule regex matches', () => {
    let matched = 0;
    for (const { where, pattern, flags } of patterns) {
      const options = requiredLiteralOptions(pattern, flags);
      if (!options) continue;
      const regex = new RegExp(pattern, flags.replace(/[gyd]/g, ''));
      const contains = literalTest(flags);
      for (const text of texts) {
        if (!regex.test(text)) continue;
        matched++;
        const kept = options.some((option) => option.every((set) => set.some((literal) => contains(text, literal))));
        assert.ok(kept, `${where}: /${pattern}/${flags} matches ${JSON.stringify(text.slice(0, 200))} but no option of ${JSON.stringify(options).slice(0, 400)} holds`);
      }
    }
    assert.ok(matched > 1000, `only ${matched} matching (pattern, text) pairs`);
  });

  it('never rejects, by its literal options, a matching string of a generated regex', () => {
    fc.assert(
      fc.property(regexTree(), fc.constantFrom('', 'i', 'u', 'iu'), fc.integer(), (tree, flags, seed) => {
        const pattern = render(tree);
        const sample = sampleOf(tree, lcg(seed), flags.includes('i'));
        fc.pre(new RegExp(pattern, flags).test(sample));
        const options = requiredLiteralOptions(pattern, flags);
        const contains = literalTest(flags);
        const kept = options === undefined || options.some((option) => option.every((set) => set.some((literal) => contains(sample, literal))));
        assert.ok(kept, `/${pattern}/${flags} matches ${JSON.stringify(sample)}; options ${JSON.stringify(options)}`);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('never rejects a matching string of a generated regex', () => {
    fc.assert(
      fc.property(regexTree(), fc.constantFrom('', 'i', 'u', 'iu'), fc.integer(), (tree, flags, seed) => {
        const pattern = render(tree);
        const sample = sampleOf(tree, lcg(seed), flags.includes('i'));
        const regex = new RegExp(pattern, flags);
        fc.pre(regex.test(sample));
        const prefilter = buildPrefilter(pattern, flags, true);
        assert.ok(prefilter === undefined || prefilter.mayMatch(sample), `/${pattern}/${flags} matches ${JSON.stringify(sample)}; literals ${JSON.stringify(prefilter?.literals)}`);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

/** "contains" under the case folding of `flags`, by the regex engine itself. */
function literalTest(flags: string): (text: string, literal: string) => boolean {
  const literalFlags = [...flags].filter((flag) => flag === 'i' || flag === 'u' || flag === 'v').join('');
  return (haystack, literal) => new RegExp(literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), literalFlags).test(haystack);
}

// A small regex grammar with a sampler, so that strings the regex matches are easy to produce.
type RegexTree =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'class'; readonly chars: readonly string[] }
  | { readonly kind: 'word' }
  | { readonly kind: 'boundary' }
  | { readonly kind: 'sequence'; readonly parts: readonly RegexTree[] }
  | { readonly kind: 'alternation'; readonly options: readonly RegexTree[] }
  | { readonly kind: 'repeat'; readonly inner: RegexTree; readonly min: number; readonly max: number };

const ALPHABET = ['a', 'b', 'c', 'A', 'K', 's', '.', '-', '/', ' ', '\u212a', '\u017f'];

function regexTree(): fc.Arbitrary<RegexTree> {
  const { tree } = fc.letrec<{ tree: RegexTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...ALPHABET).map((char): RegexTree => ({ kind: 'char', char })),
      fc.uniqueArray(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 3 }).map((chars): RegexTree => ({ kind: 'class', chars })),
      fc.constant<RegexTree>({ kind: 'word' }),
      fc.constant<RegexTree>({ kind: 'boundary' }),
      fc.array(tie('tree'), { minLength: 1, maxLength: 4 }).map((parts): RegexTree => ({ kind: 'sequence', parts })),
      fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((options): RegexTree => ({ kind: 'alternation', options })),
      fc
        .tuple(tie('tree'), fc.constantFrom([0, 1], [1, 1], [1, 3], [2, 2], [0, 3], [1, 5]))
        .map(([inner, [min, max]]): RegexTree => ({ kind: 'repeat', inner, min: min ?? 0, max: max ?? 1 })),
    ),
  }));
  return tree;
}

function render(tree: RegexTree): string {
  // u-mode rejects `\-` outside a class; inside one it is required.
  const escape = (char: string, inClass: boolean): string => ((inClass ? /[.\-/]/ : /[./]/).test(char) ? `\\${char}` : char);
  switch (tree.kind) {
    case 'char':
      return escape(tree.char, false);
    case 'class':
      return `[${tree.chars.map((char) => escape(char, true)).join('')}]`;
    case 'word':
      return '\\w';
    case 'boundary':
      return '(?<![/])';
    case 'sequence':
      return tree.parts.map((part) => `(?:${render(part)})`).join('');
    case 'alternation':
      return `(?:${tree.options.map(render).join('|')})`;
    case 'repeat':
      return `(?:${render(tree.inner)}){${tree.min},${tree.max}}`;
  }
}

function sampleOf(tree: RegexTree, next: () => number, flipCase: boolean): string {
  const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T;
  const cased = (char: string): string => (flipCase && next() % 2 === 0 ? (next() % 2 ? char.toUpperCase() : char.toLowerCase()) : char);
  switch (tree.kind) {
    case 'char':
      return cased(tree.char);
    case 'class':
      return cased(pick(tree.chars));
    case 'word':
      return pick(['x', '_', '7']);
    case 'boundary':
      return '';
    case 'sequence':
      return tree.parts.map((part) => sampleOf(part, next, flipCase)).join('');
    case 'alternation':
      return sampleOf(pick(tree.options), next, flipCase);
    case 'repeat': {
      const count = tree.min + (next() % (tree.max - tree.min + 1));
      return Array.from({ length: count }, () => sampleOf(tree.inner, next, flipCase)).join('');
    }
  }
}

/** A tiny deterministic generator, so that a fast-check seed fixes the sample too. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state >>> 8;
  };
}

describe('speedPrefilter', () => {
  it('skips patterns that start with a literal, which V8 scans for itself', () => {
    assert.equal(startsWithLiteral('(?<finding>curl|wget)\\s'), true);
    assert.equal(startsWithLiteral('[Cc]url'), true);
    assert.equal(speedPrefilter('(?:curl|wget)\\s+\\S+'), undefined);
  });
  it('keeps a prefilter for patterns led by a lookbehind, a class or an optional part', () => {
    assert.equal(startsWithLiteral('(?<![\\w-])ignore'), false);
    assert.equal(startsWithLiteral('\\bignore'), false);
    assert.equal(startsWithLiteral('[a-z]+://'), false);
    assert.deepEqual(speedPrefilter('(?<![\\w.+-])[a-z]{1,20}://[^\\s:@]{1,64}:[^\\s@]{1,128}@', 'i')?.literals, ['://']);
  });
  it('is compiled into rules.json for every rule regex, as the engine would derive it', () => {
    const compiled = parseCompiledRules(JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rules.json'), 'utf8')) as unknown).speedPrefilters ?? {};
    for (const { where, pattern, flags } of rulePatterns()) {
      const key = `${flags}\u0000${pattern}`;
      assert.ok(key in compiled, `${where} is in the table`);
      assert.deepEqual(compiled[key], speedLiteralSets(pattern, flags) ?? null, where);
    }
  });
  it('is taken from the compiled table when the pattern is in it', () => {
    // A table entry that disagrees with the pattern's own literals: only a lookup in the table
    // rejects a text that holds the pattern's literal "walrus" but not the table's.
    const pattern = '\\bwalrus-\\d{3}-compiled-table-case';
    useCompiledPrefilters({ [`\u0000${pattern}`]: [['narwhal']] });
    assert.equal(mayMatch(pattern, 'walrus-123-compiled-table-case'), false);
    assert.equal(mayMatch(pattern, 'narwhal'), true);
    assert.equal(mayMatch(`${pattern}-not-compiled`, 'walrus-123-compiled-table-case-not-compiled'), true);
  });
});

describe('testRegex with prefilters', () => {
  it('answers like the plain regex whether or not the prefilter rejects', () => {
    const pattern = '(?<![\\w-])ignore\\s+previous';
    const plain = new RegExp(pattern, 'i');
    const texts = Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? 'nothing here' : i % 3 === 0 ? 'IGNORE previous' : 'ignore-previous'));
    for (const text of texts) assert.equal(testRegex(pattern, text, 'i'), plain.test(text), text);
  });
});
