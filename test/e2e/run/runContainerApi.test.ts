// runContainer as the build engine will call it: a step over the image's layers with a fresh
// upper dir, output captured, cache and tmpfs mounts, and what the upper dir holds afterwards
// (new files, whiteouts, opaque directories) committed as a layer by the store.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import { ContainerError } from '../../../runner/run/containerError';
import type { ContainerSpec } from '../../../runner/run/containerSpec';
import { launchContainer, runContainer } from '../../../runner/run/runContainer';
import type { ImageStore, StoredImage } from '../../../runner/store/imageStore';
import { assertBuilt, storeWithBusybox, tempDir } from './runFixture';

async function readAll(stream: Readable | null): Promise<string> {
  let text = '';
  for await (const chunk of stream ?? []) text += String(chunk);
  return text;
}

describe('runContainer (the build engine\'s entry point)', function () {
  let work: string;
  let store: ImageStore;
  let image: StoredImage;
  let step = 0;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-runapi-');
    ({ store } = await storeWithBusybox(work));
    image = (await store.resolveImage('busybox:e2e')) as StoredImage;
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  async function stepSpec(script: string, extra: Partial<ContainerSpec> = {}): Promise<ContainerSpec> {
    const bundleDir = path.join(work, `step-${++step}`);
    for (const d of ['upper', 'work']) fs.mkdirSync(path.join(bundleDir, d), { recursive: true });
    return {
      id: `step-${step}`, bundleDir,
      rootfs: { lowerDirs: await store.unpackedLayerDirs(image), upperDir: path.join(bundleDir, 'upper'), workDir: path.join(bundleDir, 'work') },
      process: { args: ['/bin/sh', '-c', script], env: ['PATH=/bin'], cwd: '/', user: '', tty: false },
      hostname: 'buildkitsandbox', network: 'none', mounts: [], ...extra,
    };
  }

  it('leaves a step\'s changes in the upper dir: files, whiteouts and opaque directories', async () => {
    const spec = await stepSpec('echo new > /new.txt && rm /etc/group && rm -rf /home && mkdir /home && touch /home/only && mkdir -p /app/sub');
    const status = await runContainer(spec, { stdout: 'ignore', stderr: 'inherit' });
    assert.deepStrictEqual(status, { code: 0 });
    const upper = spec.rootfs.upperDir;
    assert.strictEqual(fs.readFileSync(path.join(upper, 'new.txt'), 'utf8'), 'new\n');
    const whiteout = fs.lstatSync(path.join(upper, 'etc/group'));
    assert.ok(whiteout.isCharacterDevice() && whiteout.rdev === 0, 'a deleted lower file is a 0:0 character device');
    assert.strictEqual(execFileSync('getfattr', ['--absolute-names', '--only-values', '-n', 'user.overlay.opaque', path.join(upper, 'home')], { encoding: 'utf8' }), 'y');
    assert.ok(fs.statSync(path.join(upper, 'app/sub')).isDirectory());
    // the store turns it into a layer whose tar has the OCI whiteouts
    const layer = await store.commitLayer({ directory: upper });
    const listing = execFileSync('tar', ['-tzf', layer.stagedPath], { encoding: 'utf8' }).split('\n');
    for (const entry of ['new.txt', 'etc/.wh.group', 'home/.wh..wh..opq', 'home/only']) {
      assert.ok(listing.some((l) => l.replace(/^\.\//, '') === entry), `${entry} in ${listing.join(' ')}`);
    }
  });

  it('captures output and reports the exit code, and a signal as 128+N', async () => {
    const container = await launchContainer(await stepSpec('echo to-out; echo to-err >&2; exit 7'), { stdout: 'pipe', stderr: 'pipe' });
    assert.ok(container.pid > 1);
    const [out, err, status] = await Promise.all([readAll(container.helper.child.stdout), readAll(container.helper.child.stderr), container.wait()]);
    assert.deepStrictEqual([out, err, status], ['to-out\n', 'to-err\n', { code: 7 }]);
    // cancelling a step from outside: SIGKILL to its first process ends it as signal 9
    const running = await launchContainer(await stepSpec('sleep 30'), { stdout: 'ignore' });
    process.kill(running.pid, 'SIGKILL');
    assert.deepStrictEqual(await running.wait(), { code: 137, signal: 9 });
  });

  it('binds cache directories and tmpfs mounts, keeping what the cache receives', async () => {
    const cache = path.join(work, 'cache');
    fs.mkdirSync(cache);
    const spec = await stepSpec('echo cached >> /root/.cache/log; echo scratch > /tmp/x; grep " /tmp " /proc/mounts | cut -d" " -f3', {
      mounts: [{ type: 'bind', source: cache, target: '/root/.cache' }, { type: 'tmpfs', target: '/tmp', options: ['size=1m'] }],
    });
    const container = await launchContainer(spec, { stdout: 'pipe' });
    const [out, status] = await Promise.all([readAll(container.helper.child.stdout), container.wait()]);
    assert.deepStrictEqual([out, status], ['tmpfs\n', { code: 0 }]);
    assert.strictEqual(fs.readFileSync(path.join(cache, 'log'), 'utf8'), 'cached\n');
    assert.ok(!fs.existsSync(path.join(spec.rootfs.upperDir, 'tmp/x')), 'tmpfs content is not part of the layer');
    assert.ok(!fs.existsSync(path.join(spec.rootfs.upperDir, 'root/.cache/log')), 'cache content is not part of the layer');
  });

  it('throws a ContainerError with Docker\'s exit code when the step cannot start', async () => {
    const spec = await stepSpec('true');
    spec.process.args = ['/no/such/binary'];
    await assert.rejects(launchContainer(spec, { stdout: 'ignore' }), (err: unknown) => err instanceof ContainerError && err.exitCode === 127 && /exec \/no\/such\/binary/.test(err.message));
    const bad = await stepSpec('true');
    bad.process.user = 'ghost';
    await assert.rejects(runContainer(bad), /user 'ghost': no such user/);
    await assert.rejects(runContainer({ ...bad, id: '../escape' }), /container id '..\/escape' must match/);
  });
});
