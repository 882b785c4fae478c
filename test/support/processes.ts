import * as fs from 'node:fs';
import * as path from 'node:path';

/** The running child processes of `pid` (Linux `/proc`), or undefined where that cannot be read. */
export function childProcessesOf(pid: number): number[] | undefined {
  const tasks = `/proc/${pid}/task`;
  try {
    return fs
      .readdirSync(tasks)
      .flatMap((task) => fs.readFileSync(path.join(tasks, task, 'children'), 'utf8').trim().split(/\s+/))
      .filter((child) => child !== '')
      .map(Number);
  } catch {
    return undefined;
  }
}
