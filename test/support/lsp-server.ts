/**
 * Drives a built language server (`dist/server.js --stdio`) the way an editor does: initialize with
 * one workspace folder, then notifications; records what it publishes. Used by the speed
 * benchmark and by the server's publishing tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  ErrorCodes,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ResponseError,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';

export interface Server {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  /** Every publishDiagnostics the server sent, in order. */
  readonly published: readonly PublishDiagnosticsParams[];
  /** Resolves with the diagnostics published for `uri` at `version` (or later). */
  waitForDiagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

/** What the driven client says it supports, beyond diagnostics with related information and versions. */
export interface ClientOptions {
  /**
   * User settings of the `skillSentinel` section: the client then offers `workspace/configuration`
   * and answers the server's requests with them, as an editor with those settings would. Without
   * them it offers no configuration and the server uses its defaults.
   */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Offer `workspace/configuration` but answer every request for it with an error. */
  readonly failConfiguration?: boolean;
  /**
   * Whether the client says it takes a dynamic registration for configuration changes. It answers
   * `client/registerCapability` with "method not found" either way, as a client without a handler does.
   */
  readonly dynamicConfigurationRegistration?: boolean;
  /** Whether the client says it has workspace folders and notifies their changes, as VS Code does. */
  readonly workspaceFolders?: boolean;
}

/** Starts `serverJs` (a built `dist/server.js`) over stdio with `workspaceFolder` as its one folder. */
export async function startServer(serverJs: string, workspaceFolder: string, client: ClientOptions = {}): Promise<Server> {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  if (!child.stdout || !child.stdin) throw new Error('server has no stdio');
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters: { uri: string; version: number; resolve: (params: PublishDiagnosticsParams) => void }[] = [];
  const published: PublishDiagnosticsParams[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i] as (typeof waiters)[number];
      // A server that does not send versions: edits are sequential, so the next publish is ours.
      if (waiter.uri === params.uri && (params.version === undefined || params.version >= waiter.version)) {
        waiters.splice(i, 1);
        waiter.resolve(params);
      }
    }
  });
  // Server log lines are not part of the measurement; progress needs no answer but must not fail.
  connection.onRequest('window/workDoneProgress/create', () => null);
  const settings = client.settings;
  if (client.failConfiguration) connection.onRequest(ConfigurationRequest.type, () => new ResponseError(ErrorCodes.InternalError, 'no settings here'));
  else if (settings) connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'skillSentinel' ? settings : null)));
  connection.listen();
  const folderUri = URI.file(workspaceFolder).toString();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: path.basename(workspaceFolder) }],
    capabilities: {
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      workspace: {
        ...(client.settings || client.failConfiguration ? { configuration: true } : {}),
        ...(client.dynamicConfigurationRegistration ? { didChangeConfiguration: { dynamicRegistration: true } } : {}),
        ...(client.workspaceFolders ? { workspaceFolders: true } : {}),
      },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    child,
    connection,
    published,
    waitForDiagnostics: (uri, version) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} of ${uri} within 20 s`)), 20_000);
        waiters.push({ uri, version, resolve: (params) => (clearTimeout(timer), resolve(params)) });
      }),
    stop: async () => {
      try {
        await Promise.race([connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 2000))]);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // The server may already be gone; killing it below is enough.
      }
      connection.dispose();
      child.kill();
    },
  };
}
