// The container commands end to end as a user types them: run -d, ps (--json), logs (-f), stop
// (SIGTERM, then SIGKILL after -t), kill -s, start again, exec, inspect, rm (-f), --rm for
// foreground and detached containers, names, and how the image's config and -e/-w/--entrypoint
// combine.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ContainerStore } from '../../../runner/run/containerStore';
import type { ContainerEntry } from '../../../runner/run/describeContainer';
import { ImageStore } from '../../../runner/store/imageStore';
import { assertBuilt, CLI, cli, cliOk, storeWithBusybox, tempDir, waitFor } from './runFixture';

describe('container lifecycle through the CLI', function () {
  let work: string;
  let store: ImageStore;
  let containers: ContainerStore;
  const o = () => ({ store: store.root });
  const ps = async (): Promise<ContainerEntry[]> => JSON.parse(await cliOk(['ps', '-a', '--json'], o())) as ContainerEntry[];

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-lifecycle-');
    ({ store } = await storeWithBusybox(work));
    containers = new ContainerStore(store.containersDir);
  });
  after(async () => {
    for (const c of containers.list()) await cli(['rm', '-f', c.id], o());
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs detached, lists it as running, shows its logs, and records how it ended', async () => {
    const id = (await cliOk(['run', '-d', '--name', 'counter', 'busybox:e2e', 'sh', '-c', 'echo out; echo err >&2; sleep 1; echo done; exit 3'], o())).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const running = (await ps()).find((c) => c.id === id) as ContainerEntry;
    assert.strictEqual(running.name, 'counter');
    assert.strictEqual(running.state, 'running');
    assert.match(running.status, /^Up /);
    assert.strictEqual(running.image, 'busybox:e2e');
    assert.match(running.imageDigest, /^sha256:[0-9a-f]{64}$/);
    assert.ok(running.pid && running.pid > 1);
    assert.match(await cliOk(['ps'], o()), /counter/);
    // logs -f follows until the container exits
    const followed = await cliOk(['logs', '-f', 'counter'], o());
    assert.deepStrictEqual(followed.split('\n').filter(Boolean).sort(), ['done', 'err', 'out']);
    const ended = (await ps()).find((c) => c.id === id) as ContainerEntry;
    assert.strictEqual(ended.state, 'exited');
    assert.strictEqual(ended.exitCode, 3);
    assert.match(ended.status, /^Exited \(3\) /);
    assert.doesNotMatch(await cliOk(['ps'], o()), /counter/, 'ps without -a lists running containers only');
    assert.strictEqual(await cliOk(['logs', id.slice(0, 10)], o()), followed, 'a unique id prefix finds it');
  });

  it('ps -s shows each container\'s writable layer and, as its virtual size, that plus its image', async () => {
    await cliOk(['run', '--name', 'writer', 'busybox:e2e', 'sh', '-c', 'dd if=/dev/zero of=/filled bs=1000 count=120 2>/dev/null; rm -f /bin/true'], o());
    await cliOk(['run', '--name', 'idle', 'busybox:e2e', 'true'], o());
    const sized = JSON.parse(await cliOk(['ps', '-a', '-s', '--json'], o())) as ContainerEntry[];
    const writer = sized.find((c) => c.name === 'writer') as ContainerEntry;
    const idle = sized.find((c) => c.name === 'idle') as ContainerEntry;
    const image = await store.resolveImage('busybox:e2e');
    assert.ok(image);
    // 120,000 bytes written, plus at most a few small files the runtime writes (e.g. /etc/hosts); the removal is a whiteout of 0 bytes.
    assert.ok((writer.sizeRw as number) >= 120000 && (writer.sizeRw as number) < 130000, String(writer.sizeRw));
    assert.ok((idle.sizeRw as number) < 10000, String(idle.sizeRw));
    assert.strictEqual(writer.sizeRootFs, (writer.sizeRw as number) + image.size);
    assert.strictEqual(idle.sizeRootFs, (idle.sizeRw as number) + image.size);
    assert.strictEqual((await ps()).find((c) => c.name === 'writer')?.sizeRw, undefined, 'sizes only with -s');
    assert.match(await cliOk(['ps', '-a', '-s'], o()), /SIZE\n(.*\n)*.*writer +1\d\d\.\dkB \(virtual [\d.]+[kM]B\)/);
    await cliOk(['rm', 'writer', 'idle'], o());
  });

  it('stops with SIGTERM when the process handles it, and with SIGKILL after -t when it does not', async () => {
    await cliOk(['run', '-d', '--name', 'polite', 'busybox:e2e', 'sh', '-c', 'trap "echo bye; exit 0" TERM; while :; do sleep 0.1; done'], o());
    await cliOk(['run', '-d', '--name', 'stubborn', 'busybox:e2e', 'sleep', '60'], o());
    await waitFor('both running', async () => (await ps()).filter((c) => c.state === 'running').length >= 2);
    let t = Date.now();
    await cliOk(['stop', 'polite'], o());
    assert.ok(Date.now() - t < 5000, 'a handled SIGTERM ends it at once');
    t = Date.now();
    await cliOk(['stop', '-t', '1', 'stubborn'], o());
    const waited = Date.now() - t;
    assert.ok(waited >= 1000 && waited < 8000, `PID 1 ignores an unhandled SIGTERM, so SIGKILL after 1 s (${waited} ms)`);
    const byName = Object.fromEntries((await ps()).map((c) => [c.name, c]));
    assert.strictEqual(byName.polite.exitCode, 0);
    assert.strictEqual(await cliOk(['logs', 'polite'], o()), 'bye\n');
    assert.strictEqual(byName.stubborn.exitCode, 137);
    assert.strictEqual(byName.stubborn.signal, 9);
  });

  it('sends any signal with kill -s, and starts a stopped container again with its writable layer', async () => {
    const id = (await cliOk(['run', '-d', 'busybox:e2e', 'sh', '-c', 'trap "exit 12" USR1; echo run >> /state; while :; do sleep 0.1; done'], o())).trim();
    await waitFor('the first run', async () => (await cli(['exec', id, 'cat', '/state'], o())).stdout === 'run\n');
    await cliOk(['kill', '-s', 'USR1', id], o());
    await waitFor('exit 12', () => containers.find(id).exitCode === 12);
    assert.strictEqual((await cli(['kill', id], o())).code, 1, 'kill needs a running container');
    await cliOk(['start', id], o());
    await waitFor('the second run', async () => (await cli(['exec', id, 'cat', '/state'], o())).stdout === 'run\nrun\n');
    await cliOk(['kill', id], o());
    await waitFor('SIGKILL', () => containers.find(id).state === 'exited');
    assert.strictEqual(containers.find(id).exitCode, 137);
    // start -a: attached, with the container's output and exit code
    const once = await cli(['run', '--name', 'again', 'busybox:e2e', 'sh', '-c', 'cat /count 2>/dev/null; echo x >> /count; exit 4'], o());
    assert.deepStrictEqual([once.code, once.stdout], [4, '']);
    const attached = await cli(['start', '-a', 'again'], o());
    assert.deepStrictEqual([attached.code, attached.stdout], [4, 'x\n']);
  }).timeout(60000);

  it('removes containers: refuses a running one without -f, removes everything with it', async () => {
    const id = (await cliOk(['run', '-d', '--name', 'doomed', 'busybox:e2e', 'sleep', '60'], o())).trim();
    const refused = await cli(['rm', 'doomed'], o());
    assert.strictEqual(refused.code, 1);
    assert.match(refused.stderr, /container doomed is running: stop it first, or use rm -f/);
    await cliOk(['rm', '-f', 'doomed'], o());
    assert.ok(!fs.existsSync(path.join(store.containersDir, id)), 'the directory is gone');
    assert.ok(!(await ps()).some((c) => c.id === id));
    assert.strictEqual((await cli(['rm', 'doomed'], o())).code, 1);
    assert.strictEqual((await cli(['rm', '-f', 'doomed'], o())).code, 0, 'rm -f of a missing container is not an error');
    // the name is free again
    await cliOk(['run', '--name', 'doomed', '--rm', 'busybox:e2e', 'true'], o());
  });

  it('removes --rm containers when they end, in the foreground and detached', async () => {
    const before = containers.list().length;
    assert.strictEqual(await cliOk(['run', '--rm', 'busybox:e2e', 'echo', 'hi'], o()), 'hi\n');
    assert.strictEqual(containers.list().length, before);
    const id = (await cliOk(['run', '--rm', '-d', 'busybox:e2e', 'sleep', '1'], o())).trim();
    assert.ok(fs.existsSync(path.join(store.containersDir, id)));
    await waitFor('the detached --rm container to remove itself', () => !fs.existsSync(path.join(store.containersDir, id)), 15000);
    assert.strictEqual(containers.list().length, before);
  });

  it('keeps names unique, and finds containers by name, id or unique prefix', async () => {
    const id = (await cliOk(['run', '-d', '--name', 'only-one', 'busybox:e2e', 'sleep', '30'], o())).trim();
    const clash = await cli(['run', '-d', '--name', 'only-one', 'busybox:e2e', 'true'], o());
    assert.strictEqual(clash.code, 125);
    assert.match(clash.stderr, /the name 'only-one' is already used by container/);
    assert.match((await cli(['run', '--name', 'bad name!', 'busybox:e2e', 'true'], o())).stderr, /invalid container name/);
    for (const ref of ['only-one', id, id.slice(0, 12)]) {
      const [inspected] = JSON.parse(await cliOk(['inspect', ref], o())) as { id: string; state: string }[];
      assert.strictEqual(inspected.id, id);
      assert.strictEqual(inspected.state, 'running');
    }
    const missing = await cli(['inspect', 'no-such-thing'], o());
    assert.strictEqual(missing.code, 1);
    assert.match(missing.stderr, /no such container or image: no-such-thing/);
    await cliOk(['rm', '-f', id], o());
  });

  it('inspects images as the store resolves them', async () => {
    const [image] = JSON.parse(await cliOk(['inspect', 'busybox:e2e'], o())) as { manifestDigest: string; config: { config: { Cmd: string[] } } }[];
    assert.match(image.manifestDigest, /^sha256:/);
    assert.deepStrictEqual(image.config.config.Cmd, ['/bin/sh']);
    assert.strictEqual((await cli(['inspect', '--type', 'container', 'busybox:e2e'], o())).code, 1);
  });

  it('combines the image config with -e, --env-file, -w, -u and --entrypoint as Docker does', async () => {
    const envFile = path.join(work, 'env.list');
    fs.writeFileSync(envFile, '# comment\nFROM_FILE=1\nFROM_IMAGE=overridden-by-file\nPASSED_THROUGH\n');
    const r = await cli(['run', '--rm', '--env-file', envFile, '-e', 'EXTRA=x y', '-e', 'UNSET_ON_HOST', '-w', '/made/for/me',
      'busybox:e2e', 'sh', '-c', 'echo $FROM_IMAGE $FROM_FILE $PASSED_THROUGH "$EXTRA" ${UNSET_ON_HOST-unset} $HOME; pwd; echo $PATH'],
    { ...o(), env: { PASSED_THROUGH: 'from-host' } });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['overridden-by-file 1 from-host x y unset /root', '/made/for/me', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    // the image's Cmd runs when no command is given; --entrypoint replaces it and drops Cmd
    assert.strictEqual((await cli(['run', '--rm', '-i', 'busybox:e2e'], { ...o(), input: 'echo from image cmd\n' })).stdout, 'from image cmd\n');
    assert.strictEqual(await cliOk(['run', '--rm', '--entrypoint', 'echo', 'busybox:e2e', 'a', 'b'], o()), 'a b\n');
    assert.strictEqual(await cliOk(['run', '--rm', '-u', 'nobody', 'busybox:e2e', 'sh', '-c', 'echo $HOME; id -un'], o()), '/nonexistent\nnobody\n');
  });

  it('reports usage errors and missing images and commands with Docker\'s exit codes', async () => {
    const cases: [string[], number, RegExp][] = [
      [['run', '--rm', 'no-such-image:1'], 125, /no such image: no-such-image:1/],
      [['run', '--rm', 'busybox:e2e', 'no-such-command'], 127, /exec no-such-command: No such file or directory/],
      [['run', '--rm', 'busybox:e2e', '/etc/passwd'], 126, /exec \/etc\/passwd: Permission denied/],
      [['run', '--bogus', 'busybox:e2e'], 2, /unknown flag: --bogus/],
      [['run', '--network', 'bridge', 'busybox:e2e'], 2, /only 'none' and 'host'/],
      [['run', '-v', 'named:/data', 'busybox:e2e'], 2, /named volumes are not supported/],
      [['run', '--memory', 'lots', 'busybox:e2e'], 2, /not a size/],
      [['run'], 2, /run needs an image/],
      [['stop', 'nothing-here'], 1, /no such container: nothing-here/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(args, o());
      assert.strictEqual(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('survives the CLI being killed: a foreground container dies with it and is shown as exited (code unknown)', async () => {
    const child = spawn(process.execPath, [CLI, 'run', '--name', 'orphan', 'busybox:e2e', 'sleep', '60'], { env: { ...process.env, LAYERLENS_STORE: store.root } });
    await waitFor('it to run', () => containers.list().some((c) => c.name === 'orphan' && c.state === 'running'));
    const pid = containers.find('orphan').pid as number;
    child.kill('SIGKILL');
    await waitFor('the container to die with its CLI', () => !fs.existsSync(`/proc/${pid}`));
    await waitFor('exited', () => containers.find('orphan').state === 'exited');
    assert.strictEqual(containers.find('orphan').exitCode, null, 'nobody was left to see how it ended');
    assert.match(await cliOk(['ps', '-a'], o()), /Exited \(\?\).*orphan/);
  });
});
