import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar-stream';
import { applyLayer } from '../../../runner/layers/applyLayer';
import { writeLayerTar } from '../../../runner/build/writeLayerTar';
import { encodeTarHeader } from '../../../runner/build/tarHeader';

interface Listed {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname?: string | null;
  size: number;
  pax?: Record<string, string> | null;
}

async function listTar(file: string): Promise<Listed[]> {
  const out: Listed[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      out.push({ name: h.name, type: h.type ?? '', mode: h.mode ?? 0, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000), linkname: h.linkname, size: h.size ?? 0, pax: h.pax as Record<string, string> | null });
      stream.on('end', next);
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  fs.createReadStream(file).pipe(extract);
  await done;
  return out;
}

describe('writeLayerTar', () => {
  let work: string;
  let dir: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-tar-'));
    dir = path.join(work, 'upper');
    fs.mkdirSync(path.join(dir, 'b/sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'a-b'));
    fs.writeFileSync(path.join(dir, 'b/sub/file.txt'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'a-b/x'), Buffer.alloc(700, 7));
    fs.symlinkSync('../b/sub/file.txt', path.join(dir, 'a-b/link'));
    fs.linkSync(path.join(dir, 'b/sub/file.txt'), path.join(dir, 'b/hard'));
    fs.chownSync(path.join(dir, 'a-b/x'), 1234, 5678);
    fs.chmodSync(path.join(dir, 'a-b/x'), 0o4755); // after chown, which clears setuid
  });

  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes entries in byte order, parents first, with numeric owners and no user names', async () => {
    const file = path.join(work, 'layer.tar');
    const result = await writeLayerTar(dir, file);
    const entries = await listTar(file);
    assert.deepStrictEqual(entries.map((e) => e.name), ['a-b/', 'a-b/link', 'a-b/x', 'b/', 'b/hard', 'b/sub/', 'b/sub/file.txt']);
    const x = entries.find((e) => e.name === 'a-b/x') as Listed;
    assert.deepStrictEqual([x.mode, x.uid, x.gid, x.size], [0o4755, 1234, 5678, 700]);
    assert.strictEqual(entries.find((e) => e.name === 'a-b/link')?.linkname, '../b/sub/file.txt');
    // the second name of a hard-linked file is a link entry to the first one in walk order
    assert.strictEqual(entries.find((e) => e.name === 'b/sub/file.txt')?.type, 'link');
    assert.strictEqual(entries.find((e) => e.name === 'b/sub/file.txt')?.linkname, 'b/hard');
    assert.strictEqual(result.entries, 7);
    assert.strictEqual(result.size, fs.statSync(file).size);
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    assert.strictEqual(result.diffId, `sha256:${sha}`);
    // GNU tar reads it and shows no user or group names
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    assert.match(listing, /1234\/5678/);
  });

  it('gives the same bytes for the same tree, and clamps times to SOURCE_DATE_EPOCH', async () => {
    const epoch = 1_000_000_000;
    const first = await writeLayerTar(dir, path.join(work, 'one.tar'), { sourceDateEpoch: epoch });
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'b/sub/file.txt'), later, later);
    const second = await writeLayerTar(dir, path.join(work, 'two.tar'), { sourceDateEpoch: epoch });
    assert.strictEqual(first.diffId, second.diffId);
    const entries = await listTar(path.join(work, 'two.tar'));
    assert.ok(entries.every((e) => e.mtime === epoch), 'every time clamped');
    const old = new Date(500_000_000 * 1000);
    fs.utimesSync(path.join(dir, 'a-b/x'), old, old);
    await writeLayerTar(dir, path.join(work, 'three.tar'), { sourceDateEpoch: epoch });
    const third = await listTar(path.join(work, 'three.tar'));
    assert.strictEqual(third.find((e) => e.name === 'a-b/x')?.mtime, 500_000_000, 'older times are kept');
  });

  it('turns overlay whiteouts and opaque directories into OCI whiteouts', async () => {
    fs.mkdirSync(path.join(dir, 'opq'));
    fs.writeFileSync(path.join(dir, 'opq/new'), 'x');
    execFileSync('setfattr', ['-n', 'user.overlay.opaque', '-v', 'y', path.join(dir, 'opq')]);
    execFileSync('mknod', [path.join(dir, 'b/gone'), 'c', '0', '0']);
    execFileSync('mknod', [path.join(dir, 'gone2'), 'c', '0', '0']);
    const file = path.join(work, 'layer.tar');
    await writeLayerTar(dir, file, { overlay: true });
    const names = (await listTar(file)).map((e) => e.name);
    assert.ok(names.includes('b/.wh.gone'));
    assert.ok(names.includes('.wh.gone2'));
    assert.ok(names.indexOf('opq/.wh..wh..opq') === names.indexOf('opq/') + 1, 'opaque marker right after its directory');
    assert.ok(!names.some((n) => n.includes('overlay')), 'no overlay xattrs leak into the layer');
    // applied by the store's layer code in overlay mode, the whiteouts come back as 0:0 devices
    const back = path.join(work, 'back');
    fs.mkdirSync(back);
    await applyLayer(fs.createReadStream(file), back, { whiteouts: 'overlay' });
    const st = fs.lstatSync(path.join(back, 'b/gone'));
    assert.ok(st.isCharacterDevice() && st.rdev === 0);
  });

  it('keeps user.* attributes as binary-exact PAX records and handles long names', async () => {
    const long = 'd'.repeat(90) + '/' + 'f'.repeat(120);
    fs.mkdirSync(path.join(dir, path.dirname(long)), { recursive: true });
    fs.writeFileSync(path.join(dir, long), 'long');
    execFileSync('setfattr', ['-n', 'user.blob', '-v', '0x00ff10', path.join(dir, 'b/sub/file.txt')]);
    const file = path.join(work, 'layer.tar');
    await writeLayerTar(dir, file);
    const listing = execFileSync('tar', ['--xattrs', '--xattrs-include=user.*', '-tvf', file], { encoding: 'utf8' });
    assert.match(listing, new RegExp(long));
    const out = path.join(work, 'x');
    fs.mkdirSync(out);
    execFileSync('tar', ['--xattrs', '--xattrs-include=user.*', '-xf', file, '-C', out]);
    const value = execFileSync('getfattr', ['--absolute-names', '-n', 'user.blob', '-e', 'hex', '--only-values', path.join(out, 'b/hard')]);
    assert.strictEqual(value.toString('hex'), '00ff10');
  });

  it('maps host owners to container owners and applies recorded owners', async () => {
    const file = path.join(work, 'layer.tar');
    await writeLayerTar(dir, file, {
      ids: { uid: (id) => (id === 1234 ? 1 : id), gid: (id) => (id === 5678 ? 2 : id) },
      owners: new Map([['b/sub', { uid: 42, gid: 43 }]]),
    });
    const entries = await listTar(file);
    const x = entries.find((e) => e.name === 'a-b/x') as Listed;
    assert.deepStrictEqual([x.uid, x.gid], [1, 2]);
    const sub = entries.find((e) => e.name === 'b/sub/') as Listed;
    assert.deepStrictEqual([sub.uid, sub.gid], [42, 43]);
  });

  it('hashes without writing when no file is given, and reports an empty directory', async () => {
    const empty = path.join(work, 'empty');
    fs.mkdirSync(empty);
    const result = await writeLayerTar(empty, undefined);
    assert.strictEqual(result.entries, 0);
    assert.strictEqual(result.size, 1024);
  });

  it('encodes headers that GNU tar checks (checksum, PAX length prefix)', () => {
    const header = encodeTarHeader({ name: 'x'.repeat(150), type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 });
    // PAX header, its 1-block body, then the USTAR header
    assert.strictEqual(header.length, 512 * 3);
    const body = header.subarray(512, 512 + 170).toString('latin1');
    const length = Number(body.split(' ')[0]);
    assert.strictEqual(body.slice(0, length).endsWith('\n'), true);
    assert.strictEqual(Buffer.byteLength(body.slice(0, length)), length);
  });
});
