/**
 * Desktop runner for the same suite, for machines that can download VS Code (the
 * @vscode/test-electron contract): `node out/test/integration/run-test.js`. On this project's CI,
 * which cannot reach VS Code's download server, test/host/run.mjs runs the suite in code-server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  // The tests edit files and settings: give them a throwaway copy of the workspace.
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'skill-sentinel-it-')), 'workspace');
  fs.cpSync(path.join(repo, 'test', 'integration', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
