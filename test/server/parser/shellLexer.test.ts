// Word processing and variable expansion as BuildKit's shell lexer does it.
import * as assert from 'assert';
import { lookupIn, processWord } from '../../../server/parser';
import type { LexOptions } from '../../../server/parser';

const env = lookupIn({ NAME: 'world', EMPTY: '', PATH_: '/usr/local/bin/app.tar.gz', SPACED: 'a b  c', X: 'x' });
const expand = (word: string, options: LexOptions = {}) => processWord(word, env, options);
const result = (word: string, options?: LexOptions) => {
  const r = expand(word, options);
  assert.strictEqual(r.error, undefined, `${word}: ${r.error}`);
  return r.result;
};

describe('shell lexer', () => {
  it('expands $VAR and ${VAR}, leaving a lone $ alone', () => {
    assert.strictEqual(result('hello $NAME'), 'hello world');
    assert.strictEqual(result('${NAME}s'), 'worlds');
    assert.strictEqual(result('$UNSET-x'), '-x');
    assert.strictEqual(result('cost: $ 5 and $'), 'cost: $ 5 and $');
    assert.strictEqual(result('$1 $@'), ' ');
  });

  it('implements the :- - :+ + modifiers, distinguishing empty from unset', () => {
    assert.strictEqual(result('${EMPTY:-d}'), 'd');
    assert.strictEqual(result('${EMPTY-d}'), '');
    assert.strictEqual(result('${UNSET-d}'), 'd');
    assert.strictEqual(result('${NAME:+alt}'), 'alt');
    assert.strictEqual(result('${EMPTY:+alt}'), '');
    assert.strictEqual(result('${EMPTY+alt}'), 'alt');
    assert.strictEqual(result('${UNSET+alt}'), '');
    assert.strictEqual(result('${UNSET:-$NAME}'), 'world');
  });

  it('implements ?, :? as errors with the given message', () => {
    assert.match(expand('${UNSET?must be set}').error ?? '', /UNSET: must be set/);
    assert.match(expand('${EMPTY:?}').error ?? '', /EMPTY: is not allowed to be empty/);
    assert.strictEqual(result('${NAME?x}'), 'world');
  });

  it('trims prefixes and suffixes with shortest and longest matches', () => {
    assert.strictEqual(result('${PATH_#*/}'), 'usr/local/bin/app.tar.gz');
    assert.strictEqual(result('${PATH_##*/}'), 'app.tar.gz');
    assert.strictEqual(result('${PATH_%.*}'), '/usr/local/bin/app.tar');
    assert.strictEqual(result('${PATH_%%.*}'), '/usr/local/bin/app');
    assert.strictEqual(result('${PATH_#nomatch}'), '/usr/local/bin/app.tar.gz');
    assert.strictEqual(result('${PATH_%?z}'), '/usr/local/bin/app.tar.');
  });

  it('replaces the first or every match', () => {
    assert.strictEqual(result('${SPACED/ /_}'), 'a_b  c');
    assert.strictEqual(result('${SPACED// /_}'), 'a_b__c');
    assert.strictEqual(result('${PATH_/local/opt}'), '/usr/opt/bin/app.tar.gz');
  });

  it('removes quotes; single quotes stop expansion, double quotes do not', () => {
    assert.strictEqual(result(`'$NAME'`), '$NAME');
    assert.strictEqual(result('"$NAME"'), 'world');
    assert.strictEqual(result(`"it's"`), "it's");
    assert.strictEqual(result('a"b c"d'), 'ab cd');
  });

  it('handles escapes: \\$ is a literal dollar, inside double quotes only some escapes count', () => {
    assert.strictEqual(result('\\$NAME'), '$NAME');
    assert.strictEqual(result('"\\$NAME \\n \\\\ \\""'), '$NAME \\n \\ "');
    assert.strictEqual(result('a\\ b'), 'a b');
    assert.strictEqual(result('`$NAME', { escapeChar: '`' }), '$NAME');
    assert.strictEqual(result('c:\\dir', { escapeChar: '`' }), 'c:\\dir');
  });

  it('splits words after expansion, keeping quoted spaces', () => {
    assert.deepStrictEqual(expand('$SPACED "x y" z').words, ['a', 'b', 'c', 'x y', 'z']);
    assert.deepStrictEqual(expand('80/tcp  443').words, ['80/tcp', '443']);
  });

  it('keeps raw quotes and escapes and unset variables when asked', () => {
    assert.strictEqual(result('"a" \\b $UNSET ${UNSET:-x}', { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }), '"a" \\b $UNSET ${UNSET:-x}');
  });

  it('reports syntax errors instead of throwing', () => {
    for (const bad of ['${', '${}', '${:x}', '${NAME', '"unterminated', "'unterminated", '${NAME:x}', '${NAME/a}']) {
      assert.ok(expand(bad).error, bad);
    }
  });

  it('records each variable reference with offsets, modifier and whether it was set', () => {
    const r = expand('a $NAME ${UNSET:-$X} b');
    assert.deepStrictEqual(r.references.map((v) => [v.name, v.start, v.end, v.modifier, v.set]), [
      ['NAME', 2, 7, undefined, true],
      ['X', 17, 19, undefined, true],
      ['UNSET', 8, 20, ':-', false],
    ]);
    assert.deepStrictEqual([...r.unmatched], ['UNSET']);
  });
});
