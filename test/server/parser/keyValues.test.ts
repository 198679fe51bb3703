// ENV, LABEL and ARG: key=value pairs (several, quoted) and the legacy `KEY value` form.
import * as assert from 'assert';
import { at, codes, only, parse } from './helpers';

describe('key/value instructions', () => {
  it('reads several ENV pairs with quotes and escapes kept for expansion', () => {
    const env = only(parse('FROM a\nENV A=1 B="x y" C=a\\ b D=\n'), 'ENV');
    assert.deepStrictEqual(env.pairs.map((p) => [p.key.value, p.value?.value, p.hasEquals]), [
      ['A', '1', true], ['B', '"x y"', true], ['C', 'a\\ b', true], ['D', '', true],
    ]);
    assert.strictEqual(env.legacyKeyValue, undefined);
    assert.deepStrictEqual(at(env.pairs[1].key.range), [1, 8, 1, 9]);
    assert.deepStrictEqual(at(env.pairs[1].value!.range), [1, 10, 1, 15]);
  });

  it('reads the legacy form: the rest of the line is the value', () => {
    const env = only(parse('FROM a\nENV GREETING hello   big world\n'), 'ENV');
    assert.strictEqual(env.legacyKeyValue, true);
    assert.deepStrictEqual(env.pairs.map((p) => [p.key.value, p.value?.value, p.hasEquals]), [['GREETING', 'hello   big world', false]]);
  });

  it('decides the form from the first word only', () => {
    const label = only(parse('FROM a\nLABEL version 1=2\n'), 'LABEL');
    assert.deepStrictEqual(label.pairs.map((p) => [p.key.value, p.value?.value]), [['version', '1=2']]);
  });

  it('refuses a missing value, a pair without = and a blank name', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nENV ALONE\n')), ['missing-value']);
    assert.deepStrictEqual(codes(parse('FROM a\nENV A=1 B\n')), ['missing-equals']);
    assert.deepStrictEqual(codes(parse('FROM a\nLABEL =x\n')), ['blank-name']);
    assert.deepStrictEqual(codes(parse('FROM a\nENV\n')), ['missing-argument']);
  });

  it('reads ARG names with and without defaults', () => {
    const arg = only(parse('FROM a\nARG A B=2 C="x y" D=\n'), 'ARG');
    assert.deepStrictEqual(arg.pairs.map((p) => [p.key.value, p.value?.value]), [['A', undefined], ['B', '2'], ['C', '"x y"'], ['D', '']]);
    assert.deepStrictEqual(codes(parse('FROM a\nARG =1\n')), ['blank-name']);
  });

  it('keeps quoted keys as written (expansion removes the quotes later)', () => {
    const label = only(parse('FROM a\nLABEL "org.key"="v"\n'), 'LABEL');
    assert.deepStrictEqual([label.pairs[0].key.value, label.pairs[0].value?.value], ['"org.key"', '"v"']);
  });
});
