import * as assert from 'assert';
import { readDockerignore } from '../../../server/context/readDockerignore';

// Each case: the lines of a .dockerignore, a context path, whether BuildKit leaves it out.
// Expectations follow Docker's documented .dockerignore rules (quoted in `rule`).
interface Case {
  lines: string;
  path: string;
  excluded: boolean;
  rule: string;
}

const ANCHORED = 'patterns are anchored at the context root (/foo/bar and foo/bar are the same)';
const PARENT = 'a pattern that matches a directory excludes everything below it';
const GLOB = "matching uses Go's filepath.Match: * and ? never match /";
const DOUBLE = '** matches any number of directories, including zero';
const LAST = 'the last line that matches a path decides';
const CLEAN = "patterns are preprocessed with filepath.Clean and trimmed of whitespace";
const COMMENT = 'a line is a comment only when # is in column one';
const ESCAPE = 'a backslash escapes the next character';
const LITERAL = 'characters other than * ? [ ] \\ are literal';

const cases: Case[] = [
  { lines: 'foo', path: 'foo', excluded: true, rule: ANCHORED },
  { lines: 'foo', path: 'foo/bar.txt', excluded: true, rule: PARENT },
  { lines: 'foo', path: 'a/foo', excluded: false, rule: ANCHORED },
  { lines: 'foo', path: 'foobar', excluded: false, rule: ANCHORED },
  { lines: '/foo/bar', path: 'foo/bar', excluded: true, rule: ANCHORED },
  { lines: 'foo/bar', path: 'foo/bar/baz', excluded: true, rule: PARENT },
  { lines: 'foo/bar', path: 'foo', excluded: false, rule: ANCHORED },
  { lines: './foo', path: 'foo', excluded: true, rule: CLEAN },
  { lines: 'foo/', path: 'foo/x', excluded: true, rule: CLEAN },
  { lines: 'foo/../bar', path: 'bar', excluded: true, rule: CLEAN },
  { lines: 'foo/../bar', path: 'foo', excluded: false, rule: CLEAN },
  { lines: 'foo//bar', path: 'foo/bar', excluded: true, rule: CLEAN },
  { lines: '/', path: 'foo', excluded: false, rule: ANCHORED },
  { lines: '*.md', path: 'README.md', excluded: true, rule: GLOB },
  { lines: '*.md', path: 'docs/a.md', excluded: false, rule: GLOB },
  { lines: '*/temp*', path: 'somedir/temporary.txt', excluded: true, rule: GLOB },
  { lines: '*/temp*', path: 'somedir/temp', excluded: true, rule: GLOB },
  { lines: '*/temp*', path: 'somedir/temp/deep/file', excluded: true, rule: PARENT },
  { lines: '*/temp*', path: 'temp', excluded: false, rule: GLOB },
  { lines: '*/*/temp*', path: 'somedir/subdir/temporary.txt', excluded: true, rule: GLOB },
  { lines: '*/*/temp*', path: 'somedir/temp', excluded: false, rule: GLOB },
  { lines: 'temp?', path: 'tempa', excluded: true, rule: GLOB },
  { lines: 'temp?', path: 'temp', excluded: false, rule: GLOB },
  { lines: 'temp?', path: 'tempab', excluded: false, rule: GLOB },
  { lines: 'temp?', path: 'dir/tempa', excluded: false, rule: ANCHORED },
  { lines: '*', path: 'a/b/c', excluded: true, rule: PARENT },
  { lines: '*', path: '.hidden', excluded: true, rule: GLOB },
  { lines: 'a?b', path: 'a/b', excluded: false, rule: GLOB },
  { lines: 'a/*', path: 'a/b/c', excluded: true, rule: PARENT },
  { lines: '[abc].txt', path: 'b.txt', excluded: true, rule: GLOB },
  { lines: '[a-c].txt', path: 'd.txt', excluded: false, rule: GLOB },
  { lines: '[^a].txt', path: 'b.txt', excluded: true, rule: GLOB },
  { lines: '[^a].txt', path: 'a.txt', excluded: false, rule: GLOB },
  { lines: '?.txt', path: 'é.txt', excluded: true, rule: '? matches one character, not one byte' },
  { lines: '*.TXT', path: 'a.txt', excluded: false, rule: 'matching is case-sensitive' },
  { lines: '*.log', path: 'x.log/inner.txt', excluded: true, rule: PARENT },
  { lines: '.git', path: '.git/objects/ab/cd', excluded: true, rule: PARENT },
  { lines: '**/*.go', path: 'main.go', excluded: true, rule: DOUBLE },
  { lines: '**/*.go', path: 'a/b/c.go', excluded: true, rule: DOUBLE },
  { lines: '**/*.go', path: 'a/b/c.gox', excluded: false, rule: DOUBLE },
  { lines: '**', path: 'x/y', excluded: true, rule: DOUBLE },
  { lines: 'foo/**', path: 'foo/bar', excluded: true, rule: DOUBLE },
  { lines: 'foo/**', path: 'foo/a/b', excluded: true, rule: DOUBLE },
  { lines: 'foo/**', path: 'foo', excluded: false, rule: 'foo/** matches what is inside foo, not foo itself' },
  { lines: 'foo/**/bar', path: 'foo/bar', excluded: true, rule: DOUBLE },
  { lines: 'foo/**/bar', path: 'foo/x/y/bar', excluded: true, rule: DOUBLE },
  { lines: 'foo/**/bar', path: 'foo/xbar', excluded: false, rule: DOUBLE },
  { lines: '**/node_modules', path: 'a/node_modules/x/index.js', excluded: true, rule: PARENT },
  { lines: '**/node_modules', path: 'node_modules', excluded: true, rule: DOUBLE },
  { lines: '**.txt', path: 'a/b.txt', excluded: true, rule: 'a leading ** matches by suffix' },
  { lines: '**foo', path: 'barfoo', excluded: true, rule: 'a leading ** matches by suffix' },
  { lines: 'foo**', path: 'foobar', excluded: true, rule: 'a trailing ** matches by prefix' },
  { lines: 'a**b', path: 'a/x/b', excluded: true, rule: DOUBLE },
  { lines: 'a**b', path: 'ab', excluded: true, rule: DOUBLE },
  { lines: 'a**b', path: 'axb', excluded: false, rule: '** in the middle stands for whole directories' },
  { lines: '*.md\n!README.md', path: 'README.md', excluded: false, rule: LAST },
  { lines: '*.md\n!README.md', path: 'CHANGES.md', excluded: true, rule: LAST },
  { lines: '*.md\n!README.md', path: 'docs/x.md', excluded: false, rule: GLOB },
  { lines: '*.md\n!README*.md\nREADME-secret.md', path: 'README-secret.md', excluded: true, rule: LAST },
  { lines: '*.md\n!README*.md\nREADME-secret.md', path: 'README-a.md', excluded: false, rule: LAST },
  { lines: '*.md\nREADME-secret.md\n!README*.md', path: 'README-secret.md', excluded: false, rule: LAST },
  { lines: '*\n!src', path: 'src/main.go', excluded: false, rule: 'an exception for a directory re-includes what is below it' },
  { lines: '*\n!src', path: 'docs/a', excluded: true, rule: LAST },
  { lines: 'node_modules\n!node_modules/keep', path: 'node_modules/keep/a.js', excluded: false, rule: LAST },
  { lines: 'node_modules\n!node_modules/keep', path: 'node_modules/other.js', excluded: true, rule: LAST },
  { lines: '!foo', path: 'foo', excluded: false, rule: 'an exception alone excludes nothing' },
  { lines: 'foo\n!foo\nfoo', path: 'foo', excluded: true, rule: LAST },
  { lines: 'dir\n!dir/*.txt', path: 'dir/a.txt', excluded: false, rule: LAST },
  { lines: 'dir\n!dir/*.txt', path: 'dir/a.md', excluded: true, rule: LAST },
  { lines: 'a\n!a/b\na/b/c', path: 'a/b/c/d', excluded: true, rule: LAST },
  { lines: 'a\n!a/b\na/b/c', path: 'a/b/e', excluded: false, rule: LAST },
  { lines: '# comment', path: '# comment', excluded: false, rule: COMMENT },
  { lines: 'x\n#foo', path: '#foo', excluded: false, rule: COMMENT },
  { lines: ' # not a comment', path: '# not a comment', excluded: true, rule: COMMENT },
  { lines: 'foo   ', path: 'foo', excluded: true, rule: CLEAN },
  { lines: '   foo', path: 'foo', excluded: true, rule: CLEAN },
  { lines: '\tfoo\t', path: 'foo', excluded: true, rule: CLEAN },
  { lines: '*\n! foo', path: 'foo', excluded: false, rule: CLEAN },
  { lines: '*\n!/foo', path: 'foo', excluded: false, rule: ANCHORED },
  { lines: '\ufefffoo', path: 'foo', excluded: true, rule: 'a UTF-8 byte order mark is ignored' },
  { lines: 'foo\r\nbar\r\n', path: 'bar', excluded: true, rule: 'CRLF line endings are accepted' },
  { lines: '\n\nfoo\n\n', path: 'foo', excluded: true, rule: 'blank lines are ignored' },
  { lines: 'foo\\*', path: 'foo*', excluded: true, rule: ESCAPE },
  { lines: 'foo\\*', path: 'foox', excluded: false, rule: ESCAPE },
  { lines: '\\[a\\]', path: '[a]', excluded: true, rule: ESCAPE },
  { lines: 'foo\\?', path: 'foox', excluded: false, rule: ESCAPE },
  { lines: 'a.b', path: 'axb', excluded: false, rule: LITERAL },
  { lines: 'a+b', path: 'a+b', excluded: true, rule: LITERAL },
  { lines: '(x)|y', path: '(x)|y', excluded: true, rule: LITERAL },
  { lines: '(x)|y', path: 'y', excluded: false, rule: LITERAL },
  { lines: 'file$', path: 'file$', excluded: true, rule: LITERAL },
  { lines: '*.{js,ts}', path: 'a.js', excluded: false, rule: 'there is no brace expansion' },
  { lines: '*.{js,ts}', path: 'a.{js,ts}', excluded: true, rule: LITERAL },
];

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
