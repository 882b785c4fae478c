import { COMMON_NAME_WORDS, POPULAR_PACKAGES, POPULAR_SCOPES, POPULAR_SKILLS, REAL_WORD_NEIGHBOURS } from '../data/popular-packages';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { FileModel } from '../skill-model';

/**
 * Names one typing slip away from a widely used package, npm scope or shared skill: two letters
 * swapped, a letter doubled or an inner letter dropped (`reqeusts`, `@modelcontextprotocl/…`). Installing or importing
 * such a name runs whatever its publisher wrote; naming a skill that way borrows a trusted name.
 *
 * Where names are read: `pip`/`uv`/`poetry`/`npm`/`pnpm`/`yarn`/`bun` install commands and
 * `npx`/`bunx`/`uvx`/`pipx run` in code units and inline code, the frontmatter `dependencies`
 * list, `requirements*.txt`, `package.json` dependency keys, `pyproject.toml` dependency and
 * `requires` lists, Python imports and JS `require`/`import` specifiers, and the skill's own `name`.
 * A word of a package name that slips on a common ecosystem word (`packageurl-pyhton`) counts too.
 */

const MIN_LENGTH = 5;
/** Tokens of a skill name are ordinary words more often than package names; demand more. */
const MIN_SKILL_TOKEN_LENGTH = 6;
const MAX_NAMES_PER_FILE = 400;

const normalise = (name: string): string => name.toLowerCase().replace(/[_.]+/g, '-');

const PACKAGES = new Set(POPULAR_PACKAGES.map(normalise));
const SCOPES = new Set(POPULAR_SCOPES);

/** A package on the popular list (names compared with `_` and `.` read as `-`). */
export function isPopularPackage(name: string): boolean {
  return PACKAGES.has(normalise(name));
}
const SKILLS = new Set(POPULAR_SKILLS);
const COMPACT_KNOWN = new Set([...PACKAGES, ...SCOPES, ...SKILLS].map((name) => name.replace(/-/g, '')));
const NAME_WORDS = new Set(COMMON_NAME_WORDS);
/** A name word this short is compared with the common words of tool names (`confg`). */
const MIN_NAME_WORD_LENGTH = 5;

/**
 * How `name` differs from `target` when it is a typing slip or a look-alike: two neighbours
 * swapped (`reqeusts`), a letter doubled (`expresss`), an inner letter dropped (`reqests`), or one
 * character replaced by one that looks the same (`0` for `o`, `l` for `i`). Other changed or
 * added letters are not counted: ordinary words and real packages differ from popular names that
 * way all the time (`server`/`semver`, `simpy`/`sympy`, `array`/`xarray`), while squatters favour
 * the slips a typist makes.
 */
export function typingSlip(name: string, target: string): 'swapped' | 'doubled' | 'dropped' | 'look-alike' | undefined {
  if (name === target) return undefined;
  if (name.length === target.length) {
    let first = -1;
    let differences = 0;
    for (let i = 0; i < name.length; i++) {
      if (name[i] !== target[i]) {
        if (++differences > 2) return undefined;
        if (first === -1) first = i;
      }
    }
    const swapped = differences === 2 && name[first] === target[first + 1] && name[first + 1] === target[first];
    if (swapped) return 'swapped';
    // One character replaced by one that looks the same (`@anthr0pic-ai`, `@openal`).
    return differences === 1 && looksAlike(name[first] ?? '', target[first] ?? '') ? 'look-alike' : undefined;
  }
  if (name.length === target.length + 1) {
    let i = 0;
    while (i < target.length && name[i] === target[i]) i++;
    // The extra letter repeats a neighbour and the rest is unchanged.
    const doubled = name.slice(i + 1) === target.slice(i) && (name[i] === name[i - 1] || name[i] === name[i + 1]);
    return doubled ? 'doubled' : undefined;
  }
  if (name.length + 1 === target.length) {
    let i = 0;
    while (i < name.length && name[i] === target[i]) i++;
    // Neither the first letter nor the last (`dataset` for `datasets` is a word, not a slip).
    const dropped = i > 0 && i < name.length && name.slice(i) === target.slice(i + 1);
    return dropped ? 'dropped' : undefined;
  }
  return undefined;
}

/** Characters that read the same at a glance in most fonts. */
const LOOK_ALIKES: readonly (readonly [string, string])[] = [['0', 'o'], ['1', 'l'], ['1', 'i'], ['l', 'i'], ['5', 's'], ['3', 'e']];

function looksAlike(a: string, b: string): boolean {
  return LOOK_ALIKES.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

/** Separators do not make a different package (`LlamaIndex`, `llama_index`, `llama-index`). */
const compact = (name: string): string => name.replace(/-/g, '');

function imitated(name: string, known: ReadonlySet<string>, minLength: number): string | undefined {
  if (name.length < minLength || known.has(name) || COMPACT_KNOWN.has(compact(name))) return undefined;
  for (const candidate of known) {
    if (candidate.length >= minLength && typingSlip(compact(name), compact(candidate))) return candidate;
  }
  return undefined;
}

export interface NameReference {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly how: string;
  /** For a name an install or run command fetches: the command's arguments, flags included. */
  readonly command?: string;
}

/** The package-name part of an install argument: drops extras, versions and markers. */
function packageName(argument: string): { name: string; length: number } | undefined {
  const match = /^(@[a-z0-9][\w.-]{0,100}\/[a-z0-9][\w.-]{0,100}|[a-z0-9][\w.-]{0,100})/i.exec(argument);
  if (!match?.[1]) return undefined;
  let name = match[1];
  // `pkg.js` style names keep their dot; a trailing dot from prose does not belong to the name.
  name = name.replace(/\.+$/, '');
  return { name, length: name.length };
}

/** Names already compared with the popular ones: the comparison is the costly part, and names repeat. */
const imitatedTargets = new Map<string, string | null>();
const MAX_REMEMBERED_NAMES = 10_000;

/** Words package names are built from in each ecosystem: `packageurl-pyhton` slips on `python`. */
const ECOSYSTEM_WORDS: readonly string[] = ['python', 'django', 'flask', 'pytest', 'sphinx', 'jupyter', 'react', 'eslint', 'webpack', 'typescript', 'express', 'plugin', 'utils'];

/**
 * `name` with its first word that is one typing slip from one of `words` put right
 * (`packageurl-pyhton` → `packageurl-python`); `known` says which words are spelled as meant.
 */
function wordSlipCorrected(name: string, words: readonly string[], minLength: number, known: (word: string) => boolean): string | undefined {
  const parts = name.split(/([-_.\s]+)/);
  for (let i = 0; i < parts.length; i += 2) {
    const part = parts[i] ?? '';
    if (part.length < minLength || known(part)) continue;
    const right = words.find((word) => typingSlip(part, word) !== undefined);
    if (right) return parts.map((other, j) => (j === i ? right : other)).join('');
  }
  return undefined;
}

/** The popular package (or scope) a lower-cased name imitates, if any. */
function imitatedTarget(raw: string): string | undefined {
  let target = imitatedTargets.get(raw);
  if (target === undefined) {
    if (raw.startsWith('@')) {
      const slash = raw.indexOf('/');
      const scopeTarget = imitated(raw.slice(1, slash), SCOPES, MIN_LENGTH);
      target = scopeTarget ? `@${scopeTarget}/${raw.slice(slash + 1)}` : null;
    } else {
      const name = normalise(raw);
      target = imitated(name, PACKAGES, MIN_LENGTH) ?? wordSlipCorrected(name, ECOSYSTEM_WORDS, MIN_LENGTH, (word) => ECOSYSTEM_WORDS.includes(word)) ?? null;
    }
    if (imitatedTargets.size >= MAX_REMEMBERED_NAMES) imitatedTargets.clear();
    imitatedTargets.set(raw, target);
  }
  return target ?? undefined;
}

function judgeName(reference: NameReference): RawFinding | undefined {
  const target = imitatedTarget(reference.name.toLowerCase());
  if (!target) return undefined;
  return {
    file: reference.file,
    start: reference.start,
    end: reference.end,
    captures: { name: reference.name, target, how: reference.how },
  };
}

const INSTALL_COMMAND =
  /\b(?:(?:pip3?|pipx|uv(?:[ \t]+pip)?|poetry|conda|mamba)[ \t]+(?:install|add)|(?:npm|pnpm)[ \t]+(?:install|i|add)|(?:yarn|bun)[ \t]+add|(?:npx|bunx|uvx|pnpx)|pipx[ \t]+run)\b([^\n;&|`)]{0,400})/g;

/** Flags of install commands that take a value, which is never a package name. */
const FLAGS_WITH_VALUE = /^(?:-r|-c|-e|-i|-t|--requirement|--constraint|--editable|--index-url|--extra-index-url|--target|--prefix|--root|--python|--registry|--cache|-p|--package|--channel)$/;

/** Package names that install and run commands in `text` fetch (`offset`: where `text` starts in `file`). */
function namesInCommands(file: FileModel, text: string, offset: number, out: NameReference[]): void {
  INSTALL_COMMAND.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = INSTALL_COMMAND.exec(text)) !== null && out.length < MAX_NAMES_PER_FILE) {
    const argumentsText = match[1] ?? '';
    let cursor = match.index + match[0].length - argumentsText.length;
    let skipNext = false;
    for (const word of argumentsText.split(/([ \t]+)/)) {
      const at = cursor;
      cursor += word.length;
      if (word === '' || /^[ \t]+$/.test(word)) continue;
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (word.startsWith('-')) {
        skipNext = FLAGS_WITH_VALUE.test(word);
        continue;
      }
      if (/^[./~$<{]|:\/\/|^git\+|\.(?:whl|tar\.gz|zip|tgz)$/i.test(word)) continue;
      const unquoted = word.replace(/^["']/, '');
      const name = packageName(unquoted);
      if (!name) continue;
      const start = offset + at + (word.length - unquoted.length);
      out.push({ file: file.path, start, end: start + name.length, name: name.name, how: 'installed', command: match[0] });
    }
  }
}

const PYTHON_IMPORT = /^[ \t]*(?:from[ \t]+([A-Za-z_]\w{0,80})[\w.]{0,200}[ \t]+import\b|import[ \t]+([A-Za-z_]\w{0,80}))/gm;
const JS_IMPORT = /\b(?:require|import)\s*\(\s*['"]([^'"./][^'"]{0,200})['"]|\bfrom\s+['"]([^'"./][^'"]{0,200})['"]/g;

function namesInImports(file: FileModel, text: string, offset: number, language: string, out: NameReference[]): void {
  const pattern = language === 'python' ? PYTHON_IMPORT : language === 'javascript' || language === 'typescript' ? JS_IMPORT : undefined;
  if (!pattern) return;
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null && out.length < MAX_NAMES_PER_FILE) {
    const specifier = match[1] ?? match[2];
    if (!specifier) continue;
    const name = packageName(specifier);
    if (!name) continue;
    const start = offset + match.index + match[0].lastIndexOf(specifier);
    out.push({ file: file.path, start, end: start + name.length, name: name.name, how: 'imported' });
  }
}

function namesInManifests(file: FileModel, out: NameReference[]): void {
  const base = file.path.slice(file.path.lastIndexOf('/') + 1).toLowerCase();
  if (/^requirements[\w.-]{0,40}\.(?:txt|in)$/.test(base)) {
    const line = /^[ \t]*([A-Za-z0-9][\w.-]{0,100})/gm;
    let match: RegExpExecArray | null;
    while ((match = line.exec(file.text)) !== null && out.length < MAX_NAMES_PER_FILE) {
      const name = match[1] as string;
      const start = match.index + match[0].length - name.length;
      out.push({ file: file.path, start, end: start + name.length, name, how: 'required' });
    }
  } else if (base === 'package.json') {
    const dependencies = /"(?:dependencies|devDependencies|optionalDependencies|peerDependencies)"\s*:\s*\{([^}]{0,20000})\}/g;
    let block: RegExpExecArray | null;
    while ((block = dependencies.exec(file.text)) !== null) {
      const body = block[1] ?? '';
      const bodyStart = block.index + block[0].length - body.length - 1;
      const key = /"((?:@[\w.-]{1,100}\/)?[\w.-]{1,100})"\s*:/g;
      let entry: RegExpExecArray | null;
      while ((entry = key.exec(body)) !== null && out.length < MAX_NAMES_PER_FILE) {
        const name = entry[1] as string;
        const start = bodyStart + entry.index + 1;
        out.push({ file: file.path, start, end: start + name.length, name, how: 'declared as a dependency' });
      }
    }
  } else if (base === 'pyproject.toml') {
    // `dependencies = ["packageurl-python>=0.15", …]`, and the build system's `requires`.
    const lists = /^[ \t]*(?:dependencies|requires|dev-dependencies)[ \t]*=[ \t]*\[([^\]]{0,20000})\]/gm;
    let block: RegExpExecArray | null;
    while ((block = lists.exec(file.text)) !== null) {
      const body = block[1] ?? '';
      const bodyStart = block.index + block[0].length - body.length - 1;
      const entry = /["']([A-Za-z0-9][\w.-]{0,100})/g;
      let found: RegExpExecArray | null;
      while ((found = entry.exec(body)) !== null && out.length < MAX_NAMES_PER_FILE) {
        const name = found[1] as string;
        const start = bodyStart + found.index + 1;
        out.push({ file: file.path, start, end: start + name.length, name, how: 'declared as a dependency' });
      }
    }
  }
}

function namesInFrontmatter(context: MatchContext, out: NameReference[]): void {
  const skillMd = context.model.skillMd;
  const field = skillMd?.frontmatter?.fields.get('dependencies');
  if (!skillMd || !field) return;
  const values = Array.isArray(field.value) ? field.value : typeof field.value === 'string' ? field.value.split(/[\s,]+/) : [];
  let searchFrom = field.valueStart;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const name = packageName(value.trim());
    if (!name) continue;
    const start = skillMd.text.indexOf(name.name, searchFrom);
    if (start === -1 || start > field.valueEnd) continue;
    searchFrom = start + name.length;
    out.push({ file: skillMd.path, start, end: start + name.length, name: name.name, how: 'declared as a dependency' });
  }
}

/** Package names the skill declares as dependencies: in the frontmatter and in bundled manifests. */
export function declaredNames(context: MatchContext): NameReference[] {
  const references: NameReference[] = [];
  namesInFrontmatter(context, references);
  for (const file of context.model.files) namesInManifests(file, references);
  return references;
}

/** The package names the skill's install and run commands fetch, in code units and inline code. */
export function installedNames(context: MatchContext): NameReference[] {
  const references: NameReference[] = [];
  for (const unit of context.model.units) {
    if (Date.now() > context.deadline) break;
    namesInCommands(unit.file, unit.text, unit.start, references);
  }
  for (const file of context.model.files) {
    for (const code of file.markdown?.inlineCode ?? []) {
      namesInCommands(file, file.text.slice(code.contentStart, code.contentEnd), code.contentStart, references);
    }
  }
  return references;
}

export function packageTyposquat(context: MatchContext): RawFinding[] {
  const references: NameReference[] = [];
  namesInFrontmatter(context, references);
  references.push(...installedNames(context));
  for (const unit of context.model.units) {
    if (Date.now() > context.deadline) break;
    namesInImports(unit.file, unit.text, unit.start, unit.language, references);
  }
  for (const file of context.model.files) namesInManifests(file, references);
  const findings: RawFinding[] = [];
  const seen = new Set<string>();
  for (const reference of references) {
    const key = `${reference.file}:${reference.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const finding = judgeName(reference);
    if (finding) findings.push(finding);
  }
  return findings;
}

/**
 * The skill's own name imitating a widely used package or shared skill, or misspelling the common
 * word a user would search for (`json-parsre` for `json-parser`).
 */
export function skillNameTyposquat(context: MatchContext): RawFinding[] {
  const skillMd = context.model.skillMd;
  const field = skillMd?.frontmatter?.fields.get('name');
  if (!skillMd || !field || typeof field.value !== 'string') return [];
  const name = field.value.toLowerCase();
  const target = imitated(name, SKILLS, MIN_SKILL_TOKEN_LENGTH) ?? imitatedWord(name);
  if (!target) return [];
  return [{ file: skillMd.path, start: field.valueStart, end: field.valueEnd, captures: { name: field.value, target } }];
}

/** The package a word of the name imitates, or else the name with its misspelled common word put right. */
function imitatedWord(name: string): string | undefined {
  for (const token of name.split(/[-_.\s]+/)) {
    const target = imitated(token, PACKAGES, MIN_SKILL_TOKEN_LENGTH);
    if (target) return target;
  }
  return wordSlipCorrected(name, COMMON_NAME_WORDS, MIN_NAME_WORD_LENGTH, isSpelledAsMeant);
}

/** A word of a skill's name that is a tool word, an English word near one, or a package. */
function isSpelledAsMeant(word: string): boolean {
  return NAME_WORDS.has(word) || REAL_WORD_NEIGHBOURS.includes(word) || PACKAGES.has(word) || COMPACT_KNOWN.has(word);
}
