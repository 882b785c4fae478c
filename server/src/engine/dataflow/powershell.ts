import type { Node } from 'web-tree-sitter';
import { asCredential, EMPTY, foldString, textValue, union, withText, type AbstractValue, type Recorder, type StringPart } from './core';
import type { HelperReuse, OutsideRead } from './helper-replay';
import { hostInText, shellCommandSource, workloadCredentialSource } from './labels';
import { findAll, MAX_DEPTH, WalkerBase, type FunctionInfo } from './walker';

/**
 * The PowerShell walker: the cmdlets and .NET calls that read secrets (`Get-Content`,
 * `[IO.File]::ReadAllText`, `$env:…`, the clipboard), send data (`Invoke-RestMethod`,
 * `Invoke-WebRequest`, `WebClient.Upload*`, `Send-MailMessage`, DNS lookups), write files
 * (`Set-Content`, `Out-File`, `>`, `Compress-Archive`) and run code given as text
 * (`Invoke-Expression`, `[scriptblock]::Create`). Variables are case-insensitive, as PowerShell's
 * are; a pipeline hands each stage's output to the next.
 */

/** Expression nodes that only wrap their one child in the grammar's precedence chain. */
const WRAPPERS: ReadonlySet<string> = new Set([
  'logical_expression', 'bitwise_expression', 'comparison_expression', 'additive_expression', 'multiplicative_expression',
  'format_expression', 'range_expression', 'array_literal_expression', 'unary_expression', 'expression_with_unary_operator',
  'argument_expression', 'logical_argument_expression', 'bitwise_argument_expression', 'comparison_argument_expression',
  'additive_argument_expression', 'multiplicative_argument_expression', 'format_argument_expression', 'range_argument_expression',
  'left_assignment_expression', 'pipeline_chain', 'string_literal', 'argument_expression_list', 'parenthesized_expression',
  'argument_list',
]);

/** Blocks whose children are statements. */
const STATEMENT_BLOCKS: ReadonlySet<string> = new Set(['program', 'statement_list', 'statement_block', 'script_block', 'script_block_body', 'named_block', 'named_block_list']);

const NETWORK_CMDLETS: ReadonlySet<string> = new Set(['invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm', 'curl', 'wget']);
const READ_CMDLETS: ReadonlySet<string> = new Set(['get-content', 'gc', 'cat', 'type', 'import-csv', 'import-clixml']);
const WRITE_CMDLETS: ReadonlySet<string> = new Set(['set-content', 'sc', 'add-content', 'ac', 'out-file', 'tee-object', 'tee']);
const COPY_CMDLETS: ReadonlySet<string> = new Set(['copy-item', 'copy', 'cp', 'cpi', 'move-item', 'move', 'mv', 'mi']);
const EXPRESSION_CMDLETS: ReadonlySet<string> = new Set(['invoke-expression', 'iex']);
/** Cmdlets whose output is their input and arguments, reshaped. */
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'convertto-json', 'convertfrom-json', 'convertto-csv', 'convertfrom-csv', 'convertto-xml', 'convertto-html', 'out-string',
  'select-object', 'select', 'where-object', 'where', '?', 'foreach-object', 'foreach', '%', 'sort-object', 'sort',
  'format-table', 'ft', 'format-list', 'fl', 'group-object', 'write-output', 'echo', 'write', 'join-string', 'get-unique',
]);

/** Parameters that take a value, so the argument after them is not positional. */
const VALUE_PARAMETERS: ReadonlySet<string> = new Set([
  'uri', 'url', 'body', 'infile', 'outfile', 'headers', 'method', 'contenttype', 'path', 'literalpath', 'filepath', 'value',
  'destination', 'destinationpath', 'inputobject', 'command', 'argumentlist', 'to', 'from', 'subject', 'attachments',
  'smtpserver', 'name', 'type', 'server', 'encoding', 'credential', 'useragent', 'erroraction', 'depth', 'delimiter',
  'first', 'last', 'property', 'filter', 'include', 'exclude', 'scriptblock', 'computername', 'timeoutsec', 'itemtype',
  'typename', 'source', 'transfertype', 'pspath', 'session', 'cn', 'hostname', 'connectionuri', 'vmname', 'args',
]);

/** `$env:APPDATA`-style folders, folded the way the path classifier reads home paths. */
const FOLDER_VARIABLES: Readonly<Record<string, string>> = {
  appdata: '~/AppData/Roaming',
  localappdata: '~/AppData/Local',
};

interface Element {
  /** The parameter's name, lower-cased, without its dash; undefined for an argument. */
  readonly parameter?: string;
  readonly node: Node;
  readonly value: AbstractValue;
}

export class PowerShellWalker extends WalkerBase {
  /** Environment variables the script sets, lower-cased: those are not the user's secrets. */
  private readonly assignedEnvironment = new Set<string>();
  /** The top-level statement being walked: a download inside it that reaches `iex` is SKL501's. */
  private statementRange: readonly [number, number] = [0, 0];

  constructor(recorder: Recorder, deadline: number, private readonly root: Node, reuse?: HelperReuse) {
    super(recorder, deadline, reuse);
  }

  run(): void {
    // Looked for apart, so that thousands of assignments cannot crowd a function out of the bound.
    for (const node of findAll(this.root, new Set(['function_statement']), 5000)) {
      const name = node.namedChildren.find((child) => child?.type === 'function_name')?.text.toLowerCase();
      if (name && !this.functions.has(name)) this.functions.set(name, { name, node, params: parametersOf(node), receiverOffset: 0 });
    }
    for (const node of findAll(this.root, new Set(['left_assignment_expression']), 5000)) {
      const target = unwrap(node);
      const name = target.type === 'variable' ? variableName(target.text) : '';
      if (name.startsWith('env:')) this.assignedEnvironment.add(name.slice(4));
    }
    // A script's own `param(…)` block holds its command-line arguments.
    const scriptParameters = this.root.namedChildren.find((child) => child?.type === 'param_block');
    if (scriptParameters) for (const name of parameterNames(scriptParameters)) this.scope.set(name, this.callerInput());
    this.scope.set('args', this.callerInput());
    for (const statement of this.root.namedChildren) {
      if (!statement || statement.type === 'param_block') continue;
      this.statements(statement, 0, true);
    }
    this.summariseRemaining();
  }

  /** Whether the script sets the environment variable anywhere; read through here so that a recorded helper walk sees it. */
  private setsEnvironment(name: string): boolean {
    const assigned = this.assignedEnvironment.has(name.toLowerCase());
    this.recording?.read({ kind: 'assigned', name: `env:${name.toLowerCase()}`, assigned });
    return assigned;
  }

  protected override outsideNow(read: OutsideRead): OutsideRead | undefined {
    if (read.kind === 'assigned') return { ...read, assigned: this.assignedEnvironment.has(read.name.replace(/^env:/, '')) };
    return super.outsideNow(read);
  }

  protected walkFunctionBody(info: FunctionInfo): void {
    this.inHelperScope(info.params, () => {
      const body = info.node.namedChildren.find((child) => child?.type === 'script_block');
      if (body) this.returnValue(this.statements(body, 1));
    });
  }

  /** Walks statements; returns what they write to the output stream (a function's result). */
  private statements(node: Node, depth: number, topLevel = false): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    if (STATEMENT_BLOCKS.has(node.type)) {
      const outputs: AbstractValue[] = [];
      for (const child of node.namedChildren) {
        if (!child || child.type === 'param_block') continue;
        if (topLevel && node.type === 'statement_list') this.statementRange = [child.startIndex, child.endIndex];
        outputs.push(this.statements(child, depth + 1));
      }
      return union(...outputs);
    }
    switch (node.type) {
      case 'pipeline':
        return this.pipeline(node, depth + 1);
      case 'function_statement':
      case 'comment':
        return EMPTY;
      case 'flow_control_statement': {
        const value = union(...node.namedChildren.filter((child): child is Node => child !== null).map((child) => this.statements(child, depth + 1)));
        if (node.text.trimStart().toLowerCase().startsWith('return')) this.returnValue(value);
        return value;
      }
      case 'foreach_statement': {
        const variable = node.namedChildren.find((child) => child?.type === 'variable');
        const items = node.namedChildren.find((child) => child?.type === 'pipeline');
        if (variable && items) this.scope.set(variableName(variable.text), this.pipeline(items, depth + 1));
        const body = node.namedChildren.find((child) => child?.type === 'statement_block');
        return body ? this.statements(body, depth + 1) : EMPTY;
      }
      default: {
        // if, while, for, switch, try: conditions and bodies alike, in order.
        const outputs: AbstractValue[] = [];
        for (const child of node.namedChildren) if (child) outputs.push(this.statements(child, depth + 1));
        return union(...outputs);
      }
    }
  }

  /** A pipeline: an assignment, or stages each given the previous stage's output, and its redirections. */
  private pipeline(node: Node, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    const first = node.namedChildren[0];
    if (!first) return EMPTY;
    if (first.type === 'assignment_expression') {
      this.assign(first, depth + 1);
      return EMPTY;
    }
    const chain = first.type === 'pipeline_chain' ? first : node;
    let output = EMPTY;
    for (const stage of chain.namedChildren) {
      if (!stage) continue;
      if (stage.type === 'redirections') {
        for (const redirection of stage.namedChildren) {
          if (!redirection) continue;
          const operator = redirection.namedChildren.find((child) => child?.type === 'file_redirection_operator')?.text ?? '';
          const target = redirection.namedChildren.find((child) => child?.type === 'redirected_file_name');
          // `>`, `>>` and `*>` write the output stream; `2>` and the like write errors.
          if (!target || !/^(?:\*|1)?>>?$/.test(operator)) continue;
          const path = this.argument(target, depth + 1);
          this.recorder.writeFile(path.text, output, redirection.startIndex, redirection.endIndex);
          output = EMPTY;
        }
        continue;
      }
      if (stage.type === 'pipeline_chain_tail' || stage.type === 'pipeline') {
        output = union(output, this.pipeline(stage, depth + 1));
        continue;
      }
      output = stage.type === 'command' ? this.command(stage, output, depth + 1) : this.evaluate(stage, depth + 1);
    }
    return output;
  }

  private assign(node: Node, depth: number): void {
    const target = node.namedChildren[0];
    const operator = node.namedChildren.find((child) => child?.type === 'assignement_operator')?.text ?? '=';
    const valueNode = node.namedChildren[node.namedChildCount - 1];
    if (!target || !valueNode || valueNode === target) return;
    const value = valueNode.type === 'pipeline' ? this.pipeline(valueNode, depth + 1) : this.evaluate(valueNode, depth + 1);
    const variable = assignedVariable(target);
    if (!variable) return;
    const name = variableName(variable.text);
    // A member or element set on a variable (`$h.Authorization = …`, `$h['k'] = …`) adds to it.
    const whole = unwrap(target).type === 'variable';
    if (whole && operator === '=') this.scope.set(name, value);
    else if (whole && operator === '+=') this.scope.set(name, foldString([{ value: this.scope.get(name) ?? EMPTY }, { value }]));
    // Adding nothing tainted keeps what the object is (`$request.Method = 'POST'`).
    else if (value.labels.length > 0 || value.params !== 0) this.scope.add(name, value);
  }

  // ------------------------------------------------------------------ expressions

  private evaluate(start: Node, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    const node = unwrap(start);
    switch (node.type) {
      case 'variable':
        return this.variable(node);
      case 'expandable_string_literal':
      case 'expandable_here_string_literal':
        return this.expandable(node, depth + 1);
      case 'verbatim_string_characters':
        return textValue(node.text.slice(1, -1).replace(/''/g, "'"));
      case 'verbatim_here_string_characters':
        return textValue(node.text.replace(/^@'\r?\n?|\r?\n?'@$/g, ''));
      case 'integer_literal':
      case 'real_literal':
      case 'generic_token':
        return textValue(node.text);
      case 'pipeline':
        return this.pipeline(node, depth + 1);
      case 'sub_expression':
      case 'array_expression':
      case 'script_block_expression':
      case 'statement_list':
      case 'script_block':
        // The statements inside, in order: their output is the value.
        return this.statements(node, depth + 1);
      case 'invokation_expression':
        return this.invocation(node, depth + 1);
      case 'member_access':
      case 'element_access':
      case 'cast_expression': {
        const operand = node.type === 'cast_expression' ? node.namedChildren[node.namedChildCount - 1] : node.namedChildren[0];
        return operand ? this.evaluate(operand, depth + 1) : EMPTY;
      }
      case 'type_literal':
        return EMPTY;
      default:
        if (isConcatenation(node)) {
          const parts: StringPart[] = node.namedChildren.filter((child): child is Node => child !== null).map((child) => ({ value: this.evaluate(child, depth + 1) }));
          return foldString(parts);
        }
        return union(...node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment').map((child) => this.evaluate(child, depth + 1)));
    }
  }

  /** `"text $var $(expr)"`, and the same as a here-string. */
  private expandable(node: Node, depth: number): AbstractValue {
    const parts: StringPart[] = [];
    let at = node.startIndex;
    const text = node.text;
    const literal = (end: number): void => {
      if (end > at) parts.push({ literal: text.slice(at - node.startIndex, end - node.startIndex) });
    };
    for (const child of node.namedChildren) {
      if (!child) continue;
      literal(child.startIndex);
      parts.push({ value: this.evaluate(child, depth + 1) });
      at = child.endIndex;
    }
    literal(node.endIndex);
    const first = parts[0];
    if (first && 'literal' in first) parts[0] = { literal: first.literal.replace(/^@?"\r?\n?/, '') };
    const last = parts[parts.length - 1];
    if (last && 'literal' in last) parts[parts.length - 1] = { literal: last.literal.replace(/\r?\n?"@?$/, '') };
    return foldString(parts);
  }

  private variable(node: Node): AbstractValue {
    return this.variableNamed(variableName(node.text), node);
  }

  private variableNamed(name: string, node: Node): AbstractValue {
    if (name.startsWith('env:')) return this.environmentVariable(name.slice(4), node);
    if (name === 'home') return textValue('~');
    if (name === 'profile') return textValue('$PROFILE');
    if (name === 'psscriptroot' || name === 'pwd') return textValue('.');
    if (name === 'input') return this.scope.get(name) ?? this.scriptInput(node.startIndex, node.endIndex);
    return this.scope.get(name) ?? EMPTY;
  }

  private environmentVariable(name: string, node: Node): AbstractValue {
    const folder = FOLDER_VARIABLES[name.toLowerCase()];
    if (folder) return textValue(folder);
    if (this.setsEnvironment(name)) return this.scope.get(`env:${name.toLowerCase()}`) ?? EMPTY;
    return this.environmentValue(name.toUpperCase(), node.startIndex, node.endIndex);
  }

  /** `[Type]::Method(…)` and `$object.Method(…)`. */
  private invocation(node: Node, depth: number): AbstractValue {
    const receiver = node.namedChildren[0];
    const method = node.namedChildren.find((child) => child?.type === 'member_name')?.text.toLowerCase() ?? '';
    const argumentList = node.namedChildren.find((child) => child?.type === 'argument_list');
    const argumentNodes = argumentList ? argumentsOf(argumentList) : [];
    const args = argumentNodes.map((argument) => this.evaluate(argument, depth + 1));
    const type = receiver?.type === 'type_literal' ? typeName(receiver) : undefined;
    // `[Console]::In.ReadToEnd()`: the script's standard input.
    if (receiver && /^\[(?:system\.)?console\]::in$/i.test(receiver.text)) return this.scriptInput(node.startIndex, node.endIndex);
    const at = (index: number): AbstractValue => args[index] ?? EMPTY;
    const nodeAt = (index: number): Node => argumentNodes[index] ?? node;

    if (type === 'io.file' || type === 'file') {
      if (/^(?:readall(?:text|bytes|lines)|readlines|openread|opentext)$/.test(method)) return this.recorder.readFile(at(0).text, nodeAt(0).startIndex, nodeAt(0).endIndex);
      if (/^(?:(?:write|append)all(?:text|bytes|lines))$/.test(method)) {
        this.recorder.writeFile(at(0).text, at(1), node.startIndex, node.endIndex);
        return EMPTY;
      }
      if (method === 'copy' || method === 'move') {
        this.recorder.writeFile(at(1).text, this.recorder.readFile(at(0).text, nodeAt(0).startIndex, nodeAt(0).endIndex), node.startIndex, node.endIndex);
        return EMPTY;
      }
    }
    if ((type === 'io.compression.zipfile' || type === 'zipfile') && method === 'createfromdirectory') {
      this.recorder.writeFile(at(1).text, union(at(0), this.recorder.readFolder(at(0).text, nodeAt(0).startIndex, nodeAt(0).endIndex)), node.startIndex, node.endIndex);
      return EMPTY;
    }
    if (type === 'environment') {
      if (method === 'getenvironmentvariable') {
        const variable = at(0).text;
        return variable ? this.environmentVariable(variable, nodeAt(0)) : EMPTY;
      }
      if (method === 'getenvironmentvariables') return this.sourced(shellCommandSource(['printenv']), node);
      if (method === 'getfolderpath') return textValue(/userprofile/i.test(at(0).text ?? '') ? '~' : /mydocuments|personal/i.test(at(0).text ?? '') ? '~/Documents' : '*');
    }
    if ((type === 'net.dns' || type === 'dns') && /^(?:gethostaddresses|gethostentry|gethostbyname|resolve)(?:async)?$/.test(method)) {
      this.reachSink(at(0), this.recorder.sink('dns', `a DNS lookup with \`[Net.Dns]::${node.namedChildren.find((child) => child?.type === 'member_name')?.text ?? method}\``, node.startIndex, node.endIndex), 'dns');
      return EMPTY;
    }
    if ((type === 'windows.forms.clipboard' || type === 'windows.clipboard' || type === 'clipboard') && /^get(?:text|data|filedroplist)$/.test(method)) {
      return this.sourced({ category: 'privacy', description: 'the clipboard' }, node);
    }
    if (type !== undefined && (method === 'new' || (method === 'create' && /webrequest$/.test(type)))) return this.constructed(type, args);
    if (type === 'scriptblock' && method === 'create') {
      this.runsText(node, '`[scriptblock]::Create`', at(0));
      return at(0);
    }
    // WebClient and HttpClient: the address first, the data last.
    if (/^upload(?:string|data|values|file)(?:async|taskasync)?$/.test(method) || /^(?:post|put|patch)async$/.test(method)) {
      const host = hostInText(at(0).text);
      const sink = this.recorder.sink('network', `\`${node.namedChildren.find((child) => child?.type === 'member_name')?.text ?? method}\` to ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host);
      this.reachSink(at(0), sink, 'url');
      const data = args.length > 1 ? at(args.length - 1) : EMPTY;
      const last = nodeAt(args.length - 1);
      this.reachSink(method.startsWith('uploadfile') ? union(data, this.recorder.readFile(data.text, last.startIndex, last.endIndex)) : data, sink, 'payload');
      return this.downloaded(node, at(0).text);
    }
    if (/^download(?:string|data|file)(?:async|taskasync)?$/.test(method) || /^get(?:string|bytearray|stream)?async$/.test(method)) {
      const host = hostInText(at(0).text);
      this.reachSink(at(0), this.recorder.sink('network', `a request to ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host), 'url');
      const downloaded = this.downloaded(node, at(0).text);
      if (method.startsWith('downloadfile')) {
        this.recorder.writeFile(at(1).text, downloaded, node.startIndex, node.endIndex);
        return EMPTY;
      }
      return downloaded;
    }
    const object = receiver && receiver.type !== 'type_literal' ? this.evaluate(receiver, depth + 1) : EMPTY;
    // A socket or a web request, its stream, or a writer over them (see `constructed`): what is
    // sent or written leaves.
    const channel = CHANNEL_TEXT.exec(object.text ?? '');
    if (channel) {
      if (method === 'getstream' || method === 'getrequeststream') return object;
      if (/^(?:send|sendasync|sendto|write|writeline|writeasync|writelineasync)$/.test(method)) {
        // `UdpClient.Send(bytes, length, host, port)` names its host at the send.
        const host = channel[2] || (method === 'send' ? hostInText(`https://${args[2]?.text ?? ''}`) : undefined);
        const sink =
          channel[1] === 'socket'
            ? this.recorder.sink('socket', `a socket to ${host ?? 'a remote host'}`, node.startIndex, node.endIndex, host)
            : this.recorder.sink('network', `a web request to ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host);
        this.reachSink(union(...args), sink, 'payload');
        return EMPTY;
      }
    }
    return union(object, ...args);
  }

  /**
   * An object made with `New-Object`, `::new` or `::Create`: a TCP or UDP client or a web request
   * (marked with the host it reaches, so that its `Send`, or `Write` on its stream or a writer over
   * it, is a send), a writer over such a stream, or anything else (its arguments' taint).
   */
  private constructed(type: string, args: readonly AbstractValue[]): AbstractValue {
    const name = type.replace(/^\[|\]$/g, '').replace(/^system\./i, '').toLowerCase();
    if (/^net\.sockets\.(?:tcpclient|udpclient|socket)$/.test(name)) return withText(union(...args), `socket:${hostInText(`https://${args[0]?.text ?? ''}`) ?? ''}`);
    if (/^net\.(?:http)?webrequest$/.test(name)) return withText(union(...args), `request:${hostInText(args[0]?.text) ?? ''}`);
    const channel = args.find((arg) => CHANNEL_TEXT.test(arg.text ?? ''));
    if (channel && /^io\.(?:streamwriter|binarywriter)$/.test(name)) return channel;
    return union(...args);
  }

  // ------------------------------------------------------------------ commands

  private command(node: Node, stdin: AbstractValue, depth: number): AbstractValue {
    const nameNode = node.namedChildren.find((child) => child?.type === 'command_name' || child?.type === 'command_name_expr');
    if (!nameNode) return EMPTY;
    const written = nameNode.type === 'command_name_expr' ? (nameNode.namedChildren[0] ?? nameNode) : nameNode;
    // `& curl.exe …` names the program as a word; `& $tool …` computes it.
    const invoked = written.type === 'command_name' ? written.text : this.evaluate(written, depth + 1).text;
    const name = (invoked ?? '').replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
    // `$_` in a script block given to the stage stands for each item of its input.
    if (stdin.labels.length > 0 || stdin.text !== undefined) {
      this.scope.set('_', stdin);
      this.scope.set('psitem', stdin);
    }
    const transferProgram = nativeTransferProgram(invoked ?? '', node);
    if (transferProgram && !this.helperNamed(name)) return this.transfer(node, transferProgram, this.nativeWords(node, nameNode, transferProgram, depth + 1), stdin);
    const elements = this.elements(node, depth + 1);
    const helper = this.helperNamed(name);
    if (helper) return this.applySummary(helper, bindArguments(helper.params, elements), this.recorder.file, this.recorder.base + node.startIndex, this.recorder.base + node.endIndex);

    const args = new Arguments(elements, (parameter) => VALUE_PARAMETERS.has(parameter));
    const named = (...names: string[]): Element | undefined => args.named(...names);
    const positional = (index: number): Element | undefined => args.positional[index];
    const pathElement = named('path', 'literalpath', 'filepath', 'pspath') ?? positional(0);

    if (NETWORK_CMDLETS.has(name)) return this.webRequest(node, args, nameNode.text, stdin);
    if (READ_CMDLETS.has(name)) return pathElement ? this.recorder.readFile(pathElement.value.text, pathElement.node.startIndex, pathElement.node.endIndex) : EMPTY;
    if (name === 'get-clipboard' || name === 'gcb') return this.sourced({ category: 'privacy', description: 'the clipboard' }, node);
    if (/^(?:get-childitem|gci|dir|ls|get-item|gi)$/.test(name)) {
      const path = pathElement?.value.text;
      if (path !== undefined && /^env:[\\/]?$/i.test(path)) return this.sourced(shellCommandSource(['printenv']), node);
      const variable = path === undefined ? undefined : /^env:[\\/]?(\w+)$/i.exec(path)?.[1];
      if (variable) return this.environmentVariable(variable, pathElement?.node ?? node);
      if (name === 'get-item' || name === 'gi') return path === undefined ? EMPTY : textValue(path);
      // The files listed, as `find` lists them: the folder, any depth with `-Recurse`, the filter.
      const folder = (path ?? '.').replace(/[\\/]+$/, '');
      const filter = (named('filter', 'include')?.node.text ?? '').split(',')[0]?.trim().replace(/^["']|["']$/g, '') || undefined;
      if (filter === undefined) return path === undefined ? EMPTY : textValue(path);
      const recursive = elements.some((element) => element.parameter === 'recurse');
      return textValue(`${folder}/${recursive ? '**/' : ''}${filter}`);
    }
    if (WRITE_CMDLETS.has(name)) {
      const value = withInput(named('value', 'inputobject')?.value ?? (name.startsWith('tee') ? EMPTY : (positional(1)?.value ?? EMPTY)), stdin);
      this.recorder.writeFile(pathElement?.value.text, value, node.startIndex, node.endIndex);
      return name.startsWith('tee') ? stdin : EMPTY;
    }
    if (name === 'new-item' || name === 'ni') {
      const value = named('value');
      const folder = pathElement?.value.text;
      const leaf = named('name')?.value.text;
      if (value && folder !== undefined) this.recorder.writeFile(leaf === undefined ? folder : `${folder}/${leaf}`, value.value, node.startIndex, node.endIndex);
      return EMPTY;
    }
    if (COPY_CMDLETS.has(name) || name === 'compress-archive') {
      const source = named('path', 'literalpath') ?? positional(0);
      const destination = named('destination', 'destinationpath') ?? positional(1);
      if (source) {
        const read = name === 'compress-archive' ? union(source.value, this.recorder.readFolder(source.value.text, source.node.startIndex, source.node.endIndex)) : this.recorder.readFile(source.value.text, source.node.startIndex, source.node.endIndex);
        this.recorder.writeFile(destination?.value.text, withInput(read, stdin), node.startIndex, node.endIndex);
      }
      return EMPTY;
    }
    if (name === 'send-mailmessage') {
      const recipient = named('to')?.value.text;
      const host = recipient ? /@([\w.-]{1,253})/.exec(recipient)?.[1] : undefined;
      const sink = this.recorder.sink('mail', `\`Send-MailMessage\`${recipient ? ` to ${recipient}` : ''}`, node.startIndex, node.endIndex, host);
      const attachments = named('attachments');
      const attached = attachments ? this.recorder.readFile(attachments.value.text, attachments.node.startIndex, attachments.node.endIndex) : EMPTY;
      this.reachSink(union(named('body')?.value ?? EMPTY, named('subject')?.value ?? EMPTY, attachments?.value ?? EMPTY, attached, stdin), sink, 'payload');
      return EMPTY;
    }
    if (name === 'resolve-dnsname' || name === 'nslookup') {
      const query = named('name') ?? positional(0);
      if (query) this.reachSink(query.value, this.recorder.sink('dns', `a DNS lookup with \`${nameNode.text}\``, node.startIndex, node.endIndex), 'dns');
      return EMPTY;
    }
    // `Invoke-Command -ComputerName h -ArgumentList $k { … $using:t … }`: the arguments and the
    // `$using:` variables are serialised to the remote computer. The block itself runs there.
    if (name === 'invoke-command' || name === 'icm') {
      const remote = named('computername', 'cn', 'hostname', 'session', 'connectionuri', 'uri', 'vmname');
      if (remote) {
        const written = remote.value.text?.split(',')[0]?.trim().replace(/^["']|["']$/g, '');
        const host = hostInText(written) ?? (written ? hostInText(`https://${written}`) : undefined);
        const sink = this.recorder.sink('network', `\`${nameNode.text}\` on ${host ?? 'a remote computer'}`, node.startIndex, node.endIndex, host);
        const used = findAll(node, new Set(['variable']), 200).filter((variable) => /^\$\{?using:/i.test(variable.text)).map((variable) => this.variable(variable));
        this.reachSink(union(named('argumentlist', 'args')?.value ?? EMPTY, stdin, ...used), sink, 'payload');
      }
      return EMPTY;
    }
    if (EXPRESSION_CMDLETS.has(name)) {
      this.runsText(node, `\`${nameNode.text}\``, withInput(named('command')?.value ?? positional(0)?.value ?? EMPTY, stdin));
      return EMPTY;
    }
    if (PASS_THROUGH.has(name)) return elements.reduce((value, element) => withInput(element.value, value), stdin);
    if (name === 'start-bitstransfer' && /^upload$/i.test(named('transfertype')?.value.text ?? '')) {
      const source = named('source') ?? positional(0);
      const destination = named('destination') ?? positional(1);
      const host = hostInText(destination?.value.text);
      const sink = this.recorder.sink('network', `a BITS upload to ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host);
      if (source) this.reachSink(union(source.value, this.recorder.readFile(source.value.text, source.node.startIndex, source.node.endIndex)), sink, 'payload');
      return EMPTY;
    }
    if (name === 'new-object') {
      const type = (named('typename') ?? positional(0))?.value.text ?? '';
      const args = (named('argumentlist') ?? positional(1))?.value ?? EMPTY;
      return this.constructed(type, [args]);
    }
    // A native program (`netsh wlan show profile … key=clear`, `security find-generic-password -w`)
    // prints what the shell readers know it prints.
    if (name.includes('-') || name === 'set') return EMPTY;
    const source = shellCommandSource([name, ...elements.map((element) => (element.parameter !== undefined ? `-${element.parameter}` : (element.value.text ?? element.node.text)))]);
    return source ? this.sourced(source, node) : EMPTY;
  }

  /** The command's parameters and arguments, in order, each argument evaluated. */
  private elements(node: Node, depth: number): Element[] {
    const list = node.namedChildren.find((child) => child?.type === 'command_elements');
    const elements: Element[] = [];
    if (!list) return elements;
    for (const child of list.namedChildren) {
      if (!child || child.type === 'command_argument_sep' || child.type === 'comment') continue;
      if (elements.length >= 64 || !this.budget.tick()) break;
      if (child.type === 'command_parameter') {
        const parameter = /^-+([^:]*)/.exec(child.text)?.[1]?.toLowerCase() ?? '';
        elements.push({ parameter, node: child, value: EMPTY });
        // `-Uri:$url`: the value is inside the parameter.
        const attached = child.namedChildren.find((inner) => inner !== null && inner.type !== 'command_parameter');
        if (attached) elements.push({ node: attached, value: this.argument(attached, depth + 1) });
        continue;
      }
      elements.push({ node: child, value: this.argument(child, depth + 1) });
    }
    return elements;
  }

  /**
   * A native program's words as it receives them: the program, then each run of pieces between
   * blanks as one word, since the grammar splits a native flag's value at `=`, `:` or `@-`
   * (`--url=https://…` is a parameter, an error and a token).
   */
  private nativeWords(node: Node, nameNode: Node, program: string, depth: number): { node: Node; value: AbstractValue }[] {
    const words: { node: Node; value: AbstractValue }[] = [{ node: nameNode, value: textValue(program) }];
    const list = node.namedChildren.find((child) => child?.type === 'command_elements');
    if (!list) return words;
    let run: Node[] = [];
    const endRun = (): void => {
      const first = run[0];
      const last = run[run.length - 1];
      if (!first || !last) return;
      // An error may hold a quoted value (`--post-data="k=$k"`): its variables are still read.
      const pieces = run.filter((piece) => piece.type !== 'command_parameter' && piece.type !== 'command_argument_sep').map((piece) => ({ piece, value: piece.type === 'ERROR' ? this.bareWord(piece) : this.argument(piece, depth + 1) }));
      const single = run.length === 1 && first.type !== 'ERROR' ? pieces[0]?.value : undefined;
      if (single) words.push({ node: first, value: single });
      else {
        // An error may swallow the blank between two words (`-d @- https://…`).
        const start = first.startIndex - list.startIndex;
        for (const word of list.text.slice(start, last.endIndex - list.startIndex).matchAll(/\S+/g)) {
          const from = list.startIndex + start + word.index;
          const to = from + word[0].length;
          const within = pieces.filter(({ piece }) => piece.startIndex < to && piece.endIndex > from).map(({ value }) => value);
          words.push({ node: first, value: withText(union(...within), word[0]) });
        }
      }
      run = [];
    };
    for (const child of list.namedChildren) {
      if (!child || child.type === 'comment') continue;
      // The grammar also reads `:` in `--url=https://…` as a separator.
      if (child.type === 'command_argument_sep' && child.text.trim() === '') endRun();
      else if (words.length + run.length < 64 && this.budget.tick()) run.push(child);
    }
    endRun();
    return words;
  }

  /** A command argument: a bare word is its own text (a path, a URL), anything else an expression. */
  private argument(node: Node, depth: number): AbstractValue {
    const word = node.type === 'redirected_file_name' ? node.namedChildren.find((child) => child !== null && child.type !== 'command_argument_sep') : node;
    const inner = unwrap(word ?? node);
    if (inner.type === 'generic_token' || inner.type === 'redirected_file_name') return textValue(inner.text.trim());
    // `$env:TEMP\s.zip` is one word to PowerShell (a variable and the text after it); the grammar
    // reads the part after the backslash as an error.
    if (inner.type !== 'variable' && BARE_WORD_WITH_VARIABLE.test(inner.text) && (inner.hasError || /[\\/]/.test(inner.text))) return this.bareWord(inner);
    return this.evaluate(inner, depth);
  }

  /** A bare command word that starts with a variable: the variables' values with the text between them. */
  private bareWord(node: Node): AbstractValue {
    const parts: StringPart[] = [];
    let at = 0;
    for (const match of node.text.matchAll(VARIABLE_IN_WORD)) {
      if (match.index > at) parts.push({ literal: node.text.slice(at, match.index) });
      parts.push({ value: this.variableNamed(variableName(match[0]), node) });
      at = match.index + match[0].length;
    }
    if (at < node.text.length) parts.push({ literal: node.text.slice(at) });
    return foldString(parts);
  }

  /** `Invoke-RestMethod`, `Invoke-WebRequest` and their aliases: the address, body, file and headers are sent. */
  private webRequest(node: Node, args: Arguments, written: string, stdin: AbstractValue): AbstractValue {
    const url = args.named('uri', 'url') ?? args.positional[0];
    const host = hostInText(url?.value.text);
    const sink = this.recorder.sink('network', `\`${written}\` to ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host);
    if (url) this.reachSink(url.value, sink, 'url');
    // The body may come down the pipeline (`Get-Content k | Invoke-RestMethod …`).
    const body = args.named('body')?.value ?? stdin;
    this.reachSink(body, sink, 'payload');
    const file = args.named('infile');
    if (file) this.reachSink(union(file.value, this.recorder.readFile(file.value.text, file.node.startIndex, file.node.endIndex)), sink, 'payload');
    const headers = args.named('headers');
    if (headers) this.reachSink(asCredential(headers.value), sink, 'header');
    const downloaded = this.downloaded(node, url?.value.text);
    const outFile = args.named('outfile');
    if (outFile) {
      this.recorder.writeFile(outFile.value.text, downloaded, node.startIndex, node.endIndex);
      return EMPTY;
    }
    return downloaded;
  }

  /** What a request answers: the workload's credentials from the metadata service, or downloaded data. */
  private downloaded(node: Node, url: string | undefined): AbstractValue {
    const metadata = workloadCredentialSource(url);
    if (metadata) return this.sourced(metadata, node);
    return this.sourced({ category: 'download', description: 'data downloaded from the network' }, node);
  }

  private sourced(source: Parameters<Recorder['label']>[0] | undefined, node: Node): AbstractValue {
    return source ? { labels: [this.recorder.label(source, node.startIndex, node.endIndex)], params: 0 } : EMPTY;
  }



  /** Code given as text to be run: followed to its executor, and its text scanned again as PowerShell. */
  private runsText(node: Node, description: string, code: AbstractValue): void {
    this.executorReach(node, description, code, this.statementRange);
    this.recorder.programText(code, node.startIndex, node.endIndex, 'command.ps1');
  }
}

/** The folded text of a socket or a web request object, with the host it reaches. */
const CHANNEL_TEXT = /^(socket|request):([\w.-]*)$/;

/** A command word that starts with a variable and holds no spaces or quotes (`$env:TEMP\s.zip`). */
const BARE_WORD_WITH_VARIABLE = /^\$(?:\{[^}]{1,100}\}|[A-Za-z_]\w{0,100}(?::[A-Za-z_]\w{0,100})?)[^\s"'`]{1,400}$/;
const VARIABLE_IN_WORD = /\$(?:\{[^}]{1,100}\}|[A-Za-z_]\w{0,100}(?::[A-Za-z_]\w{0,100})?)/g;

/** A value and the pipeline's input: the value alone, text and all, when there is no input. */
function withInput(value: AbstractValue, input: AbstractValue): AbstractValue {
  if (isNothing(input)) return value;
  return isNothing(value) ? input : union(value, input);
}

function isNothing(value: AbstractValue): boolean {
  return value.labels.length === 0 && value.params === 0 && value.text === undefined;
}

/**
 * `curl.exe` and `wget.exe` are the programs; plain `curl` and `wget` are `Invoke-WebRequest` in
 * Windows PowerShell and the programs elsewhere, so they are read as the programs when written
 * with a program's flags (`--data`, `-d`) rather than the cmdlet's (`-Uri`, `-Body`).
 */
function nativeTransferProgram(invoked: string, command: Node): 'curl' | 'wget' | undefined {
  const match = /^(?:.*[\\/])?(curl|wget)(\.exe)?$/i.exec(invoked);
  const program = match?.[1]?.toLowerCase();
  if (program !== 'curl' && program !== 'wget') return undefined;
  if (match?.[2]) return program;
  const list = command.namedChildren.find((child) => child?.type === 'command_elements');
  const programFlag = list?.namedChildren.some((child) => child?.type === 'command_parameter' && /^(?:--\w|-[a-zA-Z]$)/.test(child.text));
  return programFlag ? program : undefined;
}

/** Descends through the grammar's one-child precedence wrappers. */
function unwrap(node: Node): Node {
  let current = node;
  for (let hops = 0; hops < 64 && WRAPPERS.has(current.type) && current.namedChildCount === 1; hops++) {
    const child = current.namedChildren[0];
    if (!child) break;
    current = child;
  }
  return current;
}

/** `a + b` with strings: the parts joined. */
function isConcatenation(node: Node): boolean {
  return node.type === 'additive_expression' && node.children.some((child) => child?.type === '+');
}

/** A variable's name as PowerShell compares it: no sigil or braces, no scope (`script:`), lower-cased. */
function variableName(text: string): string {
  return text
    .replace(/^[$@]\{?|\}$/g, '')
    .replace(/^(?:script|global|local|private|using):/i, '')
    .toLowerCase();
}

/** The variable an assignment sets: the target itself, or the one whose member or element it sets. */
function assignedVariable(target: Node): Node | undefined {
  let node: Node | null = unwrap(target);
  for (let hops = 0; node && hops < 16; hops++) {
    if (node.type === 'variable') return node;
    if (node.type !== 'member_access' && node.type !== 'element_access') return undefined;
    node = node.namedChildren[0] ? unwrap(node.namedChildren[0]) : null;
  }
  return undefined;
}

function typeName(literal: Node): string {
  return literal.text
    .replace(/^\[|\]$/g, '')
    .replace(/^system\./i, '')
    .toLowerCase();
}

function argumentsOf(list: Node): Node[] {
  const expressions = list.namedChildren.find((child) => child?.type === 'argument_expression_list');
  return (expressions?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'comment');
}

/** A function's parameters, lower-cased: `function f($a, $b)` or a `param(…)` block in its body. */
function parametersOf(node: Node): string[] {
  const declared = node.namedChildren.find((child) => child?.type === 'function_parameter_declaration');
  if (declared) return parameterNames(declared);
  const body = node.namedChildren.find((child) => child?.type === 'script_block');
  const block = body?.namedChildren.find((child) => child?.type === 'param_block');
  return block ? parameterNames(block) : [];
}

function parameterNames(node: Node): string[] {
  const list = node.namedChildren.find((child) => child?.type === 'parameter_list');
  const names: string[] = [];
  for (const parameter of list?.namedChildren ?? []) {
    if (parameter?.type !== 'script_parameter') continue;
    const variable = parameter.namedChildren.find((child) => child?.type === 'variable');
    if (variable) names.push(variableName(variable.text));
  }
  return names;
}

/** A command's arguments: those given to a parameter (`-Body $x`, `-Body:$x`) by its name, the rest in order. */
class Arguments {
  private readonly byName = new Map<string, Element>();
  readonly positional: Element[] = [];

  /** `takesValue`: whether the argument after a parameter is that parameter's (else a switch's). */
  constructor(elements: readonly Element[], takesValue: (parameter: string) => boolean) {
    for (let index = 0; index < elements.length; index++) {
      const element = elements[index];
      if (!element) continue;
      if (element.parameter === undefined) {
        this.positional.push(element);
        continue;
      }
      const next = elements[index + 1];
      if (next && next.parameter === undefined && takesValue(element.parameter)) {
        if (!this.byName.has(element.parameter)) this.byName.set(element.parameter, next);
        index++;
      }
    }
  }

  /** The argument given to the first of `names` the command was given. */
  named(...names: string[]): Element | undefined {
    for (const name of names) {
      const found = this.byName.get(name);
      if (found) return found;
    }
    return undefined;
  }
}

/**
 * A call to a script's own function: each parameter gets the argument named for it (`-Data $x`),
 * or else the next positional argument. Any parameter of a function takes a value.
 */
function bindArguments(params: readonly string[], elements: readonly Element[]): AbstractValue[] {
  const args = new Arguments(elements, () => true);
  let next = 0;
  return params.map((param) => (args.named(param) ?? args.positional[next++])?.value ?? EMPTY);
}
