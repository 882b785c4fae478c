import type { Tree } from 'web-tree-sitter';
import { isSkillMarkerName, primarySkillMarker } from './fs-entries';
import { closedFrontmatterHead, parseFrontmatter, type Frontmatter } from './frontmatter';
import { fenceLabel, parseMarkdown, type CodeLanguage, type MarkdownModel } from './markdown';
import { unwrapCommand } from './shell-wrappers';
import { languagesByInvocation } from './invoked-scripts';
import { LineIndex } from './positions';
import { embeddedScriptBlocks, embeddedShellCommands, plantedScripts, shellLinesInCode, shellOutCommands } from './shell-lines';
import type { CodeOrigin } from './rule-types';
import type { SkillBundle, SourceFile } from './types';
import type { ResultMemo } from './result-memo';
import type { LiteralPresence } from './literal-options';

export type FileKind = 'skill-md' | 'markdown' | 'script' | 'other';

export interface FileModel {
  readonly path: string;
  readonly text: string;
  readonly kind: FileKind;
  readonly lines: LineIndex;
  readonly frontmatter?: Frontmatter;
  readonly markdown?: MarkdownModel;
  /** Language of a script file. */
  readonly language?: CodeLanguage;
}

/** A piece of code the agent may run: a whole script, a code fence, or a dynamic-context command. */
export interface CodeUnit {
  readonly file: FileModel;
  readonly language: CodeLanguage;
  readonly origin: CodeOrigin;
  /** Offsets of the unit in its file's text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface SkillModel {
  readonly bundle: SkillBundle;
  readonly files: readonly FileModel[];
  readonly skillMd?: FileModel;
  readonly units: readonly CodeUnit[];
}

const SCRIPT_EXTENSIONS: Readonly<Record<string, CodeLanguage>> = {
  py: 'python', pyw: 'python',
  // Python runs the `import` lines of a `.pth` file in site-packages at every start; the other lines are paths.
  pth: 'python',
  // fish and the POSIX shells other than bash differ from it in corners, not in how a command line
  // with its pipes and redirections reads.
  sh: 'bash', bash: 'bash', zsh: 'bash', ksh: 'bash', dash: 'bash', fish: 'bash', command: 'bash',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescript',
  ps1: 'powershell', psm1: 'powershell',
  // cmd.exe batch files run the Windows commands the PowerShell rules describe (`schtasks`, `reg
  // add`, `certutil`, `powershell -Command …`); there is no batch grammar to read them by.
  bat: 'powershell', cmd: 'powershell',
  // No grammar: read as text, with the strings they hand to a shell read as shell lines.
  rb: 'text', pl: 'text', pm: 'text', php: 'text', lua: 'text', tcl: 'text', awk: 'text',
  // Compiled languages a skill may bundle as a helper: read as text too, for the commands they
  // hand to a shell (`exec.Command("sh", "-c", "…")`, `Command::new("sh").arg("-c")`, `system("…")`).
  go: 'text', rs: 'text', java: 'text', kt: 'text', kts: 'text', swift: 'text', cs: 'text', c: 'text', cc: 'text', cpp: 'text', scala: 'text', dart: 'text', groovy: 'text', jl: 'text', r: 'text', R: 'text',
  // SQL files run against the user's databases: their statements are code, read as text.
  sql: 'text',
  // Build scripts that run commands as a project is configured or built: CMake (`execute_process`)
  // and Gradle (`commandLine 'sh', '-c', …`). `CMakeLists.txt` is named in `scriptLanguage`.
  cmake: 'text', gradle: 'text',
  // Files a system or a script host runs, or whose values it runs: AppleScript and VBScript (the
  // shell commands they hand over), desktop entries and systemd units (`Exec=` lines), launchd
  // property lists (a shell given `-c`), and Windows registry files, whose values are command
  // lines like a batch file's (`…\CurrentVersion\Run`).
  applescript: 'text', vbs: 'text', wsf: 'text', desktop: 'text', service: 'text', plist: 'text',
  reg: 'powershell',
};

/** The fence-style label of a script read as text, which `shellOutCommands` keys on. */
const TEXT_SCRIPT_LABEL = /^#!.{0,40}?\b(ruby|perl|php|lua|tclsh|g?awk)\b/;

/** Bundled configuration files whose values a shell runs (compose files, CI workflows, Makefiles), by label. */
const CONFIG_FILE_LABELS: Readonly<Record<string, string>> = { yaml: 'yaml', yml: 'yaml', json: 'json' };
const MAKEFILE = /^(?:GNUmakefile|makefile|Makefile)$|\.mk$/;
/** `just` recipes: their indented lines are shell commands. */
const JUSTFILE = /^(?:justfile|Justfile|\.justfile)$|\.just$/;
/**
 * Shell scripts known by their name rather than an extension or a shebang: direnv's `.envrc`
 * (run on entering the folder once allowed), shell start-up files a skill ships to copy into
 * place, and Git hooks in the folders hook managers point Git to.
 */
const SHELL_SCRIPT_NAME =
  /(?:^|\/)(?:\.envrc|\.(?:bash|zsh)rc|\.(?:bash_)?profile|\.zprofile|\.zshenv|(?:\.husky|\.githooks|\.git-hooks|githooks|git-hooks|\.git\/hooks)\/(?:applypatch-msg|pre-applypatch|post-applypatch|pre-commit|pre-merge-commit|prepare-commit-msg|commit-msg|post-commit|pre-rebase|post-checkout|post-merge|pre-push|pre-receive|update|post-receive|post-update|pre-auto-gc|post-rewrite))$/;
/** Larger configuration files are data (lock files, fixtures), not something a user runs, unless {@link RUN_CONFIG} names them. */
const MAX_CONFIG_FILE_CHARS = 256 * 1024;
/** Configuration files that exist to run commands: CI workflows and pipelines, compose files, task runners, dev containers, editor tasks. */
const RUN_CONFIG =
  /(?:^|\/)(?:\.github\/workflows\/[^/]+|\.gitlab-ci|\.circleci\/config|azure-pipelines|bitbucket-pipelines|\.travis|(?:docker-)?compose(?:\.[\w-]+)?|Taskfile|\.pre-commit-config|\.devcontainer\/devcontainer|devcontainer|\.vscode\/tasks)\.(?:ya?ml|json)$/i;

/**
 * Prose an agent reads as instructions: Markdown and the other plain-text documentation formats
 * (a guide renamed `.rst` must not escape the instruction rules). HTML files in skills are
 * templates and pages, code more than prose, and are not among them.
 */
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdx', 'txt', 'mdc', 'rst', 'adoc', 'asciidoc', 'org']);

const CMAKE_LISTS = /(?:^|\/)CMakeLists\.txt$/;

export function scriptLanguage(path: string, text: string): CodeLanguage | undefined {
  if (CMAKE_LISTS.test(path)) return 'text';
  const byExtension = SCRIPT_EXTENSIONS[extensionOf(path)];
  if (byExtension) return byExtension;
  if (SHELL_SCRIPT_NAME.test(path)) return 'bash';
  if (text.startsWith('#!')) {
    const shebang = text.slice(0, Math.min(text.length, 128)).split(/\r?\n|\r/)[0] ?? '';
    // `#!/usr/bin/env -S uv run --script` is how a single-file Python script with inline
    // dependencies (PEP 723) runs itself.
    if (/\b(?:python|pypy)[0-9.]*\b|\b(?:uv|pipx)\s+run\b/.test(shebang)) return 'python';
    if (/\b(node|deno|bun)\b/.test(shebang)) return 'javascript';
    if (/\b(?:ba|z|k|mk|da|a|y)?sh\b|\bfish\b/.test(shebang)) return 'bash';
    if (/\bpwsh\b/.test(shebang)) return 'powershell';
    if (TEXT_SCRIPT_LABEL.test(shebang)) return 'text';
  }
  return undefined;
}

/** Whether a file is something bash, node, python or an agent would run or read as instructions. */
export function isCodeOrInstructions(path: string, text: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return isSkillMarkerName(base) || isMarkdownPath(path) || scriptLanguage(path, text) !== undefined;
}

function isMarkdownPath(path: string): boolean {
  return MARKDOWN_EXTENSIONS.has(extensionOf(path));
}

/** The lower-cased extension of a path's file name, or '' when it has none. */
function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function textScriptLabel(file: FileModel): string {
  const shebang = TEXT_SCRIPT_LABEL.exec(file.text.slice(0, 128))?.[1];
  if (shebang) return shebang === 'tclsh' ? 'tcl' : shebang === 'gawk' ? 'awk' : shebang;
  return CMAKE_LISTS.test(file.path) ? 'cmake' : extensionOf(file.path);
}

function configFileLabel(file: FileModel): string | undefined {
  const base = file.path.slice(file.path.lastIndexOf('/') + 1);
  // A file named as something that runs commands is read whatever its size: comments padding a
  // workflow past the limit hid its `run:` steps.
  if (MAKEFILE.test(base)) return 'makefile';
  if (JUSTFILE.test(base)) return 'just';
  if (file.text.length > MAX_CONFIG_FILE_CHARS && !RUN_CONFIG.test(file.path)) return undefined;
  return CONFIG_FILE_LABELS[extensionOf(file.path)];
}

/** Names the parsed frontmatter among the memo's results. */
const FRONTMATTER = {};

/** Editing SKILL.md's body leaves the frontmatter as it was: its parse is kept by its text. */
function frontmatterOf(text: string, memo: ResultMemo | undefined): Frontmatter {
  const head = memo ? closedFrontmatterHead(text) : undefined;
  if (!memo || head === undefined) return parseFrontmatter(text);
  const entry = memo.keyed(`frontmatter\u0000${head}`);
  const id = memo.idOf(FRONTMATTER);
  let frontmatter = entry.results.get(id) as Frontmatter | undefined;
  if (!frontmatter) {
    frontmatter = parseFrontmatter(text);
    entry.results.set(id, frontmatter);
  }
  return frontmatter;
}

function buildFile(source: SourceFile, memo?: ResultMemo): FileModel {
  const lines = new LineIndex(source.text);
  if (!source.path.includes('/') && isSkillMarkerName(source.path)) {
    const frontmatter = frontmatterOf(source.text, memo);
    return { path: source.path, text: source.text, kind: 'skill-md', lines, frontmatter, markdown: parseMarkdown(source.text, frontmatter.bodyStart) };
  }
  const language = scriptLanguage(source.path, source.text);
  if (language) return { path: source.path, text: source.text, kind: 'script', lines, language };
  if (isMarkdownPath(source.path)) {
    return { path: source.path, text: source.text, kind: 'markdown', lines, markdown: parseMarkdown(source.text, 0) };
  }
  return { path: source.path, text: source.text, kind: 'other', lines };
}

/** Names the file models among the memo's results. */
const FILE_MODEL = {};

/**
 * The model of a bundle. With the language server's result memo, a file whose path and text are
 * unchanged keeps its model object between scans, so whatever is cached by file model (Markdown
 * roles, decoded literals) is reused too: a file model depends on nothing but its path and text.
 */
export function buildSkillModel(bundle: SkillBundle, memo?: ResultMemo): SkillModel {
  const sources = [...bundle.files.values()];
  let files = sources.map((source) => {
    if (!memo) return buildFile(source);
    const entry = memo.file(source);
    const id = memo.idOf(FILE_MODEL);
    let model = entry.results.get(id) as FileModel | undefined;
    if (!model) {
      model = buildFile(source, memo);
      entry.results.set(id, model);
    }
    return model;
  });
  const invoked = languagesByInvocation(commandTexts(files), files.filter((file) => file.kind === 'markdown' || file.kind === 'other').map((file) => file.path));
  if (invoked.size > 0) {
    files = files.map((file, index) => {
      const language = invoked.get(file.path);
      const source = sources[index];
      return language && source ? invokedScript(file, source, language, memo) : file;
    });
  }
  const primary = primarySkillMarker(files.filter((file) => file.kind === 'skill-md').map((file) => file.path));
  const skillMd = files.find((file) => file.path === primary);
  const followed = skillMd ? namedTextFiles(skillMd.text, files) : new Set<string>();
  if (followed.size > 0) {
    files = files.map((file, index) => {
      const source = sources[index];
      return followed.has(file.path) && source ? readAsInstructions(file, source, memo) : file;
    });
  }
  const units = files.flatMap(unitsOf);
  return { bundle, files, units, ...(skillMd ? { skillMd } : {}) };
}

/**
 * Extensions of data, markup, documents and configuration: a file of these that SKILL.md names
 * is still what it is (`config.json` is data, `paper.tex` a document template, not orders), and
 * the rules that read such files read it.
 */
const NOT_PROSE_EXTENSIONS: ReadonlySet<string> = new Set([
  'json', 'jsonl', 'json5', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'csv', 'tsv', 'xml', 'html', 'htm', 'xhtml', 'css',
  'scss', 'svg', 'lock', 'sql', 'env', 'properties', 'plist', 'pem', 'crt', 'cer', 'key', 'pub', 'log', 'ipynb', 'vue', 'svelte',
  'proto', 'graphql', 'gql', 'diff', 'patch', 'example', 'sample', 'dist', 'tex', 'bib', 'sty', 'cls', 'rtf', 'drawio', 'mmd',
]);

/**
 * Other text files that SKILL.md names (`prompts/setup.prompt`, `templates/reply.j2`, `RULES`):
 * the agent reads what the skill points it to, whatever the file is called, so such a file is
 * read as instructions. Before, "read prompts/setup.prompt and follow its steps" kept the steps
 * out of every instruction rule.
 */
function namedTextFiles(skillMdText: string, files: readonly FileModel[]): Set<string> {
  const named = new Set<string>();
  const lower = skillMdText.toLowerCase();
  for (const file of files) {
    if (file.kind === 'other' && !NOT_PROSE_EXTENSIONS.has(extensionOf(file.path)) && namesPath(lower, file.path)) named.add(file.path);
  }
  return named;
}

/**
 * Whether `text` (lower-cased) names the bundle path `path` as a whole path, as written or after
 * `./` or a `${SKILL_DIR}/`-style variable: how instructions point the agent to a file.
 */
export function namesPath(text: string, path: string): boolean {
  const lower = path.toLowerCase();
  // One search for the file name rules most texts out before a pattern is built.
  if (!text.includes(lower.slice(lower.lastIndexOf('/') + 1))) return false;
  const escaped = lower.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w./-])(?:\\./|\\$\\{?\\w{1,40}\\}?/)?${escaped}(?![\\w-])`).test(text);
}

/** Names a file's model as instructions it was pointed to, among the memo's results. */
const FOLLOWED_AS_INSTRUCTIONS = {};

/** A text file SKILL.md points the agent to, modelled as Markdown instructions. */
function readAsInstructions(file: FileModel, source: SourceFile, memo: ResultMemo | undefined): FileModel {
  const build = (): FileModel => ({ path: file.path, text: file.text, kind: 'markdown', lines: file.lines, markdown: parseMarkdown(file.text, 0) });
  if (!memo) return build();
  const entry = memo.file(source);
  const id = memo.idOf(FOLLOWED_AS_INSTRUCTIONS);
  let model = entry.results.get(id) as FileModel | undefined;
  if (!model) {
    model = build();
    entry.results.set(id, model);
  }
  return model;
}

/** Names a file's model as a script of a language it was run as, among the memo's results. */
const INVOKED_AS: Readonly<Record<CodeLanguage, object>> = { bash: {}, python: {}, javascript: {}, typescript: {}, powershell: {}, text: {} };

/** A file the skill runs with an interpreter, modelled as a script of that language. */
function invokedScript(file: FileModel, source: SourceFile, language: CodeLanguage, memo: ResultMemo | undefined): FileModel {
  const build = (): FileModel => ({ path: file.path, text: file.text, kind: 'script', lines: file.lines, language });
  if (!memo) return build();
  const entry = memo.file(source);
  const id = memo.idOf(INVOKED_AS[language]);
  let model = entry.results.get(id) as FileModel | undefined;
  if (!model) {
    model = build();
    entry.results.set(id, model);
  }
  return model;
}

/** The text of what a skill runs: its Markdown's fences and inline code, and its shell scripts. */
function* commandTexts(files: readonly FileModel[]): Generator<string> {
  for (const file of files) {
    if (file.kind === 'script' && file.language === 'bash') yield file.text;
    const markdown = file.markdown;
    if (!markdown) continue;
    for (const fence of markdown.fences) yield file.text.slice(fence.contentStart, fence.contentEnd);
    for (const code of markdown.inlineCode) yield file.text.slice(code.contentStart, code.contentEnd);
  }
}

/**
 * A file's code units: the script itself, or a Markdown file's fences, shell lines inside them and
 * dynamic inline commands. Kept per file model, so a file that did not change between scans gives
 * the same unit objects (which the result memo then finds without rebuilding their keys).
 */
const unitsByFile = new WeakMap<FileModel, readonly CodeUnit[]>();

export function unitsOf(file: FileModel): readonly CodeUnit[] {
  const kept = unitsByFile.get(file);
  if (kept) return kept;
  const units: CodeUnit[] = [];
  if (file.kind === 'script' && file.language) {
    units.push({ file, language: file.language, origin: 'script', start: 0, end: file.text.length, text: file.text });
    if (file.language === 'bash') {
      for (const planted of plantedScripts(file.text)) {
        units.push({ file, language: planted.language, origin: 'script', start: planted.start, end: planted.end, text: file.text.slice(planted.start, planted.end) });
      }
    }
    if (file.language === 'text') {
      const label = textScriptLabel(file);
      // What VBScript hands to `WScript.Shell` is a Windows command line, read like a batch file's.
      const language = label === 'vbs' || label === 'wsf' ? 'powershell' : 'bash';
      for (const range of shellOutCommands(file.text, label)) {
        units.push({ file, language, origin: 'script', start: range.start, end: range.end, text: range.text ?? file.text.slice(range.start, range.end) });
      }
    }
  }
  // Frontmatter hooks run their `command:` at every matching event of the session: shell lines.
  const hooks = file.frontmatter?.fields.get('hooks');
  if (hooks && hooks.valueEnd > hooks.valueStart) {
    const yamlText = file.text.slice(hooks.keyStart, hooks.valueEnd);
    for (const range of embeddedShellCommands(yamlText, 'yaml')) {
      const start = hooks.keyStart + range.start;
      const end = hooks.keyStart + range.end;
      units.push({ file, language: 'bash', origin: 'script', start, end, text: file.text.slice(start, end) });
    }
  }
  if (file.kind === 'other') {
    const label = configFileLabel(file);
    if (label) {
      for (const range of embeddedShellCommands(file.text, label)) {
        units.push({ file, language: 'bash', origin: 'script', start: range.start, end: range.end, text: file.text.slice(range.start, range.end) });
      }
    }
  }
  if (file.markdown) {
    for (const fence of file.markdown.fences) {
      units.push({
        file,
        language: fence.language,
        origin: fence.dynamic ? 'dynamic' : 'fence',
        start: fence.contentStart,
        end: fence.contentEnd,
        text: loneCrAsLf(file.text.slice(fence.contentStart, fence.contentEnd)),
      });
      const fenceText = file.text.slice(fence.contentStart, fence.contentEnd);
      for (const range of [...shellLinesInCode(fenceText, fence.language), ...embeddedShellCommands(fenceText, fence.info)]) {
        const start = fence.contentStart + range.start;
        const end = fence.contentStart + range.end;
        units.push({ file, language: 'bash', origin: fence.dynamic ? 'dynamic' : 'fence', start, end, text: file.text.slice(start, end) });
      }
      for (const range of shellOutCommands(fenceText, fenceLabel(fence.info))) {
        const start = fence.contentStart + range.start;
        const end = fence.contentStart + range.end;
        units.push({ file, language: 'bash', origin: fence.dynamic ? 'dynamic' : 'fence', start, end, text: range.text ?? file.text.slice(start, end) });
      }
      if (fence.language === 'bash') {
        for (const planted of plantedScripts(fenceText)) {
          const start = fence.contentStart + planted.start;
          const end = fence.contentStart + planted.end;
          units.push({ file, language: planted.language, origin: fence.dynamic ? 'dynamic' : 'fence', start, end, text: file.text.slice(start, end) });
        }
      }
      for (const range of embeddedScriptBlocks(fenceText, fence.info)) {
        const start = fence.contentStart + range.start;
        const end = fence.contentStart + range.end;
        units.push({ file, language: 'javascript', origin: fence.dynamic ? 'dynamic' : 'fence', start, end, text: file.text.slice(start, end) });
      }
    }
    let inlineUnits = 0;
    for (const code of file.markdown.inlineCode) {
      if (!code.dynamic) {
        const command = inlineUnits < MAX_INLINE_UNITS_PER_FILE ? inlineCommandLanguage(file.text, code.contentStart, code.contentEnd) : undefined;
        if (command) {
          inlineUnits++;
          units.push({ file, language: command, origin: 'inline', start: code.contentStart, end: code.contentEnd, text: file.text.slice(code.contentStart, code.contentEnd) });
        }
        continue;
      }
      units.push({
        file,
        language: 'bash',
        origin: 'dynamic',
        start: code.contentStart,
        end: code.contentEnd,
        text: file.text.slice(code.contentStart, code.contentEnd),
      });
    }
  }
  unitsByFile.set(file, units);
  return units;
}

/**
 * Inline code that an agent would run as it stands: a command line that fetches, decodes, runs,
 * schedules, changes permissions, deletes, or puts a file's or the environment's content into its
 * arguments (`wget … -O x && chmod +x x && ./x`, `iex(iwr …)`, `gh issue create --body "$(cat .env)"`).
 * Plain mentions (`npm test`, `config.json`) stay prose, so the script rules see only what could
 * do harm and the scan does not parse every span.
 */
const INLINE_COMMAND = /^\s*(?:sudo\s+)?(?:curl|wget|iwr|irm|iex|invoke-webrequest|invoke-restmethod|invoke-expression|powershell(?:\.exe)?|pwsh|bash|sh|zsh|python[23]?|node|perl|ruby|nc|ncat|socat|chmod|chown|xattr|spctl|csrutil|base64|echo|printf|certutil|bitsadmin|mshta|rundll32|regsvr32|osascript|crontab|launchctl|schtasks|reg|set-mppreference|add-mppreference|start-process|new-object|rm|tar|unzip|7z|git|ssh|scp|rsync|gh|glab|aws|gsutil|rclone|dig|nslookup|history|export|cat|eval|source|\.)\s+\S/i;
const INLINE_RISK = /\bcurl\b|\bwget\b|\biwr\b|\birm\b|\biex\b|invoke-|https?:\/\/|\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b|\|\s*python|\bbase64\b|\bchmod\s+[+0-7]|\bxattr\b|\bspctl\b|\bcsrutil\b|\bcertutil\b|\bbitsadmin\b|\bmshta\b|\brundll32\b|\bregsvr32\b|\bosascript\b|\bcrontab\b|\blaunchctl\b|\bschtasks\b|\breg\s+add\b|-mppreference\b|\brm\s+-[a-z]*[rf]|\/dev\/tcp\/|\bnc\b|\bncat\b|\bsocat\b|>>\s*~?\/|\beval\b|\bhistory\s+-c\b|\bssh\s+-[a-z]*R|authorized_keys|\.ssh\/|\.aws\/|\bsudoers\b|\bcore\.(?:hookspath|fsmonitor|sshcommand)\b|\$\(\s*(?:cat|env|printenv|base64|gpg)\b/i;
const POWERSHELL_INLINE = /^\s*(?:powershell|pwsh|iex|iwr|irm|invoke-|set-mppreference|add-mppreference|start-process|new-object)\b/i;
const MAX_INLINE_UNITS_PER_FILE = 400;

const MAX_INLINE_COMMAND_LENGTH = 2000;

function inlineCommandLanguage(text: string, start: number, end: number): CodeLanguage | undefined {
  if (end - start < 8 || end - start > MAX_INLINE_COMMAND_LENGTH) return undefined;
  const code = text.slice(start, end);
  // `timeout 60 bash -c …`, `sudo -u root bash …`: the program is read past its wrappers.
  if (code.includes('\n') || !INLINE_COMMAND.test(unwrapCommand(code)) || !INLINE_RISK.test(code)) return undefined;
  // `chmod 777` or `base64 -d` names a command; a line to run has its operands (or a pipe).
  if (!/[|;&]|\$\(/.test(code) && code.trim().split(/\s+/).length < 3) return undefined;
  return POWERSHELL_INLINE.test(code) ? 'powershell' : 'bash';
}

/**
 * Markdown ends a line at a lone CR, so a reader sees separate commands there; tree-sitter-bash
 * does not, and would read a whole lone-CR fence as one line. The swap keeps every offset exact.
 */
function loneCrAsLf(code: string): string {
  return code.includes('\r') ? code.replace(/\r(?!\n)/g, '\n') : code;
}

/** `build()`, kept under `owner` and `key` in `memos`. */
function memoOf<Owner, T>(memos: Map<Owner, Map<string, unknown>>, owner: Owner, key: string, build: () => T): T {
  let byKey = memos.get(owner);
  if (!byKey) {
    byKey = new Map();
    memos.set(owner, byKey);
  }
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = build();
  byKey.set(key, value);
  return value;
}

const MASK_KEYS = { prose: 'mask:prose', instructions: 'mask:instructions', comments: 'mask:comments', 'inline-code': 'mask:inline-code' } as const;

/** Per-scan caches: parsed trees and masked texts are built at most once per unit or file. */
export class ScanCache {
  readonly trees = new Map<CodeUnit, Tree | null>();
  /** Which rule literals each searched text holds (see RegexLiteralFilter), by text. */
  readonly literalPresence = new Map<string, LiteralPresence>();
  private readonly memos = new Map<string, unknown>();
  private readonly unitMemos = new Map<CodeUnit, Map<string, unknown>>();
  private readonly fileMemos = new Map<FileModel, Map<string, unknown>>();

  /** Work that several matchers of a scan share (same file, same options) is done once. */
  memo<T>(key: string, build: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = build();
    this.memos.set(key, value);
    return value;
  }

  /** Like `memo`, for work derived from one code unit (units have no string key of their own). */
  perUnit<T>(unit: CodeUnit, key: string, build: () => T): T {
    return memoOf(this.unitMemos, unit, key, build);
  }

  /**
   * Like `memo`, for work derived from one file: keyed by the file model and a constant key, so
   * the many matchers that ask build no key string and hash no path.
   */
  perFile<T>(file: FileModel, key: string, build: () => T): T {
    return memoOf(this.fileMemos, file, key, build);
  }

  masked(file: FileModel, mode: 'prose' | 'instructions' | 'comments' | 'inline-code'): string {
    return this.perFile(file, MASK_KEYS[mode], () => buildMask(file, mode));
  }

  dispose(): void {
    for (const tree of this.trees.values()) tree?.delete();
    this.trees.clear();
  }
}

/**
 * A copy of the file text where everything outside the wanted parts is blanked out (line breaks
 * kept), so that regex offsets are file offsets and lines stay where the editor shows them.
 */
export function buildMask(file: FileModel, mode: 'prose' | 'instructions' | 'comments' | 'inline-code'): string {
  const markdown = file.markdown;
  if (!markdown) return '';
  const keep: (readonly [number, number])[] = [];
  const start = file.frontmatter?.bodyStart ?? 0;
  if (mode === 'prose') keep.push(...markdown.prose);
  else if (mode === 'comments') keep.push(...markdown.comments.map((c) => [c.contentStart, c.contentEnd] as const));
  else if (mode === 'inline-code') keep.push(...markdown.inlineCode.map((c) => [c.contentStart, c.contentEnd] as const));
  else {
    keep.push(...markdown.prose);
    keep.push(...markdown.inlineCode.map((c) => [c.start, c.end] as const));
  }
  keep.sort((a, b) => a[0] - b[0]);
  const text = file.text;
  const parts: string[] = [];
  let cursor = 0;
  const blank = (from: number, to: number): void => {
    if (to > from) parts.push(text.slice(from, to).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)));
  };
  for (const [from, to] of keep) {
    const a = Math.max(from, start, cursor);
    if (to <= a) continue;
    blank(cursor, a);
    parts.push(text.slice(a, to));
    cursor = to;
  }
  blank(cursor, text.length);
  const masked = parts.join('');
  return mode === 'prose' || mode === 'instructions' ? unwrapLines(masked) : masked;
}

/**
 * A line break inside a paragraph (text on both sides, neither line a heading or table row, the
 * next line no list item, quote or fence) becomes spaces of the same length, so a hard-wrapped
 * sentence reads as one line to patterns that stop at a line end, and offsets stay exact.
 */
const NOT_CONTINUATION = /^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#|>|\||```|~~~)/;
const NOT_CONTINUED = /^[ \t]{0,3}(?:#|\|)/;

function unwrapLines(masked: string): string {
  let breakAt = masked.indexOf('\n');
  if (breakAt === -1) return masked;
  const parts: string[] = [];
  let copied = 0;
  let lineStart = 0;
  // Line by line with indexOf: a regex with a lookbehind would test it at every character.
  while (breakAt !== -1) {
    const nextStart = breakAt + 1;
    let nextEnd = masked.indexOf('\n', nextStart);
    if (nextEnd === -1) nextEnd = masked.length;
    const lineEnd = breakAt > lineStart && masked[breakAt - 1] === '\r' ? breakAt - 1 : breakAt;
    const line = masked.slice(lineStart, lineEnd);
    const next = masked.slice(nextStart, Math.min(nextEnd, nextStart + 16));
    if (line.trim() !== '' && !NOT_CONTINUED.test(line) && next.trim() !== '' && !NOT_CONTINUATION.test(next)) {
      parts.push(masked.slice(copied, lineEnd), ' '.repeat(nextStart - lineEnd));
      copied = nextStart;
    }
    lineStart = nextStart;
    breakAt = nextEnd < masked.length ? nextEnd : -1;
  }
  parts.push(masked.slice(copied));
  return parts.join('');
}

/** The skill's `name` and `description` frontmatter values, joined (at most 2,000 characters). */
export function nameAndDescription(model: SkillModel): string {
  const fields = model.skillMd?.frontmatter?.fields;
  const parts: string[] = [];
  for (const key of ['name', 'description']) {
    const value = fields?.get(key)?.value;
    if (typeof value === 'string') parts.push(value);
  }
  return parts.join(' ').slice(0, 2000);
}
