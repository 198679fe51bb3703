import * as assert from 'assert';
import { BuildError } from '../../../runner/build/buildError';
import { parseChmod } from '../../../runner/build/chmodMode';

describe('--chmod values', () => {
  it('octal sets the whole mode', () => {
    assert.strictEqual(parseChmod('0755')(0o600, false), 0o755);
    assert.strictEqual(parseChmod('4755')(0o644, true), 0o4755);
  });

  it('symbolic changes each mode as chmod(1) does (umask ignored)', () => {
    const cases: [string, number, boolean, number][] = [
      ['u+x', 0o644, false, 0o744],
      ['u+x,g-w', 0o664, false, 0o744],
      ['go-rwx', 0o755, true, 0o700],
      ['a=r', 0o755, false, 0o444],
      ['=rw', 0o777, false, 0o666],
      ['+x', 0o600, false, 0o711],
      ['a+X', 0o644, false, 0o644],
      ['a+X', 0o744, false, 0o755],
      ['a+X', 0o700, true, 0o711],
      ['go=u', 0o640, false, 0o666],
      ['u=rwx,go=rx', 0o000, false, 0o755],
      ['u+s,o+t', 0o755, true, 0o5755],
      ['u=rw,u-w+x', 0o000, false, 0o500],
    ];
    for (const [spec, from, dir, want] of cases) {
      assert.strictEqual(parseChmod(spec)(from, dir).toString(8), want.toString(8), `${spec} on ${from.toString(8)}${dir ? ' (dir)' : ''}`);
    }
  });

  it('refuses what is neither form, naming the value', () => {
    for (const bad of ['', '8', '77777', 'u+q', 'x+u', 'u+x,', 'rwx', 'u+r+q']) {
      assert.throws(() => parseChmod(bad), (err: unknown) => err instanceof BuildError && err.message.includes(`'${bad}'`), bad);
    }
  });
});
