// Runs the integration suite inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3) on
// 127.0.0.1, opened in Debian's headless chromium through playwright-core. The payload URL makes
// the remote extension host load the extension from the repo and call the tests module's run()
// (the @vscode/test-electron contract). Then a person's check: open the malicious skill, show the
// Problems panel and the Findings view, and keep a screenshot in test/output/.
// Exit code: 0 when the suite and the UI check pass. Last line: `N passed, N failed`.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const output = join(repo, 'test', 'output');
const testsModule = process.env.SKILL_SENTINEL_TESTS ?? join(repo, 'out', 'test', 'integration', 'index.js');
const suiteTimeoutMs = Number(process.env.SKILL_SENTINEL_SUITE_TIMEOUT_MS ?? 300_000);
const uiTimeoutMs = 30_000;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

async function waitForHealth(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    // Polling a health endpoint: there is no event to wait for across processes.
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${deadlineMs} ms`);
}

const temp = mkdtempSync(join(tmpdir(), 'skill-sentinel-it-'));
const workspace = join(temp, 'workspace');
const userData = join(temp, 'user-data');
const extensionsDir = join(temp, 'extensions');
// A throwaway copy: the tests edit files and write .vscode/settings.json.
cpSync(join(repo, 'test', 'integration', 'workspace'), workspace, { recursive: true });
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensionsDir, { recursive: true });
mkdirSync(output, { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'files.hotExit': 'off',
    'window.restoreWindows': 'none',
  }),
);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serverLog = createWriteStream(join(output, 'code-server.log'));
const codeServer = spawn(
  process.execPath,
  [
    join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ],
  {
    env: { ...process.env, XDG_CONFIG_HOME: join(temp, 'config'), XDG_DATA_HOME: join(temp, 'data'), SKILL_SENTINEL_GREP: process.env.SKILL_SENTINEL_GREP ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
codeServer.stdout.pipe(serverLog);
codeServer.stderr.pipe(serverLog);

let browser;
let exitCode = 1;
let passed = 0;
let failed = 0;
let suiteSummary;
try {
  await waitForHealth(`${base}/healthz`, codeServer, 60_000);
  console.log(`host: code-server ready on ${base} after ${elapsed()}`);

  browser = await chromium.launchPersistentContext(join(temp, 'chromium'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());

  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The extension host forwards console.log's raw arguments, format string first.
    const line = format(...(Array.isArray(args) ? args : [args]));
    for (const text of line.split('\n')) {
      const summary = /^integration: (\d+) passed, (\d+) failed$/.exec(text.trim());
      if (summary) suiteSummary = { passed: Number(summary[1]), failed: Number(summary[2]) };
    }
    console.log(type === 'error' ? `[ext-host:error] ${line}` : line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));

  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(repo)],
    ['extensionTestsPath', remote(testsModule)],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  const suiteCode = await Promise.race([
    exited,
    new Promise((r) => setTimeout(() => r('timeout'), suiteTimeoutMs)),
  ]);
  if (suiteCode === 'timeout') {
    console.log(`host: the suite did not finish within ${suiteTimeoutMs} ms`);
    await page.screenshot({ path: join(output, 'timeout.png') });
  } else {
    console.log(`host: suite exited with ${suiteCode} after ${elapsed()}`);
  }
  passed = suiteSummary?.passed ?? 0;
  failed = suiteSummary?.failed ?? (suiteCode === 0 ? 0 : 1);
  if (suiteCode !== 0 && failed === 0) failed = 1;

  // A key press can land before the freshly loaded workbench takes keyboard focus (seen on a
  // loaded CI machine): press again, focusing the editor area first, until the input shows.
  const openQuickInput = async (target, key) => {
    for (let attempt = 1; ; attempt++) {
      await target.keyboard.press(key);
      try {
        await target.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: Math.min(10_000, uiTimeoutMs) });
        return;
      } catch (error) {
        if (attempt >= 4) throw error;
        await target.locator('.monaco-workbench .part.editor').click({ position: { x: 200, y: 200 } }).catch(() => undefined);
      }
    }
  };

  // The list can still show recently opened items before it filters on the typed text: wait
  // until the first row is the one asked for, then accept it.
  const acceptRow = async (target, text) => {
    await target.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: text }).waitFor({ timeout: uiTimeoutMs });
    await target.keyboard.press('Enter');
  };

  // The UI check a person would do. The test run ends by shutting its extension host down, so
  // reload as a plain extension-development window (no tests module) and drive it by keyboard,
  // each step waiting for what it should show.
  try {
    const devPayload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repo)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(devPayload)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: uiTimeoutMs });
    await page.locator('.monaco-workbench').click({ position: { x: 800, y: 500 } }).catch(() => undefined);
    console.log(`host: UI check: workbench up (${elapsed()})`);
    await openQuickInput(page, 'Control+P');
    await page.keyboard.type('code-formatter/SKILL.md');
    await acceptRow(page, 'code-formatter');
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: uiTimeoutMs });
    console.log(`host: UI check: squiggles shown (${elapsed()})`);
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: uiTimeoutMs });
    await openQuickInput(page, 'F1');
    await page.keyboard.type('Skill Sentinel: Scan Skills in Workspace');
    await acceptRow(page, 'Scan Skills in Workspace');
    // The Findings view opens in its own activity-bar container; wait for its tree rows.
    await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: uiTimeoutMs });
    await openQuickInput(page, 'F1');
    await page.keyboard.type('Skill Sentinel: Focus on Findings View');
    await acceptRow(page, 'Focus on Findings View');
    // Finding rows are the third tree level (skill → file → finding).
    await page.waitForSelector('.sidebar .monaco-list-row[aria-level="3"]', { timeout: uiTimeoutMs });
    // Back to the editor, scrolled to the top, so the squiggled hidden comment is in view.
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+Home');
    await page.waitForSelector('.monaco-editor .squiggly-error', { state: 'visible', timeout: uiTimeoutMs });
    await page.screenshot({ path: join(output, 'malicious-skill.png') });
    console.log(`host: UI check passed; screenshot in test/output/malicious-skill.png (${elapsed()})`);
    passed += 1;
  } catch (error) {
    failed += 1;
    console.log(`host: UI check failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    await page.screenshot({ path: join(output, 'ui-check-failed.png') }).catch(() => undefined);
  }
  exitCode = failed === 0 && suiteCode === 0 ? 0 : 1;
} catch (error) {
  console.log(`host: ${error instanceof Error ? error.stack : String(error)}`);
  failed = Math.max(failed, 1);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  codeServer.kill('SIGTERM');
  if (!process.env.SKILL_SENTINEL_KEEP_TEMP) rmSync(temp, { recursive: true, force: true });
}
console.log(`host: finished in ${elapsed()} (code-server log: test/output/code-server.log)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
