import * as assert from 'node:assert/strict';
import {
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_SKILL_LOCATIONS,
  isExcluded,
  isInSkillLocations,
  parseRuleLevel,
  resolveSettings,
  ruleOverridesForSkill,
} from '../../../server/src/settings';

describe('server/settings', () => {
  it('falls back to the defaults for missing or non-object settings', () => {
    for (const raw of [undefined, null, 42, 'x', []]) {
      const settings = resolveSettings(raw);
      assert.equal(settings.enable, true);
      assert.equal(settings.run, 'onType');
      assert.deepEqual(settings.rules, {});
      assert.deepEqual(settings.skillLocations, DEFAULT_SKILL_LOCATIONS);
      assert.deepEqual(settings.exclude, []);
      assert.equal(settings.maxFileSize, DEFAULT_MAX_FILE_SIZE);
      assert.equal(settings.showDocumentation, true);
      assert.deepEqual(settings.problems, []);
    }
  });

  it('accepts rule codes and slugs, engine severities and editor levels', () => {
    const settings = resolveSettings({
      rules: { SKL501: 'off', 'name-does-not-match-directory': 'error', SKL302: 'warning', SKL304: 'Information', SKL601: 'hint', SKL603: 'critical' },
    });
    assert.deepEqual(settings.rules, {
      SKL501: 'off',
      'name-does-not-match-directory': 'high',
      SKL302: 'medium',
      SKL304: 'low',
      SKL601: 'info',
      SKL603: 'critical',
    });
    assert.deepEqual(settings.problems, []);
  });

  it('drops invalid keys and levels and says why', () => {
    const settings = resolveSettings({ rules: { 'SKL5': 'off', 'Not A Slug': 'off', SKL501: 'loud', SKL502: 3 } });
    assert.deepEqual(settings.rules, {});
    assert.equal(settings.problems.length, 4);
    assert.ok(settings.problems.some((p) => p.includes('"SKL5" is not a rule code')));
    assert.ok(settings.problems.some((p) => p.includes('"loud" is not a level')));
  });

  it('reads run, enable, exclude map, locations, max file size and the documentation action', () => {
    const settings = resolveSettings({
      enable: false,
      run: 'onSave',
      exclude: { '**/vendor/**': true, 'docs/**': false, '': true },
      skillLocations: ['skills/*', 7, ''],
      maxFileSize: 2048.9,
      codeAction: { showDocumentation: { enable: false } },
    });
    assert.equal(settings.enable, false);
    assert.equal(settings.run, 'onSave');
    assert.deepEqual(settings.exclude, ['**/vendor/**']);
    assert.deepEqual(settings.skillLocations, ['skills/*']);
    assert.equal(settings.maxFileSize, 2048);
    assert.equal(settings.showDocumentation, false);
  });

  it('rejects nonsense run modes and sizes with a problem line', () => {
    const settings = resolveSettings({ run: 'always', maxFileSize: -1 });
    assert.equal(settings.run, 'onType');
    assert.equal(settings.maxFileSize, DEFAULT_MAX_FILE_SIZE);
    assert.equal(settings.problems.length, 2);
  });

  it('parses levels case-insensitively and rejects non-strings', () => {
    assert.equal(parseRuleLevel(' OFF '), 'off');
    assert.equal(parseRuleLevel('Warning'), 'medium');
    assert.equal(parseRuleLevel(true), undefined);
  });

  describe('ruleOverridesForSkill', () => {
    const settings = resolveSettings({
      rules: { SKL501: 'low', SKL302: 'off' },
      skillRules: {
        './.claude/skills/deploy/': { SKL501: 'off' },
        '.agents/skills/*': { SKL302: 'high' },
      },
    });

    it('applies global rules, then every matching per-skill entry (path or glob)', () => {
      assert.deepEqual(ruleOverridesForSkill(settings, '.claude/skills/deploy'), { SKL501: 'off', SKL302: 'off' });
      assert.deepEqual(ruleOverridesForSkill(settings, '.agents/skills/notes'), { SKL501: 'low', SKL302: 'high' });
      assert.deepEqual(ruleOverridesForSkill(settings, 'other/skills/x'), { SKL501: 'low', SKL302: 'off' });
    });

    it('uses only global rules for a skill outside the workspace', () => {
      assert.deepEqual(ruleOverridesForSkill(settings, undefined), { SKL501: 'low', SKL302: 'off' });
    });
  });

  it('excludes a path when it or a folder above it matches (dot folders included)', () => {
    assert.equal(isExcluded('vendor/skills/x', ['vendor']), true);
    assert.equal(isExcluded('a/.cache/skills/x', ['**/.cache']), true);
    assert.equal(isExcluded('a/b/skills/x', ['**/vendor/**']), false);
    assert.equal(isExcluded('a/vendor/skills/x', ['**/vendor/**']), true);
    assert.equal(isExcluded('anything', []), false);
  });

  it('matches the default skill locations, hidden client folders included', () => {
    for (const rel of ['.claude/skills/pdf', 'pkg/.agents/skills/notes', '.github/skills/setup', 'plugins/p/skills/s']) {
      assert.equal(isInSkillLocations(rel, DEFAULT_SKILL_LOCATIONS), true, rel);
    }
    for (const rel of ['examples/demo', '.claude/skills', '.claude/skills/pdf/nested']) {
      assert.equal(isInSkillLocations(rel, DEFAULT_SKILL_LOCATIONS), false, rel);
    }
  });
});
