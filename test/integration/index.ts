/**
 * The tests module for `extensionTestsPath` (the @vscode/test-electron contract): VS Code loads it
 * in the extension host and calls `run()`. It also runs unchanged inside code-server (test/host).
 * The last line it logs, `integration: N passed, N failed`, is what the host runner relays.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function run(): Promise<void> {
  // mocha 12 is an ES module; TS emits require() for this import(), which Node >= 20.19 supports.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.SKILL_SENTINEL_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((count) => resolve(count));
    runner.on('end', () => {
      const stats = runner.stats;
      console.log(`integration: ${stats?.passes ?? 0} passed, ${stats?.failures ?? failures} failed`);
    });
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
