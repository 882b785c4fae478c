/** Creates the language client; the server runs as a separate Node process over IPC. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * A skill's SKILL.md in any letter case (`Skill.md`, `SKILL.MD`), as the server's discovery takes
 * it: an agent on a case-insensitive file system reads such a file as SKILL.md.
 */
export const SKILL_MD_PATTERN = '**/[sS][kK][iI][lL][lL].[mM][dD]';

/** Script languages a skill may bundle; the server ignores files outside a skill folder. */
const SCRIPT_LANGUAGES = ['shellscript', 'python', 'javascript', 'typescript', 'powershell', 'ruby', 'perl'];

export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // By pattern, not language id: VS Code 1.139 opens SKILL.md as `skill`, 1.100 as `markdown`.
    documentSelector: [
      // SKILL.md in any letter case, as the server's discovery takes it.
      { scheme: 'file', pattern: SKILL_MD_PATTERN },
      { scheme: 'file', pattern: '**/skills/**' },
      ...SCRIPT_LANGUAGES.map((language) => ({ scheme: 'file', language })),
    ],
    synchronize: {
      // Deletions and renames change cross-file results, so any file event may matter; the
      // server keeps only those inside a skill it knows.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*'),
    },
    diagnosticCollectionName: 'skill-sentinel',
    outputChannel,
  };
  return new LanguageClient('skillSentinel', 'Skill Sentinel', serverOptions, clientOptions);
}
