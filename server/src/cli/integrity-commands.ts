import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyObject } from 'node:crypto';
import manifest from '../../../package.json';
import { scannerStamp } from '../scanner-stamp';

/** Kept exported: the lock stamp is part of what `lock` promises, and tests pin it. */
export { scannerStamp };
import {
  BASELINE_NAME,
  BaselineFileError,
  BaselineMatcher,
  LOCKFILE_NAME,
  LockFileError,
  SigningKeyError,
  checkLockSignature,
  describeSkill,
  findingEvidence,
  findingFingerprint,
  generateSigningKeyPair,
  isBlockingVerdict,
  isInScope,
  loadPrivateKey,
  loadPublicKey,
  parseBaseline,
  readLockFile,
  serializeBaseline,
  severityRank,
  signLockFile,
  skillKey,
  skillRootOf,
  updateLock,
  verifySkill,
  writeLockFile,
  type BaselineEntry,
  type BaselineFile,
  type CapabilityInventory,
  type Finding,
  type ReadLock,
  type SignatureCheck,
  type SkillVerification,
} from '../engine';
import type { BaselineCommand, KeygenCommand, LockCommand, VerifyCommand } from './args';
import {
  CliFailure,
  EXIT_CLEAN,
  EXIT_ERROR,
  EXIT_FINDINGS,
  collectSkills,
  compareText,
  describeError,
  displayPath,
  emit,
  reportError,
  type CliDependencies,
  type CliIo,
  type CollectedSkill,
  type ScanProblem,
} from './context';
import { formatVerifyJson, formatVerifyText, type VerifyOutcome, type VerifiedSkill } from './format-verify';

/**
 * `lock`, `verify`, `keygen` and `baseline`: the command-line side of the integrity features.
 * The decisions (what a lock entry holds, what counts as drift, how signatures and fingerprints
 * are computed) live in engine/integrity, shared with the language server; this file reads the
 * arguments, talks to the file system and the user, and picks exit codes.
 */

// ---------------------------------------------------------------------------------------------
// lock

export async function runLock(command: LockCommand, io: CliIo, dependencies: CliDependencies): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const lockPath = resolveLockPath(command.lockfile, command.paths, cwd);
  const lockFolder = path.dirname(lockPath);
  const previous = loadLock(lockPath, cwd);
  // Read the key before the (possibly long) scan, so a wrong path fails at once.
  const privateKey = command.signKey === undefined ? undefined : readPrivateKeyFile(path.resolve(cwd, command.signKey), command.signKey);

  const collection = await collectSkills(command.paths, command.exclude, io, dependencies);
  const errors: ScanProblem[] = [...collection.errors];
  const scanner = scannerStamp(collection.engine);
  const approvedAt = dependencies.now();
  const approved = new Map<string, ReturnType<typeof describeSkill>['entry']>();
  const refused: CollectedSkill[] = [];
  for (const skill of collection.skills) {
    const described = describeSkill({
      bundle: skill.bundle,
      report: skill.report,
      scanner,
      approvedAt,
      excludeFiles: workspaceFiles(lockFolder, lockPath),
    });
    for (const problem of described.problems) {
      errors.push({ path: path.posix.join(skill.root, problem.path), message: `cannot be hashed: ${problem.message}` });
    }
    if (isBlockingVerdict(skill.report.verdict) && !command.force) refused.push(skill);
    approved.set(skillKey(lockFolder, skill.absoluteRoot), described.entry);
  }

  if (errors.length > 0) {
    for (const problem of errors) reportError(io, `${problem.path}: ${problem.message}`);
    reportError(io, `nothing was locked; ${displayPath(cwd, lockPath)} is unchanged`);
    return EXIT_ERROR;
  }
  if (refused.length > 0) {
    for (const skill of refused) reportError(io, refusalMessage(skill));
    reportError(io, `nothing was locked; review the findings with 'skill-sentinel scan', then pass --force to approve anyway`);
    return EXIT_FINDINGS;
  }

  const requested = requestedRoots(command.paths, cwd);
  const update = updateLock(previous?.lock, approved, (key) => isInScope(skillRootOf(lockFolder, key), requested));
  let lock = update.lock;
  if (privateKey !== undefined) {
    lock = signLockFile(lock, privateKey);
  } else if (previous?.lock.signature !== undefined) {
    reportError(io, `note: ${displayPath(cwd, lockPath)} was signed; the updated lock is not (pass --sign-key to sign it)`);
  }
  for (const skill of collection.skills) {
    if (isBlockingVerdict(skill.report.verdict)) {
      reportError(io, `warning: ${skill.root} approved with --force although its verdict is ${skill.report.verdict}`);
    }
  }
  try {
    writeLockFile(lockPath, lock);
  } catch (error) {
    throw new CliFailure(`cannot write ${displayPath(cwd, lockPath)}: ${describeError(error)}`);
  }

  const counts = [
    `${update.added.length} new`,
    `${update.updated.length} updated`,
    `${update.unchanged.length} unchanged`,
    ...(update.removed.length > 0 ? [`${update.removed.length} removed`] : []),
  ].join(', ');
  const signed = privateKey === undefined ? '' : `; signed with key ${lock.signature?.keyId ?? ''}`;
  io.stdout(`locked ${plural(approved.size, 'skill')} in ${displayPath(cwd, lockPath)} (${counts})${signed}\n`);
  return EXIT_CLEAN;
}

function refusalMessage(skill: CollectedSkill): string {
  const blocking = skill.report.findings.filter((finding) => severityRank(finding.severity) >= severityRank('high'));
  const first = [...blocking].sort((a, b) => severityRank(b.severity) - severityRank(a.severity))[0];
  const where = first === undefined ? '' : `; e.g. ${path.posix.join(skill.root, first.file)}:${first.span.line}:${first.span.column} ${first.ruleId} ${oneLine(first.message)}`;
  return (
    `refusing to lock ${skill.root}: its verdict is ${skill.report.verdict} ` +
    `(${plural(blocking.length, 'high or critical finding')})${where}`
  );
}

// ---------------------------------------------------------------------------------------------
// verify

export async function runVerify(command: VerifyCommand, io: CliIo, dependencies: CliDependencies): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const lockPath = resolveLockPath(command.lockfile, command.paths, cwd);
  const lockFolder = path.dirname(lockPath);
  const lockDisplay = displayPath(cwd, lockPath);
  const read = loadLock(lockPath, cwd);
  if (read === undefined) {
    throw new CliFailure(`no lock file at ${lockDisplay}; approve the skills with 'skill-sentinel lock' first`);
  }

  let signature: VerifyOutcome['signature'];
  if (command.trustKey !== undefined) {
    const trusted = readPublicKeyFile(path.resolve(cwd, command.trustKey), command.trustKey);
    const check = checkLockSignature(read.document, trusted);
    signature = check;
    if (check.status !== 'valid') {
      // An untrusted lock says nothing about the skills: report the signature alone.
      const outcome: VerifyOutcome = { lockfile: lockDisplay, toolVersion: manifest.version, signature, skills: [], errors: [] };
      reportError(io, signatureMessage(check, lockDisplay));
      if (command.format === 'json') await emit(formatVerifyJson(outcome), command.output, io);
      return EXIT_FINDINGS;
    }
  } else {
    signature = { status: read.lock.signature === undefined ? 'unsigned' : 'not-checked' };
  }

  const collection = await collectSkills(command.paths, command.exclude, io, dependencies);
  const errors: ScanProblem[] = [...collection.errors];
  const scanner = scannerStamp(collection.engine);
  const now = dependencies.now();
  const skills: VerifiedSkill[] = [];
  const seen = new Set<string>();
  for (const skill of collection.skills) {
    const key = skillKey(lockFolder, skill.absoluteRoot);
    seen.add(key);
    const described = describeSkill({
      bundle: skill.bundle,
      report: skill.report,
      scanner,
      approvedAt: now,
      excludeFiles: workspaceFiles(lockFolder, lockPath),
    });
    for (const problem of described.problems) {
      errors.push({ path: path.posix.join(skill.root, problem.path), message: `cannot be hashed: ${problem.message}` });
    }
    skills.push(verified(skill.root, verifySkill(key, read.lock.skills[key], described.entry), described.capabilities));
  }
  const requested = requestedRoots(command.paths, cwd);
  for (const [key, locked] of Object.entries(read.lock.skills)) {
    const root = skillRootOf(lockFolder, key);
    if (seen.has(key) || !isInScope(root, requested)) continue;
    skills.push(verified(displayPath(cwd, root), verifySkill(key, locked, undefined), undefined));
  }
  skills.sort((a, b) => compareText(a.root, b.root));

  const outcome: VerifyOutcome = { lockfile: lockDisplay, toolVersion: manifest.version, signature, skills, errors };
  for (const problem of errors) reportError(io, `${problem.path}: ${problem.message}`);
  await emit(command.format === 'json' ? formatVerifyJson(outcome) : formatVerifyText(outcome), command.output, io);
  if (errors.length > 0) return EXIT_ERROR;
  return skills.every((skill) => skill.verification.status === 'ok') ? EXIT_CLEAN : EXIT_FINDINGS;
}

function verified(root: string, verification: SkillVerification, capabilities: CapabilityInventory | undefined): VerifiedSkill {
  return { root, verification, ...(capabilities === undefined ? {} : { capabilities }) };
}

function signatureMessage(check: Exclude<SignatureCheck, { status: 'valid' }>, lockDisplay: string): string {
  switch (check.status) {
    case 'missing':
      return `${lockDisplay} is not signed, but --trust-key requires a signature; sign it with 'skill-sentinel lock --sign-key KEY'`;
    case 'wrong-key':
      return `${lockDisplay} is signed by key ${check.keyId}, not by the trusted key ${check.trustedKeyId}`;
    case 'invalid':
      return `${lockDisplay} has a bad signature: its content was changed after it was signed`;
  }
}

// ---------------------------------------------------------------------------------------------
// keygen

export function runKeygen(command: KeygenCommand, io: CliIo): number {
  const cwd = path.resolve(io.cwd);
  const privatePath = path.resolve(cwd, command.out);
  const publicPath = `${privatePath}.pub`;
  for (const target of [privatePath, publicPath]) {
    if (fs.existsSync(target) || isSymlink(target)) {
      if (!command.force) throw new CliFailure(`${displayPath(cwd, target)} already exists; pass --force to replace it`);
      // Remove first, then create exclusively: never write through a link planted at the path.
      fs.rmSync(target, { force: true });
    }
  }
  const pair = generateSigningKeyPair();
  try {
    fs.writeFileSync(privatePath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    fs.writeFileSync(publicPath, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    throw new CliFailure(`cannot write the key pair: ${describeError(error)}`);
  }
  io.stdout(
    `wrote the private key to ${displayPath(cwd, privatePath)} (keep it secret; never commit it)\n` +
      `wrote the public key to ${displayPath(cwd, publicPath)} (share it; verify with --trust-key)\n` +
      `key id ${pair.keyId}\n`,
  );
  return EXIT_CLEAN;
}

function isSymlink(target: string): boolean {
  try {
    return fs.lstatSync(target).isSymbolicLink();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// baseline

export interface LoadedBaseline {
  readonly file: BaselineFile;
  /** Folder the baseline's skill paths are relative to. */
  readonly folder: string;
}

/** Reads a baseline file; any problem is a CliFailure naming the file (exit 2). */
export function readBaseline(absolutePath: string, shownAs: string, options: { readonly missingIsEmpty?: boolean } = {}): LoadedBaseline {
  let text: string;
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.missingIsEmpty) return { file: { version: 1, suppressions: [] }, folder: path.dirname(absolutePath) };
    throw new CliFailure(`cannot use baseline ${shownAs}: ${code === 'ENOENT' ? 'it does not exist' : describeError(error)}`);
  }
  try {
    return { file: parseBaseline(text), folder: path.dirname(absolutePath) };
  } catch (error) {
    if (error instanceof BaselineFileError) throw new CliFailure(`cannot use baseline ${shownAs}: ${error.message}`);
    throw error;
  }
}

export async function runBaselineCommand(command: BaselineCommand, io: CliIo, dependencies: CliDependencies): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const shownAs = command.baseline ?? BASELINE_NAME;
  const baselinePath = path.resolve(cwd, shownAs);
  const existing = readBaseline(baselinePath, shownAs, { missingIsEmpty: true });
  const collection = await collectSkills(command.paths, command.exclude, io, dependencies);
  if (collection.errors.length > 0) {
    for (const problem of collection.errors) reportError(io, `${problem.path}: ${problem.message}`);
    reportError(io, `nothing was added; ${displayPath(cwd, baselinePath)} is unchanged`);
    return EXIT_ERROR;
  }
  const matcher = new BaselineMatcher(existing.file, dependencies.now());
  const entries: BaselineEntry[] = [...existing.file.suppressions];
  const added = new Set<string>();
  let alreadyAccepted = 0;
  const threshold = severityRank(command.severity);
  for (const skill of collection.skills) {
    const key = skillKey(existing.folder, skill.absoluteRoot);
    for (const finding of skill.report.findings) {
      if (severityRank(finding.severity) < threshold) continue;
      const evidence = findingEvidence(skill.bundle, finding);
      if (matcher.match(key, finding, evidence) !== undefined) {
        alreadyAccepted++;
        continue;
      }
      const fingerprint = findingFingerprint(finding.ruleId, finding.file, evidence);
      const identity = `${key}\0${finding.ruleId}\0${finding.file}\0${fingerprint}`;
      if (added.has(identity)) continue; // the same evidence reported twice is one entry
      added.add(identity);
      entries.push(baselineEntry(key, finding, fingerprint, command));
    }
  }
  try {
    fs.writeFileSync(baselinePath, serializeBaseline({ version: 1, suppressions: entries }), 'utf8');
  } catch (error) {
    throw new CliFailure(`cannot write ${displayPath(cwd, baselinePath)}: ${describeError(error)}`);
  }
  io.stdout(
    `accepted ${plural(added.size, 'finding')} into ${displayPath(cwd, baselinePath)}` +
      (alreadyAccepted > 0 ? ` (${alreadyAccepted} already accepted)` : '') +
      '\n',
  );
  return EXIT_CLEAN;
}

function baselineEntry(skill: string, finding: Finding, fingerprint: string, command: BaselineCommand): BaselineEntry {
  return {
    rule: finding.ruleId,
    skill,
    file: finding.file,
    fingerprint,
    reason: command.reason,
    ...(command.expires === undefined ? {} : { expires: command.expires }),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared

/**
 * `--lockfile` when given; otherwise `skill-sentinel.lock.json` in the scanned root: the one
 * folder named on the command line, or the working directory when none or several are named.
 */
export function resolveLockPath(lockfile: string | undefined, paths: readonly string[], cwd: string): string {
  if (lockfile !== undefined) return path.resolve(cwd, lockfile);
  if (paths.length === 1) {
    const only = path.resolve(cwd, paths[0] as string);
    try {
      if (fs.statSync(only).isDirectory()) return path.join(only, LOCKFILE_NAME);
    } catch {
      // discovery reports the missing path; the lock location falls back to the working directory
    }
  }
  return path.join(cwd, LOCKFILE_NAME);
}

function loadLock(lockPath: string, cwd: string): ReadLock | undefined {
  try {
    return readLockFile(lockPath);
  } catch (error) {
    if (error instanceof LockFileError) throw new CliFailure(`cannot use lock file ${displayPath(cwd, lockPath)}: ${error.message}`);
    throw error;
  }
}

function readPrivateKeyFile(absolutePath: string, shownAs: string): KeyObject {
  return loadKey(absolutePath, shownAs, 'signing key', loadPrivateKey);
}

function readPublicKeyFile(absolutePath: string, shownAs: string): KeyObject {
  return loadKey(absolutePath, shownAs, 'trusted key', loadPublicKey);
}

function loadKey(absolutePath: string, shownAs: string, role: string, load: (pem: string) => KeyObject): KeyObject {
  let pem: string;
  try {
    pem = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(`cannot read ${role} ${shownAs}: ${code === 'ENOENT' ? 'it does not exist' : describeError(error)}`);
  }
  try {
    return load(pem);
  } catch (error) {
    if (error instanceof SigningKeyError) throw new CliFailure(`cannot use ${role} ${shownAs}: ${error.message}`);
    throw error;
  }
}


/** Workspace files that may sit inside a skill folder but are never part of it. */
function workspaceFiles(lockFolder: string, lockPath: string): ReadonlySet<string> {
  return new Set([lockPath, path.join(lockFolder, BASELINE_NAME)]);
}

function requestedRoots(paths: readonly string[], cwd: string): string[] {
  return (paths.length > 0 ? paths : ['.']).map((requested) => path.resolve(cwd, requested));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
