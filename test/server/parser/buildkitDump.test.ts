// `layerlens parse --format buildkit` must print what BuildKit's parser tests expect.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { dumpBuildkit, goQuote, parseDockerfile } from '../../../server/parser';
import { dockerfileFixtures } from './fixturePaths';

describe('BuildKit s-expression dump', () => {
  const dir = path.join(dockerfileFixtures, 'buildkit');
  for (const name of fs.readdirSync(dir).sort()) {
    it(`matches the expected result for ${name}`, () => {
      const text = fs.readFileSync(path.join(dir, name, 'Dockerfile'), 'utf8');
      const expected = fs.readFileSync(path.join(dir, name, 'result'), 'utf8');
      const syntax = parseDockerfile(text);
      assert.deepStrictEqual(syntax.problems.filter((p) => p.severity === 'error'), []);
      assert.strictEqual(dumpBuildkit(syntax), expected);
    });
  }

  for (const name of fs.readdirSync(path.join(dockerfileFixtures, 'negative')).sort()) {
    it(`reports an error for negative/${name}`, () => {
      const text = fs.readFileSync(path.join(dockerfileFixtures, 'negative', name, 'Dockerfile'), 'utf8');
      const errors = parseDockerfile(text).problems.filter((p) => p.severity === 'error');
      assert.ok(errors.length > 0, `expected an error for ${name}`);
    });
  }

  it('quotes like Go strconv.Quote', () => {
    assert.strictEqual(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.strictEqual(goQuote('tab\there\nnl'), '"tab\\there\\nnl"');
    assert.strictEqual(goQuote('\x00\x1b\x7f'), '"\\x00\\x1b\\x7f"');
    assert.strictEqual(goQuote('café ☃ 😀'), '"café ☃ 😀"');
    assert.strictEqual(goQuote('\u200b'), '"\\u200b"');
  });

  it('prints an unknown instruction with one empty argument, as BuildKit ignores its arguments', () => {
    assert.strictEqual(dumpBuildkit(parseDockerfile('FROM a\nFOO bar baz\n')), '(from "a")\n(foo "")\n');
  });
});
