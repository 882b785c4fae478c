import * as fs from 'node:fs';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';
import { isCodeOrInstructions } from './skill-model';
import type { SkillBundle, SourceFile, TextDecoding, UnanalysedFile, UnanalysedReason } from './types';
import { compareCodeUnits, describeFsError, errorCode, isSkillMarkerEntry, isSkillMarkerName, specialKindPhrase } from './fs-entries';
import { gitStep } from './git-data';

/**
 * Finding skills on disk and turning one skill folder into a `SkillBundle`.
 *
 * Everything under a scanned path is hostile input. This module only lists folders and reads
 * bytes: it never executes, imports or follows anything it finds. Symbolic links are never
 * followed (their target is read with readlink, to report it, but never opened or stat'ed); every
 * open uses `O_NOFOLLOW` so that a file swapped for a link between listing and reading is still
 * not followed; and both walks are
 * bounded in depth and in how much they record, so no tree can make them loop or exhaust memory.
 */

export interface BundleLimits {
  /** A file larger than this is not read (only its first bytes, to recognise binaries). */
  readonly maxFileBytes: number;
  /** Once the files read add up to more than this, the remaining files are not read. */
  readonly maxSkillBytes: number;
  /** Entries (files, links, …) after this many are not read. */
  readonly maxFiles: number;
  /** Folders nested deeper than this below the skill root are not entered. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: BundleLimits = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxSkillBytes: 16 * 1024 * 1024,
  maxFiles: 500,
  maxDepth: 12,
});

export interface DiscoveryError {
  /** Absolute path of the scan path or folder concerned. */
  readonly path: string;
  /** One line, e.g. `path does not exist`. */
  readonly message: string;
}

export interface DiscoveryResult {
  /** Absolute paths of skill folders, deduplicated and sorted. */
  readonly skills: readonly string[];
  readonly errors: readonly DiscoveryError[];
}

/** Folders discovery does not look for skills below: a repository's data, and installed packages. */
const DISCOVERY_SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** Entries hit by a skill-wide limit that are listed one by one before a summary takes over. */
const MAX_LISTED_LIMIT_ENTRIES = 50;
/** After this many entries past the limits, the walk stops counting ("at least N"). */
const MAX_COUNTED_OVERFLOW = 100_000;
/** How much of an oversized file is read to recognise what it is. */
const HEAD_BYTES = 512;
/** Longest symlink target quoted in a detail. */
const MAX_QUOTED_TARGET = 200;

// O_NOFOLLOW: a path swapped for a symlink after listing fails with ELOOP instead of being
// followed. O_NONBLOCK: a path swapped for a FIFO cannot block the open. Neither exists on Windows.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** Reused: a non-streaming decode() starts afresh on every call. `ignoreBOM` keeps U+FEFF. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT_UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Discovery

/**
 * Finds skill folders. Each path may be a folder (walked recursively, dot-folders included,
 * `.git` and `node_modules` skipped), a `SKILL.md` file, or any file inside a skill (the skill is
 * the nearest ancestor folder holding `SKILL.md`). A folder is a skill when it directly holds an
 * entry named `SKILL.md` in any letter case (`isSkillMarkerName`) that is not a folder; nested
 * skills are separate skills.
 * `exclude` globs are matched (with `dot: true`) against the posix path of each folder relative
 * to the scan path it was found under; an excluded folder is not entered. Never throws.
 */
export function discoverSkills(
  paths: readonly string[],
  options: { readonly exclude?: readonly string[]; readonly maxDepth?: number } = {},
): DiscoveryResult {
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const excludes = (options.exclude ?? [])
    .map((pattern) => pattern.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, ''))
    .filter((pattern) => pattern.length > 0)
    .map((pattern) => new Minimatch(pattern, { dot: true }));
  const isExcluded = (rel: string): boolean =>
    excludes.some((matcher) => matcher.match(rel) || matcher.match(`${rel}/`));

  const skills = new Set<string>();
  const errors: DiscoveryError[] = [];
  const seenErrors = new Set<string>();
  const addError = (errorPath: string, message: string): void => {
    const key = `${errorPath}\0${message}`;
    if (seenErrors.has(key)) return;
    seenErrors.add(key);
    errors.push({ path: errorPath, message });
  };

  for (const given of paths) {
    const abs = path.resolve(given);
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(abs);
    } catch (error) {
      addError(abs, describeFsError(error));
      continue;
    }
    if (stats.isDirectory()) {
      walkForSkills(abs, maxDepth, isExcluded, skills, addError);
    } else {
      // Naming a file (or a link, a pipe…) selects the skill it sits in; a link is never followed.
      const owner = isSkillMarkerName(path.basename(abs)) ? path.dirname(abs) : findEnclosingSkill(path.dirname(abs));
      if (owner !== undefined) {
        skills.add(owner);
      } else if (stats.isSymbolicLink()) {
        addError(abs, `symbolic link to ${quoteTarget(readLinkTarget(abs))}, not followed; pass its target instead`);
      } else if (!stats.isFile()) {
        addError(abs, `not a file or folder (${specialFileKind(stats)})`);
      } else {
        addError(abs, 'not inside a skill: no SKILL.md in its folder or any parent folder');
      }
    }
  }

  return { skills: [...skills].sort(), errors };
}

interface PendingFolder {
  readonly abs: string;
  /** Posix path relative to the scan path or skill root; '' for the root itself. */
  readonly rel: string;
  readonly depth: number;
  /** Inside a `.git` folder: the path within it ('' for the `.git` folder itself). */
  readonly gitInner?: string;
}

function walkForSkills(
  scanRoot: string,
  maxDepth: number,
  isExcluded: (rel: string) => boolean,
  skills: Set<string>,
  addError: (errorPath: string, message: string) => void,
): void {
  const stack: PendingFolder[] = [{ abs: scanRoot, rel: '', depth: 0 }];
  let firstTooDeep: string | undefined;
  let tooDeepCount = 0;

  while (stack.length > 0) {
    const folder = stack.pop() as PendingFolder;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder.abs, { withFileTypes: true });
    } catch (error) {
      addError(folder.abs, `folder cannot be read: ${describeFsError(error)}`);
      continue;
    }
    entries.sort(byName);
    const subfolders: PendingFolder[] = [];
    for (const entry of entries) {
      // Dirent types come from lstat semantics: a link to a folder is a link, never a folder.
      if (entry.isDirectory()) {
        const rel = joinRel(folder.rel, entry.name);
        if (isExcluded(rel)) continue;
        const abs = path.join(folder.abs, entry.name);
        if (DISCOVERY_SKIPPED_FOLDERS.has(entry.name)) {
          // An agent lists its skill folders by name, so `skills/node_modules/SKILL.md` is a skill
          // like any other; only what lies deeper (packages, git's data) is not looked through.
          if (holdsSkillMarker(abs)) skills.add(abs);
          continue;
        }
        if (folder.depth + 1 > maxDepth) {
          firstTooDeep ??= abs;
          tooDeepCount++;
          continue;
        }
        subfolders.push({ abs, rel, depth: folder.depth + 1 });
      } else if (isSkillMarkerName(entry.name)) {
        skills.add(folder.abs);
      } else if (entry.isSymbolicLink()) {
        const rel = joinRel(folder.rel, entry.name);
        if (!isExcluded(rel)) reportLinkedSkill(path.join(folder.abs, entry.name), scanRoot, addError);
      }
    }
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i] as PendingFolder);
  }

  if (firstTooDeep !== undefined) {
    const others = tooDeepCount - 1;
    addError(
      firstTooDeep,
      `folder not scanned: it is nested more than ${maxDepth} levels below ${scanRoot}` +
        (others > 0 ? ` (${others} other such folder${others === 1 ? ' was' : 's were'} skipped too)` : ''),
    );
  }
}

/**
 * A link to a folder holding a SKILL.md is how skills are often installed (`ln -s ~/dev/my-skill
 * ~/.claude/skills/`), and an agent follows it. Discovery never follows links out of what it was
 * asked to scan, so such a skill is named as not scanned (the CLI exits 2) instead of being left
 * out in silence; one whose target lies inside the scan path is found there anyway.
 */
function reportLinkedSkill(link: string, scanRoot: string, addError: (errorPath: string, message: string) => void): void {
  let target: string;
  try {
    target = fs.realpathSync(link);
    if (!fs.statSync(target).isDirectory() || !holdsSkillMarker(target)) return;
  } catch {
    return; // a dangling link or one to something else: no skill to miss
  }
  let root: string;
  try {
    root = fs.realpathSync(scanRoot);
  } catch {
    root = scanRoot;
  }
  const inside = path.relative(root, target);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) return;
  addError(link, `symbolic link to the skill folder ${quoteTarget(readLinkTarget(link))}, not followed; scan its target to check that skill`);
}

/** Nearest folder, starting at `folder` and going up, that holds a SKILL.md entry. */
function findEnclosingSkill(folder: string): string | undefined {
  let current = folder;
  for (;;) {
    if (holdsSkillMarker(current)) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Whether `folder` directly holds a skill marker (`isSkillMarkerName`) that is not a folder; links count, unfollowed. */
export function holdsSkillMarker(folder: string): boolean {
  // A listing, not a look-up of two names: on a case-sensitive file system `Skill.md` is found
  // only so.
  try {
    return fs.readdirSync(folder, { withFileTypes: true }).some(isSkillMarkerEntry);
  } catch {
    return false; // unreadable: no marker can be seen
  }
}

// ---------------------------------------------------------------------------------------------
// Loading one skill

/**
 * Reads the skill folder `root` into a bundle. Every regular file under it (dot-files included;
 * `.git` and `node_modules` folders skipped; subfolders holding their own SKILL.md left to that
 * nested skill) becomes either a `SourceFile` (UTF-8 text, BOM kept as U+FEFF) or an
 * `UnanalysedFile` saying why not. The root SKILL.md is read first, so the skill-wide limits can
 * never push it out. Paths are posix and relative to `root`; both lists are sorted by path.
 * Never throws: a root that cannot be read yields one unanalysed entry with the path `.`.
 */
export function loadSkillBundle(root: string, limits: BundleLimits = DEFAULT_LIMITS): SkillBundle {
  const absRoot = path.resolve(root);
  const loader = new BundleLoader(absRoot, limits);
  loader.load();
  const files = loader.files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return {
    root: absRoot,
    dirName: path.basename(absRoot),
    files: new Map(files.map((file) => [file.path, file])),
    unanalysed: loader.unanalysed.sort((a, b) => compareCodeUnits(a.path, b.path)),
  };
}

interface Overflow {
  first: string;
  count: number;
}

class BundleLoader {
  readonly files: SourceFile[] = [];
  readonly unanalysed: UnanalysedFile[] = [];
  private entryCount = 0;
  private bytesRead = 0;
  private bytesExceeded = false;
  private listedLimitEntries = 0;
  private overflowTotal = 0;
  private readonly overflow = new Map<UnanalysedReason, Overflow>();

  constructor(
    private readonly root: string,
    private readonly limits: BundleLimits,
  ) {}

  load(): void {
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(this.root);
    } catch (error) {
      this.unanalysed.push({ path: '.', reason: 'unreadable', detail: `the skill folder cannot be read: ${describeFsError(error)}` });
      return;
    }
    if (stats.isSymbolicLink()) {
      this.unanalysed.push({ path: '.', reason: 'symlink', detail: `the skill folder is a ${symlinkDescription(this.root)}` });
      return;
    }
    if (!stats.isDirectory()) {
      this.unanalysed.push({ path: '.', reason: 'unreadable', detail: 'the skill path is not a folder' });
      return;
    }
    this.walk();
    this.summariseOverflow();
  }

  private walk(): void {
    const stack: PendingFolder[] = [{ abs: this.root, rel: '', depth: 0 }];
    while (stack.length > 0 && this.overflowTotal < MAX_COUNTED_OVERFLOW) {
      const folder = stack.pop() as PendingFolder;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(folder.abs, { withFileTypes: true });
      } catch (error) {
        this.addEntry(folder.rel || '.', () =>
          this.unanalysed.push({
            path: folder.rel || '.',
            reason: 'unreadable',
            detail: `folder cannot be read (${describeFsError(error)}); nothing in it was analysed`,
          }),
        );
        continue;
      }
      // Discovery never enters a `.git` folder, so a SKILL.md in one does not make its files another skill's.
      if (folder.depth > 0 && folder.gitInner === undefined && entries.some(isSkillMarkerEntry)) {
        continue; // a nested skill: its files belong to it, not to this bundle
      }
      entries.sort(folder.depth === 0 ? markersFirst : byName);

      const subfolders: PendingFolder[] = [];
      for (const entry of entries) {
        const rel = joinRel(folder.rel, entry.name);
        const git = gitStep(folder.gitInner, entry.name, entry.isDirectory());
        if (git.skip) continue;
        if (entry.isDirectory()) {
          if (entry.name === 'node_modules') {
            // Code the skill can `require` is not scanned, so say so instead of skipping silently.
            this.addEntry(rel, () =>
              this.unanalysed.push({
                path: rel,
                reason: 'skipped-folder',
                detail: 'bundled dependencies in `node_modules` are not scanned, though the skill\'s scripts load them; install them from a lock file instead',
              }),
            );
            continue;
          }
          if (folder.depth + 1 > this.limits.maxDepth) {
            this.addEntry(rel, () =>
              this.unanalysed.push({
                path: rel,
                // A folder not entered, like node_modules: whatever it holds ran unreviewed.
                reason: 'skipped-folder',
                detail: `folder nested more than ${this.limits.maxDepth} levels deep; nothing in it was analysed`,
              }),
            );
            continue;
          }
          // A `.git` folder is entered for what is not git's own data (see git-data.ts).
          const inner = git.forChildren;
          subfolders.push({ abs: path.join(folder.abs, entry.name), rel, depth: folder.depth + 1, ...(inner === undefined ? {} : { gitInner: inner }) });
        } else {
          this.addEntry(rel, () => this.loadEntry(entry, path.join(folder.abs, entry.name), rel));
        }
        if (this.overflowTotal >= MAX_COUNTED_OVERFLOW) return;
      }
      for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i] as PendingFolder);
    }
  }

  /** Counts one entry against `maxFiles` and either records it or records the limit hit. */
  private addEntry(rel: string, record: () => void): void {
    this.entryCount++;
    if (this.entryCount > this.limits.maxFiles) {
      this.limitHit(rel, 'file-count-limit', `the skill has more than ${this.limits.maxFiles} files`);
    } else {
      record();
    }
  }

  private loadEntry(entry: fs.Dirent, abs: string, rel: string): void {
    if (entry.isSymbolicLink()) {
      this.unanalysed.push(symlinkEntry(rel, abs, this.root));
    } else if (!entry.isFile()) {
      this.unanalysed.push({ path: rel, reason: 'unreadable', detail: `not a regular file (${specialKindPhrase(entry)}); not opened` });
    } else if (this.bytesExceeded) {
      this.limitHit(rel, 'skill-size-limit', this.skillSizeDetail());
    } else {
      this.readFile(abs, rel);
    }
  }

  private readFile(abs: string, rel: string): void {
    let fd: number;
    try {
      fd = fs.openSync(abs, OPEN_FLAGS);
    } catch (error) {
      if (errorCode(error) === 'ELOOP') {
        // Replaced by a link after the folder was listed; O_NOFOLLOW refused to follow it.
        this.unanalysed.push(symlinkEntry(rel, abs, this.root));
      } else {
        this.unanalysed.push({ path: rel, reason: 'unreadable', detail: unreadableDetail(error, rel) });
      }
      return;
    }
    try {
      const stats = fs.fstatSync(fd);
      if (!stats.isFile()) {
        this.unanalysed.push({ path: rel, reason: 'unreadable', detail: `not a regular file (${specialFileKind(stats)}); not read` });
        return;
      }
      const size = stats.size;
      if (size > this.limits.maxFileBytes) {
        this.unanalysed.push(classifyOversized(rel, readUpTo(fd, HEAD_BYTES), size, this.limits.maxFileBytes));
        return;
      }
      if (this.bytesRead + size > this.limits.maxSkillBytes) {
        this.bytesExceeded = true;
        this.limitHit(rel, 'skill-size-limit', this.skillSizeDetail(), size);
        return;
      }
      const bytes = readUpTo(fd, size);
      this.bytesRead += bytes.length;
      const content = readContent(bytes, rel);
      if ('text' in content) this.files.push({ path: rel, ...content });
      else this.unanalysed.push({ path: rel, ...content, size: bytes.length });
    } catch (error) {
      this.unanalysed.push({ path: rel, reason: 'unreadable', detail: unreadableDetail(error, rel) });
    } finally {
      fs.closeSync(fd);
    }
  }

  private skillSizeDetail(): string {
    return `the files read before it reach the ${formatBytes(this.limits.maxSkillBytes)} limit per skill`;
  }

  private limitHit(rel: string, reason: UnanalysedReason, detail: string, size?: number): void {
    if (this.listedLimitEntries < MAX_LISTED_LIMIT_ENTRIES) {
      this.listedLimitEntries++;
      this.unanalysed.push(size === undefined ? { path: rel, reason, detail } : { path: rel, reason, detail, size });
      return;
    }
    this.overflowTotal++;
    const overflow = this.overflow.get(reason);
    if (overflow) overflow.count++;
    else this.overflow.set(reason, { first: rel, count: 1 });
  }

  private summariseOverflow(): void {
    const stoppedCounting = this.overflowTotal >= MAX_COUNTED_OVERFLOW;
    for (const [reason, { first, count }] of this.overflow) {
      const limit =
        reason === 'file-count-limit'
          ? `the skill has more than ${this.limits.maxFiles} files`
          : `the files read before them reach the ${formatBytes(this.limits.maxSkillBytes)} limit per skill`;
      const amount = stoppedCounting ? `at least ${count}` : `${count}`;
      const files = count === 1 ? 'file (this one) was' : 'files (this one and the ones after it) were';
      this.unanalysed.push({ path: first, reason, detail: `${limit}; ${amount} more ${files} neither analysed nor listed` });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Content classification

/** The text of `bytes` when it is NUL-free, valid UTF-8; otherwise undefined. */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes.indexOf(0) !== -1) return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

interface Classification {
  readonly reason: UnanalysedReason;
  readonly detail: string;
}

interface DecodedText {
  readonly text: string;
  readonly decoding?: TextDecoding;
}

const NUL = Buffer.from([0]);
const REPLACEMENT_CHARACTER_UTF8 = Buffer.from([0xef, 0xbf, 0xbd]);

/** Above this share of NULs, replacement characters and control characters, content is binary, not text. */
const MAX_BINARY_SHARE_OF_TEXT = 0.1;

/**
 * What the loader makes of a file's bytes: text to analyse, or why it cannot be analysed.
 *
 * Clean UTF-8 is text, whatever the file is called. Executables, compiled Python and archives are
 * not analysed, nor are files whose content is an image, font or other known binary format. The
 * rest is decoded even when it holds NUL bytes or bytes that are not UTF-8: bash skips NULs and
 * runs the line after a Latin-1 comment, so a dropper with one such byte must not pass as
 * "binary". A script, Markdown file or SKILL.md is always decoded; another file is decoded when
 * it still reads as text (at most a tenth NULs, replacement and control characters), else it is
 * binary. Either way the decoding is recorded, and a rule reports it.
 */
function readContent(bytes: Buffer, rel: string): DecodedText | Classification {
  const ext = extensionOf(rel);
  const namedAs = BINARY_EXTENSIONS.get(ext);
  const clean = decodeText(bytes);
  if (clean !== undefined) return namedAs ? { text: clean, decoding: { nulBytes: 0, invalidSequences: 0, namedAs } } : { text: clean };

  const executable = executableArchive(bytes, ext);
  if (executable) return { reason: 'executable-archive', detail: executable };
  const magic = sniffMagic(bytes);
  if (magic) return { reason: magic.reason, detail: magic.what };

  if (COMPILED_PYTHON_EXTENSIONS.has(ext)) {
    return { reason: 'compiled-python', detail: `compiled Python bytecode (\`${ext}\`); its source is not in the skill` };
  }
  if (ARCHIVE_EXTENSIONS.has(ext)) {
    return { reason: 'archive', detail: `an archive (\`${ext}\`); what it holds cannot be inspected` };
  }

  const bom = utfBom(bytes);
  if (bom === 'UTF-32') return { reason: 'utf32', detail: 'UTF-32 text, which is not decoded' };
  if (!bom) {
    const format = sniffBinaryFormat(bytes);
    if (format) return { reason: 'binary', detail: format };
  }

  let text: string;
  let decoding: TextDecoding;
  if (bom) {
    // The decoder drops the byte order mark; the text starts after it.
    text = new TextDecoder(bom === 'UTF-16LE' ? 'utf-16le' : 'utf-16be', { ignoreBOM: false }).decode(bytes);
    decoding = { nulBytes: 0, invalidSequences: countChar(text, 0xfffd), encoding: bom, ...(namedAs ? { namedAs } : {}) };
  } else {
    text = LENIENT_UTF8.decode(bytes);
    decoding = {
      nulBytes: countBytes(bytes, NUL),
      // A U+FFFD written in the file (EF BF BD) was not made by decoding.
      invalidSequences: countChar(text, 0xfffd) - countBytes(bytes, REPLACEMENT_CHARACTER_UTF8),
      ...(namedAs ? { namedAs } : {}),
    };
  }
  if (!isCodeOrInstructions(rel, text) && binaryShare(text) > MAX_BINARY_SHARE_OF_TEXT) {
    return { reason: 'binary', detail: namedAs ?? 'binary content of no known format (NUL bytes or bytes that are not UTF-8)' };
  }
  return { text, decoding };
}

/** The share of `text` that is NUL, U+FFFD or a control character other than whitespace and ESC. */
function binaryShare(text: string): number {
  if (text.length === 0) return 0;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfffd || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0b && code !== 0x0c && code !== 0x0d && code !== 0x1b)) odd++;
  }
  return odd / text.length;
}

/** Occurrences of `needle` in `bytes`, not overlapping. */
function countBytes(bytes: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) count++;
  return count;
}

function countChar(text: string, code: number): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === code) count++;
  return count;
}


/** A file over the size limit: its first bytes say whether it is a binary worth naming. */
function classifyOversized(rel: string, head: Buffer, size: number, limit: number): UnanalysedFile {
  const sizeText = `${formatBytes(size)}, over the ${formatBytes(limit)} limit per file`;
  const magic = sniffMagic(head);
  if (magic) {
    return { path: rel, reason: magic.reason, detail: `${magic.what}, ${sizeText}`, size };
  }
  const shebang = shebangOf(head);
  return { path: rel, reason: 'too-large', detail: `${sizeText}; not read`, size, ...(shebang ? { shebang } : {}) };
}

/** The first line of `head` when it is a `#!` line. */
function shebangOf(head: Buffer): string | undefined {
  if (!startsWith(head, [0x23, 0x21])) return undefined;
  const text = LENIENT_UTF8.decode(head.subarray(0, 128));
  return text.split(/\r?\n|\r/)[0];
}

interface Magic {
  readonly reason: 'compiled-python' | 'archive' | 'executable-binary';
  readonly what: string;
}

function startsWith(bytes: Buffer, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[offset + i] !== prefix[i]) return false;
  return true;
}

function hasNulWithin(bytes: Buffer, end: number): boolean {
  const index = bytes.indexOf(0);
  return index !== -1 && index < end;
}

/** Recognises compiled Python, archives and executables by their leading bytes. */
function sniffMagic(b: Buffer): Magic | undefined {
  // Executables.
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return { reason: 'executable-binary', what: 'an ELF executable or shared library' };
  if (startsWith(b, [0x4d, 0x5a]) && hasNulWithin(b, 64)) return { reason: 'executable-binary', what: 'a Windows (PE/MZ) executable or DLL' };
  for (const machO of MACH_O_MAGICS) {
    if (startsWith(b, machO)) return { reason: 'executable-binary', what: 'a Mach-O executable or library' };
  }
  if (startsWith(b, [0xca, 0xfe, 0xba, 0xbe])) return { reason: 'executable-binary', what: 'a universal Mach-O binary or Java class file' };
  if (startsWith(b, [0x00, 0x61, 0x73, 0x6d])) return { reason: 'executable-binary', what: 'a WebAssembly module' };

  // Compiled Python: a 16-bit version number, then CR LF; binary header fields follow.
  if (b.length >= 16 && b[2] === 0x0d && b[3] === 0x0a && hasNulWithin(b, 16)) {
    const version = (b[0] as number) | ((b[1] as number) << 8);
    // 3.x: 3000–3700s so far; 2.x: 50823 (2.0) … 62211 (2.7); 1.5: 20121.
    if ((version >= 2900 && version < 4500) || (version >= 50000 && version <= 63000) || version === 20121) {
      return { reason: 'compiled-python', what: 'compiled Python bytecode' };
    }
  }

  // Archives and compressed data.
  if (startsWith(b, [0x50, 0x4b]) && (startsWith(b, [3, 4], 2) || startsWith(b, [5, 6], 2) || startsWith(b, [7, 8], 2))) {
    return { reason: 'archive', what: 'a ZIP archive (zip, jar, whl, …)' };
  }
  if (startsWith(b, [0x1f, 0x8b])) return { reason: 'archive', what: 'gzip-compressed data' };
  if (
    startsWith(b, [0x42, 0x5a, 0x68]) &&
    (b[3] ?? 0) >= 0x31 &&
    (b[3] ?? 0) <= 0x39 &&
    (startsWith(b, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59], 4) || startsWith(b, [0x17, 0x72, 0x45, 0x38, 0x50, 0x90], 4))
  ) {
    return { reason: 'archive', what: 'bzip2-compressed data' };
  }
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { reason: 'archive', what: 'xz-compressed data' };
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { reason: 'archive', what: 'a 7-Zip archive' };
  if (startsWith(b, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return { reason: 'archive', what: 'a RAR archive' };
  if (startsWith(b, [0x28, 0xb5, 0x2f, 0xfd])) return { reason: 'archive', what: 'zstd-compressed data' };
  if (startsWith(b, [0x75, 0x73, 0x74, 0x61, 0x72], 257)) return { reason: 'archive', what: 'a tar archive' };
  return undefined;
}

const MACH_O_MAGICS: readonly (readonly number[])[] = [
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
];

/** Common binary formats with no security meaning of their own (images, fonts, documents). */
function sniffBinaryFormat(b: Buffer): string | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'a PDF document';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46])) return 'a RIFF file (WebP, WAV, AVI)';
  if (startsWith(b, [0x77, 0x4f, 0x46, 0x46]) || startsWith(b, [0x77, 0x4f, 0x46, 0x32])) return 'a WOFF font';
  if (startsWith(b, [0x00, 0x01, 0x00, 0x00, 0x00]) || startsWith(b, [0x4f, 0x54, 0x54, 0x4f])) return 'a TrueType/OpenType font';
  if (startsWith(b, [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66])) return 'an SQLite database';
  return undefined;
}

function utfBom(b: Buffer): 'UTF-32' | 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (startsWith(b, [0xff, 0xfe, 0x00, 0x00]) || startsWith(b, [0x00, 0x00, 0xfe, 0xff])) return 'UTF-32';
  if (startsWith(b, [0xff, 0xfe])) return 'UTF-16LE';
  if (startsWith(b, [0xfe, 0xff])) return 'UTF-16BE';
  return undefined;
}

const COMPILED_PYTHON_EXTENSIONS: ReadonlySet<string> = new Set(['.pyc', '.pyo']);

/** ZIP-based formats that an interpreter or runtime runs as they are. */
const EXECUTABLE_ARCHIVE_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['.pyz', 'a Python zip application'],
  ['.pyzw', 'a Python zip application'],
  ['.pex', 'a Python executable (PEX)'],
  ['.jar', 'a Java archive'],
  ['.war', 'a Java web archive'],
  ['.ear', 'a Java enterprise archive'],
  ['.whl', 'a Python wheel'],
  ['.egg', 'a Python egg'],
  ['.xpi', 'a browser extension'],
  ['.crx', 'a browser extension'],
  ['.vsix', 'an editor extension'],
]);

/**
 * An archive whose code runs as it is (`python3 tool.pyz`, `java -jar x.jar`, an extension, a
 * wheel pip installs): by its extension, by a ZIP after a `#!` line (a zip application that runs
 * itself), or by the entry point inside a ZIP (`__main__.py`, a Java manifest). Its code is not
 * analysed, so it is graded like compiled code, not like an archive of data; undefined otherwise.
 */
function executableArchive(bytes: Buffer, ext: string): string | undefined {
  if (!startsWith(bytes, ZIP_LOCAL_HEADER)) {
    // Only a file that starts with `#!` is searched for a ZIP further on; an image is not read through.
    return startsWith(bytes, [0x23, 0x21]) && bytes.indexOf(Buffer.from(ZIP_LOCAL_HEADER)) > 0 ? 'a ZIP application with a `#!` line: the interpreter it names runs the code inside' : undefined;
  }
  const named = EXECUTABLE_ARCHIVE_EXTENSIONS.get(ext);
  if (named) return `${named}, whose code runs as it is`;
  if (bytes.includes('__main__.py')) return 'a ZIP with a `__main__.py`: `python` runs it as it is';
  if (bytes.includes('META-INF/MANIFEST.MF')) return 'a ZIP with a Java manifest: `java -jar` runs it as it is';
  return undefined;
}

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04] as const;

const ARCHIVE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.zip', '.jar', '.war', '.ear', '.whl', '.egg', '.apk', '.nupkg', '.vsix',
  '.tar', '.tgz', '.gz', '.bz2', '.tbz', '.tbz2', '.xz', '.txz', '.lz', '.lzma', '.zst', '.z',
  '.7z', '.rar', '.cab',
]);

const BINARY_EXTENSIONS: ReadonlyMap<string, string> = new Map(
  [
    ...['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.ico', '.icns', '.tif', '.tiff', '.avif', '.heic'].map((e) => [e, 'an image'] as const),
    ...['.ttf', '.otf', '.woff', '.woff2', '.eot'].map((e) => [e, 'a font'] as const),
    ...['.mp3', '.mp4', '.m4a', '.wav', '.ogg', '.webm', '.mov', '.avi', '.flac'].map((e) => [e, 'an audio or video file'] as const),
    ...['.pdf', '.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx', '.odt'].map((e) => [e, 'a binary document'] as const),
    ...['.db', '.sqlite', '.sqlite3', '.parquet', '.npy', '.npz', '.pkl', '.pickle'].map((e) => [e, 'a binary data file'] as const),
  ],
);

// ---------------------------------------------------------------------------------------------
// Small helpers

function readUpTo(fd: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = fs.readSync(fd, buffer, filled, length - filled, null);
    if (read === 0) break;
    filled += read;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Names the link's target (read with readlink, never followed) and, given the skill root, whether it stays inside it. */
function symlinkDescription(abs: string, root?: string): string {
  const target = readLinkTarget(abs);
  if (target === undefined) return 'symbolic link (its target cannot be read); not followed';
  const inside = root === undefined ? undefined : linkStaysInside(abs, target, root);
  const where = inside === undefined ? '' : inside ? ' (inside the skill folder)' : ' (outside the skill folder)';
  return `symbolic link to ${quoteTarget(target)}${where}; not followed`;
}

/** A link found in the skill, and whether it leaves the skill folder (an unreadable target counts as leaving). */
function symlinkEntry(rel: string, abs: string, root: string): UnanalysedFile {
  const target = readLinkTarget(abs);
  const leaves = target === undefined || !linkStaysInside(abs, target, root);
  return {
    path: rel,
    reason: 'symlink',
    detail: symlinkDescription(abs, root),
    ...(leaves ? { leavesSkill: true } : {}),
    ...(target !== undefined ? { linkTarget: target, linkResolved: path.resolve(path.dirname(abs), target) } : {}),
  };
}

function linkStaysInside(abs: string, target: string, root: string): boolean {
  const resolved = path.resolve(path.dirname(abs), target);
  return resolved === root || resolved.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function readLinkTarget(abs: string): string | undefined {
  try {
    return fs.readlinkSync(abs);
  } catch {
    return undefined;
  }
}

/** The target is attacker-chosen: quote it on one line and cap its length. */
function quoteTarget(target: string | undefined): string {
  if (target === undefined) return 'an unreadable target';
  const capped = target.length > MAX_QUOTED_TARGET ? `${target.slice(0, MAX_QUOTED_TARGET)}…` : target;
  return JSON.stringify(capped);
}

function unreadableDetail(error: unknown, rel: string): string {
  if (errorCode(error) === 'ENOENT' && rel.includes('\uFFFD')) {
    return 'its file name is not valid UTF-8, so it could not be opened by name';
  }
  return `cannot be read (${describeFsError(error)})`;
}

function specialFileKind(stats: fs.Stats): string {
  return stats.isDirectory() ? 'a folder' : specialKindPhrase(stats);
}

function extensionOf(rel: string): string {
  return path.posix.extname(rel).toLowerCase();
}

function joinRel(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

function byName(a: fs.Dirent, b: fs.Dirent): number {
  return compareCodeUnits(a.name, b.name);
}

/** Root order: SKILL.md first, so the limits can never crowd it out. */
function markersFirst(a: fs.Dirent, b: fs.Dirent): number {
  const aMarker = isSkillMarkerName(a.name) ? 0 : 1;
  const bMarker = isSkillMarkerName(b.name) ? 0 : 1;
  return aMarker - bMarker || compareCodeUnits(a.name, b.name);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
