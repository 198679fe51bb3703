import * as assert from 'assert';
import * as fc from 'fast-check';
import { lineStartOffsets, splitSourceLines, splitSourceLinesAfterEdit, type SourceLines } from '../../../server/parser/sourceLines';

/** The lines as plain arrays, to compare. */
const plain = (lines: SourceLines) => ({ count: lines.count, starts: [...lines.starts], ends: [...lines.ends], bom: lines.bom });

/** Lines split after editing `before` into `after` (the common prefix and suffix found as the parser finds them). */
function splitAfterEdit(before: string, after: string): SourceLines {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return splitSourceLinesAfterEdit(after, splitSourceLines(before), before.length, prefix, suffix);
}

describe('sourceLines: lines split again after an edit equal lines split from scratch', () => {
  // Texts of few characters, so line feeds, carriage returns and a byte-order mark meet edits often.
  const text = fc.array(fc.constantFrom('\n', '\r', '\r\n', 'a', 'RUN x', ' ', '\uFEFF', '\\\n'), { maxLength: 30 }).map((parts) => parts.join(''));
  const edit = fc.tuple(text, fc.nat(), fc.nat(), text).map(([before, at, length, inserted]) => {
    const start = before.length === 0 ? 0 : at % (before.length + 1);
    const end = Math.min(before.length, start + (length % 6));
    return { before, after: before.slice(0, start) + inserted + before.slice(end) };
  });

  it('for any edit of any text (property)', () => {
    fc.assert(fc.property(edit, ({ before, after }) => {
      assert.deepStrictEqual(plain(splitAfterEdit(before, after)), plain(splitSourceLines(after)));
    }), { numRuns: 3000 });
  });

  it('starts lines where lineStartOffsets does (the lint reads the parse\'s lines in its place) (property)', () => {
    fc.assert(fc.property(text, (t) => {
      assert.deepStrictEqual([...splitSourceLines(t).starts], lineStartOffsets(t));
    }), { numRuns: 1000 });
  });

  it('a line break typed, a character typed, a line removed, and carriage returns meeting the edit', () => {
    const cases: [string, string][] = [
      ['FROM a\nRUN b\n', 'FROM a\n\nRUN b\n'],
      ['FROM a\nRUN b\n', 'FROM a\nRUN bc\n'],
      ['FROM a\nRUN b\nRUN c', 'FROM a\nRUN c'],
      ['FROM a\r\r\nRUN b', 'FROM a\r\nRUN b'],
      ['FROM a\r\nRUN b', 'FROM a\r\r\nRUN b'],
      ['\uFEFFFROM a', 'FROM a'],
      ['FROM a', '\uFEFFFROM a'],
      ['', '\n'],
      ['\n', ''],
    ];
    for (const [before, after] of cases) assert.deepStrictEqual(plain(splitAfterEdit(before, after)), plain(splitSourceLines(after)), JSON.stringify([before, after]));
  });
});
