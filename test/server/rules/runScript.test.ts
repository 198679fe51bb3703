import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { madeRunScript, movedRunScript, runScriptOf, type RunScript } from '../../../server/rules/shell/runScript';

function scriptOf(text: string, index: number, shell = ['/bin/sh', '-c']) {
  const syntax = parseDockerfile(text);
  return runScriptOf(syntax.instructions[index], index, shell);
}

describe('rules/shell: RUN scripts mapped to the Dockerfile', () => {
  it('maps offsets of a continued RUN back to each original line', () => {
    const text = 'FROM a\nRUN apt-get update \\\n    && apt-get install x\n';
    const s = scriptOf(text, 1);
    assert.ok(s);
    const at = s.text.indexOf('install');
    assert.deepStrictEqual(s.positionAt(at), { line: 2, character: 15 });
    assert.deepStrictEqual(s.positionAt(0), { line: 1, character: 4 });
  });
  it('runs a heredoc body as the script and maps it by lines', () => {
    const text = 'FROM a\nRUN <<EOF\necho one\n  echo two\nEOF\n';
    const s = scriptOf(text, 1);
    assert.strictEqual(s?.text, 'echo one\n  echo two\n');
    assert.deepStrictEqual(s?.positionAt(s.text.indexOf('two')), { line: 3, character: 7 });
    assert.deepStrictEqual(s?.append?.position, { line: 4, character: 0 });
  });
  it('takes the dialect from a shebang and skips non-shell heredoc programs', () => {
    assert.strictEqual(scriptOf('FROM a\nRUN <<EOF\n#!/usr/bin/env bash\necho\nEOF\n', 1)?.dialect, 'bash');
    assert.strictEqual(scriptOf('FROM a\nRUN <<EOF\n#!/usr/bin/python3\nprint(1)\nEOF\n', 1), undefined);
  });
  it('builds command line + heredocs for `cmd <<EOF` and treats the body as data unless a shell reads it', () => {
    const s = scriptOf('FROM a\nRUN cat <<EOF > /x\nhello $y\nEOF\n', 1);
    assert.strictEqual(s?.text, 'cat <<EOF > /x\nhello $y\nEOF');
    assert.strictEqual(s?.codeRegions.length, 1);
    const sh = scriptOf('FROM a\nRUN bash <<EOF\napt-get update\nEOF\n', 1);
    assert.strictEqual(sh?.codeRegions.length, 2);
    assert.ok(sh?.parsed().commands.some((c) => c.words[0]?.value === 'apt-get'));
  });
  it('is undefined for exec form and non-POSIX shells', () => {
    assert.strictEqual(scriptOf('FROM a\nRUN ["echo", "x"]\n', 1), undefined);
    assert.strictEqual(scriptOf('FROM a\nRUN Get-Item x\n', 1, ['pwsh', '-Command']), undefined);
  });
  describe('a script moved with its RUN (lines inserted or removed above it)', () => {
    const runs = [
      'RUN apt-get update \\\n    && apt-get install -y x   # done',
      'RUN <<EOF\necho one\n  echo two\nEOF',
      'RUN bash <<EOF > /log\nset -e\napt-get update\nEOF',
      '  RUN set -eux; \\\n\tcd /src && \\\n  make',
    ];
    /** Everything a moved script shows: text, dialect, regions, parse, every offset's position, ranges and where a command can be appended. */
    const shown = (s: RunScript | undefined) => s && JSON.stringify({
      text: s.text, dialect: s.dialect, codeRegions: s.codeRegions, parsed: s.parsed(), append: s.append,
      positions: Array.from({ length: s.text.length + 1 }, (_, o) => [s.positionAt(o), s.positionAt(o, 'start'), s.positionAt(o, 'end')]),
      ranges: Array.from({ length: s.text.length }, (_, o) => s.rangeAt(o, s.text.length)),
    });
    for (const run of runs) {
      it(`shows what a script made for the moved RUN shows: ${JSON.stringify(run.slice(0, 24))}`, () => {
        const at = (above: number) => scriptOf(`FROM a\n${'# line\n'.repeat(above)}${run}\n`, 1);
        const made = at(2);
        assert.ok(made);
        for (const lines of [3, -2, 0]) {
          const moved = movedRunScript(made, lines, 7);
          assert.strictEqual(moved.instructionIndex, 7);
          assert.strictEqual(shown(moved), shown(at(2 + lines)), `moved by ${lines}`);
        }
        // Moved twice: positions from the script first made, moved by the sum.
        const twice = movedRunScript(movedRunScript(made, 3, 1), -2, 1);
        assert.strictEqual(madeRunScript(twice), made);
        assert.strictEqual(shown(twice), shown(at(3)));
      });
    }
  });
});

