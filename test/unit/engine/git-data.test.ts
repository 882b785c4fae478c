import { strict as assert } from 'node:assert';
import { isGitData, isGitDataPath } from '../../../server/src/engine/git-data';

const SHA1 = 'a'.repeat(40);

describe('git-data', () => {
  it("takes what git writes in a .git folder as git's own data", () => {
    for (const [inner, isFolder] of [
      ['HEAD', false],
      ['index', false],
      ['packed-refs', false],
      ['index.lock', false],
      ['COMMIT_EDITMSG', false],
      ['refs', true],
      ['refs/heads/anything-at-all.sh', false],
      ['logs/HEAD', false],
      ['info/exclude', false],
      ['modules', true],
      [`objects/aa/${SHA1.slice(2)}`, false],
      [`objects/aa/${'b'.repeat(62)}`, false],
      [`objects/pack/pack-${SHA1}.pack`, false],
      [`objects/pack/pack-${SHA1}.idx`, false],
      ['objects/info/packs', false],
      ['hooks/pre-commit.sample', false],
    ] as const) {
      assert.equal(isGitData(inner, isFolder), true, inner);
    }
  });

  it("reads what git did not write there, the hooks git would run and the configuration it obeys", () => {
    for (const [inner, isFolder] of [
      ['setup.sh', false],
      ['tools', true],
      ['tools/helper.py', false],
      ['hooks', true],
      ['hooks/post-checkout', false],
      ['hooks/lib', true],
      ['hooks/lib/x.sample', false],
      ['objects', true],
      ['objects/aa', true],
      ['objects/aa/evil.sh', false],
      [`objects/pack/pack-${SHA1}.sh`, false],
      ['config', false],
      ['config.worktree', false],
      ['config.sh', false],
      ['HEAD.lock.sh', false],
    ] as const) {
      assert.equal(isGitData(inner, isFolder), false, inner);
    }
  });

  it('decides skill-relative paths as the loader walks them, folder by folder', () => {
    assert.equal(isGitDataPath('.git/HEAD'), true);
    assert.equal(isGitDataPath('tools/.git/refs/heads/x.sh'), true);
    // A .git folder inside git's own data is never entered.
    assert.equal(isGitDataPath('.git/refs/x/.git/setup.sh'), true);
    assert.equal(isGitDataPath('.git/setup.sh'), false);
    assert.equal(isGitDataPath('.git/hooks/post-checkout'), false);
    assert.equal(isGitDataPath('scripts/HEAD'), false);
    assert.equal(isGitDataPath('.git/tools/.git/HEAD'), true);
    // Git obeys the repository configuration there: it is read (SKL715).
    assert.equal(isGitDataPath('.git/tools/.git/config'), false);
  });
});
