import { globalRegex, testRegex } from '../matchers/regex-util';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

const MAX_OCCURRENCES_PER_UNIT = 200;
const MAX_RELATED = 20;

interface Occurrence {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly category: string;
}

/**
 * Reading one documented secret for the skill's own API is normal; reading the secrets of several
 * unrelated services (an LLM key, a cloud key, a Git token, a registry token) is harvesting. This
 * check looks for well-known secret variable names in the skill's code (scripts, fences and
 * dynamic commands) and reports when they span at least `minCategories` distinct services.
 *
 * Options:
 * - `categories`: `{ <category>: <regex source matching whole names> }`; a name is matched as a
 *   whole identifier (`\b` on both sides is added).
 * - `minCategories`: how many distinct categories make a harvest (default 3).
 *
 * One finding is reported at the first name, with the others as related locations.
 */
export function secretVariableHarvest(context: MatchContext, options: CheckOptions): RawFinding[] {
  const categories = options.categories as Readonly<Record<string, string>> | undefined;
  if (!categories || typeof categories !== 'object') throw new Error(`rule ${context.rule.id}: secret-variable-harvest needs categories`);
  const minCategories = typeof options.minCategories === 'number' ? options.minCategories : 3;
  const entries = Object.entries(categories);
  const combined = `\\b(?:${entries.map(([, source]) => `(?:${source})`).join('|')})\\b`;

  const firstByName = new Map<string, Occurrence>();
  for (const unit of context.model.units) {
    if (Date.now() > context.deadline) break;
    if (!testRegex(combined, unit.text)) continue;
    const regex = globalRegex(combined);
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(unit.text)) !== null && count++ < MAX_OCCURRENCES_PER_UNIT) {
      const name = match[0];
      if (firstByName.has(name)) continue;
      const category = entries.find(([, source]) => testRegex(`^(?:${source})$`, name))?.[0];
      if (!category) continue;
      firstByName.set(name, { file: unit.file.path, start: unit.start + match.index, end: unit.start + match.index + name.length, name, category });
    }
  }

  const occurrences = [...firstByName.values()];
  const distinct = new Set(occurrences.map((o) => o.category));
  if (distinct.size < minCategories) return [];
  const [first, ...rest] = occurrences;
  if (!first) return [];
  const names = occurrences.map((o) => o.name);
  return [
    {
      file: first.file,
      start: first.start,
      end: first.end,
      captures: {
        names: names.slice(0, 6).join(', ') + (names.length > 6 ? ', …' : ''),
        count: String(names.length),
        services: [...distinct].join(', '),
      },
      related: rest.slice(0, MAX_RELATED).map((o) => ({ file: o.file, start: o.start, end: o.end, message: `\`${o.name}\` (${o.category}) is read here.` })),
    },
  ];
}
