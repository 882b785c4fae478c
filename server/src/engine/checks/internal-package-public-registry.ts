import type { MatchContext, RawFinding } from '../matchers/types';
import type { FileModel } from '../skill-model';
import { installedNames } from './package-typosquat';

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
  if (claims.size === 0) return [];
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
  return findings;
}
