import type { MatchContext, RawFinding } from '../matchers/types';
import type { FileModel } from '../skill-model';
import type { CheckOptions } from './index';

/**
 * What a package manager does with the manifests a skill bundles, without any script saying so:
 * `pip install -r requirements.txt` installs every line, and `npm install` installs every
 * dependency and runs the package's install-time lifecycle scripts. The manifests are read as
 * text (line by line, or key by key for `package.json`), so positions are exact and a manifest
 * that does not parse is still read.
 */

const REQUIREMENTS_FILE = /(?:^|\/)(?:requirements|constraints)[\w.-]{0,40}\.(?:txt|in)$/i;
const PACKAGE_JSON = /(?:^|\/)package\.json$/;
const MAX_MANIFEST_CHARS = 500_000;
const MAX_FINDINGS_PER_FILE = 20;
/** Candidate keys looked at per manifest; each costs a walk back to its enclosing object. */
const MAX_CANDIDATES_PER_FILE = 200;
const MAX_WALK_BACK = 20_000;

/** Indexes whose packages are the public registries themselves. */
const OFFICIAL_INDEX = /^https:\/\/(?:pypi\.org\/simple|files\.pythonhosted\.org|download\.pytorch\.org\/whl|pypi\.nvidia\.com|data\.pyg\.org|registry\.npmjs\.org|registry\.yarnpkg\.com)\b/;
/** A git source pinned to a full commit: reproducible, reported by SKL507 elsewhere at medium at most. */
const COMMIT_PINNED = /[@#][0-9a-f]{40}\b/;
const REQUIREMENT_SOURCE = /^[ \t]*(?:[\w.[\]-]{1,100}[ \t]*@[ \t]*)?(?<source>git\+(?:https?|ssh|git):\/\/\S{1,300}|https?:\/\/\S{1,300}\.(?:whl|tar\.gz|tgz|zip|tar\.bz2)\b\S{0,100})/gm;
const REQUIREMENT_INDEX = /^[ \t]*(?<flag>--extra-index-url|--index-url|-i|--find-links|-f)(?:[ \t]+|=)(?<source>(?:https?|file):\/\/\S{1,300})/gm;

/** SKL507 for the lines of a bundled requirements file: sources outside the package registry. */
export function requirementsFileSources(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of manifests(context, REQUIREMENTS_FILE)) {
    const found: RawFinding[] = [];
    for (const match of file.text.matchAll(REQUIREMENT_SOURCE)) {
      const source = match.groups?.['source'] ?? '';
      if (COMMIT_PINNED.test(source)) continue;
      found.push(at(file, match.index + match[0].length - source.length, source, { tool: `pip install -r ${file.path}`, source }));
    }
    for (const match of file.text.matchAll(REQUIREMENT_INDEX)) {
      const source = match.groups?.['source'] ?? '';
      if (OFFICIAL_INDEX.test(source)) continue;
      found.push({
        ...at(file, match.index + match[0].length - source.length, source, { tool: `pip install -r ${file.path}`, source }),
        message: `\`pip install -r ${file.path}\` installs packages from \`${source}\` (\`${match.groups?.['flag'] ?? ''}\`), an index other than the public registry; a package there can shadow a public one (dependency confusion).`,
      });
    }
    findings.push(...found.sort((a, b) => a.start - b.start).slice(0, MAX_FINDINGS_PER_FILE));
  }
  return findings;
}

const PYPROJECT = /(?:^|\/)pyproject\.toml$/;
/**
 * A dependency of a `pyproject.toml` fetched from outside the registry: a PEP 508 direct reference
 * in `[build-system] requires` or `[project] dependencies` (`"name @ https://…"`), or Poetry's
 * `{ git = "…" }` and `{ url = "…" }`. Building or installing the project fetches it.
 */
const PYPROJECT_SOURCE =
  /["'][ \t]*[\w.-]{1,100}(?:\[[\w.,\s-]{0,100}\])?[ \t]*@[ \t]*(?<source>git\+(?:https?|ssh|git):\/\/[^"'\s]{1,300}|https?:\/\/[^"'\s]{1,300}\.(?:whl|tar\.gz|tgz|zip|tar\.bz2)\b[^"'\s]{0,100})|\b(?:git|url)[ \t]*=[ \t]*["'](?<poetry>(?:https?|ssh|git):\/\/[^"'\s]{1,300})/g;

/** SKL507 for the dependencies and build requirements of a bundled `pyproject.toml`. */
export function pyprojectSources(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of manifests(context, PYPROJECT)) {
    const found: RawFinding[] = [];
    for (const match of file.text.matchAll(PYPROJECT_SOURCE)) {
      const source = match.groups?.['source'] ?? match.groups?.['poetry'] ?? '';
      if (COMMIT_PINNED.test(source)) continue;
      const start = match.index + match[0].length - source.length;
      found.push(at(file, start, source, { tool: `pip install ${file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '.'}`, source }));
    }
    findings.push(...found.slice(0, MAX_FINDINGS_PER_FILE));
  }
  return findings;
}

/** A dependency whose version is a URL, a git repository or a GitHub shorthand. */
const DEPENDENCY_SOURCE = /"(?<name>@?[\w.-]{1,100}(?:\/[\w.-]{1,100})?)"[ \t]*:[ \t]*"(?<source>(?:git\+(?:https?|ssh|git|file)|git|https?|ssh|file):\/\/[^"\s]{1,300}|(?:github|gitlab|bitbucket):[^"\s]{1,200}|[\w-]{1,40}\/[\w.-]{1,100}(?:#[^"\s]{1,80})?)"/g;

/** SKL507 for the dependencies of a bundled `package.json`. */
export function packageJsonSources(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of manifests(context, PACKAGE_JSON)) {
    // `"repository": "owner/repo"`, `"main": "dist/index.js"` and the like are not dependencies.
    const sources = keyMatches(file.text, DEPENDENCY_SOURCE, (key, match) => {
      const source = match.groups?.['source'] ?? '';
      return /dependencies$/i.test(key ?? '') && !COMMIT_PINNED.test(source) && !/^file:\/\//.test(source);
    });
    for (const match of sources) {
      const source = match.groups?.['source'] ?? '';
      findings.push(at(file, match.index + match[0].length - 1 - source.length, source, { tool: 'npm install', source: `${match.groups?.['name'] ?? ''}@${source}` }));
    }
  }
  return findings;
}

const LIFECYCLE_SCRIPT = /"(?<hook>preinstall|install|postinstall|prepare|preprepare|postprepare)"[ \t]*:[ \t]*"(?<command>(?:[^"\\\n]|\\.){1,4000})"/g;
/** What makes an install hook fetch or run code that is not in the package. */
const REMOTE_OR_EVALUATED = /\b(?:curl|wget|iwr|Invoke-WebRequest|Invoke-Expression|iex)\b|https?:\/\/|\brequire\(\s*\\?["'](?:node:)?(?:https?|net|child_process)\\?["']\s*\)|\beval\b|\bnew\s+Function\b|\bbase64\b|\b(?:node|python[0-9.]*|perl|ruby)\s+-(?:e|c|-eval)\b|\|\s*(?:ba|z)?sh\b/i;

/**
 * SKL519: the install-time lifecycle scripts of a bundled `package.json`. `npm install` runs
 * them with the user's permissions before anyone reads them; one that downloads, decodes or
 * evaluates code is high, any other is low (builds such as `node-gyp rebuild` run here too).
 */
export function packageInstallHook(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of manifests(context, PACKAGE_JSON)) {
    for (const match of keyMatches(file.text, LIFECYCLE_SCRIPT, (key) => key === 'scripts')) {
      const hook = match.groups?.['hook'] ?? '';
      const command = match.groups?.['command'] ?? '';
      const remote = REMOTE_OR_EVALUATED.test(command);
      findings.push({
        ...at(file, match.index, match[0], { hook, command: command.length > 100 ? `${command.slice(0, 99)}…` : command }),
        severity: remote ? 'high' : 'low',
        ...(remote ? {} : { message: `\`npm install\` runs the \`${hook}\` script of \`${file.path}\` automatically; check what \`${command.length > 60 ? `${command.slice(0, 59)}…` : command}\` does.` }),
      });
    }
  }
  return findings;
}

function manifests(context: MatchContext, name: RegExp): FileModel[] {
  return context.model.files.filter((file) => name.test(file.path) && file.text.length <= MAX_MANIFEST_CHARS);
}

function at(file: FileModel, start: number, text: string, captures: Record<string, string>): RawFinding {
  return { file: file.path, start, end: start + text.length, captures };
}

/**
 * The matches of `pattern` in a manifest that `accept` keeps, given the key of the object each
 * sits in; at most MAX_CANDIDATES_PER_FILE are looked at and MAX_FINDINGS_PER_FILE kept.
 */
function keyMatches(text: string, pattern: RegExp, accept: (key: string | undefined, match: RegExpMatchArray) => boolean): (RegExpMatchArray & { index: number })[] {
  const kept: (RegExpMatchArray & { index: number })[] = [];
  let candidates = 0;
  for (const match of text.matchAll(pattern)) {
    if (++candidates > MAX_CANDIDATES_PER_FILE || kept.length >= MAX_FINDINGS_PER_FILE) break;
    if (accept(enclosingKey(text, match.index), match)) kept.push(match);
  }
  return kept;
}

/**
 * The key of the object that encloses offset `at`, found by walking back over balanced braces.
 * Strings are skipped, so braces inside values do not count. A key further back than
 * MAX_WALK_BACK characters is not looked for: real `scripts` and `dependencies` objects are small.
 */
function enclosingKey(text: string, at: number): string | undefined {
  let depth = 0;
  const stop = Math.max(0, at - MAX_WALK_BACK);
  for (let i = at - 1; i >= stop; i--) {
    const char = text[i];
    if (char === '"') {
      // Skip back over a string (values may hold braces).
      let j = i - 1;
      while (j >= stop && !(text[j] === '"' && text[j - 1] !== '\\')) j--;
      i = j;
      continue;
    }
    if (char === '}') depth++;
    else if (char === '{') {
      if (depth === 0) {
        const key = /"([^"\\]{1,100})"\s*:\s*$/.exec(text.slice(Math.max(0, i - 120), i));
        return key?.[1];
      }
      depth--;
    }
  }
  return undefined;
}
