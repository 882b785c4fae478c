import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { checkSync, type AttackPattern } from 'recheck';
import { Language, Parser, Query } from 'web-tree-sitter';
import { parseMarkdown } from '../../server/src/engine/markdown';
import { parseCompiledRules, type Matcher } from '../../server/src/engine/rule-types';
import { requiredLiteralOptions } from '../../server/src/engine/regex-prefilter';
import { bundleOnDisk, DIST_DIR, getEngine, REPO_ROOT, RULES_DIR } from '../support/engine';
import { isEditorReported, readRuleTests, ruleFolders } from '../support/rule-files';

const REQUIRED_HEADINGS = [
  '## What it does',
  '## Why is this dangerous',
  '## Example',
  '## Use instead',
  '## False positives',
  '## Fix',
  '## References',
];

const THREATS = [
  'credential-access', 'exfiltration', 'command-execution', 'remote-code', 'persistence', 'destruction',
  'api-redirection', 'obfuscation', 'hardcoded-secrets', 'prompt-injection', 'resource-abuse', 'frontmatter',
];

const folders = ruleFolders();

/**
 * recheck's verdicts, memoised by the exact pattern, flags and recheck version in a committed
 * file: its fuzzing takes seconds per large pattern and its answer can vary with machine load, so
 * CI re-checks only new or changed patterns. `npm run test:unit` on a developer machine records
 * new verdicts; delete the file to re-check everything.
 */
type Verdict =
  | { readonly status: 'safe' | 'unknown' }
  | { readonly status: 'vulnerable'; readonly complexity: { readonly type: string }; readonly attack: AttackPattern };
const VERDICTS_PATH = path.join(REPO_ROOT, 'test', 'rules', 'regex-verdicts.json');
const RECHECK_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'recheck', 'package.json'), 'utf8')) as { version: string }).version;
const verdicts: Record<string, Verdict> = fs.existsSync(VERDICTS_PATH)
  ? (JSON.parse(fs.readFileSync(VERDICTS_PATH, 'utf8')) as Record<string, Verdict>)
  : {};
const usedVerdicts = new Set<string>();
let verdictsChanged = false;

function regexVerdict(pattern: string, flags: string): Verdict {
  const key = createHash('sha256').update(`${RECHECK_VERSION}\u0000${flags}\u0000${pattern}`).digest('hex').slice(0, 32);
  usedVerdicts.add(key);
  const known = verdicts[key];
  if (known) return known;
  const result = checkSync(pattern, flags, { timeout: 3000, randomSeed: 1 });
  const verdict: Verdict =
    result.status === 'vulnerable'
      ? { status: 'vulnerable', complexity: { type: result.complexity.type }, attack: result.attack }
      : { status: result.status };
  verdicts[key] = verdict;
  verdictsChanged = true;
  return verdict;
}

after(() => {
  // Runs filtered with -g see only some patterns, so stale entries are pruned only on request.
  const prune = process.env.SKILL_SENTINEL_PRUNE_VERDICTS === '1';
  if (process.env.CI || (!verdictsChanged && !prune)) return;
  const keys = Object.keys(verdicts).filter((key) => !prune || usedVerdicts.has(key)).sort();
  fs.writeFileSync(VERDICTS_PATH, `${JSON.stringify(Object.fromEntries(keys.map((key) => [key, verdicts[key]])), null, 1)}\n`);
});

function matchersOf(definition: Record<string, unknown>): Matcher[] {
  const match = definition.match as Matcher | Matcher[];
  return Array.isArray(match) ? match : [match];
}

/** Every regex a rule carries, with where it came from. */
function regexesOf(definition: Record<string, unknown>): { where: string; pattern: string; flags: string }[] {
  const found: { where: string; pattern: string; flags: string }[] = [];
  matchersOf(definition).forEach((matcher, index) => {
    const at = `${String(definition.id)} match[${index}]`;
    const add = (key: string, pattern: unknown, flags = ''): void => {
      if (typeof pattern === 'string') found.push({ where: `${at}.${key}`, pattern, flags });
    };
    if (matcher.kind === 'regex') {
      add('pattern', matcher.pattern, matcher.flags);
      add('requires', matcher.requires, matcher.flags);
      add('unlessLine', matcher.unlessLine, matcher.flags);
    }
    if (matcher.kind === 'tree-sitter') add('trigger', matcher.trigger);
    if (matcher.kind === 'frontmatter-field') {
      add('pattern', matcher.pattern, matcher.flags);
      add('forbiddenPattern', matcher.forbiddenPattern, matcher.flags);
    }
    if ((matcher.kind === 'regex' || matcher.kind === 'tree-sitter') && matcher.where) {
      for (const [name, constraint] of Object.entries(matcher.where)) {
        add(`where.${name}.regex`, constraint.regex, constraint.flags);
        add(`where.${name}.notRegex`, constraint.notRegex, constraint.flags);
      }
    }
  });
  return found;
}

/**
 * recheck answers `unknown` when a pattern is too large to decide within its time limit; then
 * the pattern must at least stay fast on long runs of the characters it is built from.
 */
function assertFastOnAdversarialInput(pattern: string, flags: string, where: string): void {
  const regex = new RegExp(pattern, `${flags.replace(/[gd]/g, '')}g`);
  const alphabet = [...new Set([...pattern.replace(/\\[a-zA-Z]/g, ''), ' ', 'a', '\n', '\t', '.', '/', '-', '"', "'"])].slice(0, 60);
  for (const ch of alphabet) {
    const ms = fastestSearchMs(regex, `${ch.repeat(20_000)}\u0000`, 250);
    assert.ok(ms < 250, `${where} took ${ms.toFixed(0)} ms on 20,000 × ${JSON.stringify(ch)}`);
  }
}

/**
 * The fastest of up to three searches of `input`, stopping at the first under `limit`: a
 * catastrophic pattern is slow every time, while one slow run is a pause of the machine or the
 * garbage collector, which made the full suite fail on a pattern that passes alone.
 */
function fastestSearchMs(regex: RegExp, input: string, limit: number): number {
  let fastest = Infinity;
  for (let attempt = 0; attempt < 3 && fastest >= limit; attempt++) {
    regex.lastIndex = 0;
    const started = process.hrtime.bigint();
    let match: RegExpExecArray | null;
    while ((match = regex.exec(input)) !== null) if (match[0].length === 0) regex.lastIndex++;
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return fastest;
}

function assertFastOnAttack(pattern: string, flags: string, attack: AttackPattern, where: string): void {
  const regex = new RegExp(pattern, `${flags.replace(/[gd]/g, '')}g`);
  const pumped = attack.pumps.map((p) => p.prefix + p.pump.repeat(Math.max(1, Math.floor(50_000 / attack.pumps.length / Math.max(1, p.pump.length)))));
  const input = pumped.join('') + attack.suffix;
  const ms = fastestSearchMs(regex, input, 500);
  assert.ok(ms < 500, `${where} took ${ms.toFixed(0)} ms on recheck's attack string scaled to ${input.length} characters`);
}

interface DocBlock {
  readonly info: string;
  readonly content: string;
}

function sectionBlocks(readme: string, heading: string): DocBlock[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) return [];
  const next = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, next === -1 ? readme.length : next);
  const model = parseMarkdown(section);
  return model.fences.map((fence) => ({
    info: section.slice(fence.start, section.indexOf('\n', fence.start)).replace(/^\s*(`{3,}|~{3,})/, '').trim(),
    content: section.slice(fence.contentStart, fence.contentEnd),
  }));
}

const EXAMPLE_FILES: Readonly<Record<string, string>> = {
  python: 'scripts/example.py',
  bash: 'scripts/example.sh',
  javascript: 'scripts/example.js',
  typescript: 'scripts/example.ts',
  powershell: 'scripts/example.ps1',
  markdown: 'SKILL.md',
  text: 'notes.txt',
};

function exampleFiles(block: DocBlock): Record<string, string> {
  const [language = 'text', ...rest] = block.info.split(/\s+/);
  const explicitPath = rest.find((word) => word.startsWith('path='))?.slice('path='.length);
  const file = explicitPath ?? EXAMPLE_FILES[language] ?? 'notes.txt';
  if (file === 'SKILL.md' && !block.content.startsWith('---')) {
    return { 'SKILL.md': `---\nname: fixture-skill\ndescription: Documentation example. Use when testing.\n---\n${block.content}` };
  }
  return { [file]: block.content };
}

function headerLine(definition: Record<string, unknown>): string {
  const tags = (definition.tags as string[]).map((tag) => `\`${tag}\``).join(', ');
  return `Severity: ${String(definition.severity)} · Category: ${String(definition.category)} · Tags: ${tags} · Status: ${String(definition.status)} · Since: ${String(definition.since)}`;
}

describe('rule registry (meta)', () => {
  it('has at least 60 rules', () => {
    assert.ok(folders.length >= 60, `only ${folders.length} rules`);
  });

  it('covers every threat-catalogue category', () => {
    const covered = new Set(folders.map((f) => String(f.definition.threat)));
    assert.deepEqual(THREATS.filter((threat) => !covered.has(threat)), []);
  });

  it('has unique ids and slugs', () => {
    const ids = folders.map((f) => String(f.definition.id));
    const slugs = folders.map((f) => String(f.definition.name));
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
    assert.deepEqual(slugs.filter((slug, i) => slugs.indexOf(slug) !== i), []);
  });

  it('keeps control characters out of the engine sources and rule files (a `\\b` written as a backspace breaks a pattern silently)', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? files(full) : /\.(?:ts|ya?ml)$/.test(entry.name) ? [full] : [];
      });
    const offending = [...files(path.join(REPO_ROOT, 'server/src')), ...files(RULES_DIR)].filter((file) => /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(offending, []);
  });

  it('compiled every rule into dist/rules.json', () => {
    const compiled = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rules.json'), 'utf8')) as { rules: { id: string }[] };
    assert.deepEqual(compiled.rules.map((r) => r.id).sort(), folders.map((f) => String(f.definition.id)).sort());
  });

  it('compiled the literal options the engine would derive for every regex matcher', () => {
    const compiled = parseCompiledRules(JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rules.json'), 'utf8')) as unknown);
    const regexMatchers = compiled.rules.flatMap((rule) => rule.match).filter((matcher) => matcher.kind === 'regex');
    assert.ok(regexMatchers.filter((matcher) => matcher.literalOptions).length > regexMatchers.length * 0.9);
    for (const matcher of regexMatchers) {
      assert.deepEqual(matcher.literalOptions, requiredLiteralOptions(matcher.pattern, matcher.flags ?? '') ?? null, matcher.pattern.slice(0, 80));
    }
  });

  it('compiled the literal options the engine would derive for every tree-sitter trigger', () => {
    const compiled = parseCompiledRules(JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rules.json'), 'utf8')) as unknown);
    const queryMatchers = compiled.rules.flatMap((rule) => rule.match).filter((matcher) => matcher.kind === 'tree-sitter');
    assert.ok(queryMatchers.filter((matcher) => matcher.triggerLiteralOptions).length > queryMatchers.length * 0.9);
    for (const matcher of queryMatchers) {
      assert.deepEqual(matcher.triggerLiteralOptions, requiredLiteralOptions(matcher.trigger, '') ?? null, matcher.trigger.slice(0, 80));
    }
  });

  it('refuses compiled rules whose trigger literal options are malformed', () => {
    const withOptions = (triggerLiteralOptions: unknown): unknown => ({
      version: '0',
      rules: [{ id: 'SKL000', name: 'x', match: [{ kind: 'tree-sitter', languages: ['python'], query: '(call) @c', trigger: 'a', triggerLiteralOptions }] }],
    });
    assert.doesNotThrow(() => parseCompiledRules(withOptions([[['a']]])));
    assert.doesNotThrow(() => parseCompiledRules(withOptions(null)));
    assert.throws(() => parseCompiledRules(withOptions([['a']])), /malformed triggerLiteralOptions/);
  });

  it('refuses compiled rules whose literal options are malformed', () => {
    const withOptions = (literalOptions: unknown): unknown => ({
      version: '0',
      rules: [{ id: 'SKL000', name: 'x', match: [{ kind: 'regex', target: 'markdown:prose', pattern: 'a', literalOptions }] }],
    });
    assert.doesNotThrow(() => parseCompiledRules(withOptions([[['a', 'b'], ['c']]])));
    assert.doesNotThrow(() => parseCompiledRules(withOptions(null)));
    assert.throws(() => parseCompiledRules(withOptions([['a']])), /malformed literalOptions/);
    assert.throws(() => parseCompiledRules(withOptions('a')), /malformed literalOptions/);
  });

  it('refuses compiled rules whose speed prefilters are malformed', () => {
    const withTable = (speedPrefilters: unknown): unknown => ({ version: '0', rules: [], speedPrefilters });
    assert.doesNotThrow(() => parseCompiledRules(withTable({ '\u0000a': [['a']], 'i\u0000b': null })));
    assert.throws(() => parseCompiledRules(withTable({ '\u0000a': ['a'] })), /malformed speedPrefilters/);
    assert.throws(() => parseCompiledRules(withTable([['a']])), /malformed speedPrefilters/);
  });

  it('refuses compiled rules whose classifier cues are malformed', () => {
    const withTable = (classifierCues: unknown): unknown => ({ version: '0', rules: [], classifierCues });
    assert.doesNotThrow(() => parseCompiledRules(withTable({ 'i\u0000send': [[['send']]], '\u0000x': null })));
    assert.throws(() => parseCompiledRules(withTable({ 'i\u0000send': [['send']] })), /malformed classifierCues/);
    assert.throws(() => parseCompiledRules(withTable({ 'i\u0000send': 'send' })), /malformed classifierCues/);
    assert.throws(() => parseCompiledRules(withTable([[[['send']]]])), /malformed classifierCues/);
  });
  it('refuses compiled rules whose declared purpose is malformed', () => {
    const withPurpose = (declaredPurpose: unknown): unknown => ({
      version: '0',
      rules: [{ id: 'SKL000', name: 'x', declaredPurpose, match: [{ kind: 'regex', target: 'markdown:prose', pattern: 'a' }] }],
    });
    assert.doesNotThrow(() => parseCompiledRules(withPurpose({ description: 'dotfiles', severity: 'medium' })));
    assert.throws(() => parseCompiledRules(withPurpose({ description: 'dotfiles', severity: 'urgent' })), /malformed declaredPurpose/);
    assert.throws(() => parseCompiledRules(withPurpose({ severity: 'medium' })), /malformed declaredPurpose/);
  });

  const validate = new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(fs.readFileSync(path.join(RULES_DIR, 'rule.schema.json'), 'utf8')) as object,
  );

  for (const folder of folders) {
    const id = String(folder.definition.id);
    describe(`${id} ${String(folder.definition.name)}`, () => {
      it('validates against rule.schema.json', () => {
        assert.ok(validate(folder.definition), JSON.stringify(validate.errors));
      });

      it('lives in <category>/<id>-<slug>', () => {
        assert.equal(folder.folderName, `${id}-${String(folder.definition.name)}`);
        assert.equal(folder.category, folder.definition.category);
        const hundreds: Record<string, string> = {
          frontmatter: '1', permissions: '2', instructions: '3', execution: '4', network: '5',
          credentials: '6', system: '7', obfuscation: '8', analysis: '9',
        };
        assert.equal(id[3], hundreds[folder.category], 'the hundreds digit must match the category');
      });

      it('has messages that are sentences without the rule id', () => {
        const messages = [folder.definition.message, ...matchersOf(folder.definition).map((m) => m.message)].filter(
          (m): m is string => typeof m === 'string',
        );
        for (const message of messages) {
          assert.match(message, /[.!?]['`"]?$/, `message should end with a period: ${message}`);
          assert.doesNotMatch(message, /SKL\d{3}/);
        }
      });

      it('uses only regexes that are safe from catastrophic backtracking', function () {
        this.timeout(120_000);
        for (const { where, pattern, flags } of regexesOf(folder.definition)) {
          assert.doesNotThrow(() => new RegExp(pattern, flags), where);
          const result = regexVerdict(pattern, flags.replace(/[gd]/g, ''));
          if (result.status === 'vulnerable') {
            // Exponential backtracking is never acceptable. recheck also calls bounded gaps such as
            // `curl[^|\n]{1,300}\|` polynomial; those are fine if its own attack string, scaled to
            // a realistic file size, still runs fast.
            assert.notEqual(result.complexity.type, 'exponential', `${where} is exponential: /${pattern}/`);
            assertFastOnAttack(pattern, flags, result.attack, where);
          }
          if (result.status === 'unknown') assertFastOnAdversarialInput(pattern, flags, where);
        }
      });

      it('has a documentation page with the required sections and a header matching rule.yaml', () => {
        const readmePath = path.join(folder.dir, 'README.md');
        assert.ok(fs.existsSync(readmePath), 'README.md missing');
        const readme = fs.readFileSync(readmePath, 'utf8');
        const lines = readme.split('\n');
        assert.equal(lines[0], `# ${id} · ${String(folder.definition.name)}`);
        assert.equal(lines[2], headerLine(folder.definition));
        let last = -1;
        for (const heading of REQUIRED_HEADINGS) {
          const at = lines.indexOf(heading);
          assert.ok(at > last, `${heading} missing or out of order`);
          last = at;
        }
        assert.doesNotMatch(readme, /\bTODO\b/);
      });

      it('has tests with valid and invalid cases', () => {
        const tests = readRuleTests(folder.dir);
        assert.ok(tests.valid.length > 0);
        // Editor-reported rules fire only in the language server; their firing cases are unit tests there.
        if (!isEditorReported(folder.dir)) assert.ok(tests.invalid.length > 0);
      });

      // Findings the engine or the loader reports about the analysis itself (a budget that ran out,
      // a binary file) cannot be written as a Markdown example; their tests.yaml covers them.
      const engineReported = (folder.definition.tags as string[]).some((tag) => tag === 'engine-reported' || tag === 'loader-reported' || tag === 'editor-reported');
      (engineReported ? it.skip : it)('documents an example that fires and alternatives that do not', async () => {
        const engine = await getEngine();
        const readme = fs.readFileSync(path.join(folder.dir, 'README.md'), 'utf8');
        const [example, ...companions] = sectionBlocks(readme, '## Example');
        assert.ok(example, 'no fenced example under ## Example');
        // Cross-file rules document the other files of the example as further `path=` blocks.
        const companionFiles = companions.filter((block) => /\spath=/.test(` ${block.info}`)).map(exampleFiles);
        const fired = engine.scan(bundleOnDisk(Object.assign(exampleFiles(example), ...companionFiles)), { onlyRules: [id] }).findings;
        assert.ok(fired.length > 0, `the ## Example block does not trigger ${id}`);
        const alternatives = sectionBlocks(readme, '## Use instead');
        assert.ok(alternatives.length > 0, 'no fenced block under ## Use instead');
        for (const block of alternatives) {
          const quiet = engine.scan(bundleOnDisk(exampleFiles(block)), { onlyRules: [id] }).findings;
          assert.deepEqual(quiet.map((f) => `${f.file}:${f.span.line} ${f.message}`), [], 'a ## Use instead block triggers the rule');
        }
      });
    });
  }
});

describe('tree-sitter queries (meta)', () => {
  const grammars: Record<string, string> = {
    python: 'tree-sitter-python.wasm',
    bash: 'tree-sitter-bash.wasm',
    javascript: 'tree-sitter-javascript.wasm',
    typescript: 'tree-sitter-typescript.wasm',
    powershell: 'tree-sitter-powershell.wasm',
  };
  it('every query compiles for every language it names', async () => {
    await Parser.init({ locateFile: (file: string) => path.join(DIST_DIR, file) });
    const languages = new Map<string, Language>();
    for (const [name, file] of Object.entries(grammars)) languages.set(name, await Language.load(path.join(DIST_DIR, file)));
    const failures: string[] = [];
    for (const folder of folders) {
      matchersOf(folder.definition).forEach((matcher, index) => {
        if (matcher.kind !== 'tree-sitter') return;
        for (const language of matcher.languages) {
          try {
            new Query(languages.get(language) as Language, matcher.query).delete();
          } catch (error) {
            failures.push(`${String(folder.definition.id)} match[${index}] ${language}: ${String(error)}`);
          }
        }
      });
    }
    assert.deepEqual(failures, []);
  });
});

describe('README rule table (meta)', () => {
  it('lists exactly the rules in the registry', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- rules:start -->');
    const end = readme.indexOf('<!-- rules:end -->');
    assert.ok(start !== -1 && end > start, 'README.md lacks the generated rule table markers');
    const table = readme.slice(start, end);
    const listed = [...table.matchAll(/^\| \[(SKL\d{3})\]/gm)].map((m) => m[1]);
    assert.deepEqual(listed, folders.map((f) => String(f.definition.id)).sort(), 'run `npm run docs:rules` to regenerate the table');
  });
});
