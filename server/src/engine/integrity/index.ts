// Integrity after install: lock file, drift, signatures and the suppression baseline. Plain
// functions without editor imports, shared by the CLI and the language server.
export * from './approval';
export * from './baseline';
export * from './canonical-json';
export * from './drift';
export * from './file-hashes';
export * from './lock-file';
export * from './signature';
export { programsOf, splitShellCommands } from './shell-words';
export type { ProgramWord, ShellCommand, ShellWord } from './shell-words';
