import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SkillSummary } from '../../../server/src/protocol';
import { resolveSettings } from '../../../server/src/settings';
import { scanWorkspace, type WorkspaceScanDependencies } from '../../../server/src/workspace-scan';

/** A workspace with three skills under .claude/skills; the scan's collaborators are recorded. */
function workspace(): { folder: string; roots: string[] } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-scan-'));
  const roots = ['alpha', 'beta', 'gamma'].map((name) => {
    const root = path.join(folder, '.claude', 'skills', name);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'SKILL.md'), `---\nname: ${name}\ndescription: Does ${name}. Use when asked.\n---\n`);
    return root;
  });
  return { folder, roots };
}

function summaryOf(root: string): SkillSummary {
  return { uri: `file://${root}`, dirName: path.basename(root), verdict: 'clean', score: 0, findings: 0, filesAnalysed: 1, unanalysed: 0 };
}

interface Recorded {
  readonly deps: WorkspaceScanDependencies;
  /** Folder names of the skills checked, in order. */
  readonly checked: string[];
}

function dependencies(folder: string, overrides: Partial<WorkspaceScanDependencies> = {}): Recorded {
  const checked: string[] = [];
  const deps: WorkspaceScanDependencies = {
    folders: [folder],
    settingsFor: () => Promise.resolve(resolveSettings({})),
    checkSkill: (root) => {
      checked.push(path.basename(root));
      return Promise.resolve(summaryOf(root));
    },
    token: { isCancellationRequested: false },
    progress: () => undefined,
    log: () => undefined,
    ...overrides,
  };
  return { deps, checked };
}

describe('workspace scan', () => {
  it('checks every skill in discovery order when there are no workers', async () => {
    const { folder } = workspace();
    const { deps, checked } = dependencies(folder);
    const result = await scanWorkspace(deps);
    assert.deepEqual(checked, ['alpha', 'beta', 'gamma']);
    assert.deepEqual(result.skills.map((skill) => skill.dirName), ['alpha', 'beta', 'gamma']);
    assert.equal(result.cancelled, false);
  });

  it('publishes what the workers scanned as it arrives, checks the rest in-process, and keeps discovery order', async () => {
    const { folder, roots } = workspace();
    const [alpha, , gamma] = roots as [string, string, string];
    const offered: string[][] = [];
    const { deps, checked } = dependencies(folder, {
      scanInWorkers: (candidates, onScanned) => {
        offered.push(candidates.map((root) => path.basename(root)));
        // Finished out of order; beta failed in its worker and is not reported.
        onScanned(gamma);
        onScanned(alpha);
        onScanned(alpha);
        return Promise.resolve();
      },
    });
    const result = await scanWorkspace(deps);
    assert.deepEqual(offered, [['alpha', 'beta', 'gamma']]);
    assert.deepEqual(checked, ['gamma', 'alpha', 'beta'], 'each skill checked once: worker results first, then the rest');
    assert.deepEqual(result.skills.map((skill) => skill.dirName), ['alpha', 'beta', 'gamma']);
  });

  it('stops when cancelled: the workers are told, and nothing is checked in-process after', async () => {
    const { folder, roots } = workspace();
    const token = { isCancellationRequested: false };
    let stopAsked = false;
    const { deps, checked } = dependencies(folder, {
      token,
      scanInWorkers: (_candidates, onScanned, shouldStop) => {
        onScanned(roots[0] as string);
        token.isCancellationRequested = true;
        stopAsked = shouldStop();
        return Promise.resolve();
      },
    });
    const result = await scanWorkspace(deps);
    assert.equal(stopAsked, true);
    assert.equal(result.cancelled, true);
    assert.deepEqual(checked, ['alpha']);
  });
});
