// Logical lines: continuations with the active escape character, comments and empty lines
// inside them, CRLF, a trailing escape at end of file.
import * as assert from 'assert';
import { at, codes, only, parse, textOf } from './helpers';

describe('line continuations', () => {
  it('joins continued lines keeping the whitespace of continuation lines', () => {
    const run = only(parse('FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n'), 'RUN');
    assert.strictEqual(run.args[0].value, 'apt-get update &&     apt-get install -y curl');
    assert.deepStrictEqual(at(run.range), [1, 0, 2, 27]);
    assert.deepStrictEqual(at(run.args[0].range), [1, 4, 2, 27]);
  });

  it('drops comment lines inside a continuation and keeps going', () => {
    const text = 'FROM a\nRUN one \\\n  # not a comment of the shell\n  two\n';
    const s = parse(text);
    assert.strictEqual(only(s, 'RUN').args[0].value, 'one   two');
    assert.deepStrictEqual(s.comments.map((c) => c.text), ['not a comment of the shell']);
    assert.deepStrictEqual(at(only(s, 'RUN').range), [1, 0, 3, 5]);
  });

  it('warns about empty continuation lines (NoEmptyContinuation) and still joins', () => {
    const s = parse('FROM a\nEXPOSE \\\n\n   \n80\n');
    assert.deepStrictEqual(only(s, 'EXPOSE').args.map((a) => a.value), ['80']);
    assert.deepStrictEqual(only(s, 'EXPOSE').emptyContinuationLines, [2, 3]);
    assert.deepStrictEqual(codes(s), ['NoEmptyContinuation']);
    assert.strictEqual(s.problems[0].severity, 'warning');
    assert.strictEqual(s.problems[0].range.start.line, 2);
  });

  it('does not continue after an escaped escape character', () => {
    const s = parse('FROM a\nRUN echo \\\\\nRUN next\n');
    assert.deepStrictEqual(s.instructions.map((i) => i.args[0]?.value), ['a', 'echo \\\\', 'next']);
  });

  it('continues on a line that holds only the escape character', () => {
    const s = parse('FROM a\nRUN one \\\n\\\n two\n');
    assert.strictEqual(only(s, 'RUN').args[0].value, 'one  two');
  });

  it('uses the backtick under # escape=`, leaving backslashes literal', () => {
    const s = parse('# escape=`\nFROM a\nRUN copy c:\\a c:\\b `\n  /y\n');
    assert.strictEqual(only(s, 'RUN').args[0].value, 'copy c:\\a c:\\b   /y');
  });

  it('accepts a trailing escape at the end of the file', () => {
    const s = parse('FROM a\nRUN echo x \\');
    assert.deepStrictEqual(codes(s), []);
    assert.strictEqual(only(s, 'RUN').args[0].value, 'echo x');
  });

  it('handles CRLF line endings and trailing blanks after the escape', () => {
    const text = 'FROM a\r\nRUN a \\  \r\n  b\r\n';
    const run = only(parse(text), 'RUN');
    assert.strictEqual(run.args[0].value, 'a   b');
    assert.deepStrictEqual(at(run.range), [1, 0, 2, 3]);
  });

  it('maps every word of a continued instruction back to its original place', () => {
    const text = 'FROM a\nENV A=1 \\\n    B=2 \\\n    C=3\n';
    const env = only(parse(text), 'ENV');
    assert.deepStrictEqual(env.pairs.map((p) => textOf(text, p.range)), ['A=1', 'B=2', 'C=3']);
    assert.deepStrictEqual(at(env.pairs[2].value!.range), [3, 6, 3, 7]);
  });

  it('does not treat a # after an instruction as a comment', () => {
    const s = parse('FROM a\nRUN echo hi # still shell\n');
    assert.strictEqual(only(s, 'RUN').args[0].value, 'echo hi # still shell');
    assert.deepStrictEqual(s.comments, []);
  });

  it('counts UTF-16 characters in ranges', () => {
    const text = 'FROM a\nLABEL x="😀" y=z\n';
    const label = only(parse(text), 'LABEL');
    assert.deepStrictEqual(at(label.pairs[1].range), [1, 13, 1, 16]);
    assert.strictEqual(textOf(text, label.pairs[1].range), 'y=z');
  });

  it('keeps preceding comments for an instruction and resets them at a bare #', () => {
    const s = parse('FROM a\n# about b\n# more\nRUN b\n# gone\n#\nRUN c\n');
    assert.deepStrictEqual(s.instructions[1].precedingComments, ['about b', 'more']);
    assert.deepStrictEqual(s.instructions[2].precedingComments, []);
  });
  it('maps every continued instruction of a long file to its own lines (segments span several store chunks)', () => {
    // 3,000 instructions of three lines each: their segments fill many of the parser's typed-array chunks.
    const lines = ['FROM a'];
    for (let i = 0; i < 3000; i++) lines.push(`RUN step${i} \\`, `  # note ${i}`, `    && done${i}`);
    const text = lines.join('\n') + '\n';
    const runs = parse(text).instructions.filter((i) => i.name === 'RUN');
    assert.strictEqual(runs.length, 3000);
    for (let i = 0; i < runs.length; i += 1) {
      const first = 1 + i * 3;
      assert.deepStrictEqual(runs[i].segments.map((s) => s.line), [first, first + 2], `instruction ${i}`);
      assert.deepStrictEqual(at(runs[i].range), [first, 0, first + 2, `    && done${i}`.length]);
      assert.strictEqual(textOf(text, runs[i].args[0].range), `step${i} \\\n  # note ${i}\n    && done${i}`);
    }
  });
});
