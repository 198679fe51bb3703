import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { envEntry, parseRunOptions, parseTmpfs, parseUlimit, parseVolume, readEnvFile } from '../../../runner/run/runOptions';

describe('run options', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-runopts-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every docker run flag it supports into values', () => {
    const o = parseRunOptions(['--rm', '-it', '--name', 'web', '-e', 'A=1', '-w', '/srv', '-u', 'app:app', '--hostname', 'h1', '--entrypoint', '', '--network', 'host',
      '-v', `${dir}:/data:ro`, '--tmpfs', '/run:size=1m', '--memory', '64m', '--cpus', '1.5', '--pids-limit', '20', '--read-only', '--ulimit', 'nofile=100:200',
      'img:1', 'ls', '-la'], {});
    assert.deepStrictEqual(o, {
      image: 'img:1', rootfsDir: undefined, command: ['ls', '-la'], remove: true, detach: false, interactive: true, tty: true, readOnly: true,
      name: 'web', entrypoint: '', env: ['A=1'], workdir: '/srv', user: 'app:app', hostname: 'h1', network: 'host',
      mounts: [{ type: 'bind', source: dir, target: '/data', readOnly: true }, { type: 'tmpfs', target: '/run', options: ['size=1m'] }],
      limits: { memoryBytes: 64 * 1024 * 1024, cpus: 1.5, pids: 20 }, rlimits: [{ name: 'NOFILE', soft: 100, hard: 200 }],
    });
  });

  it('defaults to no network, and with --rootfs takes the command right away', () => {
    const o = parseRunOptions(['--rootfs', dir, 'echo', 'hi'], {});
    assert.strictEqual(o.network, 'none');
    assert.strictEqual(o.image, undefined);
    assert.strictEqual(o.rootfsDir, dir);
    assert.deepStrictEqual(o.command, ['echo', 'hi']);
  });

  it('refuses what it cannot honour, saying why', () => {
    const cases: [string[], RegExp][] = [
      [[], /run needs an image/],
      [['--network', 'bridge', 'i'], /only 'none' and 'host'/],
      [['--cpus', '0', 'i'], /--cpus 0/],
      [['--pids-limit', '-1', 'i'], /--pids-limit/],
      [['-w', 'rel', 'i'], /must be absolute/],
      [['--hostname', 'bad_name!', 'i'], /not a valid host name/],
      [['-v', 'vol:/x', 'i'], /named volumes are not supported/],
      [['-v', '/a:rel', 'i'], /must be absolute/],
      [['-v', '/a:/b:z', 'i'], /unknown option 'z'/],
      [['--tmpfs', '/t:exec=1', 'i'], /unsupported option/],
      [['--ulimit', 'files=1', 'i'], /--ulimit files=1/],
      [['-e', '=x', 'i'], /empty name/],
    ];
    for (const [args, message] of cases) assert.throws(() => parseRunOptions(args, {}), message, args.join(' '));
  });

  it('takes -e KEY from this environment, and drops it when unset', () => {
    assert.strictEqual(envEntry('A=b=c', {}), 'A=b=c');
    assert.strictEqual(envEntry('HOME', { HOME: '/h' }), 'HOME=/h');
    assert.strictEqual(envEntry('MISSING', {}), undefined);
  });

  it('reads --env-file lines, skipping comments and blanks, and points at a bad line', () => {
    const file = path.join(dir, 'env');
    fs.writeFileSync(file, '# c\n\nA=1\nB = x\n');
    assert.throws(() => readEnvFile(file, {}), new RegExp(`${file}:4: 'B = x' is not KEY=VALUE`));
    fs.writeFileSync(file, '# c\n\nA=1\r\nPASS\nGONE\n');
    assert.deepStrictEqual(readEnvFile(file, { PASS: 'p' }), ['A=1', 'PASS=p']);
  });

  it('creates a missing -v host directory and resolves relative host paths', () => {
    const m = parseVolume('./made:/m', dir);
    assert.deepStrictEqual(m, { type: 'bind', source: path.join(dir, 'made'), target: '/m', readOnly: false });
    assert.ok(fs.statSync(path.join(dir, 'made')).isDirectory());
    assert.deepStrictEqual(parseTmpfs('/t'), { type: 'tmpfs', target: '/t', options: [] });
    assert.deepStrictEqual(parseUlimit('core=unlimited'), { name: 'CORE', soft: 'unlimited', hard: 'unlimited' });
  });
});
