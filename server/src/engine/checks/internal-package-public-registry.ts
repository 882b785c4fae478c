import type { MatchContext, RawFinding } from '../matchers/types';
import type { FileModel } from '../skill-model';
import { declaredNames, installedNames, isPopularPackage, type NameReference } from './package-typosquat';

/**
 * Dependency confusion: the skill says a package is internal (from a private registry, feed or
 * index) and then fetches it by its bare name with npm, npx, pip, uv or pipx, which ask the public
 * registry. Anyone can publish that name there, and the resolver takes the public copy.
 *
 * A package counts as called internal when its name stands in a Markdown paragraph (or the
 * frontmatter) that says "internal registry", "private package", "in-house feed" and the like. A
 * command that names its own registry (`--registry`, `--index-url`/`-i`, uv's `--index`) does not
 * ask the public one, and an npm scope (`@corp/tool`) belongs to whoever owns the scope, so
 * neither is reported. `--extra-index-url` is no protection: pip takes the highest version from
 * every index, the public one included.
 */

const INTERNAL_CLAIM =
  /\b(?:internal|private|in-house|proprietary|corporate|company)[ \t]+(?:(?:npm|pypi|python|node|artifactory|nexus)[ \t]+)?(?:registry|registries|packages?|modules?|librar(?:y|ies)|feeds?|index|mirror)\b/gi;
/** Options that send the command to a registry the user chose instead of the public one. */
const OWN_REGISTRY = /(?:^|\s)(?:--registry|--index-url|-i|--index|--default-index)(?=[=\s]|$)/;
/** Package managers whose default source is a public registry anyone can publish to. */
const PUBLIC_FETCH = /^(?:pip3?|pipx|uv|uvx|poetry|npm|pnpm|yarn|bun|npx|bunx|pnpx)\b/;
const NAME_TOKEN = /[A-Za-z0-9][\w.-]{2,100}/g;
const MAX_PARAGRAPH = 2_000;
/** A file repeating the phrase thousands of times adds nothing after the first few hundred. */
const MAX_CLAIMS_PER_FILE = 200;

const normalise = (name: string): string => name.toLowerCase().replace(/[_.]+/g, '-');

interface Claim {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Names that stand in a paragraph calling something internal or private, with that claim. */
function claimedNames(files: readonly FileModel[]): Map<string, Claim> {
  const names = new Map<string, Claim>();
  for (const file of files) {
    if (!file.markdown) continue;
    const text = file.text;
    let claimsRead = 0;
    for (const claim of text.matchAll(INTERNAL_CLAIM)) {
      if (++claimsRead > MAX_CLAIMS_PER_FILE) break;
      const at = claim.index;
      const from = paragraphStart(text, at);
      const to = paragraphEnd(text, at);
      for (const token of text.slice(from, to).matchAll(NAME_TOKEN)) {
        const name = normalise(token[0].replace(/\.+$/, ''));
        if (!names.has(name)) names.set(name, { file: file.path, start: at, end: at + claim[0].length });
      }
    }
  }
  return names;
}

/** Where the paragraph holding `at` starts, looking back at most {@link MAX_PARAGRAPH} characters. */
function paragraphStart(text: string, at: number): number {
  const from = Math.max(0, at - MAX_PARAGRAPH);
  let start = from;
  for (const match of text.slice(from, at).matchAll(/\n[ \t]*\n/g)) start = from + match.index + match[0].length;
  return start;
}

function paragraphEnd(text: string, at: number): number {
  const match = /\n[ \t]*\n/.exec(text.slice(at, at + MAX_PARAGRAPH));
  return match ? at + match.index : Math.min(text.length, at + MAX_PARAGRAPH);
}

export function internalPackagePublicRegistry(context: MatchContext): RawFinding[] {
  const claims = claimedNames(context.model.files);
  if (claims.size === 0) return placeholderScopes(context);
  const references = installedNames(context);
  const findings: RawFinding[] = [];
  const seen = new Set<string>();
  for (const reference of references) {
    const command = reference.command;
    if (command === undefined || reference.name.startsWith('@') || !PUBLIC_FETCH.test(command) || OWN_REGISTRY.test(command)) continue;
    const claim = claims.get(normalise(reference.name));
    const key = `${reference.file}:${reference.start}`;
    if (!claim || seen.has(key)) continue;
    seen.add(key);
    findings.push({
      file: reference.file,
      start: reference.start,
      end: reference.end,
      captures: { name: reference.name, command: command.trim().replace(/\s+/g, ' ').slice(0, 80) },
      related: [{ ...claim, message: 'Here the skill calls the package internal or private.' }],
    });
  }
  const reported = new Set(findings.map((finding) => normalise(finding.captures?.name ?? '')));
  return [...findings, ...importedWithoutRegistry(context, claims, reported), ...placeholderScopes(context).filter((finding) => !findings.some((found) => found.file === finding.file && found.start === finding.start))];
}

/**
 * npm scopes that name no organisation, only the idea of one (`@internal/…`, `@private/…`,
 * `@company/…`): on the public registry such a scope belongs to whoever registered it first.
 */
const PLACEHOLDER_SCOPE = /^@(?:internal|private|company|corp|corporate|enterprise|in-?house|proprietary|my-?org|my-?company|organi[sz]ation)\//i;

/**
 * A dependency under a placeholder scope, declared (frontmatter, `package.json`) or installed by a
 * command that names no registry, in a skill that maps no registry to that scope (`@internal:registry=`
 * in a bundled `.npmrc`): the install resolves on the public registry, where that scope is anyone's.
 */
function placeholderScopes(context: MatchContext): RawFinding[] {
  const references: NameReference[] = [
    ...declaredNames(context),
    ...installedNames(context).filter((reference) => reference.command !== undefined && PUBLIC_FETCH.test(reference.command) && !OWN_REGISTRY.test(reference.command)),
  ];
  const findings: RawFinding[] = [];
  const seen = new Set<string>();
  for (const reference of references) {
    const scope = PLACEHOLDER_SCOPE.exec(reference.name)?.[0].slice(0, -1);
    if (!scope || seen.has(reference.name)) continue;
    if (context.model.files.some((file) => file.text.includes(`${scope}:registry`))) continue;
    seen.add(reference.name);
    findings.push({
      file: reference.file,
      start: reference.start,
      end: reference.end,
      message: `\`${reference.name}\` is ${reference.how === 'declared as a dependency' ? 'declared' : 'installed'} under \`${scope}\`, a scope that names no organisation, and nothing in the skill maps that scope to a private registry: the install resolves on the public registry, where the scope belongs to whoever registered it (dependency confusion).`,
    });
  }
  return findings;
}

/** Anything that points an install at a registry of the user's choosing. */
const REGISTRY_NAMED = /--registry|--index-url|--extra-index-url|--index\b|\bindex-url\b|\bregistry\s*=|\.npmrc\b|\bpip\.conf\b|\bpoetry\s+source\b|https?:\/\/[^\s)'"`]{1,200}\/simple\b/i;
const INSTALL_WORD = /\binstall(?:ed|ing)?\b/i;
const PYTHON_IMPORT = /^[ \t]*(?:from[ \t]+([A-Za-z_]\w{0,100})(?:\.[\w.]{0,100})?[ \t]+import\b|import[ \t]+([A-Za-z_]\w{0,100}))/gm;
const JS_IMPORT = /\brequire\(\s*['"]([a-z0-9][\w.-]{0,100})['"]\s*\)|\bfrom\s+['"]([a-z0-9][\w.-]{0,100})['"]/g;
const MAX_IMPORTS_PER_UNIT = 200;

/**
 * The same confusion with the install left to the agent: the skill calls a package internal, its
 * code imports it, its text says to install it, and nothing in the skill names a registry. The
 * agent can only install by name, which asks the public registry. Only names written with a
 * hyphen or underscore count (a one-word name in the paragraph is as likely an ordinary word or a
 * standard module), and never a popular public package.
 */
function importedWithoutRegistry(context: MatchContext, claims: ReadonlyMap<string, Claim>, reported: ReadonlySet<string>): RawFinding[] {
  const files = context.model.files;
  if (files.some((file) => REGISTRY_NAMED.test(file.text))) return [];
  if (!files.some((file) => file.markdown && INSTALL_WORD.test(file.text))) return [];
  const findings: RawFinding[] = [];
  const seen = new Set(reported);
  for (const unit of context.model.units) {
    const pattern = unit.language === 'python' ? PYTHON_IMPORT : unit.language === 'javascript' || unit.language === 'typescript' ? JS_IMPORT : undefined;
    if (!pattern) continue;
    let read = 0;
    for (const match of unit.text.matchAll(pattern)) {
      if (++read > MAX_IMPORTS_PER_UNIT) break;
      const module = match[1] ?? match[2] ?? '';
      const name = normalise(module);
      const claim = claims.get(name);
      if (!claim || seen.has(name) || !name.includes('-') || isPopularPackage(name)) continue;
      seen.add(name);
      const at = unit.start + match.index + match[0].indexOf(module);
      findings.push({
        file: unit.file.path,
        start: at,
        end: at + module.length,
        message: `\`${name}\` is called an internal package and the code imports it, but the skill names no registry for the install it asks for: installed by name (\`${unit.language === 'python' ? 'pip' : 'npm'} install ${name}\`) it comes from the public registry, where anyone can publish that name (dependency confusion).`,
        related: [{ ...claim, message: 'Here the skill calls the package internal or private.' }],
      });
    }
  }
  return findings;
}
