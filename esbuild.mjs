// Build: bundles the CLI, the language server and the extension client, copies the tree-sitter wasm
// files next to the bundles, and compiles rules/**/rule.yaml into dist/rules.json after schema
// validation, so nothing parses YAML rules at run time and no rule sources or fixtures ship.
import * as esbuild from 'esbuild';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

export const REPOSITORY_URL = 'https://github.com/skill-sentinel/skill-sentinel';

function ruleFolders(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (existsSync(join(full, 'rule.yaml'))) found.push(full);
    else found.push(...ruleFolders(full));
  }
  return found.sort();
}

/** "## What it does" → first paragraph, for SARIF fullDescription and the README table. */
function summaryOf(readme) {
  const section = /^## What it does\s*\n+([\s\S]*?)(\n## |\n*$)/m.exec(readme);
  return (section?.[1] ?? '').trim().split(/\n\s*\n/)[0].replace(/\s+/g, ' ');
}

/**
 * The engine's `regex-prefilter` module, bundled from its TypeScript source, so that the literal
 * options and speed prefilters of every rule regex are derived once here rather than by each
 * engine as it starts.
 */
async function loadRegexPrefilterModule() {
  const bundled = await esbuild.build({
    entryPoints: [join(root, 'server/src/engine/regex-prefilter.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const code = bundled.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * The literal options of every pattern behind the instruction classifier's cue gate, by
 * `flags NUL source`, null for a pattern without any: derived here so that no engine parses the
 * classifier's patterns again as it starts (about 110 ms each time).
 */
async function classifierCueTable() {
  const bundled = await esbuild.build({
    stdin: {
      contents: "export { CUES } from './server/src/engine/instructions/classifier';\nexport { cueKey, cueOptions } from './server/src/engine/instructions/cues';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    // CommonJS, evaluated here: the classifier's modules reach `yaml`, whose CommonJS build
    // requires Node built-ins, which an ES module loaded from a data: URL cannot.
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', bundled.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  const { CUES, cueKey, cueOptions } = module.exports;
  const table = {};
  for (const pattern of CUES.cuedPatterns) table[cueKey(pattern)] ??= cueOptions(pattern) ?? null;
  return table;
}

function withLiteralOptions(matcher, requiredLiteralOptions) {
  // null: derived, and none found, so that no engine spends its start-up deriving them again.
  if (matcher.kind === 'regex') return { ...matcher, literalOptions: requiredLiteralOptions(matcher.pattern, matcher.flags ?? '') ?? null };
  // A trigger runs without flags (see speedPrefilterTable).
  if (matcher.kind === 'tree-sitter') return { ...matcher, triggerLiteralOptions: requiredLiteralOptions(matcher.trigger, '') ?? null };
  return matcher;
}

/** Keys whose string values are regexes: matchers, `where` constraints, checks' options. */
const PATTERN_KEYS = new Set(['pattern', 'regex', 'notRegex', 'trigger', 'requires', 'unlessLine', 'exclude', 'forbiddenPattern']);

/**
 * The prefilter literal sets of every regex the rules hold, by `flags NUL pattern` with the flags
 * the engine runs it with (its object's `flags`; none for a trigger), null when it has none.
 */
function speedPrefilterTable(rules, speedLiteralSets) {
  const table = {};
  const visit = (value, flags) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, flags);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const ownFlags = typeof value.flags === 'string' ? value.flags : flags;
    for (const [key, item] of Object.entries(value)) {
      if (PATTERN_KEYS.has(key) && typeof item === 'string') {
        const runFlags = key === 'trigger' ? '' : ownFlags;
        table[`${runFlags}\u0000${item}`] ??= speedLiteralSets(item, runFlags) ?? null;
      } else if (key !== 'literalOptions' && key !== 'triggerLiteralOptions') visit(item, ownFlags);
    }
  };
  for (const rule of rules) visit(rule.match, '');
  return table;
}

async function compileRules() {
  const { requiredLiteralOptions, speedLiteralSets } = await loadRegexPrefilterModule();
  const schema = JSON.parse(readFileSync(join(root, 'rules/rule.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const errors = [];
  const rules = [];
  for (const folder of ruleFolders(join(root, 'rules'))) {
    const where = relative(root, folder);
    let rule;
    try {
      rule = parseYaml(readFileSync(join(folder, 'rule.yaml'), 'utf8'));
    } catch (error) {
      errors.push(`${where}/rule.yaml: ${error.message}`);
      continue;
    }
    if (!validate(rule)) {
      for (const e of validate.errors ?? []) errors.push(`${where}/rule.yaml${e.instancePath}: ${e.message}`);
      continue;
    }
    if (basename(folder) !== `${rule.id}-${rule.name}`) errors.push(`${where}: folder must be named ${rule.id}-${rule.name}`);
    if (basename(dirname(folder)) !== rule.category) errors.push(`${where}: parent folder must be ${rule.category}`);
    const readmePath = join(folder, 'README.md');
    const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
    rules.push({
      ...rule,
      match: (Array.isArray(rule.match) ? rule.match : [rule.match]).map((matcher) => withLiteralOptions(matcher, requiredLiteralOptions)),
      docsUrl: `${REPOSITORY_URL}/blob/v${pkg.version}/rules/${rule.category}/${rule.id}-${rule.name}/README.md`,
      summary: summaryOf(readme),
    });
  }
  if (errors.length > 0) {
    console.error(`rules: ${errors.length} problem(s)\n  ${errors.join('\n  ')}`);
    process.exit(1);
  }
  rules.sort((a, b) => a.id.localeCompare(b.id));
  const speedPrefilters = speedPrefilterTable(rules, speedLiteralSets);
  const classifierCues = await classifierCueTable();
  writeFileSync(join(dist, 'rules.json'), JSON.stringify({ version: pkg.version, rules, speedPrefilters, classifierCues }));
  return rules.length;
}

function copyWasm() {
  const files = [
    'node_modules/web-tree-sitter/tree-sitter.wasm',
    'node_modules/tree-sitter-python/tree-sitter-python.wasm',
    'node_modules/tree-sitter-bash/tree-sitter-bash.wasm',
    'node_modules/tree-sitter-javascript/tree-sitter-javascript.wasm',
    'node_modules/tree-sitter-typescript/tree-sitter-typescript.wasm',
    'node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm',
  ];
  for (const file of files) copyFileSync(join(root, file), join(dist, basename(file)));
}

// web-tree-sitter's module reads import.meta.url; a CommonJS bundle has none, so derive it.
const importMetaBanner = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  banner: { js: importMetaBanner },
  define: { 'import.meta.url': '__importMetaUrl' },
};

mkdirSync(dist, { recursive: true });
const ruleCount = await compileRules();
copyWasm();
const shipped = [
  { in: 'server/src/cli/run.ts', out: 'cli' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'server/src/scan-worker.ts', out: 'scan-worker' },
].filter((entry) => existsSync(join(root, entry.in)));
const tools = [
  { in: 'test/bench/bench-detect.ts', out: 'bench-detect' },
  { in: 'test/bench/bench-speed.ts', out: 'bench-speed' },
  { in: 'test/bench/bench-profile.ts', out: 'bench-profile' },
  { in: 'test/bench/check-reuse.ts', out: 'check-reuse' },
].filter((entry) => existsSync(join(root, entry.in)));
// The server and the CLI bundle everything (the engine, web-tree-sitter, vscode-languageserver).
await esbuild.build({ ...common, entryPoints: shipped, outdir: dist, external: ['vscode'] });
// The benchmarks are never shipped, and bench:profile reports functions by name and source line:
// they keep both, even in a production build (which `npm test` makes when it packages the VSIX).
await esbuild.build({ ...common, minify: false, sourcemap: true, entryPoints: tools, outdir: dist, external: ['vscode'] });
const entryPoints = [...shipped, ...tools];
// The client runs in VS Code's extension host, which provides `vscode`; it never loads the engine.
const clientEntry = 'client/src/extension.ts';
const built = entryPoints.map((e) => e.out);
if (existsSync(join(root, clientEntry))) {
  await esbuild.build({
    ...common,
    banner: undefined,
    define: undefined,
    entryPoints: [{ in: clientEntry, out: 'client' }],
    outdir: dist,
    external: ['vscode'],
  });
  built.push('client');
}
console.log(`built ${built.join(', ')} and ${ruleCount} rules into dist/`);
