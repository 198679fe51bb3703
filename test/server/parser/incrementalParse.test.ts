// Re-parsing with the previous text and tree gives exactly what parsing from scratch gives, and
// takes unchanged instructions over as the same objects.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseDockerfile } from '../../../server/parser';
import type { DockerfileSyntax } from '../../../server/parser';
import { mutate, realisticDockerfile } from './dockerfileGenerator';

const plain = (s: DockerfileSyntax) => JSON.parse(JSON.stringify(s)) as unknown;

function check(before: string, after: string): DockerfileSyntax {
  const previous = { text: before, syntax: parseDockerfile(before) };
  const again = parseDockerfile(after, { previous });
  assert.deepStrictEqual(plain(again), plain(parseDockerfile(after)), `edit:\n--- before\n${before}\n--- after\n${after}`);
  return again;
}

describe('incremental parsing', () => {
  const base = 'FROM alpine AS a\n# about b\nRUN b \\\n  c\nENV X=1\nCOPY <<EOF /f\nbody\nEOF\nRUN d\n\nFROM scratch\nCOPY --from=a /f /f\n';

  it('matches a full parse for hand-picked edits', () => {
    const edits = [
      base.replace('RUN d', 'RUN dd'),
      base.replace('# about b', '# about bee'),
      base.replace('body', 'body two'),
      base.replace('EOF\nRUN d', 'EOX\nRUN d'),
      base.replace('  c\n', '  c \\\n'),
      base.replace('ENV X=1', 'ENV X'),
      base.replace('RUN d\n', 'RUN d\nRUN e\n'),
      base.replace('FROM scratch', 'FROM busybox'),
      base + 'RUN tail \\',
      base.replace('COPY --from=a /f /f\n', ''),
      base.replace('alpine', 'debian'),
      '# escape=`\n' + base,
    ];
    for (const after of edits) check(base, after);
    check(base + 'RUN x \\', base + 'RUN x \\\n  y');
    check('FROM a\nRUN <<EOF\nbody', 'FROM a\nRUN <<EOF\nbody\nEOF\nRUN next');
    check('FROM a\nRUN x \\\n', 'FROM a\nRUN x \\\n  y\n');
  });

  it('reuses the instructions before and after an edit within a line', () => {
    const before = realisticDockerfile(20000, 5);
    const previous = { text: before, syntax: parseDockerfile(before) };
    const at = before.indexOf('apt-get install', before.length / 2);
    const after = before.slice(0, at) + 'apt-get  install' + before.slice(at + 'apt-get install'.length);
    check(before, after);
    const again = parseDockerfile(after, { previous });
    const same = again.instructions.filter((i, n) => i === previous.syntax.instructions[n]).length;
    assert.ok(same >= again.instructions.length - 2, `${same} of ${again.instructions.length} reused`);
  });

  it('matches a full parse when lines are inserted or removed above heredocs, comments, continuations and problems', () => {
    const text = 'FROM alpine AS a\nRUN one\n# about b\nRUN b \\\n\n  # inside\n  c\nCOPY <<EOF /f\nbody\nEOF\nBOGUS x\nRUN <<-X cat\n\tx\n\tX\nENV A=1 \\\n    B=2\n\nFROM scratch\nCOPY --from=a /f /f\n';
    const at = text.indexOf('RUN one');
    const edits = [
      text.slice(0, at) + '\n' + text.slice(at),
      text.slice(0, at) + '\n\n\n' + text.slice(at),
      text.replace('RUN one\n', ''),
      text.replace('RUN one\n', 'RUN one \\\n  two\n'),
      text.replace('RUN one\n', '# new comment\nRUN one\n'),
      text.replace('\nFROM scratch', '\n\n\nFROM scratch'),
      text.replace('body\n', 'body\nmore\n'),
    ];
    for (const after of edits) {
      check(text, after);
      check(after, text);
      check(text.replace(/\n/g, '\r\n'), after.replace(/\n/g, '\r\n'));
    }
  });

  it('moves the instructions after a line inserted above them instead of parsing them again', () => {
    const before = realisticDockerfile(20000, 5) + '# last words\nRUN tail\n';
    const previous = { text: before, syntax: parseDockerfile(before) };
    const at = before.indexOf('\n', before.length / 2) + 1;
    const after = before.slice(0, at) + '\n' + before.slice(at);
    check(before, after);
    const again = parseDockerfile(after, { previous });
    const last = (s: DockerfileSyntax) => s.instructions[s.instructions.length - 1];
    assert.strictEqual(last(again).line, last(previous.syntax).line + 1);
    assert.strictEqual(last(again).precedingComments, last(previous.syntax).precedingComments, 'taken over, not parsed again');
  });

  it('matches a full parse after lines moved several times, read in between or not', () => {
    const text = 'FROM alpine AS a\nRUN one\nRUN b \\\n\n  # inside\n  c\nCOPY <<EOF /f\nbody\nEOF\nENV A=1 \\\n    B=2\n\nFROM scratch\nCOPY --from=a /f /f\n';
    const at = text.indexOf('RUN b');
    const versions = [text, text.slice(0, at) + '\n\n' + text.slice(at), text.slice(0, at) + '\n' + text.slice(at), text.replace('RUN one\n', '')];
    for (const readFirst of [true, false]) {
      let syntax = parseDockerfile(versions[0]);
      // The planner reads every range: a moved instruction then starts from the range it had.
      if (readFirst) for (const i of syntax.instructions) void i.range;
      for (let v = 1; v < versions.length; v++) syntax = parseDockerfile(versions[v], { previous: { text: versions[v - 1], syntax } });
      const last = versions[versions.length - 1];
      assert.deepStrictEqual(plain(syntax), plain(parseDockerfile(last)), `read first: ${readFirst}`);
    }
  });

  it('matches a full parse for random edits of realistic files', () => {
    const base = realisticDockerfile(3000, 11);
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 4 }), (seed, edits) => {
      check(base, mutate(base, seed, edits));
    }), { numRuns: 300 });
  });
  it('matches a full parse for edits on both sides of the blocks the common prefix and suffix are compared in', () => {
    const before = realisticDockerfile(12000, 3);
    for (const block of [2048, 4096, 8192]) {
      for (const at of [block - 1, block, block + 1, before.length - block - 1, before.length - block, before.length - block + 1]) {
        check(before, before.slice(0, at) + 'x' + before.slice(at));
        check(before, before.slice(0, at) + before.slice(at + 1));
      }
    }
  });
});
