import { strict as assert } from 'node:assert';
import { closedFrontmatterHead, parseFrontmatter } from '../../../server/src/engine/frontmatter';

describe('parseFrontmatter', () => {
  it('splits frontmatter and body and keeps exact value ranges', () => {
    const text = '---\nname: demo\ndescription: Does things.\n---\n# Body\n';
    const fm = parseFrontmatter(text);
    assert.equal(fm.present, true);
    assert.equal(fm.closed, true);
    assert.deepEqual(fm.problems, []);
    const name = fm.fields.get('name');
    assert.ok(name);
    assert.equal(text.slice(name.valueStart, name.valueEnd), 'demo');
    assert.equal(text.slice(name.keyStart, name.keyEnd), 'name');
    assert.equal(text.slice(fm.bodyStart), '# Body\n');
  });

  it('does not end at an indented --- inside a block scalar', () => {
    const fm = parseFrontmatter('---\nname: demo\ndescription: |\n  one\n  ---\n  two\n---\nbody\n');
    assert.equal(fm.fields.get('description')?.value, 'one\n---\ntwo\n');
    assert.deepEqual(fm.problems, []);
  });

  it('does not end at --- inside a line', () => {
    const fm = parseFrontmatter('---\nname: demo\ndescription: "a --- b"\n---\n');
    assert.equal(fm.fields.get('description')?.value, 'a --- b');
  });

  it('ends at the first line that is exactly ---, not at a later one', () => {
    const text = '---\nname: demo\n---\nbody\n---\nmore\n';
    const fm = parseFrontmatter(text);
    assert.equal(text.slice(fm.bodyStart), 'body\n---\nmore\n');
  });

  it('reports a BOM and still parses the fields', () => {
    const fm = parseFrontmatter('\uFEFF---\nname: demo\n---\n');
    assert.deepEqual(fm.problems.map((p) => p.kind), ['bom']);
    assert.equal(fm.fields.get('name')?.value, 'demo');
  });

  it('reports CRLF line endings and parses them', () => {
    const fm = parseFrontmatter('---\r\nname: demo\r\n---\r\nbody');
    assert.deepEqual(fm.problems.map((p) => p.kind), ['crlf']);
    assert.equal(fm.fields.get('name')?.value, 'demo');
  });

  it('reports missing, unterminated and non-mapping frontmatter', () => {
    assert.deepEqual(parseFrontmatter('# title\n').problems.map((p) => p.kind), ['missing']);
    assert.deepEqual(parseFrontmatter('---\nname: x\n').problems.map((p) => p.kind), ['unterminated']);
    assert.deepEqual(parseFrontmatter('---\n- a\n---\n').problems.map((p) => p.kind), ['not-mapping']);
    assert.deepEqual(parseFrontmatter('---\njust a string\n---\n').problems.map((p) => p.kind), ['not-mapping']);
  });

  it('does not require --- to be followed by a newline at end of file', () => {
    const fm = parseFrontmatter('---\nname: demo\n---');
    assert.equal(fm.closed, true);
    assert.equal(fm.fields.get('name')?.value, 'demo');
  });

  it('survives a YAML alias bomb without expanding it', () => {
    const lines = ['---', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('name: demo', '---', '');
    const started = Date.now();
    const fm = parseFrontmatter(lines.join('\n'));
    assert.ok(Date.now() - started < 2000);
    assert.ok(fm.problems.some((p) => p.kind === 'yaml-error'));
  });

  it('survives deeply nested flow collections', () => {
    const deep = `---\nx: ${'['.repeat(10_000)}${']'.repeat(10_000)}\nname: demo\n---\n`;
    const fm = parseFrontmatter(deep);
    assert.equal(fm.present, true);
  });

  it('applies a merge key: the merged keys are fields where the anchor spells them, and the merge is a problem', () => {
    const text = '---\nname: demo\nx-defaults: &d\n  description: From the anchor.\n  name: ignored\n<<: *d\n---\nBody\n';
    const fm = parseFrontmatter(text);
    const description = fm.fields.get('description');
    assert.ok(description);
    assert.equal(description.value, 'From the anchor.');
    assert.equal(text.slice(description.keyStart, description.keyEnd), 'description');
    assert.equal(text.slice(description.valueStart, description.valueEnd), 'From the anchor.');
    // The mapping's own key wins over the merged one, as YAML merges do.
    assert.equal(fm.fields.get('name')?.value, 'demo');
    assert.equal(fm.fields.has('<<'), false);
    const merge = fm.problems.find((problem) => problem.kind === 'merge-key');
    assert.ok(merge);
    assert.equal(text.slice(merge.start, merge.end), '<<');
    assert.match(merge.message, /`description`/);
  });

  it('reports duplicate keys', () => {
    const fm = parseFrontmatter('---\nname: a\nname: b\n---\n');
    assert.ok(fm.problems.some((p) => p.kind === 'duplicate-key'));
    assert.equal(fm.fields.get('name')?.value !== undefined, true);
  });
});

describe('closedFrontmatterHead', () => {
  it('is the text up to the body, which is all the parser reads of a closed frontmatter', () => {
    const text = '---\nname: a\ndescription: b\n---\n# Body\n';
    const head = closedFrontmatterHead(text);
    assert.equal(head, '---\nname: a\ndescription: b\n---\n');
    assert.equal(head?.length, parseFrontmatter(text).bodyStart);
    assert.equal(closedFrontmatterHead('\ufeff---\r\nname: a\r\n---\r\nBody'), '\ufeff---\r\nname: a\r\n---\r\n');
  });

  it('is undefined when there is no frontmatter or it never closes, since then the parser reads on', () => {
    assert.equal(closedFrontmatterHead('# Just a body\n'), undefined);
    assert.equal(closedFrontmatterHead('---\nname: a\n# no closing fence\n'), undefined);
  });
});
