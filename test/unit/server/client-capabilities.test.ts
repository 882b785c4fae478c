import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCAN_WORKSPACE_REQUEST, SKILL_REPORTS_NOTIFICATION, type ScanWorkspaceResult, type SkillReportsParams } from '../../../server/src/protocol';
import { DIST_DIR } from '../../support/engine';
import { startServer, type ClientOptions, type Server } from '../../support/lsp-server';

/**
 * The built language server over stdio, with clients that differ in what they say they support:
 * the settings a client gives are used, a client that refuses the registration for configuration
 * changes does not bring the server down, and a client without workspace folders still gets the
 * installed-skills watcher its settings ask for.
 */
/**
 * Rejects when the server's process ends. A server that dies leaves requests and notifications
 * unanswered, so a test fails at once rather than at its timeout.
 */
function exitOf(server: Server): Promise<never> {
  return new Promise<never>((_, reject) => server.child.on('exit', (code, signal) => reject(new Error(`the server exited (${signal ?? `code ${String(code)}`})`))));
}

describe('language server: what the client supports', function () {
  this.timeout(60_000);
  let folder: string;

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'configuration-'));
    // One skill where agents load skills from, one in a collection outside the default locations.
    for (const rel of ['.claude/skills/loaded', 'collection/kept-elsewhere']) {
      const root = path.join(folder, ...rel.split('/'));
      fs.mkdirSync(root, { recursive: true });
      const name = path.basename(root);
      fs.writeFileSync(path.join(root, 'SKILL.md'), `---\nname: ${name}\ndescription: Formats tables. Use when asked to tidy a table.\n---\n\nTidy the table.\n`);
    }
  });

  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** The skill folders a workspace scan finds, by name, for a client with `client`'s capabilities. */
  async function scannedSkills(client: ClientOptions): Promise<string[]> {
    const server = await startServer(path.join(DIST_DIR, 'server.js'), folder, client);
    const died = exitOf(server);
    const scan = (): Promise<ScanWorkspaceResult> => Promise.race([server.connection.sendRequest(SCAN_WORKSPACE_REQUEST, {}) as Promise<ScanWorkspaceResult>, died]);
    try {
      const result = await scan();
      // A second round trip, by when a refused registration has long been answered.
      const again = await scan();
      assert.deepEqual(again.skills.map((skill) => skill.dirName).sort(), result.skills.map((skill) => skill.dirName).sort());
      return result.skills.map((skill) => skill.dirName).sort();
    } finally {
      await server.stop();
    }
  }

  it('scans the default skill locations for a client that offers no configuration', async () => {
    assert.deepEqual(await scannedSkills({}), ['loaded']);
  });

  it("uses the client's skillLocations when it offers configuration", async () => {
    assert.deepEqual(await scannedSkills({ settings: { skillLocations: ['**'] } }), ['kept-elsewhere', 'loaded']);
    assert.deepEqual(await scannedSkills({ settings: { skillLocations: ['collection/*'] } }), ['kept-elsewhere']);
  });

  it('keeps running when the client offers configuration but takes no dynamic registration', async () => {
    assert.deepEqual(await scannedSkills({ settings: { skillLocations: ['**'] }, dynamicConfigurationRegistration: false }), ['kept-elsewhere', 'loaded']);
  });

  it('checks with the default settings when the client fails to give its settings', async () => {
    assert.deepEqual(await scannedSkills({ failConfiguration: true, dynamicConfigurationRegistration: true }), ['loaded']);
  });

  it('keeps running when the client says it takes the registration and then refuses it', async () => {
    assert.deepEqual(await scannedSkills({ settings: { skillLocations: ['**'] }, dynamicConfigurationRegistration: true }), ['kept-elsewhere', 'loaded']);
  });

  /** The installed skills the server reports in its first seconds, for a client with `client`'s capabilities. */
  async function reportedInstalledSkills(client: ClientOptions): Promise<string[]> {
    const server = await startServer(path.join(DIST_DIR, 'server.js'), folder, client);
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no report of the installed skill within 15 s')), 15_000);
        exitOf(server).catch(reject);
        server.connection.onNotification(SKILL_REPORTS_NOTIFICATION, (params: SkillReportsParams) => {
          const found = params.skills.filter((skill) => skill.installedIn !== undefined).map((skill) => `${skill.dirName} in ${skill.installedIn ?? ''}`);
          if (found.length > 0) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
    } finally {
      await server.stop();
    }
  }

  describe('the installed-skills watcher', () => {
    let installed: string;

    before(() => {
      installed = fs.mkdtempSync(path.join(os.tmpdir(), 'installed-'));
      const root = path.join(installed, 'helper');
      fs.mkdirSync(root);
      fs.writeFileSync(path.join(root, 'SKILL.md'), '---\nname: helper\ndescription: Helps. Use when asked for help.\n---\n\nHelp.\n');
    });

    after(() => fs.rmSync(installed, { recursive: true, force: true }));

    const watching = (): Readonly<Record<string, unknown>> => ({ watchInstalledSkills: true, installedSkillLocations: [installed] });

    it('starts for a client without workspace folders', async () => {
      assert.deepEqual(await reportedInstalledSkills({ settings: watching() }), [`helper in ${installed}`]);
    });

    it('starts for a client with workspace folders', async () => {
      assert.deepEqual(await reportedInstalledSkills({ settings: watching(), workspaceFolders: true }), [`helper in ${installed}`]);
    });
  });
});
