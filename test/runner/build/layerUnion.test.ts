import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LayerUnion } from '../../../runner/build/layerUnion';
import { selectCopySources } from '../../../server/plan/size/selectCopySources';

describe('LayerUnion', () => {
  let work: string;
  let lower: string;
  let middle: string;
  let upper: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-union-'));
    [lower, middle, upper] = ['lower', 'middle', 'upper'].map((n) => path.join(work, n));
    for (const d of [lower, middle, upper]) fs.mkdirSync(d);
    // lower: /etc/passwd, /data/{a,b}, /usr/bin/tool, /bin -> usr/bin, /escape -> ../../..
    fs.mkdirSync(path.join(lower, 'etc'));
    fs.writeFileSync(path.join(lower, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n');
    fs.mkdirSync(path.join(lower, 'data'));
    fs.writeFileSync(path.join(lower, 'data/a'), 'a');
    fs.writeFileSync(path.join(lower, 'data/b'), 'b');
    fs.mkdirSync(path.join(lower, 'usr/bin'), { recursive: true });
    fs.writeFileSync(path.join(lower, 'usr/bin/tool'), 'tool');
    fs.symlinkSync('usr/bin', path.join(lower, 'bin'));
    fs.symlinkSync('../../../../../etc', path.join(lower, 'escape'));
    fs.mkdirSync(path.join(lower, 'opq'));
    fs.writeFileSync(path.join(lower, 'opq/old'), 'old');
    // middle: deletes /data/a (whiteout), adds /data/c
    fs.mkdirSync(path.join(middle, 'data'));
    execFileSync('mknod', [path.join(middle, 'data/a'), 'c', '0', '0']);
    fs.writeFileSync(path.join(middle, 'data/c'), 'c');
    // upper: /opq made opaque with a new file, /data/b replaced
    fs.mkdirSync(path.join(upper, 'opq'));
    fs.writeFileSync(path.join(upper, 'opq/new'), 'new');
    execFileSync('setfattr', ['-n', 'user.overlay.opaque', '-v', 'y', path.join(upper, 'opq')]);
    fs.mkdirSync(path.join(upper, 'data'));
    fs.writeFileSync(path.join(upper, 'data/b'), 'B2');
  });

  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('merges directories, hides whiteouts and what opaque directories cover', () => {
    const u = new LayerUnion([lower, middle, upper]);
    assert.deepStrictEqual(u.readdir('/data').sort(), ['b', 'c']);
    assert.strictEqual(u.lookup('/data/a'), undefined);
    assert.strictEqual(u.readFile('/data/b')?.toString(), 'B2');
    assert.deepStrictEqual(u.readdir('/opq'), ['new']);
    assert.strictEqual(u.lookup('/opq/old'), undefined);
  });

  it('resolves symlinks inside the view only', () => {
    const u = new LayerUnion([lower, middle, upper]);
    assert.strictEqual(u.resolve('/bin/tool'), '/usr/bin/tool');
    assert.strictEqual(u.readFile('/bin/tool')?.toString(), 'tool');
    // ../../.. stops at the root of the view: /escape/passwd is the image's /etc/passwd
    assert.strictEqual(u.resolve('/escape/passwd'), '/etc/passwd');
    assert.match(u.readFile('/escape/passwd')?.toString() ?? '', /app:x:1000/);
    assert.strictEqual(u.resolve('/bin/new/file'), '/usr/bin/new/file', 'missing components are kept');
    assert.strictEqual(u.resolve('/bin', false), '/bin');
  });

  it('serves as a FileNode tree for copy selection (COPY --from)', () => {
    const u = new LayerUnion([lower, middle, upper]);
    const selection = selectCopySources(u.node('/') as NonNullable<ReturnType<LayerUnion['node']>>, { sources: ['/data'], destination: '/out/', workdir: '/' });
    assert.deepStrictEqual(selection.entries.map((e) => e.path), ['/out', '/out/b', '/out/c']);
    const wild = selectCopySources(u.node('/') as NonNullable<ReturnType<LayerUnion['node']>>, { sources: ['/bin/t*'], destination: '/x/', workdir: '/' });
    assert.deepStrictEqual(wild.entries.map((e) => e.path), ['/x/tool']);
  });

  it('an empty view has an empty root', () => {
    const u = new LayerUnion([]);
    assert.deepStrictEqual(u.readdir('/'), []);
    assert.strictEqual(u.node('/')?.kind, 'dir');
    assert.strictEqual(u.lookup('/etc'), undefined);
  });
});
