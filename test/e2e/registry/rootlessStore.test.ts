// The store used by an unprivileged user (created for the test): default location under the
// user's home, layers unpacked without root (no chown, device nodes skipped, whiteouts as 0:0
// character devices, opaque directories as user.overlay.opaque), and the unpacked layers
// stacked by overlayfs with `userxattr` inside a user namespace, as a rootless container would.
import * as assert from 'assert';
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { buildTar } from '../../runner/layers/tarBuilder';
import { CLI } from './cliHelpers';
import { assertReachableByOtherUsers } from '../../fixtures/layerlensCli';

const execFileAsync = promisify(execFile);
const USER = 'llstore';

describe('rootless store (unprivileged user)', function () {
  this.timeout(120000);
  let uid: number;
  let gid: number;
  let home: string;
  let work: string;

  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // creating the user needs root; CI runs as root
    assertReachableByOtherUsers(CLI);
    try {
      execFileSync('id', ['-u', USER], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['-m', '-s', '/bin/sh', USER]);
    }
    uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }));
    home = execFileSync('sh', ['-c', `getent passwd ${USER} | cut -d: -f6`], { encoding: 'utf8' }).trim();
    fs.rmSync(path.join(home, '.local/share/layerlens'), { recursive: true, force: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-rootless-'));
    fs.chownSync(work, uid, gid);
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Runs a program as the unprivileged user with a clean environment. */
  function asUser(program: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
    return execFileAsync('setpriv', ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--',
      'env', '-i', `HOME=${home}`, 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', program, ...args], { cwd: work, maxBuffer: 16 << 20 });
  }

  it('imports, commits and unpacks as a normal user; overlay with userxattr in a user namespace shows the right tree', async () => {
    const base = path.join(work, 'base.tar');
    fs.writeFileSync(base, await buildTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/group', content: 'root:x:0:\n' },
      { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n', uid: 0 },
      { name: 'home/', type: 'directory' },
      { name: 'home/old', content: 'lower', uid: 1000, gid: 1000 },
      { name: 'dev/', type: 'directory' },
      { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'ro/', type: 'directory', mode: 0o555 },
      { name: 'ro/file', content: 'x', mode: 0o444 },
    ]));
    fs.chownSync(base, uid, gid);
    const imported = await asUser(process.execPath, [CLI, 'import', base, 'rootless/base']);
    assert.match(imported.stdout, /^sha256:[0-9a-f]{64}\n$/);
    const storeRoot = path.join(home, '.local/share/layerlens');
    const st = fs.statSync(storeRoot);
    assert.strictEqual(st.uid, uid, 'the default store is in the user\'s home and theirs');
    assert.strictEqual(st.mode & 0o777, 0o700);

    // the user's own "container changes": a whiteout (unprivileged mknod 0:0) and an opaque dir
    const upper = path.join(work, 'upper');
    await asUser('sh', ['-c', `mkdir -p ${upper}/etc ${upper}/home && mknod ${upper}/etc/group c 0 0 && setfattr -n user.overlay.opaque -v y ${upper}/home && echo new > ${upper}/home/new`]);
    const storeModule = path.resolve(__dirname, '../../../runner/store/imageStore.js');
    const script = `const { ImageStore } = require(${JSON.stringify(storeModule)});
      (async () => {
        const store = await ImageStore.open();
        const base = await store.resolveImage('rootless/base');
        const layer = await store.commitLayer({ directory: ${JSON.stringify(upper)} });
        const config = { ...base.config, rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, layer.diffId] } };
        const image = await store.writeImage({ config, layers: [...base.layers, layer], tags: ['rootless/two'] });
        process.stdout.write(JSON.stringify(await store.unpackedLayerDirs(image)));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const dirs = JSON.parse((await asUser(process.execPath, ['-e', script])).stdout) as string[];
    assert.strictEqual(dirs.length, 2);
    const [lower, top] = dirs;
    assert.ok(!fs.existsSync(path.join(lower, 'dev/null')), 'device node skipped without root');
    assert.strictEqual(fs.statSync(path.join(lower, 'home/old')).uid, uid, 'no chown without root: files belong to the user');
    assert.strictEqual(fs.statSync(path.join(lower, 'ro')).mode & 0o777, 0o555);
    const wh = fs.lstatSync(path.join(top, 'etc/group'));
    assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'whiteout recreated as a 0:0 character device');
    assert.match(execFileSync('getfattr', ['-n', 'user.overlay.opaque', '--absolute-names', path.join(top, 'home')], { encoding: 'utf8' }), /user\.overlay\.opaque="y"/);

    const mnt = path.join(work, 'mnt');
    await asUser('mkdir', [mnt]);
    const { stdout } = await asUser('unshare', ['-Urm', 'sh', '-c', `mount -t overlay overlay -o userxattr,lowerdir=${top}:${lower} ${mnt} && cd ${mnt} && find . | sort && cat home/new`]);
    assert.strictEqual(stdout, ['.', './dev', './etc', './etc/passwd', './home', './home/new', './ro', './ro/file', 'new', ''].join('\n'));

    // fsck, then removal of read-only layer directories the user owns
    await asUser(process.execPath, [CLI, 'fsck']);
    await asUser(process.execPath, [CLI, 'rmi', 'rootless/two', 'rootless/base']);
    assert.deepStrictEqual(fs.readdirSync(path.join(storeRoot, 'layers')), []);
    const fsck = await asUser(process.execPath, [CLI, 'fsck', '--json']);
    assert.strictEqual((JSON.parse(fsck.stdout) as { ok: boolean }).ok, true);
  });
});
