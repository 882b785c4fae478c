import type { FrontmatterProblemKind } from '../frontmatter';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/** Reports the structural problems the frontmatter splitter found, filtered by `options.kinds`. */
export function frontmatterStructure(context: MatchContext, options: CheckOptions): RawFinding[] {
  const skillMd = context.model.skillMd;
  if (!skillMd?.frontmatter) return [];
  const kinds = Array.isArray(options.kinds) ? (options.kinds as FrontmatterProblemKind[]) : undefined;
  return skillMd.frontmatter.problems
    .filter((problem) => !kinds || kinds.includes(problem.kind))
    .map((problem) => ({
      file: skillMd.path,
      start: problem.start,
      end: Math.max(problem.end, problem.start + 1),
      message: problem.message,
    }));
}
