// A bad line yields a located error and parsing goes on with the next instruction.
import * as assert from 'assert';
import { at, parse } from './helpers';

describe('error recovery', () => {
  it('keeps parsing after each bad instruction and locates every error', () => {
    const s = parse([
      'FROM alpine',
      'CMD ["a", 1]',
      'ENV NOVALUE',
      'COPY --nope=1 a b',
      'ARG =x',
      'HEALTHCHECK WAT',
      'RUN echo still parsed',
    ].join('\n'));
    assert.deepStrictEqual(s.instructions.map((i) => i.name), ['FROM', 'CMD', 'ENV', 'COPY', 'ARG', 'HEALTHCHECK', 'RUN']);
    assert.deepStrictEqual(s.problems.map((p) => [p.code, p.range.start.line]), [
      ['json-not-string-array', 1], ['missing-value', 2], ['unknown-flag', 3], ['blank-name', 4], ['healthcheck-type', 5],
    ]);
    assert.ok(s.problems.every((p) => p.severity === 'error'));
    assert.strictEqual(s.instructions[6].args[0].value, 'echo still parsed');
  });

  it('reports a line longer than BuildKit accepts and keeps going', () => {
    const s = parse(`FROM a\nLABEL x=${'a'.repeat(70000)}\nRUN ok\n`);
    assert.deepStrictEqual(s.problems.map((p) => p.code), ['line-too-long']);
    assert.deepStrictEqual(at(s.problems[0].range), [1, 0, 1, 70008]);
    assert.strictEqual(s.instructions.length, 3);
  });

  it('like BuildKit, treats a line whose quotes do not close as having no heredoc', () => {
    const s = parse('FROM a\nRUN <<"EOF\nRUN next\n');
    assert.deepStrictEqual(s.instructions.map((i) => [i.name, i.heredocs.length]), [['FROM', 0], ['RUN', 0], ['RUN', 0]]);
    assert.deepStrictEqual(s.problems, []);
  });

  it('never throws on odd input', () => {
    for (const text of ['\u0000', '\\', '`', '#', '\r\r\n', '\ufeff', 'FROM a\nRUN \\', '\uD800', 'RUN <<', 'FROM a\nCOPY <<EOF', '[', 'ONBUILD ONBUILD ONBUILD']) {
      const s = parse(text);
      assert.ok(Array.isArray(s.instructions), JSON.stringify(text));
    }
  });
});
