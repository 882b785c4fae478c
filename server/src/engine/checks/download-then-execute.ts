import type { Node } from 'web-tree-sitter';
import { findAll } from '../dataflow/walker';
import { treeFor } from '../matchers/tree-sitter-query';
import { buildPrefilter } from '../regex-prefilter';
import type { MatchContext, RawFinding } from '../matchers/types';
import { keptUnitFindings } from '../result-memo';
import type { CodeUnit } from '../skill-model';
import type { CheckOptions } from './index';
import { withoutComments } from '../cmake-commands';
import { firstLine } from './first-line';
import { programIndex } from '../shell-wrappers';

/**
 * A file is downloaded and then run (or made executable) in the same script or code fence:
 * `curl -o x.sh URL; bash x.sh`, `wget URL; chmod +x tool; ./tool`,
 * `urlretrieve(url, path)` followed by `subprocess.run([path])`. The finding sits on the command
 * that runs the file, with the download as a related location. A checksum or signature check
 * (`sha256sum`, `shasum`, `gpg --verify`, `cosign`, `minisign`, `hashlib`) between the two
 * silences the pair: that is the pinned, verified download the threat catalogue allows.
 *
 * Linear in the size of the tree: one search per unit inside tree-sitter; the pairing is bounded by
 * MAX_DOWNLOADS × the number of candidate commands.
 */

const MAX_DOWNLOADS = 20;
const MAX_NODES = 200_000;
const SHELL_COMMAND_TYPES: ReadonlySet<string> = new Set(['redirected_statement', 'command', 'variable_assignment']);
/** Variables whose libraries the dynamic loader puts into every program started with them. */
const PRELOAD_VARIABLE = /^(?:LD_PRELOAD|LD_AUDIT|DYLD_INSERT_LIBRARIES)=(.*)$/s;
const PYTHON_CALL_TYPES: ReadonlySet<string> = new Set(['call']);
const MAX_FINDINGS = 20;
/** Name this check's per-script results in the result memo. */
const BASH_PAIRS = {};
const PYTHON_PAIRS = {};
const POWERSHELL_PAIRS = {};
const CMAKE_PAIRS = {};
const JAVASCRIPT_PAIRS = {};

interface Download {
  readonly path: string;
  readonly node: Node;
  readonly tool: string;
  /**
   * Set when this entry is the folder a downloaded archive was unpacked into: a run of a path
   * inside it runs downloaded code. `stem` is the archive's name without its extension, the
   * folder an archive unpacked into the working directory usually creates.
   */
  readonly unpacked?: { readonly folder: string; readonly stem: string };
}

export function downloadThenExecute(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    if (findings.length >= MAX_FINDINGS || Date.now() > context.deadline) break;
    if (unit.language === 'bash') {
      if (!/\b(curl|wget|aria2c)\b/.test(unit.text)) continue;
      findings.push(...keptUnitFindings(context, unit, BASH_PAIRS, '', () => {
        const tree = treeFor(unit, context);
        return tree ? bashPairs(unit, tree.rootNode) : [];
      }));
    } else if (unit.language === 'powershell') {
      if (!/-(?:OutFile|Destination|o)\b|\.DownloadFile\(/i.test(unit.text)) continue;
      findings.push(...keptUnitFindings(context, unit, POWERSHELL_PAIRS, '', () => powershellPairs(unit)));
    } else if (unit.language === 'javascript' || unit.language === 'typescript') {
      if (!JS_FETCH.test(unit.text) || !JS_SAVE_WORD.test(unit.text)) continue;
      findings.push(...keptUnitFindings(context, unit, JAVASCRIPT_PAIRS, '', () => javascriptPairs(unit)));
    } else if (unit.language === 'text') {
      // CMake scripts (and fences) are text; `file(DOWNLOAD` says which of them download.
      if (!CMAKE_DOWNLOAD_WORD.test(unit.text)) continue;
      findings.push(...keptUnitFindings(context, unit, CMAKE_PAIRS, '', () => cmakePairs(unit)));
    } else if (unit.language === 'python') {
      if (!/\b(urlretrieve|urlopen|requests|httpx|urllib3|wget)\b/.test(unit.text)) continue;
      findings.push(...keptUnitFindings(context, unit, PYTHON_PAIRS, '', () => {
        const tree = treeFor(unit, context);
        return tree ? pythonPairs(unit, tree.rootNode) : [];
      }));
    }
  }
  return findings.slice(0, MAX_FINDINGS);
}

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed[trimmed.length - 1] === trimmed[0]) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}

function normalisePath(text: string): string {
  return unquote(text).replace(/^\.\//, '');
}

function basename(path: string): string {
  const clean = path.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1);
}

function samePath(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  if (a === b) return true;
  // `-O` saves under the URL's basename; `cd /tmp && ./tool` runs it by basename.
  if (!a.includes('/') || !b.includes('/')) return basename(a) === basename(b) && basename(a).length > 0;
  return false;
}

// ---------------------------------------------------------------- bash

const INTERPRETERS = /^(?:(?:ba|z|da|k)?sh|python[0-9.]*|node|perl|ruby|php|source|\.|pwsh|deno|bun)$/;
const VERIFIERS = /^(?:sha(?:1|224|256|384|512)sum|shasum|md5sum|b2sum|gpg2?|cosign|minisign|signify|openssl|sigstore|slsa-verifier)$/;

function commandWords(command: Node): string[] {
  const words: string[] = [];
  const name = command.childForFieldName('name');
  if (name) words.push(unquote(name.text));
  for (const argument of command.childrenForFieldName('argument')) {
    if (argument) words.push(argument.text);
  }
  return words;
}

/** Drops `sudo`, `env A=b`, `timeout 60` and the other wrappers, so `sudo bash x.sh` reads as `bash x.sh`. */
function effectiveWords(words: readonly string[]): string[] {
  return words.slice(programIndex(words));
}

/** A command's words without the wrappers before it. */
function wordsOf(command: Node): string[] {
  return effectiveWords(commandWords(command));
}

function urlOf(words: readonly string[]): string | undefined {
  return words.find((word) => /^["']?(?:https?|ftp):\/\//.test(word));
}

/** The path a curl/wget/aria2c command writes, or undefined when it writes to stdout. */
function downloadTarget(command: Node, words: readonly string[]): Download | undefined {
  const tool = words[0] ?? '';
  if (!/^(?:curl|wget|aria2c)$/.test(tool)) return undefined;
  const url = urlOf(words);
  if (!url) return undefined;
  const urlName = basename(unquote(url));
  for (let i = 1; i < words.length; i++) {
    const word = unquote(words[i] ?? '');
    const next = words[i + 1] !== undefined ? normalisePath(words[i + 1] as string) : '';
    if (tool === 'curl') {
      if (word === '--output' || /^-[A-Za-z]*o$/.test(word)) return { path: next, node: command, tool };
      if (/^-o\S+$/.test(word)) return { path: normalisePath(word.slice(2)), node: command, tool };
      if (word === '--remote-name' || /^-[A-Za-z]*O[A-Za-z]*$/.test(word)) return { path: urlName, node: command, tool };
    } else if (tool === 'wget') {
      if (word === '--output-document' || /^-[A-Za-z]*O$/.test(word)) return next === '-' ? undefined : { path: next, node: command, tool };
      const attached = /^-[A-Za-z]*O(\S+)$/.exec(word) ?? /^--output-document=(\S+)$/.exec(word);
      if (attached) return attached[1] === '-' ? undefined : { path: normalisePath(attached[1] ?? ''), node: command, tool };
      if ((word === '-P' || word === '--directory-prefix') && next) return { path: `${next.replace(/\/+$/, '')}/${urlName}`, node: command, tool };
    } else if (word === '-o' || word === '--out') {
      return { path: next, node: command, tool };
    }
  }
  // wget and aria2c save under the URL's basename by default; curl without -o writes to stdout.
  return tool === 'curl' ? undefined : { path: urlName, node: command, tool };
}

/** `curl URL > file` */
function redirectTarget(statement: Node): Download | undefined {
  const body = statement.childForFieldName('body');
  if (!body || body.type !== 'command') return undefined;
  const words = wordsOf(body);
  const tool = words[0] ?? '';
  if (!/^(?:curl|wget)$/.test(tool) || !urlOf(words)) return undefined;
  for (const redirect of statement.childrenForFieldName('redirect')) {
    if (!redirect || redirect.type !== 'file_redirect') continue;
    // `2>/dev/null` and other numbered redirects do not capture the download.
    if (redirect.namedChildren.some((child) => child?.type === 'file_descriptor')) continue;
    const operator = redirect.children.find((child) => child !== null && !child.isNamed)?.text ?? '';
    const destination = redirect.childForFieldName('destination');
    if ((operator === '>' || operator === '>|') && destination) return { path: normalisePath(destination.text), node: statement, tool };
  }
  return undefined;
}

/** `tar xzf a.tgz -C dir`, `unzip [-P pw] a.zip -d dir`, `7z x -ppw a.7z -odir`, `bsdtar -xf a`. */
function extractionOf(effective: readonly string[]): { archive: string; folder: string; password: boolean } | undefined {
  const words = effective.map((word) => unquote(word));
  const tool = basename(words[0] ?? '');
  const rest = words.slice(1);
  if (tool === 'tar' || tool === 'bsdtar') {
    const bundled = rest[0] !== undefined && !rest[0].startsWith('-') ? rest[0] : '';
    const flags = rest.filter((word) => /^-[A-Za-z]+$/.test(word)).join('') + bundled;
    if (!/x/.test(flags) && !rest.includes('--extract')) return undefined;
    const fileFlag = rest.findIndex((word, i) => /^-[A-Za-z]*f$/.test(word) || (i === 0 && /^[A-Za-z]*f$/.test(word)) || word === '--file');
    // No archive named: tar reads it from standard input (`-f -` says so too).
    const archive = fileFlag >= 0 ? rest[fileFlag + 1] : (rest.find((word) => /\.(?:tar(?:\.\w+)?|tgz|tbz2?|txz)$/.test(word)) ?? '-');
    const dirFlag = rest.findIndex((word) => word === '-C' || word === '--directory');
    const folder = dirFlag >= 0 ? (rest[dirFlag + 1] ?? '.') : (rest.find((word) => word.startsWith('--directory='))?.slice(12) ?? '.');
    return archive ? { archive: archive === '-' ? '-' : normalisePath(archive), folder: normalisePath(folder), password: false } : undefined;
  }
  if (tool === 'unzip') {
    const archive = rest.find((word, i) => !word.startsWith('-') && rest[i - 1] !== '-P' && rest[i - 1] !== '-d');
    const dirFlag = rest.indexOf('-d');
    const folder = dirFlag >= 0 ? (rest[dirFlag + 1] ?? '.') : '.';
    return archive ? { archive: normalisePath(archive), folder: normalisePath(folder), password: rest.some((word) => word === '-P' || /^-P\S/.test(word)) } : undefined;
  }
  if (/^7za?$|^7zz$/.test(tool) && /^[xe]$/.test(rest[0] ?? '')) {
    const archive = rest.slice(1).find((word) => !word.startsWith('-'));
    const out = rest.find((word) => /^-o\S/.test(word));
    return archive ? { archive: normalisePath(archive), folder: out ? normalisePath(out.slice(2)) : '.', password: rest.some((word) => /^-p\S/.test(word)) } : undefined;
  }
  return undefined;
}

/** The download a command reads from the pipe before it: `curl -sL URL | tar xz`, with curl writing to stdout. */
function pipedDownload(command: Node): Download | undefined {
  const pipeline = command.parent;
  if (pipeline?.type !== 'pipeline') return undefined;
  let previous = command.previousNamedSibling;
  while (previous && previous.type !== 'command' && previous.type !== 'redirected_statement') previous = previous.previousNamedSibling;
  // `curl -sL URL 2>/dev/null | tar xz`: the command inside its redirects.
  if (previous?.type === 'redirected_statement') previous = previous.childForFieldName('body');
  if (previous?.type !== 'command') return undefined;
  const words = wordsOf(previous);
  const url = /^(?:curl|wget)$/.test(words[0] ?? '') ? urlOf(words) : undefined;
  if (!url || downloadTarget(previous, words)) return undefined;
  return { path: basename(unquote(url)).replace(/[?#].*$/, ''), node: previous, tool: words[0] ?? '' };
}

/** The download a preload assignment (`LD_PRELOAD=/tmp/x.so`) puts into the programs it starts. */
function preloadedDownload(assignment: string, downloads: readonly Download[]): Download | undefined {
  const value = PRELOAD_VARIABLE.exec(assignment)?.[1];
  if (value === undefined) return undefined;
  const libraries = unquote(value).split(/[:\s]+/).filter((library) => library !== '').map(normalisePath);
  return downloads.find((d) => libraries.some((library) => (d.unpacked ? insideUnpacked(d.unpacked, library) : samePath(d.path, library))));
}

function archiveStem(archive: string): string {
  return basename(archive).replace(/\.(?:tar\.\w+|tgz|tbz2?|txz|zip|7z|tar)$/i, '');
}

/** A run of a path inside the folder an archive was unpacked into. */
function insideUnpacked(unpacked: { readonly folder: string; readonly stem: string }, path: string): boolean {
  const folder = unpacked.folder.replace(/\/+$/, '');
  if (folder !== '.' && folder !== '') return path.startsWith(`${folder}/`);
  // Unpacked into the working directory: only the folder named after the archive is its own.
  return unpacked.stem.length > 0 && (path.startsWith(`${unpacked.stem}/`) || path.startsWith(`./${unpacked.stem}/`));
}

type Use = { readonly kind: 'run' | 'chmod'; readonly path: string };

function useOf(effective: readonly string[]): Use | undefined {
  const words = effective.map((word) => unquote(word));
  const name = words[0] ?? '';
  if (name === 'chmod') {
    const mode = words.slice(1).find((word) => !word.startsWith('-') || /^-[rwx]/.test(word)) ?? '';
    if (!/(?:^|[ugoa,]*)\+[rw]*x|^[0-7]?[0-7]*[1357][0-7]{0,2}$/.test(mode)) return undefined;
    const target = words[words.indexOf(mode) + 1];
    return target ? { kind: 'chmod', path: normalisePath(target) } : undefined;
  }
  if (INTERPRETERS.test(basename(name))) {
    const script = words.slice(1).find((word) => !word.startsWith('-'));
    return script ? { kind: 'run', path: normalisePath(script) } : undefined;
  }
  // A package installed runs its install scripts, usually as root: `installer -pkg p`,
  // `dpkg -i p`, `rpm -U p`, `apt install ./p`; `open` mounts or runs a disk image, installer or
  // app.
  const installed = installedPackage(basename(name), words);
  if (installed) return { kind: 'run', path: normalisePath(installed) };
  // A path, or a variable holding one (`f=$(mktemp); curl -o "$f" …; "$f"`).
  if (name.includes('/') || /^\$\{?\w+\}?$/.test(name)) return { kind: 'run', path: normalisePath(name) };
  return undefined;
}

const PACKAGE_FILE = /\.(?:pkg|mpkg|dmg|deb|rpm|msi|apk|app)\/?$/i;

/** The package file a package-manager command installs, if it names one. */
function installedPackage(program: string, words: readonly string[]): string | undefined {
  const operands = words.slice(1).filter((word) => !word.startsWith('-'));
  const packageFile = operands.find((word) => PACKAGE_FILE.test(word) || /^\$\{?\w+\}?$/.test(word));
  switch (program) {
    case 'installer': {
      const at = words.indexOf('-pkg');
      return at > 0 ? words[at + 1] : undefined;
    }
    case 'dpkg':
    case 'rpm':
      return words.some((word) => /^-(?:[a-zA-Z]*[iU][a-zA-Z]*|-install|-upgrade)$/.test(word)) ? packageFile : undefined;
    case 'apt':
    case 'apt-get':
    case 'yum':
    case 'dnf':
    case 'zypper':
      return words.some((word) => word === 'install' || word === 'localinstall') ? operands.find((word) => PACKAGE_FILE.test(word)) : undefined;
    case 'open':
      return operands.find((word) => PACKAGE_FILE.test(word));
    default:
      return undefined;
  }
}

/**
 * An interpreter given no script reads its program from standard input: `bash < x.sh` and
 * `cat x.sh | sudo bash` run `x.sh`.
 */
function stdinScriptOf(command: Node, effective: readonly string[]): Use | undefined {
  if (!INTERPRETERS.test(basename(unquote(effective[0] ?? ''))) || effective.length > 1) return undefined;
  const parent = command.parent;
  if (parent?.type === 'redirected_statement') {
    for (const redirect of parent.childrenForFieldName('redirect')) {
      if (redirect?.type !== 'file_redirect' || redirect.namedChildren.some((child) => child?.type === 'file_descriptor')) continue;
      const operator = redirect.children.find((child) => child !== null && !child.isNamed)?.text ?? '';
      const destination = redirect.childForFieldName('destination');
      if (operator === '<' && destination) return { kind: 'run', path: normalisePath(destination.text) };
    }
  }
  const piped = parent?.type === 'pipeline' ? command : parent?.type === 'redirected_statement' && parent.parent?.type === 'pipeline' ? parent : undefined;
  const before = piped?.previousNamedSibling;
  if (before?.type === 'command') {
    const reader = wordsOf(before);
    if (basename(unquote(reader[0] ?? '')) === 'cat' && reader.length === 2) return { kind: 'run', path: normalisePath(reader[1] ?? '') };
  }
  return undefined;
}

function bashPairs(unit: CodeUnit, root: Node): RawFinding[] {
  const findings: RawFinding[] = [];
  const downloads: Download[] = [];
  const made: Set<Download> = new Set();
  // Statements whose redirect captures a download, by node id: their command is not looked at again.
  const capturing = new Set<number>();
  for (const node of findAll(root, SHELL_COMMAND_TYPES, MAX_NODES)) {
    if (node.type === 'redirected_statement') {
      const target = redirectTarget(node);
      if (target) capturing.add(node.id);
      if (target && target.path && downloads.length < MAX_DOWNLOADS) downloads.push(target);
      continue;
    }
    if (node.type === 'variable_assignment') {
      // `LD_PRELOAD=/tmp/x.so prog`, `export LD_PRELOAD=…`: the library runs inside what starts next.
      const download = preloadedDownload(node.text, downloads);
      if (download) findings.push(finding(unit, node.parent?.type === 'command' ? node.parent : node, download, 'preload'));
      continue;
    }
    if (node.type !== 'command') continue;
    const parent = node.parent;
    if (parent?.type === 'redirected_statement' && capturing.has(parent.id)) continue;
    const name = basename(unquote(node.childForFieldName('name')?.text ?? ''));
    if (VERIFIERS.test(name)) {
      // Anything downloaded before a checksum or signature check counts as verified.
      downloads.length = 0;
      continue;
    }
    // Each command's words are read from the tree once, for every test below.
    const words = wordsOf(node);
    // `env LD_PRELOAD=/tmp/x.so prog`: the wrapper's assignments are dropped from `words`.
    if (name === 'env') {
      const download = commandWords(node).map((word) => preloadedDownload(unquote(word), downloads)).find((found) => found !== undefined);
      if (download) {
        findings.push(finding(unit, node, download, 'preload'));
        continue;
      }
    }
    const target = downloadTarget(node, words);
    if (target) {
      if (target.path && downloads.length < MAX_DOWNLOADS) downloads.push(target);
      continue;
    }
    const extraction = extractionOf(words);
    if (extraction?.archive === '-') {
      // `curl -sL URL | tar xz -C dir`: the archive is the download piped in.
      const piped = pipedDownload(node);
      if (piped && downloads.length < MAX_DOWNLOADS) downloads.push({ ...piped, unpacked: { folder: extraction.folder, stem: archiveStem(piped.path) } });
      continue;
    }
    if (extraction) {
      const archive = downloads.find((d) => !d.unpacked && samePath(d.path, extraction.archive));
      if (archive) {
        if (extraction.password) findings.push(finding(unit, node, archive, 'unpack'));
        if (downloads.length < MAX_DOWNLOADS) downloads.push({ ...archive, unpacked: { folder: extraction.folder, stem: archiveStem(extraction.archive) } });
      }
      continue;
    }
    const use = useOf(words) ?? stdinScriptOf(node, words);
    if (!use) continue;
    const download = downloads.find((d) => (d.unpacked ? insideUnpacked(d.unpacked, use.path) : samePath(d.path, use.path)));
    if (!download) continue;
    if (use.kind === 'chmod') {
      if (made.has(download)) continue;
      made.add(download);
    }
    findings.push(finding(unit, node, download, use.kind));
  }
  // A file made executable and then run is one finding (the run), not two.
  return dropChmodWhenRun(findings);
}

function dropChmodWhenRun(findings: RawFinding[]): RawFinding[] {
  const runs = new Set(findings.filter((f) => f.severity === 'critical').map((f) => f.captures?.download));
  return findings.filter((f) => f.severity === 'critical' || !runs.has(f.captures?.download));
}

const ACTIONS = {
  run: 'runs it',
  chmod: 'makes it executable',
  unpack: 'unpacks it with a password, which keeps its contents from malware scanners,',
  preload: 'loads it into the programs it starts, as a preloaded library,',
} as const;

function finding(unit: CodeUnit, node: Node, download: Download, kind: 'run' | 'chmod' | 'unpack' | 'preload'): RawFinding {
  const downloadText = firstLine(download.node.text, 120);
  const ranInside = kind === 'run' && download.unpacked !== undefined;
  return {
    file: unit.file.path,
    start: unit.start + node.startIndex,
    end: unit.start + node.endIndex,
    severity: kind === 'run' || kind === 'preload' ? 'critical' : 'high',
    captures: {
      run: firstLine(node.text, 120),
      path: download.path,
      download: downloadText,
      action: ranInside ? 'runs a file unpacked from it' : ACTIONS[kind],
    },
    related: [
      {
        file: unit.file.path,
        start: unit.start + download.node.startIndex,
        end: unit.start + download.node.endIndex,
        message: `\`${download.path}\` is downloaded here without a checksum check.`,
      },
    ],
  };
}

// ---------------------------------------------------------------- python

const PY_DOWNLOAD_CALL = /(?:^|\.)(?:urlretrieve|download_file|download)$/;
const PY_FETCH = /\b(?:requests|httpx|urllib3|session|client)\.(?:get|request|stream)\s*\(|\burlopen\s*\(/;
const PY_RUN = /^(?:subprocess\.(?:run|call|check_call|check_output|Popen)|os\.(?:system|popen|exec\w{0,3}|spawn\w{0,3}|startfile)|runpy\.run_path)$/;
/**
 * Calls that load a file as code: a native library, a module by name or path, a file's text
 * executed, or a downloaded archive or folder put where `import` looks (`sys.path.insert(0, p)`,
 * `site.addsitedir(p)`, `zipimport.zipimporter(p)`).
 */
const PY_LOAD = /^(?:(?:ctypes\.)?(?:CDLL|WinDLL|OleDLL|PyDLL)|(?:ctypes\.)?(?:cdll|windll|oledll)\.LoadLibrary|importlib\.import_module|import_module|__import__|imp\.load_source|importlib\.machinery\.SourceFileLoader|SourceFileLoader|(?:importlib\.util\.)?spec_from_file_location|(?:torch|joblib|pickle|dill|cloudpickle)\.load|exec|sys\.path\.(?:insert|append)|(?:site\.)?addsitedir|(?:zipimport\.)?zipimporter)$/;
const PY_VERIFY = /\bhashlib\b|\bsha256\b|\bverify_signature\b|\bgpg\b/;
/** Literals a unit holding a PY_DOWNLOAD_CALL or a PY_RUN call contains, derived from the patterns. */
const PY_DOWNLOAD_NAMES = buildPrefilter(PY_DOWNLOAD_CALL.source, '', true);
const PY_RUN_NAMES = buildPrefilter(PY_RUN.source, '', true);
const PY_LOAD_WORD = /\b(?:CDLL|WinDLL|OleDLL|PyDLL|LoadLibrary|import_module|__import__|load_source|SourceFileLoader|spec_from_file_location|(?:torch|joblib|pickle|dill|cloudpickle)\.load|exec|sys\.path\.(?:insert|append)|addsitedir|zipimporter)\s*\(/;
/** `path.write_bytes(response.read())`: a pathlib file written in one call. */
const PY_PATH_WRITE = /^([\w.]{1,100})\.write_(?:bytes|text)$/;

function pythonPairs(unit: CodeUnit, root: Node): RawFinding[] {
  const findings: RawFinding[] = [];
  const downloads: Download[] = [];
  const fetches = PY_FETCH.test(unit.text);
  // A pair needs a download (a download call's name, or an HTTP fetch and `open`) and a run or
  // chmod call, whose names the text must then hold.
  const text = unit.text;
  if (!fetches && PY_DOWNLOAD_NAMES?.mayMatch(text) === false) return findings;
  if (PY_RUN_NAMES?.mayMatch(text) === false && !text.includes('os.chmod') && !PY_LOAD_WORD.test(text)) return findings;
  const made: Set<Download> = new Set();
  for (const node of findAll(root, PYTHON_CALL_TYPES, MAX_NODES)) {
    const fn = node.childForFieldName('function')?.text ?? '';
    const isDownload = PY_DOWNLOAD_CALL.test(fn);
    const isHash = fn.startsWith('hashlib.') || PY_VERIFY.test(fn);
    const chmod = fn === 'os.chmod';
    // Most calls are none of these: their arguments are not read.
    const load = PY_LOAD.test(fn);
    const pathWrite = fetches ? PY_PATH_WRITE.exec(fn) : null;
    if (!isDownload && fn !== 'open' && !pathWrite && !isHash && !chmod && !load && !PY_RUN.test(fn)) continue;
    const args = node.childForFieldName('arguments');
    const positional = args ? args.namedChildren.filter((child): child is Node => child !== null && child.type !== 'keyword_argument' && child.type !== 'comment') : [];
    if (isDownload && positional.length >= 2) {
      // urlretrieve(url, path); s3/requests helpers named download_file(url, path) too.
      const target = positional[1] as Node;
      if (downloads.length < MAX_DOWNLOADS) downloads.push({ path: target.text, node, tool: fn });
      // `path, _ = urlretrieve(url, "/tmp/x.so")`: the name the result is kept under is the path too.
      const kept = assignedName(node);
      if (kept && downloads.length < MAX_DOWNLOADS) downloads.push({ path: kept, node, tool: fn });
      continue;
    }
    if (fn === 'open' && fetches && positional.length >= 2 && /^["'][wa]b?\+?["']$/.test((positional[1] as Node).text)) {
      // open(path, "wb") in a unit that fetches over HTTP: the usual way to save a download.
      if (downloads.length < MAX_DOWNLOADS) downloads.push({ path: (positional[0] as Node).text, node, tool: 'open' });
      continue;
    }
    if (pathWrite?.[1] !== undefined) {
      // target.write_bytes(resp.read()) in a unit that fetches over HTTP: a download saved through pathlib.
      if (downloads.length < MAX_DOWNLOADS) downloads.push({ path: pathWrite[1], node, tool: 'write_bytes' });
      continue;
    }
    if (isHash) {
      downloads.length = 0;
      continue;
    }
    // torch.load(path, weights_only=True) reads tensors only.
    if (load && fn === 'torch.load' && /\bweights_only\s*=\s*True\b/.test(args?.text ?? '')) continue;
    if (load) {
      // spec_from_file_location(name, path) and sys.path.insert(index, path) take the file second.
      const first = fn.endsWith('spec_from_file_location') || fn === 'sys.path.insert' ? positional[1] : positional[0];
      const loaded = first ? downloads.find((d) => loadsPath(fn, first, d.path)) : undefined;
      if (loaded) findings.push(finding(unit, node, loaded, 'run'));
      continue;
    }
    if (!chmod && !PY_RUN.test(fn)) continue;
    // os.chmod(path, 0o600) restricts a file; only modes with an execute bit make it runnable.
    if (chmod && !executableMode(positional[1]?.text ?? '')) continue;
    const first = positional[0];
    const download = first ? downloads.find((d) => (chmod ? mentions(first.text, d.path) : runsPath(first, d.path))) : undefined;
    if (!download) continue;
    if (chmod) {
      if (made.has(download)) continue;
      made.add(download);
    }
    findings.push(finding(unit, node, download, chmod ? 'chmod' : 'run'));
  }
  return dropChmodWhenRun(findings);
}

/** The variable a call's result is assigned to (`x = call()`, `x, _ = call()`). */
function assignedName(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) return undefined;
  const left = parent.childForFieldName('left');
  if (left?.type === 'identifier') return left.text;
  const first = left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? left.namedChildren[0] : undefined;
  return first?.type === 'identifier' ? first.text : undefined;
}

/**
 * Whether a loading call takes the downloaded file as code: `CDLL(path)`, `exec(open(path).read())`,
 * or `import_module("x")` / `__import__("x")` for a downloaded `…/x.py`.
 */
function loadsPath(fn: string, first: Node, path: string): boolean {
  if (/import_module|__import__$/.test(fn)) {
    const module = /^["']([\w.]{1,100})["']$/.exec(first.text)?.[1];
    const file = /\/([\w.-]{1,100})\.py["']$/.exec(path)?.[1];
    return module !== undefined && file !== undefined && module === file;
  }
  if (fn === 'exec') return /\bopen\s*\(/.test(first.text) && mentions(first.text, path);
  return first.text === path || mentions(first.text, path);
}

const PY_INTERPRETER = /^(?:sys\.executable|["'](?:\/\S*\/)?(?:(?:ba|z|da|k)?sh|python[0-9.]*|node|perl|ruby|pwsh)["'])$/;
const PY_COMMAND_STRING = /^[rbfu]{0,2}["']\s*(?:sudo\s+)?(?:(?:ba|z|da|k)?sh\s|python[0-9.]*\s|node\s|perl\s|ruby\s|\.\/|\{)/;

/**
 * Whether the first argument of a run call executes `path`: as the program (`[path, …]`,
 * `os.system(path)`), through an interpreter (`["bash", path]`, `[sys.executable, path]`), or in a
 * command string that starts with an interpreter or the path (`f"bash {path}"`, `"./" + name`).
 * Passing a downloaded data file to another program (`["jq", ".", path]`) does not count.
 */
function runsPath(first: Node, path: string): boolean {
  if (first.text === path) return true;
  if (first.type === 'list' || first.type === 'tuple') {
    const items = first.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    const program = items[0];
    if (!program) return false;
    if (program.text === path) return true;
    return PY_INTERPRETER.test(program.text) && items[1] !== undefined && mentions(items[1].text, path);
  }
  return mentions(first.text, path) && PY_COMMAND_STRING.test(first.text);
}

function executableMode(mode: string): boolean {
  if (/S_IX(?:USR|GRP|OTH)|S_IEXEC|S_IRWX[UGO]/.test(mode)) return true;
  const octal = /^0?o?([0-7]{3,4})$/.exec(mode.trim());
  return octal !== null && /[1357]/.test((octal[1] ?? '').slice(-3));
}

/** Whether `text` mentions the expression `path` as a whole token (a variable name or a literal). */
function mentions(text: string, path: string): boolean {
  if (path.length === 0 || path.length > 200) return false;
  let from = 0;
  for (;;) {
    const at = text.indexOf(path, from);
    if (at === -1) return false;
    const before = at > 0 ? text[at - 1] ?? '' : '';
    const after = text[at + path.length] ?? '';
    if (!/[\w.]/.test(before) && !/\w/.test(after)) return true;
    from = at + 1;
  }
}

// ---------------------------------------------------------------- JavaScript

/** A fetch over HTTP in the unit: what it saves to a file is a download. */
const JS_FETCH = /\b(?:https?\.(?:get|request)|fetch|axios(?:\.get)?|got(?:\.stream)?|undici\.request|request)\s*\(/;
const JS_SAVE_WORD = /\b(?:createWriteStream|writeFileSync|writeFile)\s*\(/;
/** A file written: `fs.createWriteStream(p)`, `fs.writeFileSync(p, …)`, `fs.promises.writeFile(p, …)`. Group `path` is the expression. */
const JS_SAVE = /\b(?:createWriteStream|writeFileSync|writeFile)\(\s*(?<path>[^,()\n]{1,200}?)\s*[,)]/g;
/**
 * A file run or loaded: `execFile(p)`, `spawn(p, …)`, `fork(p)`, `exec(`${p}`)`, `require(p)`, or
 * an interpreter given it (`spawn('node', [p])`). Group `first` is the first argument, `rest` what
 * follows it on the line.
 */
const JS_RUN = /\b(?:execFileSync|execFile|spawnSync|spawn|execSync|exec|fork|execaSync|execa|require)\(\s*(?<first>[^,()\n]{1,200}?)\s*(?<rest>[,)][^\n]{0,200})/g;
const JS_CHMOD = /\bchmod(?:Sync)?\(\s*(?<path>[^,()\n]{1,200}?)\s*,\s*(?<mode>0o?[0-7]{3,4}|\d{3})/g;
const JS_INTERPRETER = /^["'`](?:\/\S*\/)?(?:(?:ba|z|da|k)?sh|node|python[0-9.]*|perl|ruby|pwsh)["'`]$/;
const JS_VERIFY = /\bcreateHash\s*\(|\bsha256\b|\bverify\s*\(/;

/** JavaScript: a fetched file saved, then run or made executable, with no hash check between. */
function javascriptPairs(unit: CodeUnit): RawFinding[] {
  const text = unit.text;
  const saves: { readonly path: string; readonly start: number; readonly end: number; readonly text: string }[] = [];
  for (const match of text.matchAll(JS_SAVE)) {
    const path = (match.groups?.['path'] ?? '').trim();
    if (path !== '' && saves.length < MAX_DOWNLOADS) saves.push({ path, start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  if (saves.length === 0) return [];
  const uses: { readonly index: number; readonly text: string; readonly kind: 'run' | 'chmod'; readonly save: (typeof saves)[number] }[] = [];
  for (const run of text.matchAll(JS_RUN)) {
    const first = (run.groups?.['first'] ?? '').trim();
    const rest = run.groups?.['rest'] ?? '';
    const save = saves.find((candidate) => candidate.start < run.index && jsRunsPath(first, rest, candidate.path));
    if (save) uses.push({ index: run.index, text: run[0], kind: 'run', save });
  }
  for (const chmod of text.matchAll(JS_CHMOD)) {
    const mode = chmod.groups?.['mode'] ?? '';
    const save = executableMode(mode) ? saves.find((candidate) => candidate.start < chmod.index && mentions(chmod.groups?.['path'] ?? '', candidate.path)) : undefined;
    if (save) uses.push({ index: chmod.index, text: chmod[0], kind: 'chmod', save });
  }
  const findings: RawFinding[] = [];
  for (const use of uses.sort((a, b) => a.index - b.index)) {
    if (JS_VERIFY.test(text.slice(use.save.end, use.index))) continue;
    findings.push({
      file: unit.file.path,
      start: unit.start + use.index,
      end: unit.start + use.index + use.text.length,
      severity: use.kind === 'run' ? 'critical' : 'high',
      captures: { run: firstLine(use.text, 120), path: use.save.path, download: firstLine(use.save.text, 120), action: ACTIONS[use.kind] },
      related: [{ file: unit.file.path, start: unit.start + use.save.start, end: unit.start + use.save.end, message: `\`${use.save.path}\` is downloaded here without a checksum check.` }],
    });
    if (findings.length >= MAX_FINDINGS) break;
  }
  return dropChmodWhenRun(findings);
}

/** Whether a run call's first argument executes `path`: as the program, in a command string, or through an interpreter. */
function jsRunsPath(first: string, rest: string, path: string): boolean {
  if (first === path) return true;
  if (!mentions(first, path)) return JS_INTERPRETER.test(first) && /^,\s*\[/.test(rest) && mentions(rest.slice(0, 200), path);
  // `exec(`${p}`)`, `exec(p + ' --x')`, `exec(`node ${p}`)`: a command string that starts with the path or an interpreter.
  return /^(?:`\$\{|[\w.]+\s*\+|["'`](?:\/\S*\/)?(?:(?:ba|z|da|k)?sh|node|python[0-9.]*|perl|ruby)\s)/.test(first);
}

// ---------------------------------------------------------------- PowerShell

/** A download to a file: `Invoke-WebRequest … -OutFile p`, `Start-BitsTransfer … -Destination p`, `.DownloadFile(url, p)`. */
const POWERSHELL_DOWNLOAD = /\b(?:Invoke-WebRequest|iwr|Invoke-RestMethod|irm|Start-BitsTransfer|curl(?:\.exe)?|wget)\b[^\n;&]{0,400}?-(?:OutFile|Destination|o)[ \t]{1,5}(?<path>"[^"\n]{1,300}"|'[^'\n]{1,300}'|[^\s;|)]{1,300})|\.DownloadFile\([^,\n]{1,400},[ \t]{0,5}(?<target>"[^"\n]{1,300}"|'[^'\n]{1,300}'|[^\s,)]{1,300})[ \t]{0,5}\)/gi;
/**
 * A statement that runs a file: `& p`, `. p`, `Start-Process p`, `powershell -File p`, `cmd /c p`,
 * `iex (Get-Content p …)`, or a program's path alone (`C:\Users\Public\x.exe`, batch's
 * `%TEMP%\s.bat` after `&&`).
 */
const POWERSHELL_RUN = /(?:^|[;{|(]|&&|\n)[ \t]{0,20}(?:&|\.|Start-Process(?:[ \t]{1,5}-FilePath)?|saps|Invoke-Item|ii|(?:powershell|pwsh)(?:\.exe)?(?:[ \t]{1,5}-\w{1,20}(?:[ \t]{1,5}[\w-]{1,20})?){0,4}[ \t]{1,5}-(?:File|f)|cmd(?:\.exe)?[ \t]{1,5}\/c|(?:iex|Invoke-Expression)[ \t]{0,5}\(?[ \t]{0,5}(?:Get-Content|gc|cat)(?:[ \t]{1,5}-Raw)?)[ \t]{1,5}(?<path>"[^"\n]{1,300}"|'[^'\n]{1,300}'|[^\s;|)]{1,300})/gi;
const POWERSHELL_BARE_RUN = /(?:^|[;{|(]|&&|\n)[ \t]{0,20}(?<path>(?:[A-Za-z]:\\|\$env:\w{1,40}\\|%\w{1,40}%\\|\.\\)[^\s;|&)"']{1,300}\.(?:exe|bat|cmd|ps1|msi|vbs|hta|scr|com))(?=[\s;|&)]|$)/gi;
const POWERSHELL_VERIFY = /\bGet-FileHash\b|\bGet-AuthenticodeSignature\b|\bcertutil\b[^\n]{0,40}-hashfile\b/i;

/** PowerShell: a file downloaded, then run, with no hash or signature check in between. */
function powershellPairs(unit: CodeUnit): RawFinding[] {
  const text = unit.text;
  const downloads: TextDownload[] = [];
  for (const match of text.matchAll(POWERSHELL_DOWNLOAD)) {
    const path = unquote(match.groups?.['path'] ?? match.groups?.['target'] ?? '');
    if (path !== '' && downloads.length < MAX_DOWNLOADS) downloads.push({ path, start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  const findings: RawFinding[] = [];
  const runs = [...text.matchAll(POWERSHELL_RUN), ...text.matchAll(POWERSHELL_BARE_RUN)].sort((a, b) => a.index - b.index);
  for (const run of runs) {
    const path = unquote(run.groups?.['path'] ?? '');
    const download = downloads.find((candidate) => candidate.end <= run.index + run[0].length && samePowerShellPath(candidate.path, path));
    if (!download || POWERSHELL_VERIFY.test(text.slice(download.end, run.index))) continue;
    // The match opens with the separator before the command (`;`, `{`, a newline).
    const lead = /^[;{|(\n \t]*/.exec(run[0])?.[0].length ?? 0;
    findings.push(textRunFinding(unit, run.index + lead, run.index + run[0].length, download));
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings;
}

/** A download found in a script read as text, where it starts and ends in the unit. */
interface TextDownload {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A run of `download` at `start`–`end` of a unit read as text (PowerShell, CMake). */
function textRunFinding(unit: CodeUnit, start: number, end: number, download: TextDownload): RawFinding {
  return {
    file: unit.file.path,
    start: unit.start + start,
    end: unit.start + end,
    severity: 'critical',
    captures: { run: firstLine(unit.text.slice(start, end), 120), path: download.path, download: firstLine(download.text, 120), action: 'runs it' },
    related: [{ file: unit.file.path, start: unit.start + download.start, end: unit.start + download.end, message: `\`${download.path}\` is downloaded here without a checksum check.` }],
  };
}

/** PowerShell paths compare without case, with either slash, and by file name when one is bare. */
function samePowerShellPath(a: string, b: string): boolean {
  const norm = (path: string): string => path.toLowerCase().replace(/\\/g, '/').replace(/^\.\//, '');
  return samePath(norm(a), norm(b));
}

// ---------------------------------------------------------------- cmake

const CMAKE_DOWNLOAD_WORD = /\bfile[ \t]*\([ \t\r\n]*DOWNLOAD\b/i;
/** `file(DOWNLOAD <url> <path> …)`; `rest` holds its options, where a hash would be named. */
const CMAKE_DOWNLOAD = /\bfile[ \t]*\([ \t\r\n]*DOWNLOAD[ \t\r\n]+(?:"[^"\n]{1,500}"|[^\s)]{1,500})[ \t\r\n]+(?<path>"[^"\n]{1,300}"|[^\s)]{1,300})(?<rest>[^)]{0,2000})\)/gi;
const CMAKE_VERIFIED = /\bEXPECTED_(?:HASH|MD5)\b/;
/**
 * Where CMake runs a file: `include(<path>)` reads it as CMake code, and `execute_process`'s first
 * `COMMAND` runs it as the program or through a shell, an interpreter or `cmake -P`.
 */
const CMAKE_RUN = /\binclude[ \t]*\([ \t]*(?<included>"[^"\n]{1,300}"|[^\s)]{1,300})[ \t]*\)?|\bexecute_process[ \t]*\([ \t\r\n]*COMMAND[ \t\r\n]+(?:(?:(?:ba|z|da|k)?sh|python[0-9.]*|\$\{(?:CMAKE_COMMAND|Python3?_EXECUTABLE|PYTHON_EXECUTABLE)\}(?:[ \t]+-P)?)[ \t\r\n]+)?(?<ran>"[^"\n]{1,300}"|[^\s)]{1,300})/gi;

/**
 * CMake: a file downloaded with `file(DOWNLOAD …)` and no `EXPECTED_HASH`, then included or run
 * (the CPM.cmake bootstrap without its hash, or a setup script fetched and executed).
 */
function cmakePairs(unit: CodeUnit): RawFinding[] {
  // A call in a comment runs nothing; the blanked text keeps every offset.
  const text = withoutComments(unit.text);
  const downloads: TextDownload[] = [];
  for (const match of text.matchAll(CMAKE_DOWNLOAD)) {
    if (CMAKE_VERIFIED.test(match.groups?.['rest'] ?? '') || downloads.length >= MAX_DOWNLOADS) continue;
    downloads.push({ path: unquote(match.groups?.['path'] ?? ''), start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  const findings: RawFinding[] = [];
  if (downloads.length === 0) return findings;
  for (const run of text.matchAll(CMAKE_RUN)) {
    const path = unquote(run.groups?.['included'] ?? run.groups?.['ran'] ?? '');
    const download = downloads.find((candidate) => candidate.end <= run.index && candidate.path === path);
    if (!download) continue;
    findings.push(textRunFinding(unit, run.index, run.index + run[0].length, download));
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings;
}
