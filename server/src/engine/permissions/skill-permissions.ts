import type { FrontmatterField } from '../frontmatter';
import type { FileModel, SkillModel } from '../skill-model';
import type { ResultMemo } from '../result-memo';
import { parseAllowedToolsField, type AllowedTools } from './allowed-tools-grammar';
import { commandsTheSkillRuns, type NeededCommand } from './needed-commands';

/** The parsed `allowed-tools` field with the file it lives in. */
export interface SkillGrants {
  readonly skillMd: FileModel;
  readonly field: FrontmatterField;
  readonly parsed: AllowedTools;
}

// Several permission checks read the same field and commands in one scan: compute them once per model.
const grantsCache = new WeakMap<SkillModel, SkillGrants | null>();
const commandsCache = new WeakMap<SkillModel, Map<'skill-md' | 'markdown', readonly NeededCommand[]>>();

export function grantsOfSkill(model: SkillModel): SkillGrants | undefined {
  let cached = grantsCache.get(model);
  if (cached === undefined) {
    const skillMd = model.skillMd;
    const field = skillMd?.frontmatter?.fields.get('allowed-tools');
    cached = skillMd && field ? { skillMd, field, parsed: parseAllowedToolsField(skillMd.text, field) } : null;
    grantsCache.set(model, cached);
  }
  return cached ?? undefined;
}

export function commandsOfSkill(model: SkillModel, scope: 'skill-md' | 'markdown', memo?: ResultMemo): readonly NeededCommand[] {
  let byScope = commandsCache.get(model);
  if (byScope === undefined) {
    byScope = new Map();
    commandsCache.set(model, byScope);
  }
  let commands = byScope.get(scope);
  if (commands === undefined) {
    commands = commandsTheSkillRuns(model, scope, memo);
    byScope.set(scope, commands);
  }
  return commands;
}
