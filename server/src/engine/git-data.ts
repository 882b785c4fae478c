/**
 * What inside a `.git` folder is git's own data. A skill installed with `git clone` holds its
 * repository there, and that is not the skill's content: objects, refs, logs and sample hooks are
 * git's, and git's sample hooks would read as scripts with findings of their own. Anything else
 * in a `.git` folder is the skill's doing and is read like any of its files: a script placed there
 * and run by the skill's instructions (`bash tools/.git/setup.sh`) was reported clean when whole
 * `.git` folders were skipped, and a hook git would run (`hooks/post-checkout`) is a script too.
 * So is the repository's `config`, which git obeys in that folder: a key such as `core.fsmonitor`
 * or an alias starting with `!` is a command git runs (SKL715 reads it).
 *
 * Paths are posix and relative to the `.git` folder. A folder of git's is left out whole, except
 * `objects`, where only names in git's own formats are git's, and `hooks`, where only the samples
 * are (git never runs a `.sample`).
 */

/** Folders whose whole content git writes (refs and logs are named after branches, so any name goes). */
const GIT_FOLDERS: ReadonlySet<string> = new Set([
  'refs',
  'logs',
  'info',
  'lfs',
  'modules',
  'worktrees',
  'rr-cache',
  'sequencer',
  'rebase-merge',
  'rebase-apply',
  'branches',
  'remotes',
  'annex',
  'fsmonitor--daemon',
  'svn',
]);

/** Files at the top of a `.git` folder that git writes. */
const GIT_FILES: ReadonlySet<string> = new Set([
  'HEAD',
  'FETCH_HEAD',
  'ORIG_HEAD',
  'MERGE_HEAD',
  'MERGE_MSG',
  'MERGE_MODE',
  'MERGE_RR',
  'AUTO_MERGE',
  'REBASE_HEAD',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'BISECT_LOG',
  'BISECT_START',
  'BISECT_TERMS',
  'BISECT_EXPECTED_REV',
  'BISECT_ANCESTORS_OK',
  'BISECT_NAMES',
  'BISECT_RUN',
  'COMMIT_EDITMSG',
  'TAG_EDITMSG',
  'SQUASH_MSG',
  'NOTES_EDITMSG',
  'EDIT_DESCRIPTION',
  'description',
  'index',
  'sharedindex',
  'packed-refs',
  'shallow',
  'commondir',
  'gitdir',
  'gitk.cache',
  'gc.log',
  'gc.pid',
]);

/** Loose objects (SHA-1 or SHA-256 names), packs and their companions, and the object database's own files. */
const OBJECT_PATH =
  /^objects\/(?:[0-9a-f]{2}\/[0-9a-f]{38}(?:[0-9a-f]{24})?|pack\/(?:pack-[0-9a-f]{40}(?:[0-9a-f]{24})?\.(?:pack|idx|rev|bitmap|keep|promisor|mtimes)|multi-pack-index)|info(?:\/.*)?|tmp_obj_\w+)$/;

/** Whether `inner` (a path inside a `.git` folder) is git's own data, not to be read as the skill's. */
export function isGitData(inner: string, isFolder: boolean): boolean {
  const slash = inner.indexOf('/');
  const top = slash < 0 ? inner : inner.slice(0, slash);
  if (GIT_FOLDERS.has(top)) return true;
  // `objects` and `hooks` are entered: what git did not write there is read.
  if (top === 'objects') return !isFolder && OBJECT_PATH.test(inner);
  if (top === 'hooks') return !isFolder && slash === inner.lastIndexOf('/') && inner.endsWith('.sample');
  if (slash >= 0 || isFolder) return false;
  // A lock file is git's while it writes the file it locks.
  return GIT_FILES.has(inner) || (inner.endsWith('.lock') && GIT_FILES.has(inner.slice(0, -'.lock'.length)));
}

/**
 * Where a walk of a skill stands with respect to `.git` folders, entry by entry: `inGit` is the
 * path of the entry inside the nearest `.git` folder (undefined outside any), `skip` whether that
 * is git's own data, and `forChildren` what a folder entry passes on (`''` for a `.git` folder
 * itself). Every walker of a skill (the loader, the lock's hashes, the watcher's signature, the
 * editor's paths) steps through `.git` folders with this one function.
 */
export function gitStep(parent: string | undefined, name: string, isFolder: boolean): { readonly skip: boolean; readonly forChildren: string | undefined } {
  const inGit = parent === undefined ? undefined : parent === '' ? name : `${parent}/${name}`;
  if (inGit !== undefined && isGitData(inGit, isFolder)) return { skip: true, forChildren: undefined };
  return { skip: false, forChildren: isFolder && name === '.git' ? '' : inGit };
}

/**
 * Whether a posix path relative to a skill lies in git's own data of some `.git` folder on it: what
 * the bundle loader leaves out, decided the same way, folder by folder.
 */
export function isGitDataPath(rel: string): boolean {
  const segments = rel.split('/');
  let inner: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const step = gitStep(inner, segments[i] ?? '', i < segments.length - 1);
    if (step.skip) return true;
    inner = step.forChildren;
  }
  return false;
}
