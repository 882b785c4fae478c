/**
 * `skillSentinel.*` settings: validation and resolution. Pure (no editor or LSP imports) so the
 * unit tests run on plain Node. Every value comes from user- or workspace-controlled JSON, so
 * nothing here trusts a type: unknown shapes fall back to defaults and are reported as problems.
 */
import { Minimatch } from 'minimatch';
import { parseSeverity, type Severity } from './engine/types';

export type RunMode = 'onType' | 'onSave';
export type RuleLevel = Severity | 'off';
export type RuleOverrides = Readonly<Record<string, RuleLevel>>;

export interface ResolvedSettings {
  readonly enable: boolean;
  readonly run: RunMode;
  /** Code or slug → level, applied to every skill. */
  readonly rules: RuleOverrides;
  /** Skill folder (path or glob relative to the workspace folder) → overrides for that skill. */
  readonly skillRules: Readonly<Record<string, RuleOverrides>>;
  readonly skillLocations: readonly string[];
  /** Globs whose value was `true` in the `exclude` map. */
  readonly exclude: readonly string[];
  readonly maxFileSize: number;
  readonly showDocumentation: boolean;
  /** Lock file path relative to the workspace folder (or absolute). */
  readonly lockFile: string;
  readonly watchInstalledSkills: boolean;
  /** Folders outside the workspace holding installed skills, as configured (`~` not yet expanded). */
  readonly installedSkillLocations: readonly string[];
  /** What was ignored and why, one line each, for the output channel. */
  readonly problems: readonly string[];
}

/** Skill roots the workspace scan looks at; see skill-format.md §6 for where clients look. */
export const DEFAULT_SKILL_LOCATIONS: readonly string[] = Object.freeze([
  '**/.claude/skills/*',
  '**/.agents/skills/*',
  '**/.github/skills/*',
  '**/.cursor/skills/*',
  '**/.codex/skills/*',
  '**/skills/*',
]);

export const DEFAULT_LOCK_FILE = 'skill-sentinel.lock.json';

/** Where agents install skills for the user (and plugins that bundle skills). */
export const DEFAULT_INSTALLED_SKILL_LOCATIONS: readonly string[] = Object.freeze([
  '~/.claude/skills',
  '~/.agents/skills',
  '~/.codex/skills',
  '~/.claude/plugins',
]);

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
/** Beyond this the engine's per-file budget, not the size limit, is what protects the editor. */
const MAX_MAX_FILE_SIZE = 16 * 1024 * 1024;

/** Same pattern as `propertyNames` in package.json: a code (`SKL401`) or a kebab-case slug. */
export const RULE_KEY_PATTERN = /^(SKL[0-9]{3}|[a-z][a-z0-9]*(-[a-z0-9]+)*)$/;

/**
 * Editor words map onto engine severities so users can write what the Problems panel shows;
 * `error` maps to `high` (not `critical`) because the two render the same in the editor.
 */
const EDITOR_LEVELS: Readonly<Record<string, Severity>> = {
  error: 'high',
  warning: 'medium',
  information: 'low',
  info: 'info',
  hint: 'info',
};

export function parseRuleLevel(value: unknown): RuleLevel | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'off') return 'off';
  return parseSeverity(lower) ?? EDITOR_LEVELS[lower];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseRules(value: unknown, where: string, problems: string[]): Record<string, RuleLevel> {
  const rules: Record<string, RuleLevel> = {};
  if (value === undefined || value === null) return rules;
  if (!isRecord(value)) {
    problems.push(`${where}: expected an object mapping rule codes or slugs to levels`);
    return rules;
  }
  for (const [key, raw] of Object.entries(value)) {
    const level = parseRuleLevel(raw);
    if (!RULE_KEY_PATTERN.test(key)) problems.push(`${where}: "${key}" is not a rule code (SKLnnn) or slug; ignored`);
    else if (level === undefined) problems.push(`${where}.${key}: "${String(raw)}" is not a level; ignored`);
    else rules[key] = level;
  }
  return rules;
}

function normaliseSkillPath(key: string): string {
  return key.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

export function resolveSettings(raw: unknown): ResolvedSettings {
  const problems: string[] = [];
  const value = isRecord(raw) ? raw : {};

  const run: RunMode = value.run === 'onSave' ? 'onSave' : 'onType';
  if (value.run !== undefined && value.run !== 'onSave' && value.run !== 'onType') {
    problems.push(`run: "${String(value.run)}" is not onType or onSave; using onType`);
  }

  const skillRules: Record<string, RuleOverrides> = {};
  if (isRecord(value.skillRules)) {
    for (const [key, rules] of Object.entries(value.skillRules)) {
      const skill = normaliseSkillPath(key);
      if (skill.length > 0) skillRules[skill] = parseRules(rules, `skillRules["${key}"]`, problems);
    }
  } else if (value.skillRules !== undefined && value.skillRules !== null) {
    problems.push('skillRules: expected an object mapping skill folders to rule overrides');
  }

  let skillLocations = DEFAULT_SKILL_LOCATIONS;
  if (Array.isArray(value.skillLocations)) {
    skillLocations = value.skillLocations.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  } else if (value.skillLocations !== undefined && value.skillLocations !== null) {
    problems.push('skillLocations: expected an array of globs; using the defaults');
  }

  const exclude: string[] = [];
  if (isRecord(value.exclude)) {
    for (const [glob, on] of Object.entries(value.exclude)) if (on === true && glob.trim() !== '') exclude.push(glob.trim());
  } else if (value.exclude !== undefined && value.exclude !== null) {
    problems.push('exclude: expected an object mapping globs to true or false');
  }

  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  if (typeof value.maxFileSize === 'number' && Number.isFinite(value.maxFileSize) && value.maxFileSize > 0) {
    maxFileSize = Math.min(Math.floor(value.maxFileSize), MAX_MAX_FILE_SIZE);
  } else if (value.maxFileSize !== undefined && value.maxFileSize !== null) {
    problems.push(`maxFileSize: "${String(value.maxFileSize)}" is not a positive number of bytes; using ${DEFAULT_MAX_FILE_SIZE}`);
  }

  const codeAction = isRecord(value.codeAction) ? value.codeAction : {};
  const showDocumentation = isRecord(codeAction.showDocumentation) ? codeAction.showDocumentation.enable !== false : true;

  let lockFile = DEFAULT_LOCK_FILE;
  if (typeof value.lockFile === 'string' && value.lockFile.trim() !== '') {
    lockFile = value.lockFile.trim();
  } else if (value.lockFile !== undefined && value.lockFile !== null && value.lockFile !== '') {
    problems.push(`lockFile: expected a path; using ${DEFAULT_LOCK_FILE}`);
  }

  let installedSkillLocations = DEFAULT_INSTALLED_SKILL_LOCATIONS;
  if (Array.isArray(value.installedSkillLocations)) {
    installedSkillLocations = value.installedSkillLocations.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
  } else if (value.installedSkillLocations !== undefined && value.installedSkillLocations !== null) {
    problems.push('installedSkillLocations: expected an array of folders; using the defaults');
  }

  return {
    enable: value.enable !== false,
    run,
    rules: parseRules(value.rules, 'rules', problems),
    skillRules,
    skillLocations,
    exclude,
    maxFileSize,
    showDocumentation,
    lockFile,
    watchInstalledSkills: value.watchInstalledSkills === true,
    installedSkillLocations,
    problems,
  };
}

function matcher(glob: string): Minimatch {
  return new Minimatch(normaliseSkillPath(glob), { dot: true });
}

/**
 * Overrides for one skill: the global `rules`, then every `skillRules` entry whose key equals or
 * matches the skill's folder path (posix, relative to its workspace folder). Later wins.
 */
export function ruleOverridesForSkill(settings: ResolvedSettings, skillPath: string | undefined): RuleOverrides {
  const merged: Record<string, RuleLevel> = { ...settings.rules };
  if (skillPath === undefined) return merged;
  const rel = normaliseSkillPath(skillPath);
  for (const [key, rules] of Object.entries(settings.skillRules)) {
    if (key === rel || matcher(key).match(rel)) Object.assign(merged, rules);
  }
  return merged;
}

/** True when the path, or any folder above it, matches an exclude glob (minimatch, dot files included). */
export function isExcluded(relPath: string, exclude: readonly string[]): boolean {
  if (exclude.length === 0) return false;
  const matchers = exclude.map(matcher);
  const segments = normaliseSkillPath(relPath).split('/').filter((s) => s.length > 0);
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('/');
    if (matchers.some((m) => m.match(prefix) || m.match(`${prefix}/`))) return true;
  }
  return false;
}

/** Whether a skill folder (relative to its workspace folder) is one the workspace scan covers. */
export function isInSkillLocations(relPath: string, locations: readonly string[]): boolean {
  const rel = normaliseSkillPath(relPath);
  return locations.some((glob) => matcher(glob).match(rel));
}
