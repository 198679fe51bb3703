// Edges of a build: base images pulled from a registry when missing (and with --pull), a
// Dockerfile on stdin, a foreign platform, bad ADD checksums, context symlinks that point out of
// the context, and a build interrupted with Ctrl-C.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { BuildEvent } from '../../../runner/build/events';
import { ImageStore } from '../../../runner/store/imageStore';
import { registryAvailable, startLocalRegistry, type LocalRegistry } from '../../fixtures/localRegistry';
import { assertBuilt, build, buildOk, CLI, cliOk, imageFiles, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

describe('build: pulls, platforms, refusals and interruption (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-edges-');
    store = await storeWithBusybox(work);
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  describe('with a registry', () => {
    let registry: LocalRegistry | undefined;
    before(async function () {
      if (!registryAvailable()) this.skip();
      registry = await startLocalRegistry();
    });
    after(async () => registry?.stop());

    it('pulls a missing base image, and again with --pull', async () => {
      const remote = `${registry?.host}/e2e/busybox:1`;
      await cliOk(['tag', 'busybox:e2e', remote], { store });
      await cliOk(['push', remote], { store });
      const fresh = path.join(work, 'fresh-store');
      const ctx = writeTree(path.join(work, 'pull'), { Dockerfile: `FROM ${remote}\nRUN echo pulled > /pulled\n` });
      const first = await buildOk(['-t', 'pulled:1', ctx], { store: fresh });
      assert.deepStrictEqual(stepEvents(first, 'pull').filter((e) => e.status !== 'progress').map((e) => e.status), ['started', 'done']);
      assert.strictEqual((await imageFiles(fresh, 'pulled:1')).readFile('/pulled')?.toString(), 'pulled\n');
      const local = await buildOk([ctx], { store: fresh });
      assert.strictEqual(stepEvents(local, 'pull').length, 0, 'in the store now: not pulled again');
      const forced = await buildOk(['--pull', ctx], { store: fresh });
      assert.ok(stepEvents(forced, 'pull').some((e) => e.status === 'done'));
      assert.ok(stepEvents(forced, 'step-finished').every((e) => e.cached), 'same digest, so the cache still applies');
    });
  });

  it('reads the Dockerfile from stdin with -f -', async () => {
    const ctx = writeTree(path.join(work, 'stdin'), { 'file.txt': 'from the context\n' });
    await buildOk(['-f', '-', '-t', 'stdin:1', ctx], { store, input: 'FROM busybox:e2e\nCOPY file.txt /\n' });
    assert.strictEqual((await imageFiles(store, 'stdin:1')).readFile('/file.txt')?.toString(), 'from the context\n');
  });

  it('refuses RUN for another architecture, at its FROM line', async () => {
    const ctx = writeTree(path.join(work, 'arm'), { Dockerfile: '# comment\nFROM --platform=linux/arm64 busybox:e2e\nRUN true\n' });
    const r = await build([ctx], { store });
    assert.strictEqual(r.code, 1);
    const failed = stepEvents(r, 'build-failed')[0];
    assert.match(failed.message, /linux\/arm64/);
    assert.strictEqual(failed.range?.start.line, 1);
  });

  it('refuses an ADD whose download does not match --checksum', async () => {
    const server = http.createServer((_req, res) => res.end('payload'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const ctx = writeTree(path.join(work, 'checksum'), { Dockerfile: `FROM busybox:e2e\nADD --checksum=sha256:${'0'.repeat(64)} http://127.0.0.1:${port}/file /file\n` });
      const r = await build(['-t', 'bad-sum:1', ctx], { store });
      assert.strictEqual(r.code, 1);
      assert.match(stepEvents(r, 'step-failed')[0].message, /checksum mismatch/);
      assert.strictEqual(await (await ImageStore.open(store)).resolveImage('bad-sum:1'), undefined);
    } finally {
      server.close();
    }
  });

  it('never follows context symlinks out of the context', async () => {
    const ctx = writeTree(path.join(work, 'escape'), { 'inside.txt': 'inside\n' });
    fs.symlinkSync('../../../../../../../../etc/passwd', path.join(ctx, 'relative'));
    fs.symlinkSync('/etc', path.join(ctx, 'absolute'));
    fs.symlinkSync('inside.txt', path.join(ctx, 'fine'));
    for (const source of ['relative', 'absolute/passwd']) {
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM busybox:e2e\nCOPY ${source} /stolen\n`);
      const r = await build([ctx], { store });
      assert.strictEqual(r.code, 1, source);
      assert.match(stepEvents(r, 'step-failed')[0].message, /not found in the build context/);
    }
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM busybox:e2e\nCOPY fine /fine\nCOPY . /all/\n');
    await buildOk(['-t', 'links:1', ctx], { store });
    const files = await imageFiles(store, 'links:1');
    assert.strictEqual(files.readFile('/fine')?.toString(), 'inside\n', 'a symlink source is followed inside the context');
    assert.strictEqual(files.lookup('/all/absolute')?.stat.isSymbolicLink(), true, 'symlinks inside a copied directory are copied as links');
    assert.strictEqual(files.resolve('/all/absolute/passwd'), '/etc/passwd', 'and resolve inside the image');
  });

  it('stops on Ctrl-C: the container is killed, nothing is tagged, scratch space is removed', async () => {
    const ctx = writeTree(path.join(work, 'cancel'), { Dockerfile: 'FROM busybox:e2e\nRUN echo started && sleep 60\n' });
    const tmp = (await ImageStore.open(store)).tmpDir;
    const before = new Set(fs.readdirSync(tmp));
    const child = spawn(process.execPath, [CLI, 'build', '--progress=json', '-t', 'cancelled:1', ctx], { env: { ...process.env, LAYERLENS_STORE: store } });
    let out = '';
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('"line":"started"')) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    assert.strictEqual(code, 130);
    assert.ok(Date.now() - started < 30000, 'did not wait for the sleep');
    const events = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as BuildEvent);
    assert.ok(events.some((e) => e.type === 'build-failed'));
    assert.strictEqual(await (await ImageStore.open(store)).resolveImage('cancelled:1'), undefined);
    assert.deepStrictEqual(fs.readdirSync(tmp).filter((n) => !before.has(n)), []);
  });
});
