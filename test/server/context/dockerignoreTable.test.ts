import * as assert from 'assert';
import { readDockerignore } from '../../../server/context/readDockerignore';

import { DOCKERIGNORE_CASES as cases } from './dockerignoreCases';

describe('.dockerignore patterns (BuildKit semantics)', () => {
  it('has a table of at least 60 cases', () => assert.ok(cases.length >= 60, String(cases.length)));

  for (const c of cases) {
    it(`${JSON.stringify(c.lines)} ${c.excluded ? 'excludes' : 'keeps'} ${JSON.stringify(c.path)}: ${c.rule}`, () => {
      const file = readDockerignore(c.lines);
      assert.deepStrictEqual(file.problems, []);
      assert.ok(file.matcher);
      assert.strictEqual(file.matcher.matches(c.path), c.excluded);
    });
  }

  it('normalises lines the way ignorefile.ReadAll does', () => {
    const file = readDockerignore('test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n');
    assert.deepStrictEqual(
      file.patterns.map((p) => p.pattern),
      ['test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path'],
    );
    assert.deepStrictEqual(file.patterns[4].location, { line: 6, startColumn: 0, endColumn: 20 });
  });

  const invalid: [string, RegExp, number][] = [
    ['ok\n!', /illegal exclusion pattern/, 1],
    ['[', /syntax error in pattern/, 0],
    ['a\n  a[]b', /syntax error in pattern/, 1],
    ['a[b-]', /syntax error in pattern/, 0],
    ['x\\', /syntax error in pattern/, 0],
  ];
  for (const [text, message, line] of invalid) {
    it(`reports ${JSON.stringify(text)} as a located error, as BuildKit refuses it`, () => {
      const file = readDockerignore(text, 'ctx/.dockerignore');
      assert.strictEqual(file.matcher, undefined);
      assert.strictEqual(file.problems.length, 1);
      assert.match(file.problems[0].message, message);
      assert.strictEqual(file.problems[0].location.line, line);
      assert.strictEqual(file.problems[0].file, 'ctx/.dockerignore');
    });
  }

  it('locates an error after leading whitespace', () => {
    const file = readDockerignore('a\n  a[]b');
    assert.deepStrictEqual(file.problems[0].location, { line: 1, startColumn: 2, endColumn: 6 });
  });
});
