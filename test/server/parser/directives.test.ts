// Parser directives: where BuildKit recognises them and where it stops.
import * as assert from 'assert';
import { at, codes, only, parse } from './helpers';

describe('parser directives', () => {
  it('reads syntax, escape and check with exact ranges', () => {
    const s = parse('# syntax=docker/dockerfile:1.7\n#escape = `\n# check=skip=JSONArgsRecommended;error=true\nFROM a\n');
    assert.deepStrictEqual(s.directives.map((d) => [d.name, d.value]), [
      ['syntax', 'docker/dockerfile:1.7'],
      ['escape', '`'],
      ['check', 'skip=JSONArgsRecommended;error=true'],
    ]);
    assert.strictEqual(s.escapeChar, '`');
    assert.deepStrictEqual(at(s.directives[1].nameRange), [1, 1, 1, 7]);
    assert.deepStrictEqual(at(s.directives[1].valueRange), [1, 10, 1, 11]);
    assert.deepStrictEqual(s.comments, []);
  });

  it('is case-insensitive in the name and trims the value', () => {
    const s = parse('#  ESCAPE   =   `   \nFROM a\n');
    assert.deepStrictEqual(s.directives.map((d) => [d.name, d.value]), [['escape', '`']]);
  });

  it('stops at the first ordinary comment: an escape after a comment is just a comment', () => {
    const s = parse('# hello\n# escape=`\nFROM a\nRUN x \\\n  y\n');
    assert.deepStrictEqual(s.directives, []);
    assert.strictEqual(s.escapeChar, '\\');
    assert.strictEqual(only(s, 'RUN').args[0].value, 'x   y');
    assert.deepStrictEqual(s.comments.map((c) => c.text), ['hello', 'escape=`']);
  });

  it('stops at a blank line, an unknown directive and the first instruction', () => {
    assert.deepStrictEqual(parse('\n# escape=`\nFROM a\n').directives, []);
    assert.deepStrictEqual(parse('# foo=bar\n# escape=`\nFROM a\n').directives, []);
    assert.deepStrictEqual(parse('FROM a\n# escape=`\n').directives, []);
  });

  it('refuses a repeated directive and an invalid escape token', () => {
    assert.deepStrictEqual(codes(parse('# escape=`\n# ESCAPE=\\\nFROM a\n')), ['duplicate-directive']);
    const bad = parse('# escape=x\nFROM a\n');
    assert.deepStrictEqual(codes(bad), ['invalid-escape-token']);
    assert.strictEqual(bad.problems[0].message, "invalid escape token 'x' does not match ` or \\");
    assert.deepStrictEqual(at(bad.problems[0].range), [0, 9, 0, 10]);
    assert.strictEqual(bad.escapeChar, '\\');
  });

  it('accepts a directive after a byte-order mark', () => {
    const s = parse('\ufeff# escape=`\nFROM a\n');
    assert.strictEqual(s.escapeChar, '`');
    assert.deepStrictEqual(at(s.directives[0].range), [0, 1, 0, 11]);
  });
});
