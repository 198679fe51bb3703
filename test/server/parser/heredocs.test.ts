// Heredocs on RUN, COPY and ADD: markers, quoting, <<-, several per line, bodies and ranges.
import * as assert from 'assert';
import { at, codes, parse, textOf } from './helpers';

describe('heredocs', () => {
  it('reads a RUN heredoc body with exact ranges', () => {
    const text = 'FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\nRUN after\n';
    const s = parse(text);
    const [doc] = s.instructions[1].heredocs;
    assert.strictEqual(doc.name, 'EOF');
    assert.strictEqual(doc.content, 'apt-get update\napt-get install -y x\n');
    assert.strictEqual(doc.expand, true);
    assert.deepStrictEqual(at(doc.range), [1, 4, 1, 9]);
    assert.deepStrictEqual(at(doc.bodyRange), [2, 0, 3, 20]);
    assert.deepStrictEqual(at(doc.terminatorRange!), [4, 0, 4, 3]);
    assert.deepStrictEqual(at(s.instructions[1].range), [1, 0, 4, 3]);
    assert.strictEqual(s.instructions[2].args[0].value, 'after');
    assert.strictEqual(textOf(text, doc.bodyRange), 'apt-get update\napt-get install -y x');
  });

  it('disables expansion when any part of the delimiter is quoted', () => {
    const cases: [string, boolean, string][] = [['<<"EOF"', false, 'EOF'], ["<<'EOF'", false, 'EOF'], ['<<E"O"F', false, 'EOF'], ['<<EOF', true, 'EOF']];
    for (const [marker, expand, name] of cases) {
      const doc = parse(`FROM a\nRUN ${marker}\nx\n${name}\n`).instructions[1].heredocs[0];
      assert.deepStrictEqual([doc.name, doc.expand], [name, expand], marker);
    }
  });

  it('strips leading tabs from the terminator with <<- and keeps the body raw', () => {
    const doc = parse('FROM a\nRUN <<-EOF\n\techo hi\n\t\tEOF\n').instructions[1].heredocs[0];
    assert.strictEqual(doc.chomp, true);
    assert.strictEqual(doc.content, '\techo hi\n');
    assert.ok(doc.terminatorRange);
  });

  it('reads several heredocs of one line in order, and file descriptors', () => {
    const s = parse('FROM a\nRUN 3<<A cat <<B\none\nA\ntwo\nB\n');
    const docs = s.instructions[1].heredocs;
    assert.deepStrictEqual(docs.map((d) => [d.name, d.fileDescriptor, d.content]), [['A', 3, 'one\n'], ['B', 0, 'two\n']]);
    assert.strictEqual(s.instructions.length, 2);
  });

  it('supports COPY and ADD heredoc sources, and ONBUILD RUN', () => {
    const s = parse('FROM a\nCOPY <<conf /etc/x.conf\nk=v\nconf\nADD <<A /a\n1\nA\nONBUILD RUN <<E\nhi\nE\n');
    assert.deepStrictEqual(s.instructions.map((i) => i.heredocs.map((h) => h.name)), [[], ['conf'], ['A'], ['E']]);
    assert.deepStrictEqual(codes(s), []);
  });

  it('ignores << in exec form, in quotes, inside words and on other instructions', () => {
    const s = parse('FROM a\nRUN ["cat", "<<EOF"]\nRUN echo "<<EOF"\nRUN a<<EOF\nENV X=<<EOF\nRUN next\n');
    assert.ok(s.instructions.every((i) => i.heredocs.length === 0));
    assert.strictEqual(s.instructions.length, 6);
  });

  it('reports an unterminated heredoc at its marker and takes the rest of the file as body', () => {
    const s = parse('FROM a\nRUN <<EOF\necho\nRUN not-an-instruction\n');
    assert.deepStrictEqual(codes(s), ['unterminated-heredoc']);
    assert.deepStrictEqual(at(s.problems[0].range), [1, 4, 1, 9]);
    assert.strictEqual(s.instructions.length, 2);
    assert.strictEqual(s.instructions[1].heredocs[0].content, 'echo\nRUN not-an-instruction\n');
  });

  it('keeps CRLF line endings in the body, as BuildKit does', () => {
    const doc = parse('FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\n').instructions[1].heredocs[0];
    assert.strictEqual(doc.content, 'echo hi\r\n');
    assert.ok(doc.terminatorRange);
  });

  it('starts the body after the last continuation line', () => {
    const s = parse('FROM a\nRUN <<EOF \\\n  bash\nset -e\nEOF\n');
    const run = s.instructions[1];
    assert.strictEqual(run.args[0].value, '<<EOF   bash');
    assert.strictEqual(run.heredocs[0].content, 'set -e\n');
  });

  it('refuses a heredoc as COPY destination', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nCOPY x <<EOF\nbody\nEOF\n')), ['heredoc-destination']);
  });

  it('an empty body has an empty range at the terminator', () => {
    const doc = parse('FROM a\nRUN <<EOF\nEOF\n').instructions[1].heredocs[0];
    assert.strictEqual(doc.content, '');
    assert.deepStrictEqual(at(doc.bodyRange), [2, 0, 2, 0]);
  });
});
