import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuildError } from '../../../runner/build/buildError';
import { containerIdsFor } from '../../../runner/build/containerIds';
import { LayerStaging } from '../../../runner/build/layerStaging';
import { LayerUnion } from '../../../runner/build/layerUnion';

describe('LayerStaging (COPY destinations)', () => {
  let work: string;
  let lower: string;
  let staging: LayerStaging;
  const meta = { mode: 0o644, owner: { uid: 7, gid: 8 }, mtime: 1_000_000 };

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-staging-'));
    lower = path.join(work, 'lower');
    fs.mkdirSync(path.join(lower, 'usr/bin'), { recursive: true });
    fs.chmodSync(path.join(lower, 'usr'), 0o711);
    fs.symlinkSync('usr/bin', path.join(lower, 'bin'));
    fs.symlinkSync('../../../../../../../tmp/outside', path.join(lower, 'escape'));
    fs.symlinkSync('/etc', path.join(lower, 'abs'));
    fs.writeFileSync(path.join(lower, 'file'), 'x');
    fs.mkdirSync(path.join(work, 'stage'));
    staging = new LayerStaging(path.join(work, 'stage'), new LayerUnion([lower]), containerIdsFor({ mode: 'root', hostUid: 0, hostGid: 0 }), { mode: 0o755, owner: { uid: 0, gid: 0 }, mtime: 1_000_000 });
  });

  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes through image symlinks, copying existing parents up with their metadata', () => {
    const target = staging.resolve('/bin/tool', false);
    assert.strictEqual(target, '/usr/bin/tool');
    staging.writeContent(target, 'tool', meta);
    staging.finish();
    assert.strictEqual(fs.readFileSync(path.join(work, 'stage/usr/bin/tool'), 'utf8'), 'tool');
    assert.strictEqual(fs.statSync(path.join(work, 'stage/usr')).mode & 0o7777, 0o711, 'copied-up parent keeps its mode');
    const st = fs.statSync(path.join(work, 'stage/usr/bin/tool'));
    assert.deepStrictEqual([st.uid, st.gid, st.mode & 0o777, Math.floor(st.mtimeMs / 1000)], [7, 8, 0o644, 1_000_000]);
  });

  it('keeps relative and absolute symlink targets inside the image', () => {
    assert.strictEqual(staging.resolve('/escape/x', false), '/tmp/outside/x');
    assert.strictEqual(staging.resolve('/abs/passwd', false), '/etc/passwd');
    staging.writeContent(staging.resolve('/escape/x', false), 'inside', meta);
    assert.ok(fs.existsSync(path.join(work, 'stage/tmp/outside/x')));
    assert.ok(!fs.existsSync('/tmp/outside/x'));
  });

  it('refuses to replace a directory with a file, or to create a directory over a file', () => {
    assert.throws(() => staging.writeContent('/usr', 'x', meta), BuildError);
    assert.throws(() => staging.ensureDir('/file/sub'), /a file of that name exists/);
  });

  it('knows directories of the image and of what it staged', () => {
    assert.strictEqual(staging.isDirectory('/bin'), true, 'a symlink to a directory');
    assert.strictEqual(staging.isDirectory('/file'), false);
    staging.ensureDir('/new/dir');
    assert.strictEqual(staging.isDirectory('/new/dir'), true);
    assert.strictEqual(staging.isEmpty(), false);
  });
});
