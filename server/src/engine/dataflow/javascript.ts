import type { Node } from 'web-tree-sitter';
import { asCredential, EMPTY, foldString, jsonMember, jsonNumber, MAX_JSON, mapLabels, memberAsJson, serialisedAsJson, textValue, union, USER_CRON_TABLE_PATH, withObjectJson, withText, withoutCallerInput, type AbstractValue, type Recorder, type SinkKind, type SinkPosition, type SinkSite, type StringPart } from './core';
import { workloadCredentialSource, isCredentialKey, literalHost, networkCommandOf } from './labels';
import { commandSource, commandWordsOf, installsCronTableFromStdin, isInterpreterWithInlineCode, readsProgramFromStdin, sendsStandardInput, sshRemoteCommand, uploadedFilePath } from './shell-text';
import type { HelperReuse, OutsideEffect, OutsideRead } from './helper-replay';
import { findAll, Frame, listLiteral, MAX_CONSTANT_ELEMENTS, MAX_DECLARATIONS_READ, MAX_DEPTH, Scope, unquote, WalkerBase, type FunctionInfo } from './walker';
import { unescapeJavaScript } from './string-escapes';

/**
 * Taint walk over a JavaScript or TypeScript tree. Sources: `process.env` whole or by secret
 * name (also destructured), `fs` reads of sensitive paths (`path.join(os.homedir(), '.ssh')`),
 * the clipboard, and `fetch`/`axios`/`got` responses. Sinks: fetch/axios/got/http(s).request
 * bodies and URLs (also the headers an `axios.create` client or `axios.defaults.headers` sends with
 * every later request), sockets and WebSockets, DNS look-ups, `child_process` commands that run
 * network tools, writes to shared locations, and `eval`/`new Function`/`vm`/`exec` of downloads.
 * Object literals keep their properties (`opts.body`, `opts.headers`) so a body and an
 * Authorization header in the same options object are told apart.
 */

/**
 * Facts of a JavaScript file that change how it is read: a JSON or YAML serialiser (its object and
 * array literals then keep their JSON; most files never ask for it, and keeping it for every
 * literal cost memory), and undici (a bare `request(url, { method, body })` is an HTTP client).
 */
const JAVASCRIPT_FACTS: Readonly<Record<string, RegExp>> = {
  serialiser: /\b(?:JSON|YAML|yaml)\.(?:stringify|dump)\b/,
  undici: /\brequire\(\s*['"]undici['"]\s*\)|\bfrom\s+['"]undici['"]/,
};

/** The JSON of a JavaScript number, boolean or `null` literal; undefined for anything else. */
function javascriptLiteralJson(node: Node): string | undefined {
  switch (node.type) {
    case 'true':
    case 'false':
    case 'null':
      return node.type;
    case 'number':
      return jsonNumber(node.text);
    default:
      return undefined;
  }
}

const PROPAGATING_CALL = /^(?:String|Buffer|Headers|URLSearchParams|URL|from|fromWeb|stringify|parse|encodeURIComponent|encodeURI|escape|btoa|atob|toString|toJSON|concat|join|map|filter|reduce|entries|keys|values|fromEntries|assign|slice|substring|substr|trim|trimStart|trimEnd|toLowerCase|toUpperCase|replace|replaceAll|split|padStart|padEnd|encode|decode|deflateSync|gzipSync|deflate|gzip|brotliCompressSync|inflateSync|gunzipSync|compress|text|json|arrayBuffer|blob|format|update|digest|final|createHash|readFileSync|then|resolve|all|allSettled|any|race|toBase64|base64|hex|match|matchAll|prepare)$/;
const HTTP_METHOD = /^(?:post|put|patch|get|delete|head|request|options|stream)$/;
/** Calls that make an HTTP client whose options (headers, auth, params) go with each of its requests. */
const CLIENT_FACTORY = /^(?:axios\.create|got\.extend|ky\.(?:create|extend))$/;
/** `axios.defaults.headers.common['X'] = …`, `client.defaults.headers.Authorization = …`. */
const CLIENT_DEFAULT_HEADERS = /^[\w$.]{1,40}\.defaults\.headers\b/;
const HTTP_CLIENT = /^(?:axios|got|superagent|needle|ky|request|undici|this\.(?:client|http|axios)|client|http|api|instance)$/;
const SEND_METHOD = /^(?:post|put|patch)$/;
const TELEGRAM_SEND_METHODS = /^(?:sendDocument|sendPhoto|sendAudio|sendVideo|sendVoice|sendMediaGroup)$/;
/** The global object's names, in Node, browsers and workers. */
const GLOBAL_NAMES = '(?:globalThis|window|global|self)';
const GLOBAL_OBJECT = new RegExp(`^${GLOBAL_NAMES}$`);
const GLOBAL_EVALUATOR = new RegExp(`^(?:${GLOBAL_NAMES}\\.)?(?:eval|Function)$`);
const GLOBAL_EVAL_CALL = new RegExp(`^${GLOBAL_NAMES}\\.eval$`);
const GLOBAL_FUNCTION_CALL = new RegExp(`^${GLOBAL_NAMES}\\.Function$`);
/** A name bound to the global object or to its evaluators (`const f = eval`, `const g = globalThis`). */
const RENAMED_GLOBAL = new RegExp(`\\b(?:const|let|var)[ \\t]{1,5}\\w{1,60}[ \\t]{0,5}=[ \\t]{0,5}(?:${GLOBAL_NAMES}\\b(?:\\.(?:eval|Function)\\b)?|eval|Function)[ \\t]{0,5}[;\\n]`);
const FS_READ = /^(?:readFileSync|readFile|createReadStream|readJsonSync|readJson)$/;
const FS_WRITE = /^(?:writeFileSync|writeFile|appendFileSync|appendFile|outputFileSync|outputFile|writeJsonSync|writeJson)$/;
const MODULE_BINDINGS: ReadonlySet<string> = new Set(['import_statement', 'variable_declarator']);
const IMPORT_SPECIFIERS: ReadonlySet<string> = new Set(['import_specifier', 'namespace_import']);
const NODE_CORE_MODULES: ReadonlySet<string> = new Set(['child_process', 'fs', 'fs/promises', 'http', 'https', 'http2', 'net', 'tls', 'dns', 'dns/promises', 'vm', 'os', 'module', 'worker_threads']);
/** A Node core module named as an import's or a require's source: only then can a name stand for one. */
const CORE_MODULE_SOURCE = new RegExp(`['"](?:node:)?(?:${[...NODE_CORE_MODULES].map((name) => name.replace('/', '\\/')).join('|')})['"]`);
const FUNCTION_TYPES = /^(?:arrow_function|function_expression|function)$/;
const CHILD_PROCESS = /^(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)$/;

const ITERATION_METHOD = /^(?:forEach|map|filter|some|every|find|findIndex|flatMap|reduce)$/;

/** The collection an array method walks and the position of its callback, for a call of one. */
function iteratedCollection(fn: Node | null, argNodes: readonly (Node | null)[]): { collection: Node; callback: number } | undefined {
  if (fn?.type !== 'member_expression') return undefined;
  const property = fn.childForFieldName('property')?.text ?? '';
  const object = fn.childForFieldName('object');
  if (ITERATION_METHOD.test(property) && object && !/^Array\.prototype$/.test(object.text)) return { collection: object, callback: 0 };
  // `Array.prototype.forEach.call(collection, callback)`, `[].map.call(…)`.
  const method = object?.type === 'member_expression' ? object.childForFieldName('property')?.text ?? '' : '';
  const holder = object?.type === 'member_expression' ? object.childForFieldName('object')?.text ?? '' : '';
  const first = argNodes[0];
  if ((property === 'call' || property === 'apply') && ITERATION_METHOD.test(method) && /^(?:Array\.prototype|\[\])$/.test(holder) && first) return { collection: first, callback: 1 };
  return undefined;
}

/** What holds a form: the event's target in a submit handler, a form variable, `document.forms[…]`. */
const FORM_OBJECT = /^(?:(?:e|ev|evt|event)\.(?:target|currentTarget)|this|form|\w*[Ff]orm\w*|document\.forms\b.*|document\.querySelector\(\s*['"`]form\b.*)$/;
/** Selectors and names of fields whose value is a secret or a card: `input[type=password]`, `#card-number`, `cvv`. */
const SENSITIVE_FIELD = /password|passwd|card|\bcc[-_]?(?:num|number|exp|csc)|cvv|cvc|\biban\b|\bssn\b|otp|one-?time/i;

export class JavaScriptWalker extends WalkerBase {
  /** Variables that hold an outbound request or connection (`http.request`, `net.connect`, `new WebSocket`). */
  private readonly channels = new Map<string, SinkSite>();
  /** Names bound to a module or to one of its functions: the local name → `module` or `module.member`. */
  private readonly moduleAliases = new Map<string, string>();
  /** `const` names bound to a text built from literals alone (see `staticText`), for module and member names. */
  private readonly constantTexts = new Map<string, string>();
  /** child_process calls, by node id, that start a shell or interpreter reading its program from its standard input. */
  private readonly programInputs = new Map<number, SinkSite>();

  protected override readonly scriptFacts = JAVASCRIPT_FACTS;

  protected override scriptText(): string {
    return this.root.text;
  }

  constructor(recorder: Recorder, deadline: number, private readonly root: Node, reuse?: HelperReuse) {
    super(recorder, deadline, reuse);
  }

  /** The outbound request or connection a variable holds; read through here so that a recorded helper walk sees it. */
  private channel(name: string): SinkSite | undefined {
    const sink = this.channels.get(name);
    this.recording?.read({ kind: 'channel', name, sink });
    return sink;
  }

  protected override outsideNow(read: OutsideRead): OutsideRead | undefined {
    switch (read.kind) {
      case 'channel':
        return { ...read, sink: this.channels.get(read.name) };
      case 'import-alias':
        return { ...read, full: this.moduleAliases.get(read.name) };
      default:
        return super.outsideNow(read);
    }
  }

  protected override apply(effect: OutsideEffect): void {
    if (effect.kind === 'set-channel') this.channels.set(effect.name, effect.sink);
    else super.apply(effect);
  }

  run(): void {
    this.collectFunctions();
    this.collectModuleAliases();
    this.statements(this.root, 0);
    this.summariseRemaining();
  }

  /**
   * Names bound to a module or to one of its functions under another name: `const proc =
   * require('child_process')`, `const { execSync: run } = require('child_process')`, `import { exec
   * as sh } from 'node:child_process'`, `const run = require('child_process').execSync`. A call
   * through such a name is read as a call of what it stands for (`child_process.execSync`).
   */
  private collectModuleAliases(): void {
    if (!CORE_MODULE_SOURCE.test(this.root.text) && !BUILT_MODULE_NAME.test(this.root.text) && !RENAMED_GLOBAL.test(this.root.text)) return;
    for (const node of findAll(this.root, MODULE_BINDINGS, MAX_DECLARATIONS_READ)) {
      if (node.type === 'import_statement') {
        const module = moduleName(node.childForFieldName('source'));
        if (!module) continue;
        for (const specifier of findAll(node, IMPORT_SPECIFIERS, 50)) {
          if (specifier.type === 'namespace_import') {
            const local = specifier.namedChildren.find((child) => child?.type === 'identifier')?.text;
            if (local && local !== module) this.moduleAliases.set(local, module);
            continue;
          }
          const member = specifier.childForFieldName('name')?.text;
          const local = specifier.childForFieldName('alias')?.text;
          if (member && local && local !== member) this.moduleAliases.set(local, `${module}.${member}`);
        }
        const clause = node.namedChildren.find((child) => child?.type === 'import_clause');
        const defaultName = clause?.namedChildren.find((child) => child?.type === 'identifier')?.text;
        if (defaultName && defaultName !== module) this.moduleAliases.set(defaultName, module);
        continue;
      }
      const target = node.childForFieldName('name');
      let value = node.childForFieldName('value');
      while (value?.type === 'await_expression' && value.namedChildren[0]) value = value.namedChildren[0];
      if (!target || !value) continue;
      const isConst = target.type === 'identifier' && node.parent?.childForFieldName('kind')?.type === 'const';
      const constant = isConst ? staticText(value, this.constantTexts) : undefined;
      if (constant !== undefined) this.constantTexts.set(target.text, constant);
      // `const names = ['\x65xecSync', 'child_process']`: each element a text of its own, `names[1]`.
      if (isConst && value.type === 'array' && value.namedChildCount <= MAX_CONSTANT_ELEMENTS) {
        value.namedChildren.forEach((element, index) => {
          const text = element ? staticText(element, this.constantTexts) : undefined;
          if (text !== undefined) this.constantTexts.set(`${target.text}[${index}]`, text);
        });
      }
      const required = requiredModule(value, this.constantTexts);
      if (required && target.type === 'identifier') {
        if (target.text !== required) this.moduleAliases.set(target.text, required);
      } else if (required && target.type === 'object_pattern') {
        for (const pair of target.namedChildren) {
          if (pair?.type !== 'pair_pattern') continue;
          const member = pair.childForFieldName('key')?.text;
          const local = pair.childForFieldName('value');
          if (member && local?.type === 'identifier' && local.text !== member) this.moduleAliases.set(local.text, `${required}.${member}`);
        }
      } else if (target.type === 'identifier' && GLOBAL_OBJECT.test(value.text)) {
        // `const g = globalThis` … `g['ev' + 'al'](code)`.
        this.moduleAliases.set(target.text, 'globalThis');
      } else if (target.type === 'identifier' && GLOBAL_EVALUATOR.test(value.text)) {
        // `const f = eval` … `f(code)`: an indirect eval runs the code all the same.
        this.moduleAliases.set(target.text, value.text.endsWith('Function') ? 'Function' : 'eval');
      } else if (target.type === 'identifier') {
        const member = memberOf(value, this.constantTexts);
        const module = requiredModule(member?.object, this.constantTexts);
        if (module && member) this.moduleAliases.set(target.text, `${module}.${member.property}`);
      }
    }
  }

  /**
   * A callee's name as read: `name` (`child_process.execSync`), its `last` part and the
   * `receiverText` before it. A call through a renamed import is read as a call of what it stands
   * for.
   */
  private calleeOf(fn: Node): { name: string; last: string; receiverText: string } {
    const receiverNode = fn.type === 'member_expression' ? fn.childForFieldName('object') : null;
    const name = this.aliasedCallee(fn);
    if (name !== undefined) return { name, last: name.slice(name.lastIndexOf('.') + 1), receiverText: name.slice(0, Math.max(0, name.lastIndexOf('.'))) };
    // `cp['exec' + 'Sync']`: a member named by a string built from literals reads as `cp.execSync`.
    const computed = fn.type === 'subscript_expression' ? memberOf(fn, this.constantTexts) : undefined;
    if (computed) {
      const receiverText = computed.object.text.replace(/\s+/g, '');
      return { name: `${receiverText}.${computed.property}`, last: computed.property, receiverText };
    }
    return {
      name: fn.text.length <= 120 ? fn.text.replace(/\s+/g, '') : '',
      last: fn.type === 'member_expression' ? (fn.childForFieldName('property')?.text ?? '') : fn.type === 'identifier' ? fn.text : '',
      receiverText: receiverNode?.text.replace(/\s+/g, '') ?? '',
    };
  }

  /** The name a callee stands for when it goes through a module alias (`h.request` → `https.request`). */
  private aliasedCallee(fn: Node): string | undefined {
    if (fn.type === 'identifier') return this.moduleAlias(fn.text);
    if (fn.type !== 'member_expression' && fn.type !== 'subscript_expression') return undefined;
    const receiver = fn.childForFieldName('object');
    // `require('https').request(…)`: the module named where it is called.
    const aliased = receiver?.type === 'identifier' ? this.moduleAlias(receiver.text) : requiredModule(receiver, this.constantTexts);
    if (aliased === undefined) return undefined;
    const member = memberOf(fn, this.constantTexts);
    return member === undefined ? undefined : `${aliased}.${member.property}`;
  }

  /** What a name stands for when it was bound to a module or a module's function (see `collectModuleAliases`). */
  private moduleAlias(name: string): string | undefined {
    // Nothing to look up, and no recorded walk to tell that nothing was (the CLI's case).
    if (this.moduleAliases.size === 0 && this.recording === undefined) return undefined;
    const full = this.moduleAliases.get(name);
    this.recording?.read({ kind: 'import-alias', name, full });
    return full;
  }

  private collectFunctions(): void {
    // Functions only, not every declarator: thousands of `const pN = N;` cannot crowd a helper out of the bound.
    const types = new Set(['function_declaration', 'generator_function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'function']);
    for (const fn of findAll(this.root, types, 4000)) {
      let name: string | undefined;
      if (fn.type === 'arrow_function' || fn.type === 'function_expression' || fn.type === 'function') {
        // `const send = (d) => …`: named by the declarator it is the value of.
        const declarator = fn.parent;
        if (declarator?.type !== 'variable_declarator' || declarator.childForFieldName('value')?.id !== fn.id) continue;
        name = declarator.childForFieldName('name')?.text;
      } else {
        name = fn.childForFieldName('name')?.text;
      }
      if (!name || this.functions.has(name)) continue;
      const paramsNode = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
      const params: string[] = [];
      if (paramsNode?.type === 'identifier') params.push(paramsNode.text);
      else {
        for (const param of paramsNode?.namedChildren ?? []) {
          if (!param) continue;
          const id = param.type === 'identifier' ? param : (param.childForFieldName('pattern') ?? param.childForFieldName('left') ?? param.namedChildren[0]);
          params.push(id?.type === 'identifier' ? id.text : '');
        }
      }
      this.functions.set(name, { name, node: fn, params, receiverOffset: 0 });
    }
  }

  protected walkFunctionBody(info: FunctionInfo): void {
    this.inHelperScope(info.params, () => {
      const body = info.node.childForFieldName('body');
      if (!body) return;
      if (body.type === 'statement_block') this.statements(body, 1);
      else this.returnValue(this.expr(body, 1));
    });
  }

  // ------------------------------------------------------------------ statements

  private statements(node: Node, depth: number): void {
    this.eachStatement(node, depth, (statement, statementDepth) => this.statement(statement, statementDepth));
  }

  private statement(node: Node, depth: number): void {
    if (depth > MAX_DEPTH || !this.budget.tick()) return;
    switch (node.type) {
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const declarator of node.namedChildren) {
          if (declarator?.type !== 'variable_declarator') continue;
          const name = declarator.childForFieldName('name');
          const value = declarator.childForFieldName('value');
          if (!name || !value) continue;
          if (/^(?:arrow_function|function_expression|function)$/.test(value.type)) continue;
          this.bind(name, value, this.expr(value, depth + 1), depth);
        }
        return;
      case 'expression_statement':
        for (const child of node.namedChildren) if (child) this.expr(child, depth + 1);
        return;
      case 'return_statement':
        this.returnValue(node.namedChildren[0] ? this.expr(node.namedChildren[0], depth + 1) : EMPTY);
        return;
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration':
      case 'import_statement':
      case 'comment':
        return;
      case 'export_statement':
        for (const child of node.namedChildren) if (child) this.statement(child, depth + 1);
        return;
      case 'for_in_statement': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left && right) this.bind(left, right, withText(this.expr(right, depth + 1), undefined), depth);
        const body = node.childForFieldName('body');
        if (body) this.statement(body, depth + 1);
        return;
      }
      default:
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (/statement|declaration|block|clause/.test(child.type)) this.statement(child, depth + 1);
          else this.expr(child, depth + 1);
        }
    }
  }

  /** Binds a declarator or assignment target; object literals keep their properties by name. */
  private bind(target: Node, valueNode: Node | null, value: AbstractValue, depth: number): void {
    if (target.type === 'identifier') {
      this.scope.set(target.text, value);
      if (valueNode?.type === 'object') this.bindProperties(target.text, valueNode, depth);
      if (valueNode) this.trackChannel(target.text, valueNode);
      return;
    }
    if (target.type === 'object_pattern') {
      // const { GITHUB_TOKEN, B: c } = process.env
      const fromEnv = valueNode?.text === 'process.env';
      for (const child of target.namedChildren) {
        if (!child) continue;
        if (child.type === 'shorthand_property_identifier_pattern') {
          this.scope.set(child.text, fromEnv ? this.environmentRead(child.text, child) : value);
        } else if (child.type === 'pair_pattern') {
          const key = child.childForFieldName('key')?.text ?? '';
          const binding = child.childForFieldName('value');
          if (binding?.type === 'identifier') this.scope.set(binding.text, fromEnv ? this.environmentRead(unquote(key), child) : value);
        } else if (child.type === 'rest_pattern') {
          const binding = child.namedChildren[0];
          if (binding) this.scope.set(binding.text, value);
        }
      }
      return;
    }
    if (target.type === 'array_pattern') {
      for (const child of target.namedChildren) if (child?.type === 'identifier') this.scope.set(child.text, value);
      return;
    }
    if (target.type === 'member_expression' || target.type === 'subscript_expression') {
      const object = target.childForFieldName('object');
      const property = target.type === 'member_expression' ? target.childForFieldName('property')?.text : target.childForFieldName('index')?.text;
      const key = property ? unquote(property) : undefined;
      const stored = key !== undefined && isCredentialKey(key) ? asCredential(value) : value;
      if (object && object.text.length <= 100) {
        if (key) this.scope.set(`${object.text}.${key}`, stored);
        // `settings.hooks = {…}` on settings read from a file: written back as JSON, it holds the hook.
        const json = (target.type === 'member_expression' || target.childForFieldName('index')?.type === 'string') && this.uses('serialiser') ? memberAsJson(key, value) : undefined;
        this.scope.add(object.text, { labels: stored.labels, params: stored.params, ...(json !== undefined ? { json } : {}) });
      }
    }
  }

  private bindProperties(name: string, object: Node, depth: number): void {
    for (const pair of object.namedChildren) {
      if (pair?.type === 'pair') {
        const key = unquote(pair.childForFieldName('key')?.text ?? '');
        const value = pair.childForFieldName('value');
        if (key && value) this.scope.set(`${name}.${key}`, this.pairValue(key, value, depth));
      } else if (pair?.type === 'shorthand_property_identifier') {
        this.scope.set(`${name}.${pair.text}`, this.scope.get(pair.text) ?? EMPTY);
      }
    }
  }

  private pairValue(key: string, valueNode: Node, depth: number): AbstractValue {
    const value = this.expr(valueNode, depth + 1);
    return isCredentialKey(key) ? asCredential(value) : value;
  }

  private trackChannel(name: string, valueNode: Node): void {
    let node = valueNode;
    while (node.type === 'await_expression' && node.namedChildren[0]) node = node.namedChildren[0];
    // `const sh = spawn('sh')`: what is written to `sh.stdin` is the shell's program.
    const program = this.programInputs.get(node.id);
    if (program) {
      const key = `${name}.stdin`;
      this.recording?.replace({ kind: 'set-channel', name: key, sink: program }, { kind: 'channel', name: key, sink: program });
      this.channels.set(key, program);
    }
    const channel = channelSink(node, (callee) => this.aliasedCallee(callee));
    if (!channel) return;
    const sink = this.recorder.sink(channel.kind, channel.description, channel.start, channel.end, channel.host);
    this.recording?.replace({ kind: 'set-channel', name, sink }, { kind: 'channel', name, sink });
    this.channels.set(name, sink);
  }

  // ------------------------------------------------------------------ expressions

  private environmentRead(name: string, node: Node): AbstractValue {
    return this.environmentValue(name, node.startIndex, node.endIndex);
  }

  private expr(node: Node, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    switch (node.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.scope.get(node.text) ?? EMPTY;
      case 'string':
        return textValue(unescapeJavaScript(unquote(node.text)));
      case 'template_string':
        return this.template(node, depth);
      case 'number':
      case 'true':
      case 'false':
      case 'null':
      case 'undefined':
      case 'regex':
        return EMPTY;
      case 'member_expression':
        return this.member(node, depth);
      case 'subscript_expression': {
        const object = node.childForFieldName('object');
        const index = node.childForFieldName('index');
        if (object?.text === 'process.env') return index?.type === 'string' ? this.environmentRead(unquote(index.text), node) : EMPTY;
        const key = index?.type === 'string' ? unquote(index.text) : undefined;
        const own = key && object ? this.scope.get(`${object.text}.${key}`) : undefined;
        if (own) return own;
        return withText(object ? this.expr(object, depth + 1) : EMPTY, undefined);
      }
      case 'call_expression':
        return this.call(node, depth, false);
      case 'new_expression':
        return this.call(node, depth, true);
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const a = left ? this.expr(left, depth + 1) : EMPTY;
        const b = right ? this.expr(right, depth + 1) : EMPTY;
        const operator = node.childForFieldName('operator')?.text ?? '';
        if (operator === '+') return foldString([{ value: a }, { value: b }]);
        return withText(union(a, b), operator === '||' || operator === '??' ? (a.text ?? b.text) : undefined);
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const value = right ? this.expr(right, depth + 1) : EMPTY;
        if (left) this.bind(left, right, value, depth);
        // `axios.defaults.headers.common['X-Key'] = key`: every later request the client makes carries it.
        if (left && value.labels.length > 0 && CLIENT_DEFAULT_HEADERS.test(left.text.slice(0, 120))) {
          this.reachSink(asCredential(value), this.recorder.sink('network', 'every later request of an HTTP client (its default headers)', left.startIndex, left.endIndex), 'header');
        }
        // `ws.onopen = () => ws.send(k)`, `reader.onload = function () { … }`: an event handler runs
        // when the event comes, as a callback passed to `on('open', …)` does.
        if (right && FUNCTION_TYPES.test(right.type) && left?.type === 'member_expression' && /^on[a-z]{3,30}$/.test(left.childForFieldName('property')?.text ?? '')) {
          this.inlineCallback(right, EMPTY, depth + 1);
        }
        return value;
      }
      case 'augmented_assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const value = right ? this.expr(right, depth + 1) : EMPTY;
        if (left && left.text.length <= 100) this.scope.add(left.text, value);
        return value;
      }
      case 'object': {
        const parts: AbstractValue[] = [];
        let entries: [string, string][] | undefined = node.endIndex - node.startIndex <= MAX_JSON && this.uses('serialiser') ? [] : undefined;
        for (const child of node.namedChildren) {
          if (!child || child.type === 'comment') continue;
          if (child.type === 'pair') {
            const keyNode = child.childForFieldName('key');
            const key = unquote(keyNode?.text ?? '');
            const valueNode = child.childForFieldName('value');
            if (!valueNode) continue;
            const value = this.pairValue(key, valueNode, depth);
            parts.push(value);
            if (keyNode?.type === 'computed_property_name') entries = undefined;
            else entries?.push([key, jsonMember(value, javascriptLiteralJson(valueNode))]);
          } else if (child.type === 'spread_element' && child.namedChildren[0]?.text === 'process.env') {
            parts.push(this.wholeEnvironment(child));
            entries = undefined;
          } else if (child.type !== 'method_definition') {
            const value = this.expr(child, depth + 1);
            parts.push(value);
            // `{ hooks }` is `{ hooks: hooks }`.
            if (child.type === 'shorthand_property_identifier') entries?.push([child.text, jsonMember(value)]);
            else entries = undefined;
          } else {
            entries = undefined;
          }
        }
        return withObjectJson(union(...parts), entries);
      }
      case 'array':
        return listLiteral(node, this.uses('serialiser'), 'spread_element', (child) => this.expr(child, depth + 1), javascriptLiteralJson);
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'class':
        return EMPTY;
      case 'parenthesized_expression':
      case 'await_expression':
      case 'spread_element':
      case 'non_null_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'type_assertion':
        return node.namedChildren[0] ? this.expr(node.namedChildren[0], depth + 1) : EMPTY;
      default:
        return union(...node.namedChildren.map((child) => (child ? this.expr(child, depth + 1) : EMPTY)));
    }
  }

  private wholeEnvironment(node: Node): AbstractValue {
    return { labels: [this.recorder.label({ category: 'environment', description: 'the whole environment' }, node.startIndex, node.endIndex)], params: 0 };
  }

  private template(node: Node, depth: number): AbstractValue {
    const parts: StringPart[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_fragment') parts.push({ literal: child.text });
      else if (child.type === 'escape_sequence') parts.push({ literal: unescapeJavaScript(child.text) });
      else if (child.type === 'template_substitution') {
        const inner = child.namedChildren[0];
        parts.push({ value: inner ? this.expr(inner, depth + 1) : EMPTY });
      }
    }
    return foldString(parts);
  }

  private member(node: Node, depth: number): AbstractValue {
    const text = node.text;
    if (text === 'process.env') return this.wholeEnvironment(node);
    if (text === 'process.argv') return this.callerInput();
    if (text === 'process.stdin') return this.scriptInput(node.startIndex, node.endIndex);
    const object = node.childForFieldName('object');
    const property = node.childForFieldName('property')?.text ?? '';
    if (object?.text === 'process.env') return this.environmentRead(property, node);
    if (text === 'document.cookie') return { labels: [this.recorder.label({ category: 'privacy', description: "the page's cookies" }, node.startIndex, node.endIndex)], params: 0 };
    // `document.querySelector('#card-number').value`: what a visitor typed into a sensitive field.
    if (property === 'value' && object && SENSITIVE_FIELD.test(object.text.slice(0, 200))) {
      return { labels: [this.recorder.label({ category: 'privacy', description: 'a password or card number typed into the page' }, node.startIndex, node.endIndex)], params: 0 };
    }
    // `e.target.elements`, `form.elements`: every field a visitor filled in, passwords included.
    if (property === 'elements' && object && FORM_OBJECT.test(object.text.slice(0, 200))) {
      return { labels: [this.recorder.label({ category: 'privacy', description: 'every field of a form a visitor submits' }, node.startIndex, node.endIndex)], params: 0 };
    }
    const own = text.length <= 100 ? this.scope.get(text) : undefined;
    if (own) return own;
    return withText(object ? this.expr(object, depth + 1) : EMPTY, undefined);
  }

  // ------------------------------------------------------------------ calls

  private call(node: Node, depth: number, isNew: boolean): AbstractValue {
    const result = this.callItself(node, depth, isNew);
    // Callbacks handed to other calls run too: timers, event handlers, array methods. What they
    // are called with is unknown; what they read and send inside is not. A promise callback was
    // walked already, with the value it receives.
    const fn = node.childForFieldName(isNew ? 'constructor' : 'function');
    const promiseStep = !isNew && fn?.type === 'member_expression' && /^(?:then|catch|finally)$/.test(fn.childForFieldName('property')?.text ?? '');
    const argNodes = node.childForFieldName('arguments')?.namedChildren ?? [];
    let walked = 0;
    // An array method's callback is called with the collection's elements: `els.forEach(el => …)`,
    // `Array.prototype.forEach.call(form.elements, el => …)`.
    const iterated = isNew ? undefined : iteratedCollection(fn, argNodes);
    argNodes.forEach((arg, index) => {
      if (!arg || !/^(?:arrow_function|function_expression|function)$/.test(arg.type) || (promiseStep && index === 0) || walked++ >= 4) return;
      const elements = iterated && iterated.callback === index ? this.expr(iterated.collection, depth + 1) : EMPTY;
      this.inlineCallback(arg, elements, depth + 1);
    });
    return result;
  }

  private callItself(node: Node, depth: number, isNew: boolean): AbstractValue {
    const fn = node.childForFieldName(isNew ? 'constructor' : 'function');
    const argsNode = node.childForFieldName('arguments');
    if (!fn) return EMPTY;
    const argNodes = (argsNode?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
    const args = argNodes.map((arg) => this.expr(arg, depth + 1));
    const receiverNode = fn.type === 'member_expression' ? fn.childForFieldName('object') : null;
    const { name, last, receiverText } = this.calleeOf(fn);
    const receiver = receiverNode ? this.expr(receiverNode, depth + 1) : EMPTY;
    const first = args[0] ?? EMPTY;

    // Top-level `await (x)` in a script parses as a call of a function named `await`.
    if (name === 'await' && !isNew) return union(...args);
    // `u.searchParams.set('k', key)`, `headers.append('X-K', key)`: the URL or headers object now
    // carries the value, and a request made with it later sends it.
    if (!isNew && /^(?:set|append)$/.test(last) && receiverNode?.type === 'member_expression' && /^(?:searchParams|headers)$/.test(receiverNode.childForFieldName('property')?.text ?? '')) {
      const holder = receiverNode.childForFieldName('object');
      const added = union(...args);
      if (holder?.type === 'identifier' && added.labels.length > 0) this.scope.add(holder.text, { labels: added.labels, params: added.params });
    }
    // `(function () { … })()`, `(() => …)()`: a function called where it is written runs its body.
    let callee: Node | null = fn;
    while (callee?.type === 'parenthesized_expression') callee = callee.namedChildren[0] ?? null;
    if (!isNew && callee && /^(?:arrow_function|function_expression|function)$/.test(callee.type)) return this.inlineCallback(callee, first, depth + 1);
    // `new Function(code)()`, `make()()`: the callee is itself an expression that runs.
    if (fn.type !== 'identifier' && fn.type !== 'member_expression') this.expr(fn, depth + 1);

    const helper = this.helperNamed(last);
    if (helper && (fn.type === 'identifier' || receiverText === 'this')) {
      return this.applySummary(helper, args, this.recorder.file, this.recorder.base + node.startIndex, this.recorder.base + node.endIndex);
    }

    const at = (kind: SinkKind, description: string, host?: string): SinkSite =>
      this.recorder.sink(kind, description, isNew ? node.startIndex : fn.startIndex, node.endIndex > fn.endIndex + 200 ? fn.endIndex : node.endIndex, host);

    // Promise callbacks: `p.then(v => …)` hands the callback what `p` resolves to, and its result
    // is what the callback returns; `p.then(eval)` runs the resolved value.
    if (!isNew && receiverNode && (last === 'then' || last === 'catch' || last === 'finally')) {
      const callback = argNodes[0];
      if (callback && /^(?:arrow_function|function_expression|function)$/.test(callback.type)) {
        return this.inlineCallback(callback, last === 'then' ? receiver : EMPTY, depth);
      }
      if (callback?.type === 'identifier' && last === 'then') {
        const executor = this.executorName(callback.text, callback.text, '', false);
        if (executor) {
          this.reachSink(receiver, at('executor', `\`${executor}\``), 'code');
          return EMPTY;
        }
        const named = this.helperNamed(callback.text);
        if (named) return this.applySummary(named, [receiver], this.recorder.file, this.recorder.base + node.startIndex, this.recorder.base + node.endIndex);
      }
    }

    if (/^(?:JSON\.stringify|btoa|Buffer\.from|encodeURIComponent|querystring\.stringify|qs\.stringify)$/.test(name) && !isNew) {
      this.recorder.bundle(union(...args), `\`${name}\``, fn.startIndex, node.endIndex > fn.endIndex + 200 ? fn.endIndex : node.endIndex);
    }

    // ---- sinks
    // `axios.create({ baseURL, headers })`: the headers go with every request the client makes, to its base URL.
    if (!isNew && CLIENT_FACTORY.test(name) && argNodes[0]?.type === 'object') {
      const host = optionsBaseHost(argNodes[0]);
      this.optionsSink(argNodes[0], at('network', `every request of an HTTP client for ${host ?? 'a remote server'}`, host), depth);
      return EMPTY;
    }
    const isFetch = name === 'fetch' || name === 'globalThis.fetch' || name === 'window.fetch' || name === 'nodeFetch';
    const isHttpClient = (HTTP_METHOD.test(last) && HTTP_CLIENT.test(receiverText)) || name === 'axios' || name === 'got' || name === 'ky' || /^https?\.(?:request|get)$/.test(name) || (name === 'request' && this.uses('undici'));
    if (isFetch || isHttpClient) {
      // `https.request({ hostname: 'h', path: … })` names its host in the options object.
      const host = literalHost(first.text) ?? (argNodes[0]?.type === 'object' ? optionsHost(argNodes[0]) : undefined);
      const sink = at('network', `an HTTP request to ${host ?? 'a remote server'}`, host);
      const optionsIndex = isFetch || /^https?\.(?:request|get)$/.test(name) ? 1 : SEND_METHOD.test(last) ? 2 : 1;
      if (argNodes[0]?.type === 'object') this.optionsSink(argNodes[0], sink, depth);
      else this.reachSink(first, sink, 'url');
      if (SEND_METHOD.test(last) && !isFetch && args[1]) this.reachSink(args[1], sink, 'payload');
      const options = argNodes[optionsIndex];
      if (options) this.optionsSink(options, sink, depth);
      // The metadata service answers with the machine's role credentials, not with downloaded code.
      const metadata = workloadCredentialSource(first.text ?? argNodes[0]?.text);
      const downloaded = metadata ? { labels: [this.recorder.label(metadata, node.startIndex, node.endIndex)], params: 0 } : this.download(node);
      // `https.get(url, (res) => …)`: the callback is handed the response.
      const callback = isFetch ? undefined : argNodes.find((argument, index) => index > 0 && FUNCTION_TYPES.test(argument.type));
      if (callback) this.inlineCallback(callback, downloaded, depth);
      return union(receiver, downloaded);
    }
    // `stream.on('data', (chunk) => …)`: the listener is handed what the stream carries.
    if ((last === 'on' || last === 'once') && receiverNode && argNodes[1] && FUNCTION_TYPES.test(argNodes[1].type)) {
      this.inlineCallback(argNodes[1], receiver, depth);
      return EMPTY;
    }
    // A Telegram bot's `sendDocument(chat, stream)` (node-telegram-bot-api, Telegraf's
    // `telegram.sendDocument`), Slack's `client.files.uploadV2({…})` and `client.chat.postMessage({…})`.
    if ((TELEGRAM_SEND_METHODS.test(last) && receiverText !== '') || (last === 'uploadV2' && /files$/.test(receiverText)) || (last === 'postMessage' && /\bchat$/.test(receiverText))) {
      const sink = at('network', `a message sent by \`${last}\` through a chat service's API`);
      for (const value of args) this.reachSink(value, sink, 'payload');
      return EMPTY;
    }
    if (name === 'navigator.sendBeacon') {
      const host = literalHost(first.text);
      const sink = at('network', `a beacon to ${host ?? 'a remote server'}`, host);
      this.reachSink(first, sink, 'url');
      if (args[1]) this.reachSink(args[1], sink, 'payload');
      return EMPTY;
    }
    const channel = (last === 'write' || last === 'end' || last === 'send') && receiverNode ? this.channelAt(receiverNode) : undefined;
    if (channel) {
      const site = channel.kind === 'executor' ? channel : at(channel.kind, channel.description, channel.host);
      this.reachSink(first, site, channel.kind === 'executor' ? 'code' : 'payload');
      return EMPTY;
    }
    // `download.pipe(sh.stdin)`: the stream becomes the shell's program.
    const piped = last === 'pipe' && argNodes[0] ? this.channelAt(argNodes[0]) : undefined;
    if (piped?.kind === 'executor') {
      this.reachSink(receiver, piped, 'code');
      return EMPTY;
    }
    // `https.request({…}).end(body)`: the request is written to where it is made.
    const chained = (last === 'write' || last === 'end') && receiverNode?.type === 'call_expression' ? channelSink(receiverNode, (callee) => this.aliasedCallee(callee)) : undefined;
    if (chained) {
      this.reachSink(first, at(chained.kind, chained.description, chained.host), 'payload');
      return EMPTY;
    }
    if (/^(?:dns(?:\.promises)?\.(?:lookup|resolve\w*|reverse)|lookup|resolve4|resolve6|resolveTxt)$/.test(name) && (receiverText.startsWith('dns') || fn.type === 'identifier') && last !== 'resolve') {
      this.reachSink(first, at('dns', 'a DNS lookup'), 'dns');
      return EMPTY;
    }
    if (/^dns(?:\.promises)?\.resolve$/.test(name)) {
      this.reachSink(first, at('dns', 'a DNS lookup'), 'dns');
      return EMPTY;
    }
    const childProcess = CHILD_PROCESS.test(last) && (fn.type === 'identifier' || /child_?process|^cp$|require\(['"](?:node:)?child_process['"]\)/i.test(receiverText));
    if (childProcess) {
      this.commandSink(node, last, argNodes, args, at, depth);
      const words = commandWordsOf(first.text ?? '');
      const source = commandSource(last.startsWith('spawn') || last.startsWith('execFile') ? [first.text ?? '', ...this.arrayTexts(argNodes[1], depth)] : words);
      return source ? { labels: [this.recorder.label(source, node.startIndex, node.endIndex)], params: 0 } : EMPTY;
    }
    const executor = this.executorName(name, last, receiverText, isNew);
    if (executor) {
      const code = executor === 'new Function' || executor === 'Function' ? (args[args.length - 1] ?? EMPTY) : first;
      this.reachSink(code, at('executor', `\`${executor}\``), 'code');
      return EMPTY;
    }
    if (FS_WRITE.test(last) && (receiverText === '' || /fs|fse|promises/.test(receiverText))) {
      if (args[1]) this.recorder.writeFile(first.text, args[1], node.startIndex, node.endIndex);
      return EMPTY;
    }
    // `fs.copyFileSync(src, dest)`, `fs.cpSync`, fs-extra's `copy`: dest then holds what src held.
    const copies = /^(?:copyFileSync|copyFile|cpSync|cp|copySync|copy)$/.test(last) && (/^(?:fs|fse|promises|fs\.promises)$/.test(receiverText) || (receiverText === '' && /^(?:copyFileSync|cpSync)$/.test(last)));
    if (copies && args[1]) {
      this.recorder.writeFile(args[1].text, union(first, this.recorder.readFile(first.text, node.startIndex, node.endIndex)), node.startIndex, node.endIndex);
      return EMPTY;
    }

    // ---- sources and propagation
    if (name === 'os.homedir' || name === 'homedir' || name === 'os.tmpdir' || name === 'tmpdir') return textValue(last === 'tmpdir' ? '/tmp' : '~');
    // Passwords from the OS keyring through keytar (macOS Keychain, Secret Service, Windows Credential Manager).
    if (/^keytar\.(?:getPassword|findPassword|findCredentials)$/.test(name)) {
      return { labels: [this.recorder.label({ category: 'credential-file', description: 'a password from the system keyring' }, node.startIndex, node.endIndex)], params: 0 };
    }
    if (/^(?:path\.(?:join|resolve|posix\.join)|join|resolve)$/.test(name) && args.length > 0) {
      const parts: StringPart[] = [];
      args.forEach((arg, index) => {
        if (index > 0) parts.push({ literal: '/' });
        parts.push({ value: arg });
      });
      return foldString(parts);
    }
    // A database file opened (`new Database('…/chat.db')`, better-sqlite3 or sqlite3) is read by its queries.
    if (isNew && last === 'Database' && first.text !== undefined) return union(withoutCallerInput(first), this.recorder.readFile(first.text, node.startIndex, node.endIndex));
    if (FS_READ.test(last) && (receiverText === '' || /fs|fse|promises/.test(receiverText))) {
      // `readFileSync(0)`, `readFileSync('/dev/stdin')`: the script's standard input.
      if (argNodes[0]?.text === '0' || first.text === '/dev/stdin') return this.scriptInput(node.startIndex, node.endIndex);
      // A file's content is not the argument that named the file.
      return union(withoutCallerInput(first), this.recorder.readFile(first.text, node.startIndex, node.endIndex));
    }
    if (/^(?:readdirSync|readdir|globSync|glob|sync)$/.test(last) && first.text !== undefined) return withText(first, `${first.text}/*`);
    if (/^(?:clipboardy\.(?:read|readSync)|navigator\.clipboard\.(?:readText|read)|clipboard\.(?:readText|read|readImage))$/.test(name)) {
      return { labels: [this.recorder.label({ category: 'privacy', description: 'the clipboard' }, node.startIndex, node.endIndex)], params: 0 };
    }
    if (isNew && name === 'FormData') {
      return { labels: [this.recorder.label({ category: 'privacy', description: "what visitors type into the page's form" }, node.startIndex, node.endIndex)], params: 0 };
    }
    if (/^(?:screenshot|screenshotDesktop|desktopCapturer\.getSources|captureScreen)$/.test(name)) {
      return { labels: [this.recorder.label({ category: 'privacy', description: 'a screen capture' }, node.startIndex, node.endIndex)], params: 0 };
    }
    if (/^(?:JSON\.stringify|Object\.(?:entries|keys|values|assign|fromEntries))$/.test(name) && argNodes.some((arg) => arg.text === 'process.env')) {
      return union(...args);
    }
    if (/^(?:minimist|parseArgs|util\.parseArgs|yargsParser)$/.test(name) && !isNew) return this.callerInput();
    // `['curl -fsSL https://…', 'sh'].join(' | ')`: a command assembled from literal pieces.
    if (last === 'join' && receiverNode?.type === 'array' && (argNodes.length === 0 || first.text !== undefined)) {
      const pieces = receiverNode.namedChildren.map((element) => (element?.type === 'string' ? unquote(element.text) : undefined));
      if (pieces.every((piece): piece is string => piece !== undefined)) return withText(union(receiver, ...args), pieces.join(argNodes.length === 0 ? ',' : (first.text ?? ',')));
    }
    // JSON is YAML too: the text a literal serialises to is read as either.
    if (/^(?:JSON\.stringify|YAML\.stringify|yaml\.stringify|yaml\.dump)$/.test(name) && !isNew && first.json !== undefined) return serialisedAsJson(first);
    if (PROPAGATING_CALL.test(last)) {
      const result = union(receiver, ...args);
      if (/^(?:toString|trim|toLowerCase|toUpperCase|replace|encode)$/.test(last) && receiver.text !== undefined) return withText(result, receiver.text);
      if ((last === 'String' || last === 'encodeURIComponent' || last === 'encodeURI') && first.text !== undefined) return withText(result, first.text);
      return result;
    }
    return EMPTY;
  }

  private download(node: Node): AbstractValue {
    return { labels: [this.recorder.label({ category: 'download', description: 'data downloaded from the network' }, node.startIndex, node.endIndex)], params: 0 };
  }

  /** fetch/axios/got options: `body`/`data`/`json`/`form` are payload, `headers`/`auth` are credentials. */
  private optionsSink(options: Node, sink: SinkSite, depth: number): void {
    const property = (key: string): AbstractValue | undefined => {
      if (options.type === 'object') {
        for (const pair of options.namedChildren) {
          if (pair?.type === 'pair' && unquote(pair.childForFieldName('key')?.text ?? '') === key) {
            const value = pair.childForFieldName('value');
            return value ? this.expr(value, depth + 1) : undefined;
          }
          if (pair?.type === 'shorthand_property_identifier' && pair.text === key) return this.scope.get(key) ?? EMPTY;
        }
        return undefined;
      }
      return options.text.length <= 100 ? this.scope.get(`${options.text}.${key}`) : undefined;
    };
    for (const key of ['body', 'data', 'json', 'form', 'searchParams', 'params', 'path']) {
      const value = property(key);
      // What the request path carries travels in the URL, whatever its literal prefix looks like.
      if (value) this.reachSink(key === 'path' ? mapLabels(value, (label) => ({ ...label, inUrl: true })) : value, sink, key === 'path' ? 'url' : 'payload');
    }
    for (const key of ['url', 'hostname', 'host']) {
      const value = property(key);
      if (value) this.reachSink(value, sink, key === 'url' ? 'url' : 'dns');
    }
    for (const key of ['headers', 'auth']) {
      const value = property(key);
      if (value) this.reachSink(asCredential(value), sink, 'header');
    }
    if (options.type !== 'object' && options.type !== 'identifier') this.reachSink(this.expr(options, depth + 1), sink, 'payload');
  }

  private arrayTexts(node: Node | undefined, depth: number): string[] {
    if (!node || node.type !== 'array') return [];
    return node.namedChildren.map((child) => (child ? (this.expr(child, depth + 1).text ?? '*') : '*'));
  }

  /**
   * The connection or process input a write goes to: a variable holding a connection, `sh.stdin`
   * of a variable holding a process started by `commandSink`, or `spawn('sh').stdin` itself.
   */
  private channelAt(target: Node): SinkSite | undefined {
    if (target.type === 'identifier') return this.channel(target.text);
    if (target.type !== 'member_expression' || target.childForFieldName('property')?.text !== 'stdin') return undefined;
    const process = target.childForFieldName('object');
    if (process?.type === 'identifier') return this.channel(target.text);
    return process?.type === 'call_expression' ? this.programInputs.get(process.id) : undefined;
  }

  /** child_process: downloaded code run by a shell, and network tools given tainted arguments. */
  private commandSink(node: Node, last: string, argNodes: readonly Node[], args: readonly AbstractValue[], at: (kind: SinkKind, description: string, host?: string) => SinkSite, depth: number): void {
    const first = args[0] ?? EMPTY;
    const isArgv = /^(?:spawn|spawnSync|execFile|execFileSync)$/.test(last);
    const words = isArgv ? [first.text ?? '*', ...this.arrayTexts(argNodes[1], depth)] : commandWordsOf(first.text ?? '');
    // `execSync('bash', { input: code })`, and `spawn('sh')` whose `stdin` is written later.
    // What the options' `input` gives the program on its standard input (`execSync(cmd, { input })`).
    const stdinProgram = readsProgramFromStdin(words);
    const cronTable = installsCronTableFromStdin(words);
    const inputNode = stdinProgram || cronTable ? optionValue(argNodes.slice(1), 'input') : undefined;
    const input = inputNode ? this.expr(inputNode, depth + 1) : undefined;
    if (stdinProgram) {
      const sink = at('executor', `\`${words[0] ?? last}\` reading its program from standard input`);
      if (input) this.reachSink(input, sink, 'code');
      this.programInputs.set(node.id, sink);
    }
    // `execSync('crontab -', { input: line })`: the cron table given replaces the user's.
    if (cronTable && input) this.recorder.writeFile(USER_CRON_TABLE_PATH, input, node.startIndex, node.endIndex);
    // `execFile('ssh', [host, 'curl … | sh'])`: the remote shell runs the words after the destination.
    const remote = isArgv ? sshRemoteCommand(words) : undefined;
    if (remote !== undefined) this.recorder.shellCommand(textValue(remote), node.startIndex, node.endIndex);
    if (!isArgv) {
      this.reachSink(first, { ...at('executor', `\`${last}\``), shell: true }, 'code');
      this.recorder.shellCommand(first, node.startIndex, node.endIndex);
    } else if (isInterpreterWithInlineCode(words) && argNodes[1]?.type === 'array') {
      const elements = argNodes[1].namedChildren.filter((child): child is Node => child !== null);
      const code = elements[elements.length - 1];
      if (code) this.reachSink(this.expr(code, depth + 1), at('executor', `\`${words[0] ?? last} -c\``), 'code');
    }
    const network = networkCommandOf(words);
    if (!network) return;
    // `exec('open "https://…?d=' + key + '"')`: the browser sends the address, data and all, to its host.
    if (network.kind === 'browser') {
      this.reachSink(isArgv ? union(...args.slice(1)) : first, at('network', network.description, network.host), 'url');
      return;
    }
    const { index: networkAt, tool, dns } = network;
    const sink = at(dns ? 'dns' : 'command', network.description, network.host);
    const position: SinkPosition = dns ? 'dns' : 'payload';
    // `spawn('curl', ['--data-binary', '@-', url])`: what is written to its stdin later is sent.
    if (!dns && isArgv && sendsStandardInput(words.slice(networkAt))) this.programInputs.set(node.id, sink);
    if (isArgv && argNodes[1]?.type === 'array') {
      const elements = argNodes[1].namedChildren.filter((child): child is Node => child !== null);
      elements.forEach((element, index) => {
        const previous = index > 0 ? unquote(elements[index - 1]?.text ?? '') : '';
        let value = this.expr(element, depth + 1);
        if (/^(?:-H|--header|-u|--user|--oauth2-bearer)$/.test(previous)) value = asCredential(value);
        const uploaded = value.text === undefined || !/^(?:curl|wget)$/.test(tool) ? undefined : uploadedFilePath(previous, value.text);
        if (uploaded !== undefined && uploaded !== '-') value = union(value, this.recorder.readFile(uploaded, element.startIndex, element.endIndex));
        this.reachSink(value, sink, /^["'`]?https?:\/\//.test(value.text ?? '') ? 'url' : position);
      });
    } else {
      this.reachSink(first, sink, position);
    }
  }

  /**
   * Walks a callback written inline, in a scope nested in the current one (it sees the variables
   * around it), with its first parameter bound to `argument`; returns what it returns. Parameter
   * sinks it reaches belong to the enclosing helper.
   */
  private inlineCallback(fn: Node, argument: AbstractValue, depth: number): AbstractValue {
    if (depth > MAX_DEPTH) return EMPTY;
    const paramsNode = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
    const firstParam = paramsNode?.type === 'identifier' ? paramsNode : paramsNode?.namedChildren.find((param) => param !== null && param.type !== 'comment');
    const savedScope = this.scope;
    const outerFrame = this.frame;
    const frame = new Frame();
    this.scope = new Scope(savedScope);
    this.frame = frame;
    try {
      const name = firstParam?.type === 'identifier' ? firstParam : firstParam?.childForFieldName('pattern');
      if (name?.type === 'identifier') this.scope.set(name.text, argument);
      const body = fn.childForFieldName('body');
      if (body?.type === 'statement_block') this.statements(body, depth + 1);
      else if (body) this.returnValue(this.expr(body, depth + 1));
    } finally {
      this.scope = savedScope;
      this.frame = outerFrame;
      if (outerFrame) for (const paramSink of frame.paramSinks.slice(0, Math.max(0, 50 - outerFrame.paramSinks.length))) outerFrame.paramSinks.push(paramSink);
    }
    return frame.returns ?? EMPTY;
  }

  private executorName(name: string, last: string, receiverText: string, isNew: boolean): string | undefined {
    if (name === 'eval' || GLOBAL_EVAL_CALL.test(name)) return 'eval';
    if (GLOBAL_FUNCTION_CALL.test(name)) return isNew ? 'new Function' : 'Function';
    if (name === 'Function') return isNew ? 'new Function' : 'Function';
    if (/^vm\.(?:runInThisContext|runInNewContext|runInContext|compileFunction)$/.test(name)) return name;
    if (isNew && (name === 'vm.Script' || name === 'Script')) return 'new vm.Script';
    // A module compiled from text (`new Module(…)._compile(code, name)`), and a worker started from
    // a string with `eval: true`.
    if (last === '_compile' && !isNew) return 'Module._compile';
    if (isNew && /^(?:worker_threads\.)?Worker$/.test(name)) return 'new Worker';
    if ((last === 'setTimeout' || last === 'setInterval') && receiverText === '') return undefined;
    return undefined;
  }
}

/** The literal `hostname` (or `host`) of a request options object. */
function optionsHost(options: Node): string | undefined {
  const host = literalOption(options, ['hostname', 'host']);
  return host === undefined ? undefined : literalHost(`https://${host}/`);
}

/** The host of a client's base URL (`baseURL` for axios, `prefixUrl` for got and ky), when written as a literal. */
function optionsBaseHost(options: Node): string | undefined {
  const url = literalOption(options, ['baseURL', 'prefixUrl']);
  return url === undefined ? undefined : literalHost(url);
}

/** The string literal an options object gives the first of `keys` it has. */
function literalOption(options: Node, keys: readonly string[]): string | undefined {
  for (const pair of options.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const value = pair.childForFieldName('value');
    if (keys.includes(unquote(pair.childForFieldName('key')?.text ?? '')) && value?.type === 'string') return unquote(value.text);
  }
  return undefined;
}

/**
 * A call that opens an outbound request or connection (`http.request(…)`, `require('https').request(…)`,
 * `net.connect(…)`). `aliased` gives the name a callee stands for through a module alias, if any
 * (`https.request` for `h.request` when `h` is `require('https')`).
 */
function channelSink(node: Node, aliased: (callee: Node) => string | undefined): { readonly kind: 'network' | 'socket'; readonly description: string; readonly start: number; readonly end: number; readonly host: string | undefined } | undefined {
  const callee = node.childForFieldName(node.type === 'new_expression' ? 'constructor' : 'function');
  const name = callee ? aliased(callee) : undefined;
  const text = (name !== undefined && callee && node.text.startsWith(callee.text) ? name + node.text.slice(callee.text.length) : node.text).slice(0, 200).replace(/^require\(\s*['"](?:node:)?(https?|net|tls|http2)['"]\s*\)/, '$1');
  const host = literalHost(/['"`]([^'"`]{0,200})/.exec(text)?.[1]);
  const end = node.startIndex + Math.min(node.text.length, node.text.indexOf('(') + 1 || 1);
  if (/^(?:https?\.request|https?\.get|request|http2\.connect)\s*\(/.test(text) || /^(?:https?|client)\.request\s*\(/.test(text)) {
    return { kind: 'network', description: `an HTTP request to ${host ?? 'a remote server'}`, start: node.startIndex, end, host };
  }
  if (/^(?:net|tls)\.(?:connect|createConnection)\s*\(|^new\s+(?:net\.)?Socket\s*\(|^new\s+WebSocket\s*\(/.test(text)) {
    return { kind: 'socket', description: /WebSocket/.test(text) ? 'a WebSocket' : 'a network socket', start: node.startIndex, end, host };
  }
  return undefined;
}

/**
 * `'node:child_process'` → `child_process`: a Node core module named by an import's source
 * string. Only core modules are read by their module name (a package's export, `require('node-fetch')`
 * bound to `fetch`, is read by the name it is given).
 */
function moduleName(source: Node | null | undefined): string | undefined {
  if (source?.type !== 'string') return undefined;
  const name = unquote(source.text).replace(/^node:/, '');
  return NODE_CORE_MODULES.has(name) ? name : undefined;
}

/**
 * The module `require('…')` loads, when `node` is that call; its name may be built from literals
 * (`require('child_' + 'process')`, or a `const` holding such a name).
 */
/** The value of option `key` in the first object literal among `args` (`{ input: … }`). */
function optionValue(args: readonly Node[], key: string): Node | undefined {
  const options = args.find((argument) => argument.type === 'object');
  return options?.namedChildren.find((pair) => pair?.type === 'pair' && unquote(pair.childForFieldName('key')?.text ?? '') === key)?.childForFieldName('value') ?? undefined;
}

function requiredModule(node: Node | null | undefined, constants: ReadonlyMap<string, string>): string | undefined {
  if (node?.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'require') return undefined;
  const argument = node.childForFieldName('arguments')?.namedChildren[0];
  if (argument?.type === 'string') return moduleName(argument);
  const name = argument ? staticText(argument, constants)?.replace(/^node:/, '') : undefined;
  return name !== undefined && NODE_CORE_MODULES.has(name) ? name : undefined;
}

/** A `require(…)` whose argument is not a plain string: the module's name may be built. */
const BUILT_MODULE_NAME = /\brequire\s*\((?!\s*['"][\w@./:-]*['"]\s*\))/;
const MAX_STATIC_DEPTH = 8;

/**
 * The text an expression always has when it is built from string literals alone: a literal, a
 * template whose substitutions are such texts, `+` of them, `[…].join(sep)` of literals, a
 * `const` name bound to one, or an element of a `const` array of them (`names[1]`, in
 * `constants`). Undefined for anything that depends on run time.
 */
function staticText(node: Node, constants: ReadonlyMap<string, string>, depth = 0): string | undefined {
  if (depth > MAX_STATIC_DEPTH) return undefined;
  switch (node.type) {
    case 'string':
      return unescapeJavaScript(unquote(node.text));
    case 'identifier':
      return constants.get(node.text);
    case 'parenthesized_expression':
      return node.namedChildren[0] ? staticText(node.namedChildren[0], constants, depth + 1) : undefined;
    case 'subscript_expression': {
      const object = node.childForFieldName('object');
      const index = node.childForFieldName('index');
      return object?.type === 'identifier' && index?.type === 'number' && /^\d{1,4}$/.test(index.text) ? constants.get(`${object.text}[${index.text}]`) : undefined;
    }
    case 'binary_expression': {
      if (node.childForFieldName('operator')?.text !== '+') return undefined;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const a = left ? staticText(left, constants, depth + 1) : undefined;
      const b = a !== undefined && right ? staticText(right, constants, depth + 1) : undefined;
      return a !== undefined && b !== undefined ? a + b : undefined;
    }
    case 'template_string': {
      let text = '';
      for (const child of node.namedChildren) {
        if (child?.type === 'string_fragment') text += child.text;
        else if (child?.type === 'escape_sequence') text += unescapeJavaScript(child.text);
        else if (child?.type === 'template_substitution' && child.namedChildren[0]) {
          const inner = staticText(child.namedChildren[0], constants, depth + 1);
          if (inner === undefined) return undefined;
          text += inner;
        } else return undefined;
      }
      return text;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      const array = fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'join' ? fn.childForFieldName('object') : null;
      if (array?.type !== 'array') return undefined;
      const separatorNode = node.childForFieldName('arguments')?.namedChildren[0];
      const separator = separatorNode ? staticText(separatorNode, constants, depth + 1) : ',';
      const pieces = array.namedChildren.map((element) => (element ? staticText(element, constants, depth + 1) : undefined));
      return separator !== undefined && pieces.every((piece) => piece !== undefined) ? pieces.join(separator) : undefined;
    }
    default:
      return undefined;
  }
}

/** The object and the property a member access names: `a.b`, or `a['b']` and `a['b' + 'c']` with a static key. */
function memberOf(node: Node | null | undefined, constants: ReadonlyMap<string, string>): { object: Node; property: string } | undefined {
  const object = node?.childForFieldName('object');
  if (!node || !object) return undefined;
  if (node.type === 'member_expression') return { object, property: node.childForFieldName('property')?.text ?? '' };
  if (node.type !== 'subscript_expression') return undefined;
  const index = node.childForFieldName('index');
  const property = index ? staticText(index, constants) : undefined;
  return property === undefined ? undefined : { object, property };
}
