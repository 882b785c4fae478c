import { main } from './main';

// Reading the report through `head` closes the pipe early; that is not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
}).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    // main() reports its own failures; this only guards against a bug in that reporting.
    process.stderr.write(`skill-sentinel: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
