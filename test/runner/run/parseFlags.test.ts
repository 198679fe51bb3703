import * as assert from 'assert';
import { ContainerError } from '../../../runner/run/containerError';
import { parseFlags } from '../../../runner/run/parseFlags';
import { parseSize } from '../../../runner/run/parseSize';

describe('parseFlags', () => {
  const defs = { detach: { short: 'd' }, interactive: { short: 'i' }, tty: { short: 't' }, name: { value: true }, env: { short: 'e', value: true, multiple: true } };

  it('reads long, long=value, short, grouped and repeated flags', () => {
    const { flags, positionals } = parseFlags(['-dit', '--name=web', '-e', 'A=1', '-eB=2', '--env', 'C=3', 'img'], defs);
    assert.deepStrictEqual(flags, { detach: true, interactive: true, tty: true, name: 'web', env: ['A=1', 'B=2', 'C=3'] });
    assert.deepStrictEqual(positionals, ['img']);
  });

  it('stops at the first positional when asked, leaving the command its own flags', () => {
    const { flags, positionals } = parseFlags(['-d', 'img', 'ls', '-l', '--name', 'x'], defs, true);
    assert.deepStrictEqual(flags, { detach: true });
    assert.deepStrictEqual(positionals, ['img', 'ls', '-l', '--name', 'x']);
    assert.deepStrictEqual(parseFlags(['--', '-d'], defs).positionals, ['-d']);
  });

  it('refuses unknown flags, missing values and values given to switches', () => {
    const refused = (args: string[], message: RegExp) => assert.throws(() => parseFlags(args, defs), (e: unknown) => e instanceof ContainerError && e.exitCode === 2 && message.test(e.message));
    refused(['--bogus'], /unknown flag: --bogus/);
    refused(['-x'], /unknown flag: -x/);
    refused(['--name'], /--name needs a value/);
    refused(['-e'], /-e needs a value/);
    refused(['--detach=yes'], /--detach takes no value/);
  });
});

describe('parseSize', () => {
  it('reads Docker sizes in binary units', () => {
    assert.strictEqual(parseSize('1024', 'x'), 1024);
    assert.strictEqual(parseSize('512k', 'x'), 512 * 1024);
    assert.strictEqual(parseSize('64m', 'x'), 64 * 1024 * 1024);
    assert.strictEqual(parseSize('1.5G', 'x'), 1.5 * 1024 ** 3);
    assert.strictEqual(parseSize('10mb', 'x'), 10 * 1024 * 1024);
  });

  it('refuses what is not a size', () => {
    for (const bad of ['', 'lots', '-1m', '0', '12q', '1e9']) assert.throws(() => parseSize(bad, '--memory'), /--memory/);
  });
});
