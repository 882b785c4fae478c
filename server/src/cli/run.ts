import { CLI_INTERRUPT_BUDGET_FACTOR, compileRegexesBeforeFirstRun, optimiseAfterLongerRuns, tierUpWebAssemblyOnlyInLongRuns } from '../v8-tuning';
import { main } from './main';

compileRegexesBeforeFirstRun();
tierUpWebAssemblyOnlyInLongRuns();
optimiseAfterLongerRuns(CLI_INTERRUPT_BUDGET_FACTOR);

// A reader such as `head` may close the pipe early; the rest of the report is then dropped
// quietly and the exit code still tells whether the scan found something.
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});

main(process.argv.slice(2), {
  stdout: (text) => {
    if (!stdoutClosed) process.stdout.write(text);
  },
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
