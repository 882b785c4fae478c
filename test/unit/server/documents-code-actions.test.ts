import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { SkillBundle, SourceFile } from '../../../server/src/engine/types';
import { buildCodeActions } from '../../../server/src/code-actions';
import { findSkillRoot, isSkillMarker, overlayOpenDocuments } from '../../../server/src/documents';
import type { DiagnosticData } from '../../../server/src/protocol';

// LSP constants and types, without importing the language-server package into unit tests.
const CodeActionKind = { QuickFix: 'quickfix', Refactor: 'refactor' } as const;
const DiagnosticSeverity = { Information: 3 } as const;
type Diagnostic = Parameters<typeof buildCodeActions>[0]['diagnostics'][number];

const WS = path.resolve('/ws');
const SKILL = path.join(WS, '.claude', 'skills', 'demo');

function bundle(files: Record<string, string>, unanalysed: SkillBundle['unanalysed'] = []): SkillBundle {
  return {
    root: SKILL,
    dirName: 'demo',
    files: new Map(Object.entries(files).map(([p, text]): [string, SourceFile] => [p, { path: p, text }])),
    unanalysed,
  };
}

describe('server/documents', () => {
  const skillFolders = new Set([SKILL, path.join(SKILL, 'nested'), path.resolve('/')]);
  const holdsMarker = (folder: string) => skillFolders.has(folder);

  it('finds the nearest folder holding SKILL.md, nested skills separately', () => {
    assert.equal(findSkillRoot(path.join(SKILL, 'scripts', 'a.py'), [WS], holdsMarker), SKILL);
    assert.equal(findSkillRoot(path.join(SKILL, 'SKILL.md'), [WS], holdsMarker), SKILL);
    assert.equal(findSkillRoot(path.join(SKILL, 'nested', 'x.sh'), [WS], holdsMarker), path.join(SKILL, 'nested'));
    assert.equal(findSkillRoot(path.join(WS, 'other', 'Skill.md'), [WS], () => false), path.join(WS, 'other'));
  });

  it("takes a file the skill put in its .git folder as the skill's, and git's own data as no skill's", () => {
    assert.equal(findSkillRoot(path.join(SKILL, '.git', 'setup.sh'), [WS], holdsMarker), SKILL);
    assert.equal(findSkillRoot(path.join(SKILL, '.git', 'hooks', 'post-checkout'), [WS], holdsMarker), SKILL);
    assert.equal(findSkillRoot(path.join(SKILL, '.git', 'HEAD'), [WS], holdsMarker), undefined);
    assert.equal(findSkillRoot(path.join(SKILL, '.git', 'refs', 'heads', 'main'), [WS], holdsMarker), undefined);
    // A SKILL.md inside .git makes no skill there, as discovery never enters .git.
    const kit = path.join(SKILL, '.git', 'kit');
    assert.equal(findSkillRoot(path.join(kit, 'run.sh'), [WS], (folder) => folder === kit || holdsMarker(folder)), SKILL);
  });

  it('finds a skill whose SKILL.md is spelled in another letter case, on disk', () => {
    const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'skill-sentinel-docs-')));
    try {
      fs.mkdirSync(path.join(ws, 'cased', 'scripts'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'cased', 'SKILL.MD'), '---\nname: cased\n---\n');
      assert.equal(findSkillRoot(path.join(ws, 'cased', 'scripts', 'run.sh'), [ws]), path.join(ws, 'cased'));
      assert.equal(isSkillMarker(path.join(ws, 'cased', 'SKILL.MD')), true);
      assert.equal(isSkillMarker(path.join(ws, 'cased', 'SKILL.md.bak')), false);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it('stops at the workspace folder and at node_modules', () => {
    // A SKILL.md at the file-system root must not capture every file of the workspace.
    assert.equal(findSkillRoot(path.join(WS, 'src', 'a.ts'), [WS], holdsMarker), undefined);
    assert.equal(findSkillRoot(path.join(SKILL, 'node_modules', 'x', 'i.js'), [WS], holdsMarker), undefined);
    const named = path.join(WS, '.claude', 'skills', 'node_modules');
    assert.equal(findSkillRoot(path.join(named, 'scripts', 'run.sh'), [WS], (folder) => folder === named), named);
  });

  it('lays unsaved editor text over the disk text and adds unsaved new files', () => {
    const disk = bundle({ 'SKILL.md': 'disk', 'scripts/a.py': 'print(1)' });
    const result = overlayOpenDocuments(
      disk,
      [
        { path: path.join(SKILL, 'scripts', 'a.py'), text: 'print(2)' },
        { path: path.join(SKILL, 'scripts', 'b.sh'), text: 'echo' },
        { path: path.join(WS, 'elsewhere.py'), text: 'ignored' },
      ],
      1024,
    );
    assert.deepEqual([...result.files.keys()], ['SKILL.md', 'scripts/a.py', 'scripts/b.sh']);
    assert.equal(result.files.get('scripts/a.py')?.text, 'print(2)');
    assert.equal(disk.files.get('scripts/a.py')?.text, 'print(1)', 'the disk bundle is not mutated');
  });

  it('keeps the engine’s bounds: no overlay for symlinks, skipped folders or oversized buffers', () => {
    const disk = bundle({ 'SKILL.md': 'disk' }, [
      { path: 'link.py', reason: 'symlink', detail: 'link' },
      { path: 'big.py', reason: 'too-large', detail: 'big' },
    ]);
    const result = overlayOpenDocuments(
      disk,
      [
        { path: path.join(SKILL, 'link.py'), text: 'x' },
        { path: path.join(SKILL, 'node_modules', 'm.js'), text: 'x' },
        { path: path.join(SKILL, 'SKILL.md'), text: 'é'.repeat(600) },
        { path: path.join(SKILL, 'big.py'), text: 'now small' },
        { path: path.join(SKILL, '.git', 'HEAD'), text: 'x' },
        { path: path.join(SKILL, '.git', 'setup.sh'), text: 'echo' },
      ],
      1000,
    );
    assert.equal(result.files.has('.git/HEAD'), false, "git's own data is no file of the skill");
    assert.equal(result.files.get('.git/setup.sh')?.text, 'echo', 'what the skill put in .git is');
    assert.equal(result.files.get('SKILL.md')?.text, 'disk', '1200 UTF-8 bytes exceed the 1000-byte limit');
    assert.equal(result.files.has('link.py'), false);
    assert.equal(result.files.has('node_modules/m.js'), false);
    assert.equal(result.files.get('big.py')?.text, 'now small', 'a file too large on disk but small in the editor is analysed');
    assert.deepEqual(result.unanalysed.map((u) => u.path), ['link.py']);
  });

  it('returns the same bundle when nothing differs', () => {
    const disk = bundle({ 'SKILL.md': 'same' });
    assert.equal(overlayOpenDocuments(disk, [{ path: path.join(SKILL, 'SKILL.md'), text: 'same' }], 1000), disk);
  });
});

describe('server/code-actions', () => {
  const skillUri = URI.file(SKILL).toString();
  const docs = 'https://example.invalid/SKL102/README.md';
  const range = { start: { line: 1, character: 6 }, end: { line: 1, character: 16 } };
  function diagnostic(ruleId: string, withFix: boolean): Diagnostic {
    const data: DiagnosticData = {
      ruleId,
      slug: 'slug',
      skillUri,
      ...(withFix
        ? { fix: { title: 'Set `name` to `demo`', edits: [{ file: 'SKILL.md', span: { line: 2, column: 7, endLine: 2, endColumn: 17 }, newText: 'demo' }] } }
        : {}),
    };
    return { range, severity: DiagnosticSeverity.Information, source: 'skill-sentinel', code: ruleId, codeDescription: { href: docs }, message: 'm', data };
  }

  it('offers the fix first (preferred), then documentation, then disable-for-skill', () => {
    const actions = buildCodeActions({ diagnostics: [diagnostic('SKL102', true)], fixesAreCurrent: true, showDocumentation: true });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Set `name` to `demo`', 'Show documentation for SKL102', 'Disable SKL102 for this skill (workspace settings)'],
    );
    assert.equal(actions[0]?.isPreferred, true);
    assert.equal(actions[0]?.kind, CodeActionKind.QuickFix);
    assert.deepEqual(actions[0]?.edit?.changes?.[URI.file(path.join(SKILL, 'SKILL.md')).toString()], [
      { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 16 } }, newText: 'demo' },
    ]);
    assert.deepEqual(actions[1]?.command?.arguments, [docs]);
    assert.deepEqual(actions[2]?.command, {
      title: 'Disable SKL102 for this skill',
      command: 'skillSentinel.disableRuleForSkill',
      arguments: [skillUri, 'SKL102'],
    });
    assert.equal(actions[2]?.edit, undefined, 'disabling never edits the skill');
  });

  it('withholds fixes computed on an older document version', () => {
    const actions = buildCodeActions({ diagnostics: [diagnostic('SKL102', true)], fixesAreCurrent: false, showDocumentation: true });
    assert.ok(actions.every((a) => a.edit === undefined));
  });

  it('lists each rule once, honours showDocumentation and `only`, ignores foreign diagnostics', () => {
    const foreign: Diagnostic = { range, message: 'x', source: 'eslint', code: 'no-undef' };
    const actions = buildCodeActions({
      diagnostics: [diagnostic('SKL501', false), diagnostic('SKL501', false), foreign],
      fixesAreCurrent: true,
      showDocumentation: false,
    });
    assert.deepEqual(actions.map((a) => a.title), ['Disable SKL501 for this skill (workspace settings)']);
    assert.deepEqual(
      buildCodeActions({ diagnostics: [diagnostic('SKL102', true)], fixesAreCurrent: true, showDocumentation: true, only: [CodeActionKind.Refactor] }),
      [],
    );
  });
});
