import type { Node } from 'web-tree-sitter';
import {
  asCredential,
  EMPTY,
  foldString,
  isTainted,
  jsonMember,
  jsonNumber,
  MAX_JSON,
  memberAsJson,
  serialisedAsJson,
  withoutCallerInput,
  tupleValue,
  textValue,
  union,
  USER_CRON_TABLE_PATH,
  withObjectJson,
  withText,
  type AbstractValue,
  type Recorder,
  type SinkSite,
  type StringPart,
} from './core';
import { hostInText, isCredentialKey, literalHost, networkCommandOf, systemPasswordPrompt, workloadCredentialSource } from './labels';
import type { HelperReuse, OutsideEffect, OutsideRead } from './helper-replay';
import { findAll, listLiteral, MAX_CONSTANT_ELEMENTS, MAX_DECLARATIONS_READ, MAX_DEPTH, MAX_LITERAL_LOOP_ITEMS, Scope, WalkerBase, type FunctionInfo } from './walker';
import { commandSource, commandWordsOf, installsCronTableFromStdin, isInterpreterWithInlineCode, readsProgramFromStdin, sendsStandardInput, sshRemoteCommand, uploadedFilePath } from './shell-text';
import { unescapePython } from './string-escapes';

/**
 * Facts of a Python script that change how it is read: a JSON or YAML serialiser (its dict and
 * list literals then keep their JSON; most scripts never ask for it, and keeping it for every
 * literal cost memory), and scapy (a bare `send(…)` sends raw packets).
 */
const PYTHON_FACTS: Readonly<Record<string, RegExp>> = {
  serialiser: /\b(?:json\.dumps?|yaml\.(?:safe_)?dump|dumps?)\s*\(/,
  scapy: /^[ \t]*(?:from[ \t]+scapy\b|import[ \t]+scapy\b)/m,
  mqtt: /^[ \t]*(?:from[ \t]+paho\b|import[ \t]+paho\b)/m,
};

/** The JSON of a Python number, boolean or `None` literal; undefined for anything else. */
function pythonLiteralJson(node: Node): string | undefined {
  switch (node.type) {
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'none':
      return 'null';
    case 'integer':
    case 'float':
      return jsonNumber(node.text);
    default:
      return undefined;
  }
}

/**
 * Taint walk over a Python tree. Sources: sensitive files opened or read (`open`, `Path.read_text`,
 * paths built with `Path.home() / '.ssh'`, `expanduser`, `os.path.join`), `os.environ` whole, named
 * secrets (`os.environ['X_TOKEN']`, `os.getenv`), clipboard and screen grabs, HTTP responses.
 * Sinks: requests/httpx/urllib/http.client sends, sockets, DNS look-ups, SMTP, shell commands that
 * run network tools, writes to shared locations, and the executors (`exec`, `pickle.loads`, …).
 */

/** Calls that turn a value into one string or blob, ready to send or store. */
const SERIALISER = /^(?:json\.dumps|json\.dump|dumps|pickle\.dumps|yaml\.dump|yaml\.safe_dump|(?:base64\.)?(?:b64encode|urlsafe_b64encode|b32encode|b16encode|encodebytes)|(?:binascii\.)?hexlify|(?:zlib\.)?compress|urlencode|(?:urllib\.parse\.)?urlencode)$/;

/** Calls whose result carries their arguments' data: encoders, serialisers, string conversions. */
const PROPAGATING_CALL = /^(?:str|bytes|bytearray|repr|format|list|tuple|dict|set|sorted|reversed|zip|map|filter|iter|next|enumerate|sum|getattr|b64encode|b32encode|b16encode|b85encode|a85encode|urlsafe_b64encode|standard_b64encode|encodebytes|encodestring|b64decode|b32decode|b16decode|urlsafe_b64decode|decodebytes|hexlify|unhexlify|b2a_hex|b2a_base64|compress|decompress|dumps|dump|loads|load|safe_load|quote|quote_plus|urlencode|escape|encode|decode|pack|deepcopy|copy|fromhex|Fernet|encrypt|JSONEncoder|literal_eval|dedent|indent|findall|finditer|BytesIO|StringIO)$/;
/** The `re` module's searches, named with their module: `search`, `match` and `sub` alone are too common a name to follow. */
const REGEX_SEARCH = /^(?:re|regex)\.(?:search|match|fullmatch|sub|subn|split)$/;
/** Methods whose result carries the receiver's data. */
const PROPAGATING_METHOD = /^(?:encode|decode|strip|lstrip|rstrip|lower|upper|title|replace|split|splitlines|rsplit|partition|join|format|format_map|hex|read|read_text|read_bytes|readlines|readline|getvalue|copy|items|values|keys|get|pop|text|json|content|iter_content|iter_lines|tobytes|to_dict|to_json|as_posix|expandtabs|zfill|center|ljust|rjust|translate|removeprefix|removesuffix|casefold|capitalize|swapcase|digest|hexdigest|stdout|communicate|output|execute|cursor|iterdump|fetchall|fetchone|fetchmany|mappings|scalars|to_records|group|groups|groupdict)$/;
/**
 * A SELECT whose columns are credentials: password hashes, tokens, keys. Personal columns
 * (e-mail, phone) are left out: syncing customers to the CRM a skill is for selects them too.
 */
const SELECT_COLUMNS = /\bSELECT\b([\s\S]{0,400}?)\bFROM\b/i;
const CREDENTIAL_COLUMN = /\b\w{0,20}(?:password|passwd|pwd_hash|api_key|access_token|refresh_token|secret|private_key|session_token)\w{0,20}\b/i;

function sensitiveSelect(sql: string): { category: 'credential-file'; description: string } | undefined {
  const columns = SELECT_COLUMNS.exec(sql.slice(0, 2000))?.[1];
  if (columns === undefined || !CREDENTIAL_COLUMN.test(columns)) return undefined;
  return { category: 'credential-file', description: 'a password-hash or token column selected from a database' };
}

/** Clients that transfer files named by path: SFTP, SCP, FTP, object storage. */
const CHAT_SEND_METHODS = /^(?:send_document|send_photo|send_audio|send_video|send_voice|send_file|send_media_group|files_upload|files_upload_v2|chat_postMessage)$/;
const WEB_FRAMEWORK_RECEIVER = /^(?:flask|werkzeug|quart|starlette|fastapi|bottle|django)\b/;
const FILE_TRANSFER_RECEIVER = /sftp|scp|ftp|ssh|s3|bucket|blob|storage|transport/i;
const READ_METHODS = /^(?:read|read_text|read_bytes|readlines|readline)$/;
const HTTP_SEND_METHODS = /^(?:post|put|patch)$/;
const HTTP_ANY_METHODS = /^(?:get|delete|head|options|request|stream|send|fetch|urlopen)$/;
const HTTP_CLIENT_RECEIVER = /^(?:requests|httpx|urllib3|aiohttp|grequests|niquests|session|sess|s|client|http|conn|connection|pool|self\.(?:session|client|http|_session|_client))$|session|client/i;
/** An import statement with `as` on its line (`with open(p) as f` is not one). */
const RENAMED_IMPORT = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t][^\n]*[ \t]as[ \t]/m;
const IMPORT_STATEMENTS: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement']);
const ASSIGNMENTS: ReadonlySet<string> = new Set(['assignment']);
/** A module or attribute named by an expression rather than written: see `collectBuiltNames`. */
/** Executors and command runners that a script may call through another name (`f = exec`). */
const CALLABLE = '(?:exec|eval|compile|__import__|(?:os|subprocess|pickle|marshal|builtins|runpy|pty)\\.\\w{1,30})';
const CALLABLE_NAME = new RegExp(`^${CALLABLE}$`);
/** A line that binds a name to one of them: the cheap test before the assignments are read. */
const RENAMED_CALLABLE = new RegExp(`^[ \\t]*\\w{1,60}[ \\t]*=[ \\t]*${CALLABLE}[ \\t]*(?:#[^\\n]*)?$`, 'm');
const BUILT_NAME = /\b(?:__import__|import_module)[ \t]*\(|\bgetattr[ \t]*\([^,\n]{1,80},[ \t]*(?!['"]\w*['"][ \t]*[,)])/;
const MAX_STATIC_DEPTH = 8;
const SUBPROCESS_CALLS = /^(?:os\.system|os\.popen|system|popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|getoutput|getstatusoutput|check_output|check_call|Popen|commands\.getoutput|os\.exec\w+|os\.spawn\w+|os\.posix_spawnp?|pty\.spawn|(?:asyncio\.)?create_subprocess_(?:shell|exec))$/;
const SAFE_YAML_LOADER = /Safe|Base|CSafe|CBase/;

export class PythonWalker extends WalkerBase {
  private readonly text: string;
  /** `Popen` calls, by node id, of a shell or interpreter that reads its program from a pipe. */
  private readonly programInputs = new Map<number, SinkSite>();
  /** Variables holding such a process (name → the sink its input reaches). */
  private readonly programPipes = new Map<string, SinkSite>();
  /** Renamed imports: the local name → the dotted name it stands for. */
  private readonly importAliases = new Map<string, string>();
  /** Names bound once to a text built from literals alone (see `staticText`). */
  private readonly constantTexts = new Map<string, string>();
  protected override readonly scriptFacts = PYTHON_FACTS;
  /** Whether the unit names a module or function by an expression at all (`__import__`, `getattr(x, 'a' + …)`). */
  private buildsNames = false;
  /** Variables holding a file opened for writing, by name → folded path. */
  private readonly writeHandles = new Map<string, string>();
  /** Classes defined in this unit, and variables known to hold an instance of one (name → class). */
  private readonly classNames = new Set<string>();
  private readonly instances = new Map<string, string>();

  constructor(recorder: Recorder, deadline: number, private readonly root: Node, reuse?: HelperReuse) {
    super(recorder, deadline, reuse);
    this.text = root.text;
  }

  run(): void {
    this.collectFunctions();
    this.collectImportAliases();
    this.block(this.root, 0);
    this.summariseRemaining();
  }

  /**
   * `import urllib.request as u`, `from subprocess import run as go`: a renamed import is read by
   * the name it stands for, so `u.urlopen(…)` is a download like `urllib.request.urlopen(…)`.
   */
  private collectImportAliases(): void {
    this.buildsNames = BUILT_NAME.test(this.text);
    if (this.buildsNames || RENAMED_CALLABLE.test(this.text)) this.collectBuiltNames();
    if (!RENAMED_IMPORT.test(this.text)) return;
    for (const statement of findAll(this.root, IMPORT_STATEMENTS, MAX_DECLARATIONS_READ)) {
      const module = statement.type === 'import_from_statement' ? statement.childForFieldName('module_name') : null;
      if (module && module.type !== 'dotted_name') continue;
      for (const imported of statement.childrenForFieldName('name')) {
        if (imported?.type !== 'aliased_import') continue;
        const original = imported.childForFieldName('name')?.text;
        const alias = imported.childForFieldName('alias')?.text;
        if (!original || !alias) continue;
        const full = module ? `${module.text}.${original}` : original;
        if (alias !== full) this.importAliases.set(alias, full);
      }
    }
  }

  /**
   * Modules and functions reached by a name built at run time from literals: `m =
   * __import__('o' + 's')`, `sp = importlib.import_module('sub' + 'process')`, `run =
   * getattr(os, 'sys' + 'tem')`. Each name is read as what it stands for, like a renamed import;
   * `const`-like names bound once to such a text are followed (`NAME = 'os'`), and the elements of
   * a list of such texts bound once (`N = ['system', 'os']`, `N[1]`).
   */
  private collectBuiltNames(): void {
    const assignments = findAll(this.root, ASSIGNMENTS, MAX_DECLARATIONS_READ);
    const bound = new Map<string, number>();
    for (const node of assignments) {
      const target = node.childForFieldName('left');
      if (target?.type === 'identifier') bound.set(target.text, (bound.get(target.text) ?? 0) + 1);
    }
    for (const node of assignments) {
      const target = node.childForFieldName('left');
      const value = node.childForFieldName('right');
      if (target?.type !== 'identifier' || !value || bound.get(target.text) !== 1) continue;
      const text = this.staticText(value);
      if (text !== undefined) this.constantTexts.set(target.text, text);
      else if ((value.type === 'list' || value.type === 'tuple') && value.namedChildCount <= MAX_CONSTANT_ELEMENTS) {
        // `N = ['\x73ystem', 'o' + 's']`: each element a text of its own, `N[1]`.
        value.namedChildren.forEach((element, index) => {
          const item = element ? this.staticText(element) : undefined;
          if (item !== undefined) this.constantTexts.set(`${target.text}[${index}]`, item);
        });
      } else {
        // `f = exec`, `run = os.system`: a call through the new name calls what it names.
        const named = (value.type === 'identifier' || value.type === 'attribute') && CALLABLE_NAME.test(value.text) ? this.unaliased(value.text) : this.builtCallee(value);
        if (named !== undefined && named !== target.text) this.importAliases.set(target.text, named);
      }
    }
  }

  /**
   * The dotted name a module or function expression stands for when it is loaded by a name built
   * from literals: `__import__('o' + 's')` → `os`, `importlib.import_module(NAME)` → its text,
   * `getattr(os, 'sys' + 'tem')` → `os.system`, `__import__('os').system` → `os.system`.
   */
  private builtCallee(node: Node): string | undefined {
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const module = object?.type === 'call' ? this.builtCallee(object) : undefined;
      const attribute = node.childForFieldName('attribute')?.text;
      return module !== undefined && attribute ? `${module}.${attribute}` : undefined;
    }
    if (node.type !== 'call') return undefined;
    const fn = node.childForFieldName('function')?.text;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment' && arg.type !== 'keyword_argument') ?? [];
    if ((fn === '__import__' || fn === 'importlib.import_module' || fn === 'import_module') && args[0]) return this.staticText(args[0]);
    if (fn === 'getattr' && args.length >= 2 && args[0] && args[1]) {
      const object = args[0];
      const owner = object.type === 'identifier' || object.type === 'attribute' ? this.unaliased(object.text) : this.builtCallee(object);
      const attribute = this.staticText(args[1]);
      return owner !== undefined && attribute !== undefined ? `${owner}.${attribute}` : undefined;
    }
    return undefined;
  }

  /**
   * The text an expression always has when it is built from string literals alone: a literal
   * (implicitly concatenated too), `+` of such texts, `"sep".join([...])` of them, or a name bound
   * once to one. Undefined for anything that depends on run time.
   */
  private staticText(node: Node, depth = 0): string | undefined {
    if (depth > MAX_STATIC_DEPTH) return undefined;
    switch (node.type) {
      case 'string':
        return this.literal(node);
      case 'concatenated_string': {
        let text = '';
        for (const part of node.namedChildren) {
          const piece = part ? this.literal(part) : undefined;
          if (piece === undefined) return undefined;
          text += piece;
        }
        return text;
      }
      case 'identifier':
        return this.constantTexts.get(node.text);
      case 'subscript': {
        const value = node.childForFieldName('value');
        const index = node.childForFieldName('subscript');
        return value?.type === 'identifier' && index?.type === 'integer' && /^\d{1,4}$/.test(index.text) ? this.constantTexts.get(`${value.text}[${index.text}]`) : undefined;
      }
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.staticText(node.namedChildren[0], depth + 1) : undefined;
      case 'binary_operator': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const a = left ? this.staticText(left, depth + 1) : undefined;
        const b = a !== undefined && right ? this.staticText(right, depth + 1) : undefined;
        return a !== undefined && b !== undefined ? a + b : undefined;
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        const separatorNode = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join' ? fn.childForFieldName('object') : null;
        const list = node.childForFieldName('arguments')?.namedChildren[0];
        if (!separatorNode || (list?.type !== 'list' && list?.type !== 'tuple')) return undefined;
        const separator = this.staticText(separatorNode, depth + 1);
        const pieces = list.namedChildren.map((element) => (element ? this.staticText(element, depth + 1) : undefined));
        return separator !== undefined && pieces.every((piece) => piece !== undefined) ? pieces.join(separator) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** A dotted name as the module it names would write it (see `collectImportAliases`). */
  private unaliased(name: string): string {
    // Nothing to look up, and no recorded walk to tell that nothing was (the CLI's case).
    if (name === '' || (this.importAliases.size === 0 && this.recording === undefined)) return name;
    const dot = name.indexOf('.');
    const head = dot === -1 ? name : name.slice(0, dot);
    const full = this.importAliases.get(head);
    this.recording?.read({ kind: 'import-alias', name: head, full });
    return full === undefined ? name : dot === -1 ? full : full + name.slice(dot);
  }

  private collectFunctions(): void {
    for (const node of findAll(this.root, new Set(['function_definition']))) {
      const name = node.childForFieldName('name')?.text;
      if (!name || this.functions.has(name)) continue;
      const params: string[] = [];
      for (const param of node.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!param) continue;
        const id = param.type === 'identifier' ? param : (param.childForFieldName('name') ?? param.namedChildren.find((c) => c?.type === 'identifier'));
        params.push(id?.text ?? '');
      }
      const owner = [node.parent?.parent, node.parent?.parent?.parent].find((candidate) => candidate?.type === 'class_definition');
      const className = owner?.childForFieldName('name')?.text;
      if (className !== undefined) this.classNames.add(className);
      const receiverOffset = className !== undefined && (params[0] === 'self' || params[0] === 'cls') ? 1 : 0;
      this.functions.set(name, { name, node, params, receiverOffset, ...(className !== undefined ? { className } : {}) });
    }
  }

  // ------------------------------------------------------------------ state shared by every helper's walk
  // Read and changed through these, so that a recorded helper walk (`helper-replay.ts`) sees it.

  private writeHandle(name: string): string | undefined {
    const path = this.writeHandles.get(name);
    this.recording?.read({ kind: 'write-handle', name, path });
    return path;
  }

  private setWriteHandle(name: string, path: string): void {
    this.recording?.replace({ kind: 'set-write-handle', name, path }, { kind: 'write-handle', name, path });
    this.writeHandles.set(name, path);
  }

  private isClass(name: string): boolean {
    const defined = this.classNames.has(name);
    this.recording?.read({ kind: 'class', name, defined });
    return defined;
  }

  private instanceOf(name: string): string | undefined {
    const className = this.instances.get(name);
    this.recording?.read({ kind: 'instance', name, className });
    return className;
  }

  /** The process a variable holds whose standard input is its program; read through here for recorded helper walks. */
  private programPipe(name: string): SinkSite | undefined {
    const sink = this.programPipes.get(name);
    this.recording?.read({ kind: 'channel', name, sink });
    return sink;
  }

  private setProgramPipe(name: string, sink: SinkSite | undefined): void {
    if (sink) {
      this.recording?.replace({ kind: 'set-channel', name, sink }, { kind: 'channel', name, sink });
      this.programPipes.set(name, sink);
    } else if (this.programPipes.has(name)) {
      // A variable assigned again no longer holds the process; a recorded walk cannot undo that.
      this.recording?.abandon();
      this.programPipes.delete(name);
    }
  }

  private setInstance(name: string, className: string | undefined): void {
    this.recording?.replace({ kind: 'set-instance', name, className }, { kind: 'instance', name, className });
    if (className === undefined) this.instances.delete(name);
    else this.instances.set(name, className);
  }

  protected override outsideNow(read: OutsideRead): OutsideRead | undefined {
    switch (read.kind) {
      case 'write-handle':
        return { ...read, path: this.writeHandles.get(read.name) };
      case 'class':
        return { ...read, defined: this.classNames.has(read.name) };
      case 'instance':
        return { ...read, className: this.instances.get(read.name) };
      case 'import-alias':
        return { ...read, full: this.importAliases.get(read.name) };
      case 'channel':
        return { ...read, sink: this.programPipes.get(read.name) };
      default:
        return super.outsideNow(read);
    }
  }

  protected override apply(effect: OutsideEffect): void {
    if (effect.kind === 'set-write-handle') this.writeHandles.set(effect.name, effect.path);
    else if (effect.kind === 'set-channel') this.programPipes.set(effect.name, effect.sink);
    else if (effect.kind === 'set-instance') {
      if (effect.className === undefined) this.instances.delete(effect.name);
      else this.instances.set(effect.name, effect.className);
    } else super.apply(effect);
  }

  protected walkFunctionBody(info: FunctionInfo): void {
    this.inHelperScope(info.params, () => {
      const body = info.node.childForFieldName('body');
      if (body) this.block(body, 1);
    });
  }

  // ------------------------------------------------------------------ statements

  private block(node: Node, depth: number): void {
    this.eachStatement(node, depth, (statement, statementDepth) => this.statement(statement, statementDepth));
  }

  private statement(node: Node, depth: number): void {
    switch (node.type) {
      case 'function_definition':
      case 'class_definition':
        if (node.type === 'class_definition') {
          const body = node.childForFieldName('body');
          // Class-level assignments run at import; methods are summarised on call.
          if (body) for (const child of body.namedChildren) if (child && child.type === 'expression_statement') this.statement(child, depth + 1);
        }
        return;
      case 'decorated_definition':
        return;
      case 'expression_statement':
        for (const child of node.namedChildren) if (child) this.expressionStatement(child, depth);
        return;
      case 'return_statement': {
        const value = node.namedChildren[0];
        this.returnValue(value ? this.expr(value, depth) : EMPTY);
        return;
      }
      case 'with_statement': {
        for (const item of findAll(node.namedChildren[0] ?? node, new Set(['with_item']), 20)) this.withItem(item, depth);
        const body = node.childForFieldName('body');
        if (body) this.block(body, depth);
        return;
      }
      case 'for_statement': {
        const right = node.childForFieldName('right');
        const left = node.childForFieldName('left');
        const body = node.childForFieldName('body');
        // `for rel in ("secrets.yaml", ".storage/auth"):` — a few literal names, each walked through
        // the body, so the paths it builds from them stay known.
        const names = right && left?.type === 'identifier' && body ? this.literalItems(right) : undefined;
        if (names && left && body) {
          for (const name of names) {
            this.assignTarget(left, { ...textValue(name), labels: [], params: 0 }, depth);
            this.block(body, depth);
          }
        } else {
          if (right && left) this.assignTarget(left, this.iterate(this.expr(right, depth)), depth);
          if (body) this.block(body, depth);
        }
        const alternative = node.childForFieldName('alternative');
        if (alternative) this.block(alternative, depth);
        return;
      }
      case 'if_statement':
      case 'while_statement':
      case 'try_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'except_clause':
      case 'finally_clause':
      case 'block':
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === 'block' || child.type.endsWith('_clause')) this.statement(child, depth + 1);
          else if (child.type.endsWith('_statement') || child.type === 'expression_statement') this.statement(child, depth + 1);
          else this.expr(child, depth + 1);
        }
        return;
      default:
        if (node.type.endsWith('_statement')) {
          for (const child of node.namedChildren) if (child) this.expr(child, depth + 1);
        }
    }
  }

  private withItem(item: Node, depth: number): void {
    const value = item.childForFieldName('value');
    if (!value) return;
    if (value.type === 'as_pattern') {
      const inner = value.namedChildren[0];
      const alias = value.childForFieldName('alias')?.namedChildren[0] ?? value.namedChildren[1];
      if (!inner) return;
      const evaluated = this.expr(inner, depth);
      const writePath = this.writeTargetOf(inner);
      if (alias?.type === 'identifier') {
        if (writePath !== undefined) this.setWriteHandle(alias.text, writePath);
        this.scope.set(alias.text, evaluated);
      }
    } else {
      this.expr(value, depth);
    }
  }

  private expressionStatement(node: Node, depth: number): void {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return;
      const value = this.expr(right, depth);
      const writePath = this.writeTargetOf(right);
      if (writePath !== undefined && left.type === 'identifier') this.setWriteHandle(left.text, writePath);
      if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && (right.type === 'expression_list' || right.type === 'tuple')) {
        const targets = left.namedChildren;
        const values = right.namedChildren;
        if (targets.length === values.length) {
          targets.forEach((target, i) => {
            const source = values[i];
            if (target && source) this.assignTarget(target, this.expr(source, depth), depth);
          });
          return;
        }
      }
      if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && value.parts && value.parts.length === left.namedChildren.length) {
        const parts = value.parts;
        left.namedChildren.forEach((target, i) => {
          if (target) this.assignTarget(target, parts[i] ?? EMPTY, depth);
        });
        return;
      }
      this.assignTarget(left, value, depth);
      this.recordInstance(left, right);
      if (left.type === 'identifier') this.setProgramPipe(left.text, this.programInputs.get(right.id));
    } else if (node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return;
      const value = this.expr(right, depth);
      const key = this.targetKey(left);
      if (key) this.scope.add(key, value);
    } else {
      this.expr(node, depth);
    }
  }

  /** `x = Klass(...)` for a class defined in this unit: `x.method()` then reaches its method. */
  private recordInstance(left: Node, right: Node): void {
    if (left.type !== 'identifier') return;
    const callee = right.type === 'call' ? right.childForFieldName('function') : null;
    this.setInstance(left.text, callee?.type === 'identifier' && this.isClass(callee.text) ? callee.text : undefined);
  }

  /** A method is reached through its class name or a variable assigned an instance of the class. */
  private isReceiverOf(helper: FunctionInfo, receiverText: string): boolean {
    if (helper.className === undefined) return false;
    return receiverText === helper.className || this.instanceOf(receiverText) === helper.className;
  }

  private targetKey(node: Node): string | undefined {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'attribute') return node.text.length <= 100 ? node.text : undefined;
    return undefined;
  }

  private assignTarget(target: Node, value: AbstractValue, depth: number): void {
    switch (target.type) {
      case 'identifier':
      case 'attribute': {
        const key = this.targetKey(target);
        if (key) this.scope.set(key, value);
        if (target.type === 'attribute') {
          const object = target.childForFieldName('object');
          if (object?.type === 'identifier' && isTainted(value)) this.scope.add(object.text, { labels: value.labels, params: value.params });
        }
        return;
      }
      case 'subscript': {
        // d['Authorization'] = token marks the token as a credential; d[k] = v taints d.
        const object = target.childForFieldName('value');
        const subscript = target.childForFieldName('subscript');
        const key = subscript?.type === 'string' ? this.literal(subscript) : undefined;
        const stored = key !== undefined && isCredentialKey(key) ? asCredential(value) : value;
        if (object) {
          const name = this.targetKey(object);
          // `s['hooks'] = {…}` on settings read from a file: dumped back as JSON, it holds the hook.
          const json = this.uses('serialiser') ? memberAsJson(key, value) : undefined;
          if (name) this.scope.add(name, { labels: stored.labels, params: stored.params, ...(json !== undefined ? { json } : {}) });
        }
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
        for (const child of target.namedChildren) if (child) this.assignTarget(child, value, depth);
        return;
      default:
        return;
    }
  }

  /** The strings of a literal list, tuple or set of at most MAX_LITERAL_LOOP_ITEMS plain strings. */
  private literalItems(node: Node): string[] | undefined {
    if (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'set') return undefined;
    const children = node.namedChildren;
    if (children.length < 2 || children.length > MAX_LITERAL_LOOP_ITEMS) return undefined;
    const items: string[] = [];
    for (const child of children) {
      const text = child ? this.literal(child) : undefined;
      if (text === undefined) return undefined;
      items.push(text);
    }
    return items;
  }

  /** Iterating a directory listing or a glob yields paths it matches (Windows' backslashes too); iterating data yields its parts. */
  private iterate(value: AbstractValue): AbstractValue {
    return value.text !== undefined && /[/\\][^/\\]*[*?]/.test(value.text) ? value : withText(value, undefined);
  }

  // ------------------------------------------------------------------ expressions

  private literal(node: Node): string | undefined {
    if (node.type !== 'string') return undefined;
    if (node.namedChildren.some((child) => child?.type === 'interpolation')) return undefined;
    let opening: Node | undefined;
    let out = '';
    for (const child of node.namedChildren) {
      if (child?.type === 'string_start') opening = child;
      else if (child?.type === 'string_content' || child?.type === 'escape_sequence') out += contentText(child.text, opening);
    }
    return out;
  }

  private expr(node: Node, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    switch (node.type) {
      case 'identifier':
        return this.scope.get(node.text) ?? EMPTY;
      case 'string':
        return this.string(node, depth);
      case 'concatenated_string':
        return foldString(node.namedChildren.map((child) => ({ value: child ? this.expr(child, depth + 1) : EMPTY })));
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return EMPTY;
      case 'attribute':
        return this.attribute(node, depth);
      case 'subscript':
        return this.subscript(node, depth);
      case 'call':
        return this.call(node, depth);
      case 'binary_operator':
        return this.binary(node, depth);
      case 'parenthesized_expression':
      case 'await':
      case 'expression_statement':
        return node.namedChildren[0] ? this.expr(node.namedChildren[0], depth + 1) : EMPTY;
      case 'dictionary':
        return this.dictionary(node, depth);
      case 'list':
        return listLiteral(node, this.uses('serialiser'), 'list_splat', (child) => this.expr(child, depth + 1), pythonLiteralJson);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.comprehension(node, depth);
      case 'lambda':
        return EMPTY;
      case 'expression_list':
      case 'tuple':
        return tupleValue(node.namedChildren.map((child) => (child ? this.expr(child, depth + 1) : EMPTY)));
      case 'assignment':
      case 'named_expression': {
        const name = node.childForFieldName('name') ?? node.childForFieldName('left');
        const value = node.childForFieldName('value') ?? node.childForFieldName('right');
        const evaluated = value ? this.expr(value, depth + 1) : EMPTY;
        if (name) this.assignTarget(name, evaluated, depth);
        return evaluated;
      }
      case 'boolean_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const a = left ? this.expr(left, depth + 1) : EMPTY;
        const b = right ? this.expr(right, depth + 1) : EMPTY;
        return withText(union(a, b), a.text ?? b.text);
      }
      default: {
        const parts: AbstractValue[] = [];
        for (const child of node.namedChildren) if (child) parts.push(this.expr(child, depth + 1));
        return union(...parts);
      }
    }
  }

  private string(node: Node, depth: number): AbstractValue {
    const parts: StringPart[] = [];
    let opening: Node | undefined;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_start') opening = child;
      else if (child.type === 'string_content' || child.type === 'escape_sequence') parts.push({ literal: contentText(child.text, opening) });
      else if (child.type === 'interpolation') {
        const inner = child.childForFieldName('expression') ?? child.namedChildren[0];
        parts.push({ value: inner ? this.expr(inner, depth + 1) : EMPTY });
      }
    }
    return foldString(parts);
  }

  private binary(node: Node, depth: number): AbstractValue {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text ?? '';
    const a = left ? this.expr(left, depth + 1) : EMPTY;
    const b = right ? this.expr(right, depth + 1) : EMPTY;
    if (operator === '+') return foldString([{ value: a }, { value: b }]);
    if (operator === '/') {
      // pathlib: Path.home() / '.ssh' / 'id_rsa'
      if (a.text !== undefined || b.text !== undefined) return foldString([{ value: a }, { literal: '/' }, { value: b }]);
      return union(a, b);
    }
    if (operator === '%') return foldString([{ value: a }, { value: withText(b, '') }]);
    return union(a, b);
  }

  private dictionary(node: Node, depth: number): AbstractValue {
    const parts: AbstractValue[] = [];
    let entries: [string, string][] | undefined = node.endIndex - node.startIndex <= MAX_JSON && this.uses('serialiser') ? [] : undefined;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'pair') {
        const keyNode = child.childForFieldName('key');
        const valueNode = child.childForFieldName('value');
        const key = keyNode ? this.literal(keyNode) : undefined;
        if (keyNode && key === undefined) parts.push(this.expr(keyNode, depth + 1));
        const value = valueNode ? this.expr(valueNode, depth + 1) : EMPTY;
        parts.push(key !== undefined && isCredentialKey(key) ? asCredential(value) : value);
        if (key === undefined || !valueNode) entries = undefined;
        else entries?.push([key, jsonMember(value, pythonLiteralJson(valueNode))]);
      } else {
        parts.push(this.expr(child, depth + 1));
        entries = undefined;
      }
    }
    return withObjectJson(union(...parts), entries);
  }

  private comprehension(node: Node, depth: number): AbstractValue {
    const clauses = node.namedChildren.filter((child): child is Node => child?.type === 'for_in_clause');
    const only = clauses.length === 1 ? clauses[0] : undefined;
    const left = only?.childForFieldName('left');
    const right = only?.childForFieldName('right');
    // `{p: open(expanduser(p)).read() for p in ["~/.aws/credentials", "~/.netrc"]}`: a few literal
    // names, each taken through the element as a loop over them is, so the paths stay known.
    const names = right && left?.type === 'identifier' ? this.literalItems(right) : undefined;
    if (names && left) {
      return union(
        ...names.map((name) =>
          this.inComprehensionScope(() => {
            this.assignTarget(left, textValue(name), depth);
            return this.comprehensionElement(node, depth);
          }),
        ),
      );
    }
    return this.inComprehensionScope(() => {
      for (const clause of clauses) {
        const target = clause.childForFieldName('left');
        const source = clause.childForFieldName('right');
        const value = source ? this.iterate(this.expr(source, depth + 1)) : EMPTY;
        if (target) this.assignTarget(target, value, depth);
      }
      return this.comprehensionElement(node, depth);
    });
  }

  private inComprehensionScope(walk: () => AbstractValue): AbstractValue {
    const saved = this.scope;
    this.scope = new Scope(saved);
    try {
      return walk();
    } finally {
      this.scope = saved;
    }
  }

  /** What a comprehension yields: its element (or key and value), walked in its scope. */
  private comprehensionElement(node: Node, depth: number): AbstractValue {
    const parts: AbstractValue[] = [];
    for (const child of node.namedChildren) {
      if (child && child.type !== 'for_in_clause' && child.type !== 'if_clause') parts.push(this.expr(child, depth + 1));
    }
    return union(...parts);
  }

  private attribute(node: Node, depth: number): AbstractValue {
    const text = node.text;
    if (text === 'sys.argv') return this.callerInput();
    if (text === 'sys.stdin' || text === 'sys.stdin.buffer') return this.scriptInput(node.startIndex, node.endIndex);
    if (text === 'os.environ' || text === 'environ' || text === 'posix.environ') {
      return { labels: [this.recorder.label({ category: 'environment', description: 'the whole environment' }, node.startIndex, node.endIndex)], params: 0 };
    }
    const own = text.length <= 100 ? this.scope.get(text) : undefined;
    if (own) return own;
    const object = node.childForFieldName('object');
    if (!object) return EMPTY;
    const value = this.expr(object, depth + 1);
    return withText(value, undefined);
  }

  /** `os.environ['X']`, `os.environ.get('X')`, `os.getenv('X')`: a named secret, or `~` for HOME. */
  private environmentRead(name: string | undefined, node: Node): AbstractValue {
    return name === undefined ? EMPTY : this.environmentValue(name, node.startIndex, node.endIndex);
  }

  private subscript(node: Node, depth: number): AbstractValue {
    const object = node.childForFieldName('value');
    const subscript = node.childForFieldName('subscript');
    if (object && /^(?:os\.)?environ$/.test(object.text)) {
      return this.environmentRead(subscript ? this.literal(subscript) : undefined, node);
    }
    const value = object ? this.expr(object, depth + 1) : EMPTY;
    // `glob.glob(…)[:40]`: a slice of a listing is still those paths.
    if (subscript?.type === 'slice') return value;
    if (subscript) this.expr(subscript, depth + 1);
    return withText(value, undefined);
  }

  // ------------------------------------------------------------------ calls

  private call(node: Node, depth: number): AbstractValue {
    const fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!fn) return EMPTY;
    const positional: AbstractValue[] = [];
    const positionalNodes: Node[] = [];
    const keywords = new Map<string, AbstractValue>();
    const keywordNodes = new Map<string, Node>();
    let splat = EMPTY;
    if (argsNode && argsNode.type === 'argument_list') {
      for (const arg of argsNode.namedChildren) {
        if (!arg) continue;
        if (arg.type === 'keyword_argument') {
          const name = arg.childForFieldName('name')?.text ?? '';
          const valueNode = arg.childForFieldName('value');
          if (valueNode) {
            keywords.set(name, this.expr(valueNode, depth + 1));
            keywordNodes.set(name, valueNode);
          }
        } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
          splat = union(splat, this.expr(arg, depth + 1));
        } else if (arg.type !== 'comment') {
          positional.push(this.expr(arg, depth + 1));
          positionalNodes.push(arg);
        }
      }
    } else if (argsNode) {
      positional.push(this.expr(argsNode, depth + 1));
      positionalNodes.push(argsNode);
    }
    // `getattr(os, 'sys' + 'tem')(…)`, `__import__('o' + 's').system(…)`: called by the name it stands for.
    const built = this.buildsNames && (fn.type === 'call' || (fn.type === 'attribute' && fn.childForFieldName('object')?.type === 'call')) ? this.builtCallee(fn) : undefined;
    const written = built ?? (fn.type === 'identifier' || fn.type === 'attribute' ? fn.text : '');
    const name = this.unaliased(written);
    const renamed = name !== written;
    const last = renamed ? name.slice(name.lastIndexOf('.') + 1) : fn.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : fn.type === 'identifier' ? fn.text : '';
    const receiverNode = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    const receiverText = renamed ? name.slice(0, Math.max(0, name.lastIndexOf('.'))) : (receiverNode?.text ?? '');
    const receiver = receiverNode ? this.expr(receiverNode, depth + 1) : EMPTY;
    const args = { positional, positionalNodes, keywords, keywordNodes, splat };

    // Helpers defined in this unit.
    const helper = this.helperNamed(last);
    if (helper && (fn.type === 'identifier' || /^(?:self|cls)$/.test(receiverText) || this.isReceiverOf(helper, receiverText))) {
      const all = [...positional];
      helper.params.forEach((param, index) => {
        const keyword = keywords.get(param);
        if (keyword && index - helper.receiverOffset >= 0) all[index - helper.receiverOffset] = keyword;
      });
      return this.applySummary(helper, all, this.recorder.file, this.recorder.base + node.startIndex, this.recorder.base + node.endIndex);
    }

    // Container updates: d.update(x), l.append(x), l.extend(x), s.add(x).
    if (/^(?:update|append|extend|add|insert|setdefault|appendleft|write|add_attachment|set_content|attach|set_payload)$/.test(last) && receiverNode && (receiverNode.type === 'identifier' || receiverNode.type === 'attribute')) {
      const key = this.targetKey(receiverNode);
      const added = union(...positional, ...keywords.values(), splat);
      if (key && isTainted(added) && this.writeHandle(key) === undefined) this.scope.add(key, { labels: added.labels, params: added.params });
    }
    // `cur.execute("SELECT email, password_hash FROM users")`: the cursor now holds those rows,
    // which `cur.fetchall()` hands on.
    // A cursor's rows are what its last query returned, so each execute replaces them.
    if (/^(?:execute|executemany)$/.test(last) && receiverNode && (receiverNode.type === 'identifier' || receiverNode.type === 'attribute') && positionalNodes[0]) {
      const selected = sensitiveSelect(this.literal(positionalNodes[0]) ?? positional[0]?.text ?? '');
      const key = this.targetKey(receiverNode);
      if (key && this.writeHandle(key) === undefined) this.scope.set(key, selected ? { labels: [this.recorder.label(selected, node.startIndex, node.endIndex)], params: 0 } : EMPTY);
    }
    this.sinks(node, name, last, receiverText, receiver, args);
    return this.callResult(node, name, last, receiverText, receiver, args);
  }

  private callResult(node: Node, name: string, last: string, receiverText: string, receiver: AbstractValue, args: CallArgs): AbstractValue {
    const first = args.positional[0] ?? EMPTY;
    const firstNode = args.positionalNodes[0];
    if (/^parse_(?:known_)?(?:intermixed_)?args$/.test(last) && receiverText !== '') return this.callerInput();
    if ((name === 'json.dumps' || name === 'yaml.dump' || name === 'yaml.safe_dump') && first.json !== undefined) return serialisedAsJson(first);
    // Environment and path construction.
    if (/^(?:os\.)?getenv$|^(?:os\.)?environ\.get$/.test(name)) {
      return this.environmentRead(firstNode ? this.literal(firstNode) : undefined, node);
    }
    if (/^(?:Path\.home|pathlib\.Path\.home|os\.path\.expanduser|expanduser|gettempdir|tempfile\.gettempdir)$/.test(name)) {
      if (/gettempdir/.test(name)) return textValue('/tmp');
      if (last === 'home') return textValue('~');
      return withText(first, first.text);
    }
    if (last === 'expanduser' || last === 'resolve' || last === 'absolute' || last === 'expandvars' || /^os\.path\.(?:abspath|realpath|normpath)$/.test(name)) {
      return receiverText && last !== 'expanduser' && !name.startsWith('os.path') ? receiver : (args.positional[0] ?? receiver);
    }
    if (/^(?:os\.path\.join|join|joinpath|Path|pathlib\.Path|PurePath|PosixPath)$/.test(name) || last === 'joinpath') {
      const parts = last === 'joinpath' ? [receiver, ...args.positional] : args.positional;
      if (parts.length === 0) return EMPTY;
      const pieces: StringPart[] = [];
      parts.forEach((part, index) => {
        if (index > 0) pieces.push({ literal: '/' });
        pieces.push({ value: part });
      });
      return foldString(pieces);
    }
    if (/^(?:glob\.glob|glob\.iglob|glob|os\.listdir|listdir|os\.scandir|scandir|os\.walk|walk)$/.test(name) || /^(?:glob|rglob|iterdir)$/.test(last)) {
      const base = /^(?:glob|rglob|iterdir)$/.test(last) && receiverText !== 'glob' ? receiver : first;
      // A pattern with a wildcard (`~/.config/*/credentials*`, `~/**/.env`) names the files
      // themselves; a folder (`~/.ssh`) names what is in it.
      if (base.text === undefined) return base;
      // pathlib's `Path.home().rglob('.env')`, `p.glob('**/*.pem')`: the pattern is relative to the path.
      if (base === receiver && last !== 'iterdir' && first.text !== undefined) {
        return withText(union(base, first), `${base.text.replace(/\/+$/, '')}/${last === 'rglob' ? '**/' : ''}${first.text.replace(/^\/+/, '')}`);
      }
      return withText(base, /[*?[]/.test(base.text) ? base.text : `${base.text.replace(/\/+$/, '')}/*`);
    }
    // Reads.
    if (name === 'open' || name === 'io.open' || name === 'codecs.open' || last === 'open') {
      const path = last === 'open' && name !== 'open' && name !== 'io.open' && name !== 'codecs.open' ? receiver : first;
      if (this.isWriteMode(args, last === 'open' && name !== 'open' ? 0 : 1)) return withText(EMPTY, undefined);
      return union(withoutCallerInput(path), this.recorder.readFile(path.text, node.startIndex, node.endIndex));
    }
    // A database file opened is read by every query on the connection (`sqlite3.connect('…/chat.db')`).
    if (name === 'sqlite3.connect' && first.text !== undefined) return union(withoutCallerInput(first), this.recorder.readFile(first.text, node.startIndex, node.endIndex));
    if (READ_METHODS.test(last) && receiver.text !== undefined) {
      return union(withoutCallerInput(receiver), this.recorder.readFile(receiver.text, node.startIndex, node.endIndex));
    }
    // Passwords from the OS keyring (macOS Keychain, Secret Service, Windows Credential Manager).
    if (/^(?:keyring\.)?(?:get_password|get_credential)$/.test(name) && (name.startsWith('keyring.') || receiverText === '')) {
      return { labels: [this.recorder.label({ category: 'credential-file', description: 'a password from the system keyring' }, node.startIndex, node.endIndex)], params: 0 };
    }
    // `getpass('[sudo] password for user: ')`: a prompt worded as the system's returns the login password.
    if (/^(?:getpass\.)?getpass$/.test(name)) {
      const source = systemPasswordPrompt((firstNode ? this.literal(firstNode) : undefined) ?? '');
      if (source) return { labels: [this.recorder.label(source, node.startIndex, node.endIndex)], params: 0 };
    }
    // A query that selects credentials or personal columns returns those rows; the cursor it ran
    // on holds them too (see the call site).
    if (/^(?:execute|executemany|query|read_sql|read_sql_query|fetch|fetchrow)$/.test(last) && firstNode) {
      const sql = this.literal(firstNode) ?? first.text ?? '';
      const selected = sensitiveSelect(sql);
      if (selected) {
        return { labels: [this.recorder.label(selected, node.startIndex, node.endIndex)], params: 0 };
      }
    }
    // Browser cookie jars decrypted by `browser_cookie3.chrome()` and the like.
    if (/^(?:browser_cookie3|browsercookie|pycookiecheat)\.\w+$/.test(name) || name === 'chrome_cookies') {
      return { labels: [this.recorder.label({ category: 'credential-file', description: 'browser cookies' }, node.startIndex, node.endIndex)], params: 0 };
    }
    // `dotenv_values()` returns the `.env` file's variables as a dict.
    if (/^(?:dotenv\.)?dotenv_values$/.test(name)) {
      return this.recorder.readFile(first.text ?? '.env', node.startIndex, node.endIndex);
    }
    // `shutil.make_archive(base, fmt, root_dir)`: the archive holds the folder; it is written
    // where `base` says and its path is returned.
    if (/^(?:shutil\.)?make_archive$/.test(name)) {
      const root = args.keywords.get('root_dir') ?? args.positional[2];
      const format = args.positionalNodes[1] ? this.literal(args.positionalNodes[1]) : undefined;
      const archive = first.text !== undefined ? `${first.text}.${format === 'gztar' ? 'tar.gz' : format === 'bztar' ? 'tar.bz2' : format === 'xztar' ? 'tar.xz' : (format ?? 'zip')}` : undefined;
      if (root?.text !== undefined) {
        const content = union(root, this.recorder.readFolder(root.text, node.startIndex, node.endIndex));
        this.recorder.writeFile(archive, content, node.startIndex, node.endIndex);
        return withText(content, archive);
      }
      return withText(EMPTY, archive);
    }
    // Cloud SDK credentials read from the process's own session.
    if (/^(?:get_credentials|get_frozen_credentials)$/.test(last)) {
      return { labels: [this.recorder.label({ category: 'credential-file', description: 'cloud credentials from the SDK session' }, node.startIndex, node.endIndex)], params: 0 };
    }
    // Privacy.
    if (/^(?:pyperclip\.paste|clipboard\.paste|paste|clipboard_get|pyperclip\.waitForNewPaste)$/.test(name) || last === 'clipboard_get' || (last === 'paste' && /clip/i.test(receiverText))) {
      return { labels: [this.recorder.label({ category: 'privacy', description: 'the clipboard' }, node.startIndex, node.endIndex)], params: 0 };
    }
    if (/^(?:ImageGrab\.grab|pyautogui\.screenshot|screenshot|grab|shot)$/.test(name) || (/^(?:grab|shot|screenshot)$/.test(last) && /ImageGrab|pyautogui|mss|sct|screen/i.test(receiverText))) {
      return { labels: [this.recorder.label({ category: 'privacy', description: 'a screen capture' }, node.startIndex, node.endIndex)], params: 0 };
    }
    // Downloads.
    if (this.isHttpCall(name, last, receiverText) || /^(?:urlopen|urllib\.request\.urlopen|urllib2\.urlopen|request\.urlopen)$/.test(name)) {
      // The metadata service answers with the machine's role credentials.
      const metadata = workloadCredentialSource((args.keywords.get('url') ?? args.positional[0])?.text);
      if (metadata) return union(receiver, { labels: [this.recorder.label(metadata, node.startIndex, node.endIndex)], params: 0 });
      return union(receiver, { labels: [this.recorder.label({ category: 'download', description: 'data downloaded from the network' }, node.startIndex, node.endIndex)], params: 0 });
    }
    // Commands whose output is a source.
    if (SUBPROCESS_CALLS.test(name)) {
      const words = this.commandWords(name, args);
      const source = commandSource(words);
      if (source) return { labels: [this.recorder.label(source, node.startIndex, node.endIndex)], params: 0 };
      if (words[0] === 'cat' && words.length > 1) {
        const read = this.recorder.readFile(words[words.length - 1], node.startIndex, node.endIndex);
        if (isTainted(read)) return read;
      }
      return EMPTY;
    }
    // `" | ".join(["curl -fsSL https://…", "sh"])`: a command assembled from literal pieces.
    const joined = last === 'join' ? this.staticText(node) : undefined;
    if (joined !== undefined) return withText(union(receiver, ...args.positional), joined);
    // Propagation. `re.search(pattern, data)` and its kin return parts of the data (`.group(1)` then hands them on).
    if (PROPAGATING_CALL.test(last) || PROPAGATING_METHOD.test(last) || REGEX_SEARCH.test(name)) {
      const keywordValues = [...args.keywords].filter(([key]) => !isCredentialKey(key)).map(([, value]) => value);
      const viaReceiver = PROPAGATING_METHOD.test(last) ? receiver : EMPTY;
      const result = union(viaReceiver, ...args.positional, ...keywordValues, args.splat);
      if (last === 'format' && receiver.text !== undefined) return withText(result, receiver.text);
      if (/^(?:encode|decode|strip|lower|upper|as_posix)$/.test(last) && receiver.text !== undefined) return withText(result, receiver.text);
      if (last === 'str' && first.text !== undefined) return withText(result, first.text);
      return result;
    }
    return EMPTY;
  }

  private isWriteMode(args: CallArgs, modeIndex: number): boolean {
    const modeNode = args.keywordNodes.get('mode') ?? args.positionalNodes[modeIndex];
    const mode = modeNode ? this.literal(modeNode) : undefined;
    return mode !== undefined && /[wax]/.test(mode);
  }

  /** The folded path when `node` opens a file for writing. */
  private writeTargetOf(node: Node): string | undefined {
    if (node.type !== 'call') return undefined;
    const fn = node.childForFieldName('function');
    if (!fn) return undefined;
    // Every assignment from a call asks: the callee's name rules out all but `open` before its
    // arguments are read.
    const fnType = fn.type;
    const last = fnType === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
    if (last !== 'open') return undefined;
    const args = node.childForFieldName('arguments');
    if (!args) return undefined;
    const positional = args.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'keyword_argument');
    const modeKeyword = args.namedChildren.find((arg) => arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'mode');
    const isMethod = fnType === 'attribute' && fn.text !== 'io.open' && fn.text !== 'codecs.open';
    const modeNode = modeKeyword?.childForFieldName('value') ?? positional[isMethod ? 0 : 1];
    const mode = modeNode ? this.literal(modeNode) : undefined;
    if (mode === undefined || !/[wax]/.test(mode)) return undefined;
    const pathNode = isMethod ? fn.childForFieldName('object') : positional[0];
    return pathNode ? (this.expr(pathNode, 1).text ?? undefined) : undefined;
  }

  protected override scriptText(): string {
    return this.text;
  }

  private isHttpCall(name: string, last: string, receiverText: string): boolean {
    if (!receiverText) return false;
    // `sftp.put(local, remote)`, `s3.upload_file(…)`: a file named by path, read in the sinks.
    if (FILE_TRANSFER_RECEIVER.test(receiverText) && /^(?:put|upload_file|upload|putfo)$/.test(last)) return false;
    if (HTTP_SEND_METHODS.test(last)) return true;
    return HTTP_ANY_METHODS.test(last) && HTTP_CLIENT_RECEIVER.test(receiverText) && !/^(?:os|dict|self)$/.test(receiverText) && name !== 'os.environ.get';
  }

  /** The words of a command given to subprocess/os.system, from a list literal or a folded string. */
  private commandWords(name: string, args: CallArgs): string[] {
    const argv = argvNodes(name, args);
    if (argv) return argv.map((child) => this.expr(child, 1).text ?? '*');
    const node = args.positionalNodes[0] ?? args.keywordNodes.get('args');
    return node ? commandWordsOf(this.expr(node, 1).text ?? '') : [];
  }

  // ------------------------------------------------------------------ sinks

  private sinks(node: Node, name: string, last: string, receiverText: string, receiver: AbstractValue, args: CallArgs): void {
    const callee = node.childForFieldName('function') ?? node;
    const at = (kind: Parameters<Recorder['sink']>[0], description: string, host?: string) =>
      this.recorder.sink(kind, description, callee.startIndex, node.endIndex > callee.endIndex + 200 ? callee.endIndex : node.endIndex, host);

    if (SERIALISER.test(name)) {
      const end = node.endIndex > callee.endIndex + 200 ? callee.endIndex : node.endIndex;
      this.recorder.bundle(union(...args.positional, ...args.keywords.values()), `\`${name}\``, callee.startIndex, end);
    }

    // HTTP.
    const isUrllibRequest = /^(?:urllib\.request\.Request|Request|urllib2\.Request|request\.Request)$/.test(name);
    const isUrlopen = /^(?:urlopen|urllib\.request\.urlopen|urllib2\.urlopen|request\.urlopen)$/.test(name);
    if (this.isHttpCall(name, last, receiverText) || isUrllibRequest || isUrlopen) {
      const urlIndex = last === 'request' && !isUrllibRequest ? 1 : 0;
      const urlValue = args.keywords.get('url') ?? args.positional[urlIndex] ?? EMPTY;
      const host = literalHost(urlValue.text);
      const sink = at('network', `an HTTP request to ${host ?? 'a remote server'}`, host);
      this.reachSinkAt(urlValue, sink, 'url');
      const payloadIndex = urlIndex + 1;
      const isHttpClientRequest = last === 'request' && !HTTP_CLIENT_RECEIVER.test(receiverText.replace(/^conn(?:ection)?$/, ''));
      const payloads = [args.keywords.get('data'), args.keywords.get('json'), args.keywords.get('files'), args.keywords.get('content'), args.keywords.get('body'), args.keywords.get('params'), args.keywords.get('form')];
      if (HTTP_SEND_METHODS.test(last) || isUrllibRequest || isUrlopen || isHttpClientRequest) payloads.push(args.positional[payloadIndex]);
      for (const payload of payloads) if (payload) this.reachSinkAt(payload, sink, 'payload');
      for (const header of [args.keywords.get('headers'), args.keywords.get('auth'), args.keywords.get('cookies')]) {
        if (header) this.reachSinkAt(header, sink, 'header');
      }
      // A session sends what was added to its headers, cookies or params earlier:
      // `s.headers.update({…})`, `s.headers['X'] = k`, `s.cookies.update(…)`. (A plain attribute
      // assignment, `s.auth = (…)`, is not followed.)
      if (receiverText && /^[\w.]{1,80}$/.test(receiverText)) {
        for (const part of ['headers', 'cookies', 'auth', 'params']) {
          const kept = this.scope.get(`${receiverText}.${part}`);
          if (kept && isTainted(kept)) this.reachSinkAt(kept, sink, part === 'params' ? 'payload' : 'header');
        }
      }
      if (last === 'send' && args.positional[0]) this.reachSinkAt(args.positional[0], sink, 'payload');
      return;
    }
    // The program of a shell or an interpreter started with a pipe for input (`commandSink`):
    // `p.communicate(code)`, `p.stdin.write(code)`, `Popen(["sh"], stdin=PIPE).communicate(code)`.
    if ((last === 'communicate' || (last === 'write' && receiverText.endsWith('.stdin'))) && receiverText) {
      const process = node.childForFieldName('function')?.childForFieldName('object');
      const holder = last === 'write' ? process?.childForFieldName('object') : process;
      const sink = holder?.type === 'call' ? this.programInputs.get(holder.id) : holder?.type === 'identifier' ? this.programPipe(holder.text) : undefined;
      const code = args.keywords.get('input') ?? args.positional[0];
      if (sink && code) {
        this.reachSinkAt(code, sink, sink.kind === 'executor' ? 'code' : 'payload');
        return;
      }
    }
    // Sockets and SMTP. scapy's `send(IP(dst=h)/ICMP()/data)` puts the data into raw packets.
    if (/^(?:scapy\.(?:all\.|sendrecv\.)?)?(?:send|sendp|sr|sr1|srp|srp1|sendpfast)$/.test(name) && (name.startsWith('scapy.') || this.uses('scapy'))) {
      if (args.positional[0]) this.reachSinkAt(args.positional[0], at('socket', 'raw network packets (scapy)'), 'payload');
      return;
    }
    // paho-mqtt: `client.publish(topic, payload)`, `publish.single(topic, payload, hostname=…)`; a
    // public broker hands the message to every subscriber of the topic.
    if (/^(?:publish|single)$/.test(last) && this.uses('mqtt')) {
      const payload = args.keywords.get('payload') ?? args.positional[1];
      const hostname = args.keywords.get('hostname')?.text;
      const host = hostname === undefined ? undefined : hostInText(`https://${hostname}`);
      if (payload) this.reachSinkAt(payload, at('network', `an MQTT message${host ? ` to ${host}` : ''}`, host), 'payload');
      return;
    }
    if (/^(?:send|sendall|sendto|sendmsg|send_bytes)$/.test(last) && receiverText) {
      const sink = at('socket', 'a network socket');
      if (args.positional[0]) this.reachSinkAt(args.positional[0], sink, 'payload');
      return;
    }
    if (last === 'write' && /sock|conn|writer|transport|ws\b|websocket|tcp/i.test(receiverText)) {
      if (args.positional[0]) this.reachSinkAt(args.positional[0], at('socket', 'a network connection'), 'payload');
      return;
    }
    // Uploads of an open file (FTP) or of a file named by path (SFTP, SCP, object storage).
    if (/^(?:storbinary|storlines)$/.test(last) && receiverText) {
      if (args.positional[1]) this.reachSinkAt(args.positional[1], at('network', 'an FTP upload'), 'payload');
      return;
    }
    // Object storage given the data itself: boto3's `put_object(Body=…)`, Google Cloud Storage's
    // `blob.upload_from_string(…)`, Azure's `upload_blob(…)`.
    if ((last === 'put_object' && args.keywords.has('Body')) || /^(?:upload_from_string|upload_from_file|upload_blob)$/.test(last)) {
      const data = last === 'put_object' ? args.keywords.get('Body') : (args.keywords.get('data') ?? args.positional[0]);
      if (data) this.reachSinkAt(data, at('network', 'an upload to cloud storage'), 'payload');
      return;
    }
    if (last === 'upload_from_filename' && args.positional[0]) {
      const path = args.positional[0];
      this.reachSinkAt(union(path, this.recorder.readFile(path.text, node.startIndex, node.endIndex)), at('network', 'an upload to cloud storage'), 'payload');
      return;
    }
    // A page opened in the browser: its address, with whatever was put into it, goes to the host.
    if (/^webbrowser\.(?:open|open_new|open_new_tab)$/.test(name) && args.positional[0]) {
      const url = args.positional[0];
      const host = literalHost(url.text);
      this.reachSinkAt(url, at('network', `a page the browser opens at ${host ?? 'a remote server'}`, host), 'url');
      return;
    }
    // pycurl: `c.setopt(c.POSTFIELDS, data)` is the request's body.
    if (last === 'setopt' && /\b(?:POSTFIELDS|COPYPOSTFIELDS|HTTPPOST)$/.test(args.positionalNodes[0]?.text ?? '') && args.positional[1]) {
      this.reachSinkAt(args.positional[1], at('network', 'an HTTP request sent by pycurl'), 'payload');
      return;
    }
    if (/^(?:put|upload_file|upload|putfo)$/.test(last) && FILE_TRANSFER_RECEIVER.test(receiverText) && args.positional[0]) {
      const local = args.positional[0];
      const content = last === 'putfo' ? local : union(local, this.recorder.readFile(local.text, node.startIndex, node.endIndex));
      this.reachSinkAt(content, at('network', /s3|bucket|blob|storage/i.test(receiverText) ? 'an upload to cloud storage' : 'a file upload over SSH or FTP'), 'payload');
      return;
    }
    // Bots and workspace clients: a Telegram bot's `send_document(chat, f)` (pyTelegramBotAPI,
    // python-telegram-bot, aiogram), Telethon's `send_file(entity, path)`, Slack's `files_upload_v2`.
    // (Flask's and Werkzeug's `send_file` answer an HTTP request instead.)
    if (CHAT_SEND_METHODS.test(last) && receiverText && !WEB_FRAMEWORK_RECEIVER.test(receiverText)) {
      const sink = at('network', `a message sent by \`${last}\` through a chat service's API`);
      for (const value of [...args.positional, ...args.keywords.values()]) {
        const named = value.text !== undefined && /[/\\]/.test(value.text) ? this.recorder.readFile(value.text, node.startIndex, node.endIndex) : EMPTY;
        this.reachSinkAt(union(value, named), sink, 'payload');
      }
      return;
    }
    if (/^(?:sendmail|send_message)$/.test(last)) {
      const sink = at('mail', 'an e-mail');
      for (const value of args.positional) this.reachSinkAt(value, sink, 'payload');
      return;
    }
    // DNS.
    if (/^(?:gethostbyname|gethostbyname_ex|getaddrinfo|resolve|query|lookup|create_connection)$/.test(last) && (last !== 'query' || /resolver|dns/i.test(receiverText)) && (last !== 'lookup' || /dns|socket/i.test(receiverText))) {
      const target = last === 'create_connection' ? args.positional[0] : args.positional[0];
      if (target) this.reachSinkAt(target, at('dns', 'a DNS lookup'), 'dns');
      return;
    }
    // Shell commands.
    if (SUBPROCESS_CALLS.test(name)) {
      this.commandSink(node, name, args, at);
      return;
    }
    // paramiko's `client.exec_command(cmd)`: a command line for the remote machine's shell.
    if (last === 'exec_command' && receiverText !== '' && args.positional[0]) {
      this.recorder.shellCommand(args.positional[0], node.startIndex, node.endIndex);
      return;
    }
    // Executors.
    const executor = this.executorName(name, last, args);
    if (executor) {
      const code = args.positional[0] ?? args.keywords.get('source') ?? EMPTY;
      this.reachSinkAt(code, at('executor', `\`${executor}\``), 'code');
      return;
    }
    // File writes.
    if ((last === 'write' || last === 'writelines') && receiverText) {
      // The handle may be a variable, or `open(path, 'a')` itself: `open(p, 'a').write(line)`.
      const handle = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
      const path = this.writeHandle(receiverText) ?? (handle ? this.writeTargetOf(handle) : undefined);
      if (path !== undefined && args.positional[0]) this.recorder.writeFile(path, args.positional[0], node.startIndex, node.endIndex);
      return;
    }
    if ((last === 'write_text' || last === 'write_bytes') && receiver.text !== undefined && args.positional[0]) {
      this.recorder.writeFile(receiver.text, args.positional[0], node.startIndex, node.endIndex);
      return;
    }
    if ((name === 'json.dump' || name === 'yaml.dump' || name === 'pickle.dump' || name === 'yaml.safe_dump') && args.positionalNodes[1]) {
      // The handle may be a variable, or `open(path, 'w')` written in place.
      const path = this.writeHandle(args.positionalNodes[1].text) ?? this.writeTargetOf(args.positionalNodes[1]);
      const data = args.positional[0];
      // JSON is YAML too: the text a literal dumps to is read as either.
      if (path !== undefined && data) this.recorder.writeFile(path, name === 'pickle.dump' ? data : serialisedAsJson(data), node.startIndex, node.endIndex);
      return;
    }
    if (name === 'print' && args.keywordNodes.has('file')) {
      const path = this.writeHandle(args.keywordNodes.get('file')?.text ?? '');
      if (path !== undefined) this.recorder.writeFile(path, union(...args.positional), node.startIndex, node.endIndex);
      return;
    }
    if (/^(?:shutil\.copy|shutil\.copy2|shutil\.copyfile|copy|copy2|copyfile)$/.test(name) && args.positional.length >= 2) {
      const source = args.positional[0] ?? EMPTY;
      const content = union(source, this.recorder.readFile(source.text, node.startIndex, node.endIndex));
      this.recorder.writeFile(args.positional[1]?.text, content, node.startIndex, node.endIndex);
    }
  }

  private reachSinkAt(value: AbstractValue, sink: Parameters<Recorder['reach']>[1], position: Parameters<Recorder['reach']>[2]): void {
    this.reachSink(value, sink, position);
  }

  private executorName(name: string, last: string, args: CallArgs): string | undefined {
    if (/^(?:exec|eval|compile|execfile|builtins\.exec|builtins\.eval)$/.test(name)) return `${name}()`;
    if (/^(?:pickle|cPickle|dill|cloudpickle|joblib|marshal|shelve|jsonpickle)\.(?:loads|load|decode)$/.test(name)) return `${name}()`;
    if (name === 'yaml.unsafe_load' || name === 'yaml.full_load') return `${name}()`;
    if ((name === 'yaml.load' || name === 'yaml.load_all') && !SAFE_YAML_LOADER.test(args.keywordNodes.get('Loader')?.text ?? args.positionalNodes[1]?.text ?? '')) return `${name}()`;
    if (/^(?:os\.system|os\.popen|system|popen)$/.test(name)) return `${name}()`;
    if (SUBPROCESS_CALLS.test(name) && /^True$/.test(args.keywordNodes.get('shell')?.text ?? '')) return `${name}(shell=True)`;
    void last;
    return undefined;
  }

  /** subprocess/os.system running curl, wget, nc, dig…: tainted arguments or stdin are sent. */
  private commandSink(node: Node, name: string, args: CallArgs, at: (kind: Parameters<Recorder['sink']>[0], description: string, host?: string) => Parameters<Recorder['reach']>[1]): void {
    const commandNode = args.positionalNodes[0] ?? args.keywordNodes.get('args');
    if (!commandNode) return;
    const words = this.commandWords(name, args);
    const program = (words[0] ?? '').replace(/^.*\//, '').replace(/^["']/, '');
    const shell = /^True$/.test(args.keywordNodes.get('shell')?.text ?? '') || /system|popen|getoutput|create_subprocess_shell/.test(name);
    // Executing downloaded code through a shell or an interpreter's -c.
    const commandValue = args.positional[0] ?? args.keywords.get('args') ?? EMPTY;
    const argv = argvNodes(name, args);
    if (argv && isInterpreterWithInlineCode(words)) {
      const code = argv[argv.length - 1];
      if (code) this.reachSinkAt(this.expr(code, 1), at('executor', `\`${program} -c\``), 'code');
    } else if (shell) {
      this.reachSinkAt(commandValue, { ...at('executor', 'a shell command'), shell: true }, 'code');
      this.recorder.shellCommand(commandValue, node.startIndex, node.endIndex);
    }
    // `run(["bash"], input=code)`, and a `Popen(["sh"], stdin=PIPE)` whose input comes later.
    if (readsProgramFromStdin(words)) {
      const sink = at('executor', `\`${program}\` reading its program from standard input`);
      const input = args.keywords.get('input');
      if (input) this.reachSinkAt(input, sink, 'code');
      if (/PIPE$/.test(args.keywordNodes.get('stdin')?.text ?? '')) this.programInputs.set(node.id, sink);
    }
    // `run(['ssh', host, 'curl … | sh'])`: the remote shell runs the words after the destination.
    const remote = sshRemoteCommand(words);
    if (remote !== undefined) this.recorder.shellCommand(textValue(remote), node.startIndex, node.endIndex);
    // `run(['crontab', '-'], input=line)`: the cron table given replaces the user's.
    const table = installsCronTableFromStdin(words) ? args.keywords.get('input') : undefined;
    if (table) this.recorder.writeFile(USER_CRON_TABLE_PATH, table, node.startIndex, node.endIndex);
    const network = networkCommandOf(words);
    if (!network) return;
    // `subprocess.run(['open', 'https://…?d=' + key])`: the browser sends the address to its host.
    if (network.kind === 'browser') {
      this.reachSinkAt(commandValue, at('network', network.description, network.host), 'url');
      return;
    }
    const { index: networkAt, tool, dns } = network;
    const sink = at(dns ? 'dns' : 'command', network.description, network.host);
    if (commandNode.type === 'list' || commandNode.type === 'tuple') {
      const elements = commandNode.namedChildren.filter((child): child is Node => child !== null);
      elements.forEach((element, index) => {
        const previous = index > 0 ? (this.literal(elements[index - 1] as Node) ?? '') : '';
        let value = this.expr(element, 1);
        if (/^(?:-H|--header|-u|--user|--oauth2-bearer)$/.test(previous)) value = asCredential(value);
        const uploaded = value.text === undefined || !/^(?:curl|wget)$/.test(tool) ? undefined : uploadedFilePath(previous, value.text);
        if (uploaded !== undefined && uploaded !== '-') value = union(value, this.recorder.readFile(uploaded, element.startIndex, element.endIndex));
        const isUrl = /^["']?https?:\/\//.test(value.text ?? '');
        this.reachSinkAt(value, sink, dns ? 'dns' : isUrl ? 'url' : 'payload');
      });
    } else {
      this.reachSinkAt(commandValue, sink, dns ? 'dns' : 'payload');
    }
    const input = args.keywords.get('input');
    if (input) this.reachSinkAt(input, sink, 'payload');
    // `Popen(['curl', '--data-binary', '@-', url], stdin=PIPE)`: what is written to it later is sent.
    if (!dns && sendsStandardInput(words.slice(networkAt)) && /PIPE$/.test(args.keywordNodes.get('stdin')?.text ?? '')) this.programInputs.set(node.id, sink);
  }
}

/**
 * The argument vector a call runs, as nodes, when it is written out: a list (`run([…])`,
 * `pty.spawn([…])`, `os.execv(path, […])`), or the call's own arguments (`os.execlp('sh', 'sh',
 * '-c', code)`, `create_subprocess_exec('bash', '-c', code)`); undefined for a command string.
 */
function argvNodes(name: string, args: CallArgs): readonly Node[] | undefined {
  const items = (node: Node | undefined): readonly Node[] | undefined =>
    node && (node.type === 'list' || node.type === 'tuple') ? node.namedChildren.filter((child): child is Node => child !== null) : undefined;
  if (/(?:^|\.)exec[lv]p?e?$/.test(name)) return /execl/.test(name) ? args.positionalNodes.slice(1) : items(args.positionalNodes[1]);
  if (/^os\.spawn[lv]p?e?$/.test(name)) return /spawnl/.test(name) ? args.positionalNodes.slice(2) : items(args.positionalNodes[2]);
  if (/(?:^|\.)posix_spawnp?$/.test(name)) return items(args.positionalNodes[1]);
  if (/(?:^|\.)create_subprocess_exec$/.test(name)) return args.positionalNodes;
  return items(args.positionalNodes[0]) ?? items(args.keywordNodes.get('args'));
}

interface CallArgs {
  readonly positional: readonly AbstractValue[];
  readonly positionalNodes: readonly Node[];
  readonly keywords: ReadonlyMap<string, AbstractValue>;
  readonly keywordNodes: ReadonlyMap<string, Node>;
  readonly splat: AbstractValue;
}

/**
 * A string's content as the string holds it, given its `string_start` (which holds the prefix:
 * `r`, `b`, `f`, `rb`, …). Read only when the content has a backslash: this runs on every string
 * of every walk.
 */
function contentText(content: string, opening: Node | undefined): string {
  return content.includes('\\') ? unescapePython(content, (opening?.text ?? '').replace(/["']+$/, '')) : content;
}
