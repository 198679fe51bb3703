import * as assert from 'assert';
import { DEFAULT_PATH, mergeEnv, processFromImage } from '../../../runner/run/imageProcess';

describe('processFromImage (Docker\'s rules for Entrypoint, Cmd, Env, WorkingDir, User)', () => {
  const image = { Entrypoint: ['/entry'], Cmd: ['--default'], Env: ['PATH=/custom', 'A=image'], WorkingDir: '/app', User: 'app' };
  const base = { command: [], env: [], tty: false, hostname: 'h' };

  it('runs Entrypoint + Cmd, with the image environment, directory and user', () => {
    const p = processFromImage(image, base);
    assert.deepStrictEqual(p.args, ['/entry', '--default']);
    assert.deepStrictEqual(p.env, ['PATH=/custom', 'HOSTNAME=h', 'A=image']);
    assert.strictEqual(p.cwd, '/app');
    assert.strictEqual(p.user, 'app');
  });

  it('replaces Cmd with the arguments, and both with --entrypoint', () => {
    assert.deepStrictEqual(processFromImage(image, { ...base, command: ['x'] }).args, ['/entry', 'x']);
    assert.deepStrictEqual(processFromImage(image, { ...base, entrypoint: '/other' }).args, ['/other']);
    assert.deepStrictEqual(processFromImage(image, { ...base, entrypoint: '', command: ['ls'] }).args, ['ls']);
  });

  it('lets -e, -w and -u override, adds TERM for a terminal and the default PATH', () => {
    const p = processFromImage({ Cmd: ['sh'] }, { ...base, env: ['A=cli', 'B=2'], workdir: '/w', user: '0', tty: true });
    assert.deepStrictEqual(p.env, [`PATH=${DEFAULT_PATH}`, 'HOSTNAME=h', 'TERM=xterm', 'A=cli', 'B=2']);
    assert.strictEqual(p.cwd, '/w');
    assert.strictEqual(p.user, '0');
    assert.strictEqual(processFromImage(undefined, { ...base, command: ['x'] }).cwd, '/');
  });

  it('refuses an image and command line with nothing to run, or a relative WorkingDir', () => {
    assert.throws(() => processFromImage({ Env: [] }, base), /no command specified/);
    assert.throws(() => processFromImage({ Cmd: ['x'], WorkingDir: 'rel' }, base), /must be absolute/);
  });

  it('merges environments by name, keeping first positions', () => {
    assert.deepStrictEqual(mergeEnv(['A=1', 'B=1'], ['B=2', 'C=3'], ['A=4']), ['A=4', 'B=2', 'C=3']);
  });
});
