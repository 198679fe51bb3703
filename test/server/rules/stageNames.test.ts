import * as assert from 'assert';
import { lint, only, textAt } from './lintText';

describe('rules: stage names', () => {
  it('DuplicateStageName reports the second stage of one name (case-insensitively)', () => {
    const text = 'FROM alpine:3.20 AS build\nFROM alpine:3.20 AS BUILD\n';
    const found = only(lint(text), 'DuplicateStageName');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].message, 'Duplicate stage name "build", stage names should be unique');
    assert.strictEqual(found[0].range.start.line, 1);
    assert.strictEqual(textAt(text, found[0].range), 'BUILD');
  });
  it('DuplicateStageName is quiet for distinct names', () => {
    assert.deepStrictEqual(only(lint('FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\n'), 'DuplicateStageName'), []);
  });
  it('ReservedStageName reports scratch and context', () => {
    const found = only(lint('FROM alpine:3.20 AS scratch\nFROM alpine:3.20 AS context\n'), 'ReservedStageName');
    assert.deepStrictEqual(found.map((p) => p.message), [
      'Stage name should not use the same name as reserved stage "scratch"',
      'Stage name should not use the same name as reserved stage "context"',
    ]);
  });
  it('ReservedStageName accepts other names and FROM scratch', () => {
    assert.deepStrictEqual(only(lint('FROM scratch AS base\n'), 'ReservedStageName'), []);
  });
});
