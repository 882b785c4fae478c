import * as assert from 'node:assert/strict';
import { notebookCode } from '../../../server/src/engine/notebooks';

function notebook(cells: readonly { type: string; source: string | readonly string[] }[], language = 'python'): string {
  return `${JSON.stringify(
    {
      cells: cells.map((cell) => ({ cell_type: cell.type, metadata: {}, outputs: [], source: cell.source })),
      metadata: { kernelspec: { language, name: 'k' } },
      nbformat: 4,
    },
    null,
    1,
  )}\n`;
}

describe('notebookCode', () => {
  it('rebuilds the code cells as one text, each line keeping the range of its JSON string', () => {
    const text = notebook([
      { type: 'markdown', source: ['# Title\n', 'Never run `rm -rf /`.'] },
      { type: 'code', source: ['import os\n', 'key = open("~/.ssh/id_rsa").read()\n'] },
      { type: 'code', source: 'print(key)\nprint("\\"quoted\\"")' },
    ]);
    const [code, ...rest] = notebookCode('a/profile.ipynb', text);
    assert.deepEqual(rest, []);
    assert.ok(code);
    assert.equal(code.scanAs, 'notebook.py');
    assert.equal(code.text, 'import os\nkey = open("~/.ssh/id_rsa").read()\n\nprint(key)\nprint("\\"quoted\\"")\n');
    assert.equal(code.lines.length, code.text.split('\n').length);
    const origin = code.lines[1];
    assert.ok(origin);
    assert.equal(text.slice(origin.start, origin.end), JSON.stringify('key = open("~/.ssh/id_rsa").read()\n'));
    // Both lines of a single-string source point at that string.
    assert.deepEqual(code.lines[3], code.lines[4]);
  });
  it('separates shell escapes and shell cells from the kernel language, blanking magics', () => {
    const text = notebook([
      { type: 'code', source: ['!pip install pandas\n', '%matplotlib inline\n', 'import pandas as pd\n'] },
      { type: 'code', source: ['%%bash\n', 'ls data/\n', 'wc -l data/*.csv\n'] },
    ]);
    const [python, shell] = notebookCode('n.ipynb', text);
    assert.equal(python?.text.trim(), 'import pandas as pd');
    assert.equal(shell?.scanAs, 'notebook.sh');
    assert.equal(shell?.text, 'pip install pandas\nls data/\nwc -l data/*.csv');
    const wc = shell?.lines[2];
    assert.ok(wc);
    assert.equal(text.slice(wc.start, wc.end), JSON.stringify('wc -l data/*.csv\n'));
  });
  it('reads the kernel language from the metadata, and skips kernels no rule reads', () => {
    assert.equal(notebookCode('n.ipynb', notebook([{ type: 'code', source: 'fetch("https://x.example")' }], 'javascript'))[0]?.scanAs, 'notebook.js');
    assert.deepEqual(notebookCode('n.ipynb', notebook([{ type: 'code', source: 'x <- read.csv("a")' }], 'R')), []);
  });
  it('gives nothing for files that are not readable notebooks', () => {
    assert.deepEqual(notebookCode('n.json', notebook([{ type: 'code', source: 'import os' }])), []);
    assert.deepEqual(notebookCode('n.ipynb', '{"cells": [ {"cell_type": "code", "source": ['), []);
    assert.deepEqual(notebookCode('n.ipynb', '{"cells": 3}'), []);
  });
  it('still reads the cells when a second "source" key makes their places ambiguous, placing them on line 1', () => {
    const ambiguous = '{"cells": [{"cell_type": "code", "metadata": {"source": "x"},\n "source": ["import os\\n", "os.system(\\"id\\")"]}], "metadata": {}}';
    const [code] = notebookCode('n.ipynb', ambiguous);
    assert.equal(code?.text, 'import os\nos.system("id")\n');
    assert.deepEqual(code?.lines[1], { start: 0, end: ambiguous.indexOf('\n') });
  });
  it('keeps a bracket inside a source line from ending the array', () => {
    const [code] = notebookCode('n.ipynb', notebook([{ type: 'code', source: ['x = a[0]\n', 'y = [1, 2]]\n', 'z = 3'] }]));
    assert.equal(code?.text, 'x = a[0]\ny = [1, 2]]\nz = 3\n');
  });
});
