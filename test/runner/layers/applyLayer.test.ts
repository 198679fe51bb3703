import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { applyLayer, LayerApplyError, WhiteoutMode } from '../../../runner/layers/applyLayer';
import { buildTar, rawHeader, TarEntry } from './tarBuilder';

/** Everything under `dir` (names, types, modes, sizes, link targets, content hashes, mtimes). */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      let extra = '';
      if (st.isSymbolicLink()) extra = fs.readlinkSync(p);
      else if (st.isFile()) extra = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      out.push(`${path.relative(dir, p)} ${st.mode.toString(8)} ${st.size} ${st.nlink} ${st.mtimeMs} ${extra}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('applyLayer', () => {
  let sandbox: string;
  let root: string;
  let host: string;
  let hostBefore: string[];

  beforeEach(() => {
    sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-apply-'));
    root = path.join(sandbox, 'root');
    host = path.join(sandbox, 'host');
    fs.mkdirSync(root);
    fs.mkdirSync(path.join(host, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(host, 'secret'), 'host secret\n');
    fs.writeFileSync(path.join(host, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    fs.chmodSync(host, 0o750);
    hostBefore = snapshot(host);
  });

  afterEach(() => {
    // The host side of the sandbox must be exactly as it was, and nothing may appear next to it.
    assert.deepStrictEqual(snapshot(host), hostBefore, 'host files changed');
    assert.deepStrictEqual(fs.readdirSync(sandbox).sort(), ['host', 'root']);
    fs.rmSync(sandbox, { recursive: true, force: true });
  });

  async function apply(entries: TarEntry[] | Buffer, mode: WhiteoutMode = 'merge', into = root) {
    const tarball = Buffer.isBuffer(entries) ? entries : await buildTar(entries);
    return applyLayer(Readable.from([tarball]), into, { whiteouts: mode });
  }

  describe('hostile layers are refused or contained', () => {
    interface Case {
      name: string;
      layers: () => Promise<(TarEntry[] | Buffer)[]>;
      refused?: RegExp;
      /** For contained cases: checks on the root after applying. */
      contained?: () => void;
    }
    const exists = (p: string) => fs.existsSync(path.join(root, p));
    const cases: Case[] = [
      { name: 'path traversal with ..', layers: async () => [[{ name: '../host/pwned', content: 'x' }]], refused: /contains '\.\.'/ },
      { name: 'deep path traversal', layers: async () => [[{ name: '../../../../../../../../tmp/pwned', content: 'x' }]], refused: /'\.\.'/ },
      { name: '.. in the middle', layers: async () => [[{ name: 'a/../../host/pwned', content: 'x' }]], refused: /'\.\.'/ },
      { name: 'absolute path', layers: async () => [[{ name: `${sandbox}/host/pwned`, content: 'x' }]], contained: () => assert.ok(exists(`${sandbox}/host/pwned`)) },
      {
        name: 'absolute symlink escape, then a file through it',
        layers: async () => [[{ name: 'escape', type: 'symlink', linkname: host }, { name: 'escape/pwned', content: 'x' }]],
        contained: () => assert.strictEqual(fs.readFileSync(path.join(root, host, 'pwned'), 'utf8'), 'x'),
      },
      {
        name: 'relative symlink escape, then a file through it',
        layers: async () => [[{ name: 'a/escape', type: 'symlink', linkname: '../../../../../../host' }, { name: 'a/escape/pwned', content: 'x' }]],
        contained: () => assert.ok(exists('host/pwned')),
      },
      {
        name: 'symlink to the host root, then a nested write',
        layers: async () => [[{ name: 'up', type: 'symlink', linkname: '../..' }, { name: `up${sandbox}/host/etc/passwd`, content: 'pwned' }]],
        contained: () => assert.strictEqual(fs.readFileSync(path.join(root, sandbox, 'host/etc/passwd'), 'utf8'), 'pwned'),
      },
      {
        name: 'symlink in one layer, file through it in the next',
        layers: async () => [[{ name: 'evil', type: 'symlink', linkname: host }], [{ name: 'evil/secret', content: 'overwritten' }]],
        contained: () => assert.strictEqual(fs.readFileSync(path.join(root, host, 'secret'), 'utf8'), 'overwritten'),
      },
      {
        name: 'relative symlink in one layer, directory and file through it in the next',
        layers: async () => [[{ name: 'evil', type: 'symlink', linkname: '../host' }], [{ name: 'evil/etc', type: 'directory', mode: 0o777 }, { name: 'evil/etc/passwd', content: 'pwned' }]],
        contained: () => assert.ok(exists('host/etc/passwd')),
      },
      {
        name: 'a file entry replaces a symlink instead of writing through it',
        layers: async () => [[{ name: 'link', type: 'symlink', linkname: `${host}/secret` }], [{ name: 'link', content: 'replaced' }]],
        contained: () => assert.ok(fs.lstatSync(path.join(root, 'link')).isFile()),
      },
      {
        name: 'directory metadata is not applied through a symlink that replaced it',
        layers: async () => [[{ name: 'd', type: 'directory', mode: 0o777 }, { name: 'd', type: 'symlink', linkname: host }]],
        contained: () => assert.ok(fs.lstatSync(path.join(root, 'd')).isSymbolicLink()),
      },
      { name: 'hardlink outside with ..', layers: async () => [[{ name: 'hl', type: 'link', linkname: '../host/secret' }]], refused: /'\.\.'/ },
      { name: 'hardlink to an absolute host path', layers: async () => [[{ name: 'hl', type: 'link', linkname: `${host}/secret` }]], refused: /does not exist in this layer/ },
      {
        name: 'hardlink through a symlinked directory',
        layers: async () => [[{ name: 'd', type: 'symlink', linkname: host }, { name: 'hl', type: 'link', linkname: 'd/secret' }]],
        refused: /does not exist in this layer/,
      },
      {
        name: 'hardlink to a symlink links the symlink, not the host file',
        layers: async () => [[{ name: 'sl', type: 'symlink', linkname: `${host}/secret` }, { name: 'hl', type: 'link', linkname: 'sl' }]],
        contained: () => assert.ok(fs.lstatSync(path.join(root, 'hl')).isSymbolicLink()),
      },
      {
        name: 'overwriting a hardlinked name does not write through the link',
        layers: async () => [[{ name: 'f', content: 'original' }, { name: 'hl', type: 'link', linkname: 'f' }, { name: 'hl', content: 'new' }]],
        contained: () => assert.strictEqual(fs.readFileSync(path.join(root, 'f'), 'utf8'), 'original'),
      },
      { name: 'symlink loop', layers: async () => [[{ name: 'a', type: 'symlink', linkname: 'b' }, { name: 'b', type: 'symlink', linkname: 'a' }, { name: 'a/x', content: 'x' }]], refused: /too many levels/ },
      {
        name: 'whiteout through a symlink',
        layers: async () => [[{ name: 'w', type: 'symlink', linkname: host }], [{ name: 'w/.wh.secret', content: '' }]],
        contained: () => assert.ok(fs.lstatSync(path.join(root, 'w')).isSymbolicLink()),
      },
      { name: 'whiteout with ..', layers: async () => [[{ name: '../host/.wh.secret' }]], refused: /'\.\.'/ },
      { name: 'file under a regular file', layers: async () => [[{ name: 'f', content: 'x' }, { name: 'f/g', content: 'y' }]], refused: /not a directory/ },
      { name: 'huge pax header', layers: async () => [Buffer.concat([rawHeader('PaxHeaders/x', 'x', 5 * 1024 * 1024), Buffer.alloc(5 * 1024 * 1024 + 1024)])], refused: /Header exceeds max size/ },
      { name: 'huge GNU long name', layers: async () => [Buffer.concat([rawHeader('././@LongLink', 'L', 6 * 1024 * 1024), Buffer.alloc(6 * 1024 * 1024 + 1024)])], refused: /Header exceeds max size/ },
      { name: 'file claiming 8 GiB with a few bytes of data', layers: async () => [Buffer.concat([rawHeader('big', '0', 8 * 1024 ** 3 - 1), Buffer.alloc(4096, 1)])], refused: /layer entry #1 'big'/ },
      { name: 'garbage instead of a tarball', layers: async () => [Buffer.alloc(2048, 0x41)], refused: /not a valid layer tarball/ },
      {
        name: 'dangling absolute symlink used as a directory',
        layers: async () => [[{ name: 'sl', type: 'symlink', linkname: '/nonexistent-layerlens' }, { name: 'sl/x', content: 'x' }]],
        contained: () => assert.ok(exists('nonexistent-layerlens/x')),
      },
      {
        name: 'symlink that is a prefix of the root path',
        layers: async () => [[{ name: 'r', type: 'symlink', linkname: `${root}-sibling` }, { name: 'r/x', content: 'x' }]],
        contained: () => assert.ok(exists(`${root}-sibling/x`)),
      },
    ];

    for (const c of cases) {
      for (const mode of ['merge', 'overlay'] as const) {
        it(`${c.name} (${mode})`, async () => {
          const layers = await c.layers();
          if (c.refused) {
            // In overlay mode each layer gets its own directory; the hostile one is the last.
            await assert.rejects(async () => {
              for (const layer of layers) await apply(layer, mode);
            }, (err: unknown) => err instanceof LayerApplyError && c.refused!.test(err.message));
          } else {
            for (const layer of layers) await apply(layer, mode);
            if (mode === 'merge' || layers.length === 1) c.contained?.();
          }
          assert.ok(!fs.existsSync(path.join(sandbox, 'pwned')));
        });
      }
    }
  });

  describe('whiteouts and opaque directories', () => {
    const lower: TarEntry[] = [
      { name: 'a/', type: 'directory' },
      { name: 'a/b', content: 'b' },
      { name: 'a/c', content: 'c' },
      { name: 'd/', type: 'directory' },
      { name: 'd/e', content: 'e' },
      { name: 'd/sub/', type: 'directory' },
      { name: 'd/sub/deep', content: 'deep' },
      { name: 'gone/', type: 'directory' },
      { name: 'gone/x', content: 'x' },
    ];
    const upper: TarEntry[] = [
      { name: 'a/.wh.b', content: '' },
      { name: 'd/', type: 'directory' },
      { name: 'd/.wh..wh..opq', content: '' },
      { name: 'd/f', content: 'f' },
      { name: '.wh.gone', content: '' },
      { name: 'same', content: 'kept' },
      { name: '.wh.same', content: '' },
    ];

    it('merge mode deletes what whiteouts name and empties opaque directories', async () => {
      await apply(lower, 'merge');
      await apply(upper, 'merge');
      assert.ok(!fs.existsSync(path.join(root, 'a/b')));
      assert.strictEqual(fs.readFileSync(path.join(root, 'a/c'), 'utf8'), 'c');
      assert.deepStrictEqual(fs.readdirSync(path.join(root, 'd')), ['f']);
      assert.ok(!fs.existsSync(path.join(root, 'gone')));
      assert.strictEqual(fs.readFileSync(path.join(root, 'same'), 'utf8'), 'kept', 'a whiteout never hides its own layer');
    });

    it('overlay mode writes 0:0 character devices and opaque xattrs', async () => {
      await apply(upper, 'overlay');
      const wh = fs.lstatSync(path.join(root, 'a/b'));
      assert.ok(wh.isCharacterDevice());
      assert.strictEqual(wh.rdev, 0);
      assert.ok(fs.lstatSync(path.join(root, 'gone')).isCharacterDevice());
      assert.ok(fs.lstatSync(path.join(root, 'same')).isFile());
      const attrs = execFileSync('getfattr', ['-d', '-m', '.*overlay.*', '--absolute-names', path.join(root, 'd')], { encoding: 'utf8' });
      assert.match(attrs, /user\.overlay\.opaque="y"/);
      assert.match(attrs, /trusted\.overlay\.opaque="y"/);
    });

    it('overlay-mode layers stack as overlayfs lower dirs, as root and in a user namespace with userxattr', async function () {
      const l1 = path.join(root, 'l1');
      const l2 = path.join(root, 'l2');
      const mnt = path.join(root, 'mnt');
      for (const d of [l1, l2, mnt]) fs.mkdirSync(d);
      await applyLayer(Readable.from([await buildTar(lower)]), l1, { whiteouts: 'overlay' });
      await applyLayer(Readable.from([await buildTar(upper)]), l2, { whiteouts: 'overlay' });
      const list = (opts: string, userns: boolean): string => {
        const script = `mount -t overlay overlay -o ${opts}lowerdir=${l2}:${l1} ${mnt} && cd ${mnt} && find . | sort; cd /; umount ${mnt}`;
        const argv = userns ? ['-Urm', 'sh', '-c', script] : ['-m', 'sh', '-c', script];
        return execFileSync('unshare', argv, { encoding: 'utf8' });
      };
      const expected = ['.', './a', './a/c', './d', './d/f', './same'].join('\n') + '\n';
      assert.strictEqual(list('', false), expected);
      assert.strictEqual(list('userxattr,', true), expected);
    });

    it('device nodes are skipped when rootless, created as root', async () => {
      const dev: TarEntry[] = [{ name: 'null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 }, { name: 'p', type: 'fifo' }];
      const rootless = await applyLayer(Readable.from([await buildTar(dev)]), root, { whiteouts: 'overlay', rootless: true });
      assert.ok(!fs.existsSync(path.join(root, 'null')));
      assert.match(rootless.warnings.join('\n'), /'null': device node skipped/);
      assert.ok(fs.lstatSync(path.join(root, 'p')).isFIFO());
      await applyLayer(Readable.from([await buildTar(dev)]), root, { whiteouts: 'overlay', rootless: false });
      const st = fs.lstatSync(path.join(root, 'null'));
      assert.ok(st.isCharacterDevice());
      assert.strictEqual(st.rdev, (1 << 8) | 3);
    });

    it('keeps owners, modes, times, hardlinks and user xattrs; drops overlay xattrs from the tarball', async () => {
      await apply([
        { name: 'bin/', type: 'directory', mode: 0o555 },
        { name: 'bin/tool', content: '#!/bin/sh\n', mode: 0o4755, uid: 1234, gid: 5678, pax: { 'SCHILY.xattr.user.note': 'hi', 'SCHILY.xattr.user.overlay.redirect': '/etc' } },
        { name: 'bin/alias', type: 'link', linkname: 'bin/tool' },
      ]);
      const tool = fs.lstatSync(path.join(root, 'bin/tool'));
      assert.strictEqual(tool.mode & 0o7777, 0o4755);
      assert.strictEqual(tool.uid, 1234);
      assert.strictEqual(tool.gid, 5678);
      assert.strictEqual(tool.mtimeMs, 1_700_000_000_000);
      assert.strictEqual(tool.nlink, 2);
      assert.strictEqual(fs.lstatSync(path.join(root, 'bin')).mode & 0o7777, 0o555);
      const attrs = execFileSync('getfattr', ['-d', '-m', '-', '--absolute-names', path.join(root, 'bin/tool')], { encoding: 'utf8' });
      assert.match(attrs, /user\.note="hi"/);
      assert.doesNotMatch(attrs, /overlay/);
    });
  });
});
