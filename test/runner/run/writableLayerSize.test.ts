import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureWritableLayer } from '../../../runner/run/writableLayerSize';

describe('writable layer size', () => {
  let upper: string;
  beforeEach(() => {
    upper = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-upper-'));
  });
  afterEach(() => {
    fs.chmodSync(upper, 0o755);
    fs.rmSync(upper, { recursive: true, force: true });
  });

  it('counts the bytes of files and symlinks, a hard-linked file once, directories and whiteouts not at all', async () => {
    fs.mkdirSync(path.join(upper, 'etc/app'), { recursive: true });
    fs.writeFileSync(path.join(upper, 'etc/app/config'), 'x'.repeat(1000));
    fs.writeFileSync(path.join(upper, 'big'), Buffer.alloc(50000));
    fs.linkSync(path.join(upper, 'big'), path.join(upper, 'big-again'));
    fs.symlinkSync('/etc/app/config', path.join(upper, 'link')); // 15 bytes of target, never followed
    fs.symlinkSync('/', path.join(upper, 'root-link'));
    if (process.getuid?.() === 0) execFileSync('mknod', [path.join(upper, 'deleted'), 'c', '0', '0']); // overlay's whiteout
    assert.deepStrictEqual(await measureWritableLayer(upper), { bytes: 1000 + 50000 + '/etc/app/config'.length + 1, unreadable: 0 });
  });

  it('is zero for an empty or missing layer', async () => {
    assert.deepStrictEqual(await measureWritableLayer(upper), { bytes: 0, unreadable: 0 });
    assert.deepStrictEqual(await measureWritableLayer(path.join(upper, 'missing')), { bytes: 0, unreadable: 0 });
  });

  it('counts directories it cannot read, leaving them out of the sum', async function () {
    if (process.getuid?.() === 0) {
      // Root reads everything: check as an unprivileged user.
      fs.mkdirSync(path.join(upper, 'private'), { mode: 0o700 });
      fs.writeFileSync(path.join(upper, 'private/secret'), 'x'.repeat(10));
      fs.writeFileSync(path.join(upper, 'public'), 'y'.repeat(20));
      fs.chmodSync(upper, 0o755);
      const module = path.resolve(__dirname, '..', '..', '..', 'runner', 'run', 'writableLayerSize.js');
      const script = `require(${JSON.stringify(module)}).measureWritableLayer(${JSON.stringify(upper)}).then((r) => process.stdout.write(JSON.stringify(r)))`;
      const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
      assert.deepStrictEqual(JSON.parse(out), { bytes: 20, unreadable: 1 });
    } else {
      fs.mkdirSync(path.join(upper, 'private'), { mode: 0o000 });
      assert.deepStrictEqual(await measureWritableLayer(upper), { bytes: 0, unreadable: 1 });
    }
  });
});
