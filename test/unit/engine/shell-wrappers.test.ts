import * as assert from 'node:assert/strict';
import { afterWrapper, programIndex, unwrapCommand, wrapperNamed } from '../../../server/src/engine/shell-wrappers';

function programOf(command: string, stdinOnly = false): string | undefined {
  const words = command.split(/\s+/);
  return words[programIndex(words, { stdinOnly })];
}

describe('shell wrappers', () => {
  it('looks through wrappers, their options, their values and their operands', () => {
    assert.equal(programOf('sudo -u root bash -s'), 'bash');
    assert.equal(programOf('sudo -E -- bash'), 'bash');
    assert.equal(programOf('env -i PATH=/bin HOME=/tmp python3 x.py'), 'python3');
    assert.equal(programOf('timeout -s KILL 5m bash'), 'bash');
    assert.equal(programOf('nice -n 10 ionice -c 3 node x.js'), 'node');
    assert.equal(programOf('/usr/bin/timeout 60 /bin/sh'), '/bin/sh');
    assert.equal(programOf('stdbuf -o0 busybox sh'), 'sh');
    assert.equal(programOf('flock -w 5 /tmp/lock make'), 'make');
    assert.equal(programOf('taskset -c 0 chrt -f 10 perl x.pl'), 'perl');
  });

  it('leaves a command without wrappers as it is', () => {
    assert.equal(programOf('bash -s'), 'bash');
    assert.equal(programOf('timeoutx 60 bash'), 'timeoutx');
    assert.equal(programOf('./nohup bash'), './nohup');
  });

  it('stops at xargs when only wrappers that pass their input on are looked through', () => {
    assert.equal(programOf('nohup xargs -0 bash -c', true), 'xargs');
    assert.equal(programOf('nohup xargs -0 bash -c'), 'bash');
    assert.equal(programOf('xargs -I {} sh -c'), 'sh');
  });

  it('says where a wrapper ends, and that a command of wrappers alone runs nothing', () => {
    assert.equal(afterWrapper(['timeout', '60', 'bash'], 0), 2);
    assert.equal(afterWrapper(['bash', '-s'], 0), 1);
    assert.equal(programIndex(['sudo', '-u', 'root']), 3);
    assert.equal(wrapperNamed('/usr/local/bin/nohup')?.record, true);
    assert.equal(wrapperNamed('bash'), undefined);
  });

  it('unwraps command text as written, quotes included', () => {
    assert.equal(unwrapCommand('sudo -u "web user" bash -s -- --yes'), 'bash -s -- --yes');
    assert.equal(unwrapCommand("env A='1 2' sh"), 'sh');
    assert.equal(unwrapCommand('bash'), 'bash');
    assert.equal(unwrapCommand('nohup'), '');
    assert.equal(unwrapCommand('xargs -0 bash -c'), 'xargs -0 bash -c');
  });

  it('reads a chain of wrappers of any length, and an unclosed quote in one pass', () => {
    assert.equal(unwrapCommand(`${'nohup '.repeat(500)}bash`), 'bash');
    const unclosed = `sudo bash -c "${'x '.repeat(200_000)}`;
    const started = Date.now();
    assert.ok(unwrapCommand(unclosed).startsWith('bash -c "x'));
    assert.ok(Date.now() - started < 2000);
  });
});
