// Exec (JSON) form vs shell form, including the invalid-JSON cases BuildKit treats as shell form.
import * as assert from 'assert';
import { at, codes, parse } from './helpers';

describe('exec form', () => {
  it('decodes JSON arrays of strings with the range of each literal', () => {
    const s = parse('FROM a\nCMD ["echo", "a \\"b\\"", "\\u00e9"]\n');
    const cmd = s.instructions[1];
    assert.strictEqual(cmd.form, 'exec');
    assert.deepStrictEqual(cmd.args.map((a) => a.value), ['echo', 'a "b"', 'é']);
    assert.deepStrictEqual(at(cmd.args[1].range), [1, 13, 1, 22]);
  });

  it('accepts whitespace and an empty array', () => {
    const s = parse('FROM a\nENTRYPOINT [ "a" ,\t"b" ]\nCMD []\n');
    assert.deepStrictEqual(s.instructions[1].args.map((a) => a.value), ['a', 'b']);
    assert.strictEqual(s.instructions[2].form, 'exec');
    assert.deepStrictEqual(s.instructions[2].args, []);
  });

  it('treats invalid JSON silently as shell form', () => {
    for (const bad of ["['a']", '["a",]', '["a" "b"]', '[a]', '["a"] trailing', '["unterminated']) {
      const run = parse(`FROM a\nRUN ${bad}\n`).instructions[1];
      assert.strictEqual(run.form, 'shell', bad);
      assert.deepStrictEqual(run.args.map((a) => a.value), [bad]);
    }
  });

  it('refuses JSON arrays with non-string elements', () => {
    for (const bad of ['["a", 1]', '["a", null]', '[true]', '[["a"]]', '[{}]']) {
      assert.deepStrictEqual(codes(parse(`FROM a\nCMD ${bad}\n`)), ['json-not-string-array'], bad);
    }
  });

  it('splits shell-form COPY/ADD/VOLUME on blanks without honouring quotes', () => {
    const s = parse('FROM a\nCOPY "a b" c\nVOLUME /x  /y\n');
    assert.deepStrictEqual(s.instructions[1].args.map((a) => a.value), ['"a', 'b"', 'c']);
    assert.deepStrictEqual(s.instructions[2].args.map((a) => a.value), ['/x', '/y']);
  });

  it('requires JSON form for SHELL', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nSHELL /bin/bash -c\n')), ['shell-not-json']);
    assert.deepStrictEqual(codes(parse('FROM a\nSHELL ["/bin/bash", "-c"]\n')), []);
  });
});
