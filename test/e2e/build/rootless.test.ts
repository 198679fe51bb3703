// A rootless build: an unprivileged user (made here with useradd, so with a subordinate id range)
// builds in a store it owns. Files a RUN gives to other users and files COPY --chown gives away
// must be recorded in the layer with the ids the container saw, not the host's subordinate ids.
import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar-stream';
import { Readable } from 'stream';
import { assertBuilt, CLI, layerTars, REPO, tempDir, writeTree } from './buildFixture';
import { assertReachableByOtherUsers } from '../../fixtures/layerlensCli';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';

const USER = 'llbuild-sub';

function runAs(args: string[], store: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('runuser', ['-u', USER, '--', 'env', `LAYERLENS_STORE=${store}`, 'HOME=/tmp', process.execPath, CLI, ...args], { cwd: '/' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

async function owners(tarball: Buffer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const extract = tar.extract();
  extract.on('entry', (h, stream, next) => {
    out.set(h.name, `${h.uid}:${h.gid}`);
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    Readable.from([tarball]).pipe(extract);
  });
  return out;
}

describe('build: rootless, with a subordinate id range', function () {
  this.timeout(180000);
  let work: string;
  let store: string;

  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // creating the user needs root
    assertBuilt();
    assertReachableByOtherUsers();
    if (spawnSync('id', ['-u', USER]).status !== 0) execFileSync('useradd', ['-M', '-s', '/bin/sh', USER]);
    work = tempDir('layerlens-build-rootless-');
    fs.chmodSync(work, 0o755);
    const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
    fs.chmodSync(tarball, 0o644);
    store = path.join(work, 'store');
    fs.mkdirSync(store);
    execFileSync('chown', [USER, store]);
    const script = `require(${JSON.stringify(path.join(REPO, 'out/runner/store/imageStore.js'))}).ImageStore.open(${JSON.stringify(store)})` +
      `.then((s) => s.importRootfsTarball(${JSON.stringify(tarball)}, 'busybox:e2e', { config: { Cmd: ['/bin/sh'] } }))`;
    execFileSync('runuser', ['-u', USER, '--', process.execPath, '-e', script], { cwd: '/' });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    spawnSync('userdel', [USER]);
  });

  it('records the container\'s owners in its layers', async () => {
    const ctx = writeTree(path.join(work, 'ctx'), {
      Dockerfile: 'FROM busybox:e2e\nCOPY --chown=1000:1001 given.txt /given.txt\nRUN touch /made && chown 1234:5678 /made && id -u > /uid\n',
      'given.txt': 'given\n',
    });
    execFileSync('chmod', ['-R', 'a+rX', ctx]);
    const r = await runAs(['build', '--progress=plain', '-t', 'rootless:1', ctx], store);
    assert.strictEqual(r.code, 0, r.stderr);
    const tars = await layerTars(store, 'rootless:1');
    const copy = await owners(tars[1]);
    const run = await owners(tars[2]);
    assert.strictEqual(copy.get('given.txt'), '1000:1001');
    assert.strictEqual(run.get('made'), '1234:5678');
    assert.strictEqual(run.get('uid'), '0:0', 'the user is root in the container');
    const hostUid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    for (const [name, owner] of [...copy, ...run]) assert.ok(!owner.startsWith(`${hostUid}:`) && Number(owner.split(':')[0]) < 65536, `${name} ${owner}`);
  });
});
