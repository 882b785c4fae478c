import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/engine';

/**
 * The PowerShell grammar's largest WebAssembly function (459 KB) took V8's optimising compiler
 * 11-12 s, which the CLI waited for before it exited; the grammar is compiled with the baseline
 * compiler only (`parsers.ts`). V8 prints each function it compiles and with which compiler.
 */
describe('CLI: the PowerShell grammar stays at baseline code', () => {
  it('scans a PowerShell skill without the optimising compiler recompiling a grammar function of hundreds of kilobytes', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-wasm-'));
    try {
      fs.mkdirSync(path.join(root, 'scripts'));
      fs.writeFileSync(path.join(root, 'SKILL.md'), '---\nname: logs\ndescription: Formats event logs. Use when asked.\n---\nRun `pwsh scripts/run.ps1`.\n');
      const script = '$events = Get-WinEvent -LogName System -MaxEvents 50\n$events | Format-Table -AutoSize | Out-String | Write-Output\n';
      fs.writeFileSync(path.join(root, 'scripts', 'run.ps1'), script.repeat(200));
      const result = spawnSync(process.execPath, ['--trace-wasm-compilation-times', path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', root, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(result.status, 0, result.stderr);
      const compiled = [...result.stdout.matchAll(/using (Liftoff|TurboFan)\b[^\n]*?bodysize (\d+)/g)].map((match) => ({ compiler: match[1], size: Number(match[2]) }));
      assert.ok(compiled.some((entry) => entry.size > 400_000), 'the PowerShell grammar was compiled');
      assert.deepEqual(compiled.filter((entry) => entry.compiler === 'TurboFan' && entry.size > 400_000), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
