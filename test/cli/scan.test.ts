import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonReport } from '../../server/src/cli/format-json';
import {
  FAKE_ENGINE_VERSION,
  FakeEngine,
  assertNoStackTrace,
  makeWorkspace,
  removeWorkspaces,
  runCli,
  writeSkill,
} from './helpers';

const FINDING_LINE = /^(\S+):(\d+):(\d+) {2}(critical|high|medium|low|info) * {2}(SKL\d{3}) {2}(.+)$/;

describe('cli: scan', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = makeWorkspace();
  });
  afterEach(removeWorkspaces);

  describe('exit codes', () => {
    it('exits 0 when nothing reaches --fail-on', async () => {
      writeSkill(workspace, 'skills/tidy', { 'notes.md': 'MEDIUM-MARK and LOW-MARK\n' });
      const run = await runCli(['scan'], workspace);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.stderr, '');
    });

    it('exits 1 when a finding is at or above the default --fail-on high', async () => {
      writeSkill(workspace, 'skills/bad', { 'run.sh': 'echo HIGH-MARK\n' });
      const run = await runCli(['scan', '.'], workspace);
      assert.equal(run.exitCode, 1);
    });

    it('honours --fail-on in any case', async () => {
      writeSkill(workspace, 'skills/meh', { 'notes.md': 'MEDIUM-MARK\n' });
      assert.equal((await runCli(['scan', '--fail-on', 'MEDIUM'], workspace)).exitCode, 1);
      assert.equal((await runCli(['scan', '--fail-on', 'critical'], workspace)).exitCode, 0);
      assert.equal((await runCli(['scan', '--fail-on', 'info'], workspace)).exitCode, 1);
    });

    it('evaluates --fail-on on every finding, including those --severity hides', async () => {
      writeSkill(workspace, 'skills/bad', { 'run.sh': 'echo HIGH-MARK\n' });
      const run = await runCli(['scan', '--severity', 'critical'], workspace);
      assert.equal(run.exitCode, 1);
      assert.doesNotMatch(run.stdout, /SKL301/);
      assert.match(run.stdout, /1 below critical not shown/);
    });

    it('exits 2 with one line when the engine throws, and still reports the other skills', async () => {
      writeSkill(workspace, 'skills/a-fine');
      writeSkill(workspace, 'skills/b-explodes');
      const engine = new FakeEngine();
      const realScan = engine.scan.bind(engine);
      engine.scan = (bundle) => {
        if (bundle.dirName === 'b-explodes') throw new Error('boom\n    at Engine.scan (engine.ts:1:1)');
        return realScan(bundle);
      };
      const run = await runCli(['scan'], workspace, { createEngine: async () => engine });
      assert.equal(run.exitCode, 2);
      assert.deepEqual(run.stderrLines, ['skill-sentinel: skills/b-explodes: boom']);
      assert.match(run.stdout, /^skills\/a-fine {2}clean \(score 0\)$/m);
      assertNoStackTrace(run.stderr);
    });

    it('exits 2 with one line when the engine cannot be created', async () => {
      writeSkill(workspace, 'skills/demo');
      const run = await runCli(['scan'], workspace, {
        createEngine: () => Promise.reject(new TypeError('rules.json is missing\nsecond line')),
      });
      assert.equal(run.exitCode, 2);
      assert.deepEqual(run.stderrLines, ['skill-sentinel: rules.json is missing']);
      assertNoStackTrace(run.stderr);
    });

    it('turns an unexpected non-Error rejection into one line', async () => {
      const run = await runCli(['rules'], workspace, { createEngine: () => Promise.reject('odd') });
      assert.equal(run.exitCode, 2);
      assert.deepEqual(run.stderrLines, ['skill-sentinel: odd']);
    });
  });

  describe('paths', () => {
    it('reports a missing path on one stderr line, still scans the other paths, and exits 2', async () => {
      writeSkill(workspace, 'present/skill-one', { 'run.sh': 'echo LOW-MARK\n' });
      const run = await runCli(['scan', 'does-not-exist', 'present'], workspace);
      assert.equal(run.exitCode, 2);
      assert.equal(run.stderrLines.length, 1, run.stderr);
      assert.match(run.stderrLines[0] ?? '', /^skill-sentinel: does-not-exist: .*(exist|no such)/i);
      assert.match(run.stdout, /^present\/skill-one {2}notice \(score \d+\)$/m);
      assert.match(run.stdout, /^present\/skill-one\/run\.sh:1:6 {2}low/m);
      assertNoStackTrace(run.stderr);
    });

    it('exits 2 when the only path is missing', async () => {
      const run = await runCli(['scan', 'nowhere'], workspace);
      assert.equal(run.exitCode, 2);
      assert.equal(run.stderrLines.length, 1);
      assert.match(run.stdout, /^0 skills scanned/m);
    });

    it('says "no skills found" for a folder without skills and exits 0', async () => {
      fs.mkdirSync(path.join(workspace, 'empty'));
      const run = await runCli(['scan', 'empty'], workspace);
      assert.equal(run.exitCode, 0);
      assert.deepEqual(run.stderrLines, ['skill-sentinel: no skills found under empty']);
      assert.match(run.stdout, /^0 skills scanned, 0 flagged: 0 critical, 0 high, 0 medium, 0 low, 0 info \(\d+ ms\)$/m);
    });

    it('scans the working directory by default', async () => {
      writeSkill(workspace, '.claude/skills/helper');
      const run = await runCli(['scan'], workspace);
      assert.equal(run.exitCode, 0);
      assert.match(run.stdout, /^\.claude\/skills\/helper {2}clean \(score 0\)$/m);
    });

    it('shows "." for a skill that is the working directory itself', async () => {
      const root = writeSkill(workspace, 'solo', { 'x.sh': 'LOW-MARK\n' });
      const run = await runCli(['scan'], root);
      assert.match(run.stdout, /^\. {2}notice/m);
      assert.match(run.stdout, /^x\.sh:1:1 {2}low/m);
    });

    it('scans a skill only once when paths overlap', async () => {
      writeSkill(workspace, 'skills/once');
      const engine = new FakeEngine();
      await runCli(['scan', '.', 'skills', 'skills/once/SKILL.md'], workspace, { createEngine: async () => engine });
      assert.deepEqual(engine.scanned, ['once']);
    });

    it('passes --exclude globs to discovery', async () => {
      writeSkill(workspace, 'skills/kept');
      writeSkill(workspace, 'vendor/skills/dropped');
      const engine = new FakeEngine();
      const run = await runCli(['scan', '--exclude', 'vendor/**', '--exclude', 'other'], workspace, {
        createEngine: async () => engine,
      });
      assert.equal(run.exitCode, 0);
      assert.deepEqual(engine.scanned, ['kept']);
    });

    it('hands discovery the paths and globs it was given', async () => {
      const calls: { paths: string[]; exclude: string[] }[] = [];
      const run = await runCli(['scan', 'a', '--exclude', 'x/**'], workspace, {
        discoverSkills: (paths, options) => {
          calls.push({ paths, exclude: options.exclude });
          return { skills: [], errors: [] };
        },
      });
      assert.deepEqual(calls, [{ paths: [path.join(workspace, 'a')], exclude: ['x/**'] }]);
      assert.equal(run.exitCode, 0);
    });
  });

  describe('text format', () => {
    beforeEach(() => {
      writeSkill(workspace, 'skills/alpha', {
        'scripts/z.sh': 'ok\nrun CRITICAL-MARK\n',
        'scripts/a.sh': '\n\n  HIGH-MARK\nLOW-MARK INFO-MARK\n',
      });
      writeSkill(workspace, 'skills/beta', { 'README.md': 'MEDIUM-MARK\n' });
      writeSkill(workspace, 'skills/gamma');
    });

    it('prints a header per skill, compiler-style finding lines and a summary', async () => {
      const run = await runCli(['scan'], workspace);
      assert.equal(run.exitCode, 1);
      const lines = run.stdout.trimEnd().split('\n');
      assert.deepEqual(lines.slice(0, 5), [
        'skills/alpha  malicious (score 80)',
        'skills/alpha/scripts/a.sh:3:3  high      SKL301  Found HIGH-MARK in scripts/a.sh.',
        'skills/alpha/scripts/a.sh:4:1  low       SKL102  Found LOW-MARK in scripts/a.sh.',
        'skills/alpha/scripts/z.sh:2:5  critical  SKL401  Found CRITICAL-MARK in scripts/z.sh.',
        '',
      ]);
      assert.deepEqual(lines.slice(5, 9), ['skills/beta  suspicious (score 20)', 'skills/beta/README.md:1:1  medium    SKL205  Found MEDIUM-MARK in README.md.', '', 'skills/gamma  clean (score 0)']);
      assert.match(lines.at(-1) ?? '', /^3 skills scanned, 2 flagged: 1 critical, 1 high, 1 medium, 1 low, 0 info, 1 below low not shown \(\d+ ms\)$/);
      for (const line of lines.filter((l) => /:\d+:\d+ /.test(l))) assert.match(line, FINDING_LINE);
    });

    it('filters by --severity given in upper case', async () => {
      const run = await runCli(['scan', '--severity', 'HIGH'], workspace);
      const findingLines = run.stdout.split('\n').filter((line) => FINDING_LINE.test(line));
      assert.deepEqual(
        findingLines.map((line) => FINDING_LINE.exec(line)?.[5]),
        ['SKL301', 'SKL401'],
      );
      assert.match(run.stdout, /3 skills scanned, 1 flagged: 1 critical, 1 high, 0 medium, 0 low, 0 info, 3 below high not shown/);
    });

    it('includes info findings with --severity info', async () => {
      const run = await runCli(['scan', '--severity', 'info'], workspace);
      assert.match(run.stdout, /^skills\/alpha\/scripts\/a\.sh:4:10 {2}info {6}SKL150 {2}/m);
      assert.doesNotMatch(run.stdout, /not shown/);
    });

    it('says "1 skill" in the singular', async () => {
      const run = await runCli(['scan', 'skills/gamma'], workspace);
      assert.match(run.stdout, /^1 skill scanned, 0 flagged/m);
    });
  });

  describe('json format', () => {
    it('writes the documented object, pretty-printed', async () => {
      writeSkill(workspace, 'skills/alpha', {
        'scripts/a.sh': 'HIGH-MARK\nLOW-MARK\n',
        'SKILL.md': '---\nname: alpha\ndescription: d\nallowed-tools: RELATED-MARK\n---\n',
      });
      writeSkill(workspace, 'skills/clean');
      const run = await runCli(['scan', 'skills', 'gone', '--format', 'json', '--severity', 'medium'], workspace);
      assert.equal(run.exitCode, 2);
      assert.match(run.stdout, /^\{\n {2}"tool": \{\n/);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(Object.keys(report), ['tool', 'skills', 'errors', 'summary']);
      assert.deepEqual(report.tool, { name: 'skill-sentinel', version: FAKE_ENGINE_VERSION });
      assert.deepEqual(
        report.skills.map(({ root, name, verdict }) => ({ root, name, verdict })),
        [
          { root: 'skills/alpha', name: 'alpha', verdict: 'dangerous' },
          { root: 'skills/clean', name: 'clean', verdict: 'clean' },
        ],
      );
      assert.deepEqual(report.skills[0]?.findings, [
        {
          ruleId: 'SKL301',
          slug: 'hidden-instructions',
          severity: 'high',
          message: 'Found HIGH-MARK in scripts/a.sh.',
          file: 'scripts/a.sh',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 10,
          related: [{ file: 'SKILL.md', line: 4, column: 1, endLine: 4, endColumn: 2, message: 'The grant that allows it.' }],
          suppressed: false,
        },
      ]);
      assert.equal(typeof report.skills[0]?.score, 'number');
      assert.deepEqual(report.errors.length, 1);
      assert.equal(report.errors[0]?.path, 'gone');
      const { durationMs, ...summary } = report.summary;
      assert.equal(typeof durationMs, 'number');
      assert.deepEqual(summary, {
        skillsScanned: 2,
        skillsFlagged: 1,
        findings: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
        findingsHidden: 1,
        findingsSuppressed: 0,
        severity: 'medium',
        failOn: 'high',
        failed: true,
      });
    });

    it('lists rules as JSON', async () => {
      const run = await runCli(['rules', '--format', 'json'], workspace);
      assert.equal(run.exitCode, 0);
      const rules = JSON.parse(run.stdout) as { id: string; slug: string; severity: string; title: string }[];
      assert.equal(rules[0]?.id, 'SKL102');
      assert.ok(rules.every((rule) => rule.slug && rule.severity && rule.title));
    });
  });

  describe('--output', () => {
    it('writes the report to the file and nothing to stdout', async () => {
      writeSkill(workspace, 'skills/bad', { 'run.sh': 'HIGH-MARK\n' });
      const run = await runCli(['scan', '--format', 'json', '--output', 'reports/../report.json'], workspace);
      assert.equal(run.exitCode, 1);
      assert.equal(run.stdout, '');
      const written = JSON.parse(fs.readFileSync(path.join(workspace, 'report.json'), 'utf8')) as JsonReport;
      assert.equal(written.skills[0]?.findings[0]?.ruleId, 'SKL301');
    });

    it('fails with one line when the file cannot be written', async () => {
      writeSkill(workspace, 'skills/fine');
      const run = await runCli(['scan', '-o', 'no/such/dir/report.txt'], workspace);
      assert.equal(run.exitCode, 2);
      assert.equal(run.stderrLines.length, 1);
      assert.match(run.stderrLines[0] ?? '', /^skill-sentinel: cannot write no\/such\/dir\/report\.txt: /);
      assertNoStackTrace(run.stderr);
    });
  });

  describe('rules command', () => {
    it('lists id, slug, severity and title in aligned columns', async () => {
      const run = await runCli(['rules'], workspace);
      assert.equal(run.exitCode, 0);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 6);
      assert.equal(lines[0], 'SKL102  long-description              low       Title of long-description');
      assert.equal(lines[2], 'SKL205  broad-allowed-tools           medium    Title of broad-allowed-tools');
    });
  });
});
