// Containers as root, through the real CLI and a busybox image imported into a real store: what a
// process inside can see and do (PID 1, hostname, network, processes, files, ids, capabilities,
// seccomp, masked /proc), resource limits (cgroup v1 here), exit codes and signals, mounts,
// --read-only, and hostile working directories and users that must be refused or contained.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { ContainerStore } from '../../../runner/run/containerStore';
import { assertBuilt, CLI, cli, cliOk, storeWithBusybox, tempDir, waitFor } from './runFixture';

describe('containers as root: isolation, limits, exit status, mounts, hostile input', function () {
  let work: string;
  let store: ImageStore;
  let rootfs: string;
  const o = () => ({ store: store.root });
  const run = (...args: string[]) => cli(['run', '--rm', ...args], o());
  const sh = (script: string, ...flags: string[]) => run(...flags, 'busybox:e2e', 'sh', '-c', script);

  before(async function () {
    if (process.getuid?.() !== 0) throw new Error('these tests run as root (the rootless ones are in rootless.test.ts)');
    assertBuilt();
    work = tempDir('layerlens-run-e2e-');
    ({ store, rootfs } = await storeWithBusybox(work));
  });
  after(async () => {
    for (const c of new ContainerStore(store.containersDir).list()) await cli(['rm', '-f', c.id], o());
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs the command as PID 1 with its own hostname', async () => {
    const r = await sh('echo $$; hostname; cat /etc/hostname; echo $HOSTNAME', '--hostname', 'box');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['1', 'box', 'box', 'box']);
    const generated = (await sh('hostname')).stdout.trim();
    assert.match(generated, /^[0-9a-f]{12}$/, 'the default hostname is the short container id');
  });

  it('has only a loopback interface, up, with --network none, and the host interfaces with --network host', async () => {
    const r = await sh('ls /sys/class/net; cat /sys/class/net/lo/flags; ip -o link | cut -d: -f2');
    assert.strictEqual(r.code, 0, r.stderr);
    const [ifaces, flags, ...links] = r.stdout.trim().split('\n');
    assert.strictEqual(ifaces, 'lo');
    assert.strictEqual(Number(flags) & 1, 1, 'lo is up');
    assert.deepStrictEqual(links.map((l) => l.trim()), ['lo']);
    const host = fs.readdirSync('/sys/class/net').sort();
    const inside = (await sh('ls /sys/class/net', '--network', 'host')).stdout.trim().split(/\s+/).sort();
    assert.deepStrictEqual(inside, host);
  });

  it('cannot see host processes or host files', async () => {
    const marker = path.join('/tmp', `layerlens-host-marker-${process.pid}`);
    fs.writeFileSync(marker, 'host secret');
    try {
      const r = await sh(`ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '; echo; test -e ${marker} && echo VISIBLE || echo hidden; ls /`);
      assert.strictEqual(r.code, 0, r.stderr);
      const [pids, visible, ...top] = r.stdout.trim().split('\n');
      assert.ok(pids.trim().split(' ').every((p) => Number(p) < 10), `only the container's own processes: ${pids}`);
      assert.ok(!pids.split(' ').includes(String(process.pid)) || process.pid < 10);
      assert.strictEqual(visible, 'hidden');
      assert.deepStrictEqual(top.sort(), fs.readdirSync(rootfs).sort(), 'the root is the image, nothing of the host');
    } finally {
      fs.rmSync(marker);
    }
  });

  it('maps the full id range as root', async () => {
    const r = await sh('cat /proc/self/uid_map /proc/self/gid_map');
    assert.deepStrictEqual(r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)), [['0', '0', '4294967295'], ['0', '0', '4294967295']]);
  });

  it('keeps only the default capabilities, sets no_new_privs and installs a seccomp filter', async () => {
    const status = async (flags: string[]) => Object.fromEntries((await sh('cat /proc/self/status', ...flags)).stdout.split('\n').map((l) => l.split(':\t')).filter((p) => p.length === 2));
    const root = await status([]);
    // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
    assert.strictEqual(root.CapEff, '00000000a80425fb');
    assert.strictEqual(root.CapBnd, '00000000a80425fb');
    assert.strictEqual(root.CapInh, '0000000000000000');
    assert.strictEqual(root.CapAmb, '0000000000000000');
    assert.strictEqual(root.NoNewPrivs, '1');
    assert.strictEqual(root.Seccomp, '2');
    const nobody = await status(['-u', 'nobody']);
    assert.strictEqual(nobody.CapEff, '0000000000000000');
    assert.strictEqual(nobody.Uid.split('\t')[0], '65534');
  });

  it('denies namespace, mount and host-administration syscalls', async () => {
    const r = await sh('hostname other; echo sethostname=$?; mount -t tmpfs none /mnt; echo mount=$?; unshare -U true; echo unshare=$?; ' +
      'nsenter -t 1 -m true; echo setns=$?; hostname');
    const results = Object.fromEntries(r.stdout.trim().split('\n').filter((l) => l.includes('=')).map((l) => l.split('=')));
    assert.notStrictEqual(results.sethostname, '0');
    assert.notStrictEqual(results.mount, '0');
    assert.notStrictEqual(results.unshare, '0');
    assert.notStrictEqual(results.setns, '0');
    assert.match(r.stderr, /Operation not permitted/);
  });

  it('masks sensitive /proc files and keeps /proc/sys and /sys read-only', async () => {
    const r = await sh('wc -c < /proc/keys; wc -c < /proc/timer_list; ls /proc/acpi | wc -l; ' +
      'echo 1 > /proc/sys/vm/drop_caches 2>/dev/null; echo procsys=$?; touch /sys/x 2>/dev/null; echo sys=$?; ' +
      'grep -c " /proc/sys proc ro," /proc/mounts');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['0', '0', '0', 'procsys=1', 'sys=1', '1']);
  });

  it('enforces the memory limit: a process above it is killed (cgroup v1 memory here)', async () => {
    const over = await sh('dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo $?', '--memory', '32m');
    assert.strictEqual(over.stdout.trim(), '137', `dd above the limit is killed by SIGKILL: ${over.stderr}`);
    const under = await sh('dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo $?', '--memory', '256m');
    assert.strictEqual(under.stdout.trim(), '0');
    // the first process itself over the limit: the container ends with signal 9
    const direct = await run('--memory', '32m', 'busybox:e2e', 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1');
    assert.strictEqual(direct.code, 137);
  });

  it('writes the limits into the container\'s cgroups and removes them afterwards', async () => {
    const id = (await cliOk(['run', '-d', '--memory', '48m', '--pids-limit', '12', '--cpus', '0.5', 'busybox:e2e', 'sleep', '30'], o())).trim();
    const record = new ContainerStore(store.containersDir).find(id);
    const dirs = record.cgroups ?? [];
    const file = (name: string) => dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
    assert.ok(file('memory.limit_in_bytes') || file('memory.max'), `a memory cgroup: ${dirs.join(', ')}`);
    assert.strictEqual(fs.readFileSync((file('memory.limit_in_bytes') ?? file('memory.max')) as string, 'utf8').trim(), String(48 * 1024 * 1024));
    assert.strictEqual(fs.readFileSync(file('pids.max') as string, 'utf8').trim(), '12');
    const quota = file('cpu.cfs_quota_us') ? fs.readFileSync(file('cpu.cfs_quota_us') as string, 'utf8').trim() : fs.readFileSync(file('cpu.max') as string, 'utf8').split(' ')[0];
    assert.strictEqual(quota, '50000');
    for (const d of dirs) assert.ok(fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n').includes(String(record.pid)), `pid ${record.pid} in ${d}`);
    await cliOk(['rm', '-f', id], o());
    for (const d of dirs) assert.ok(!fs.existsSync(d), `${d} removed`);
    await waitFor('nothing left', () => !fs.existsSync(path.join(store.containersDir, id)));
  });

  it('enforces the pid limit', async () => {
    // busybox sh gives up at the first fork that fails; each number is printed before its fork
    const script = 'for i in $(seq 1 30); do echo $i; sleep 5 & done; echo all-started';
    const limited = await sh(script, '--pids-limit', '8');
    assert.strictEqual(limited.code, 2);
    assert.match(limited.stderr, /can't fork/);
    const started = limited.stdout.trim().split('\n');
    assert.ok(started.length <= 8 && !started.includes('all-started'), `at most 8 processes: ${started.join(' ')}`);
    const free = await sh(script, '--pids-limit', '100');
    assert.strictEqual(free.code, 0, free.stderr);
    assert.match(free.stdout, /all-started/);
  });

  it('propagates exit codes, and signals that end the container', async () => {
    assert.strictEqual((await sh('exit 42')).code, 42);
    assert.strictEqual((await run('busybox:e2e', 'false')).code, 1);
    // a signal sent to the CLI reaches the container's process (which handles it)
    const child = spawn(process.execPath, [CLI, 'run', '--rm', 'busybox:e2e', 'sh', '-c', 'trap "exit 9" TERM; echo ready; while :; do sleep 0.1; done'], { env: { ...process.env, LAYERLENS_STORE: store.root } });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.strictEqual(code, 9);
    // killed from outside: the container ends by signal 9, reported as such
    const id = (await cliOk(['run', '-d', 'busybox:e2e', 'sleep', '30'], o())).trim();
    await cliOk(['kill', '-s', 'KILL', id], o());
    const containers = new ContainerStore(store.containersDir);
    await waitFor('the container to end', () => containers.find(id).state === 'exited');
    const ended = containers.find(id);
    assert.strictEqual(ended.exitCode, 137);
    assert.strictEqual(ended.signal, 9);
    assert.match(await cliOk(['ps', '-a'], o()), /Exited \(137\)/);
  });

  it('binds host directories read-write and read-only (-v)', async () => {
    const data = path.join(work, 'data');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'in.txt'), 'from host');
    const rw = await sh('cat /data/in.txt; echo from container > /data/out.txt', '-v', `${data}:/data`);
    assert.strictEqual(rw.stdout.trim(), 'from host', rw.stderr);
    assert.strictEqual(fs.readFileSync(path.join(data, 'out.txt'), 'utf8'), 'from container\n');
    const ro = await sh('cat /data/in.txt; echo x > /data/other.txt', '-v', `${data}:/data:ro`);
    assert.notStrictEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);
    assert.ok(!fs.existsSync(path.join(data, 'other.txt')));
    const file = await sh('cat /etc/motd-from-host', '-v', `${path.join(data, 'in.txt')}:/etc/motd-from-host:ro`);
    assert.strictEqual(file.stdout, 'from host');
  });

  it('makes the root file system read-only with --read-only, leaving --tmpfs mounts writable', async () => {
    const r = await sh('touch /x 2>/dev/null; echo root=$?; touch /scratch/x; echo tmpfs=$?; grep " /scratch " /proc/mounts | cut -d" " -f3', '--read-only', '--tmpfs', '/scratch:size=1m');
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['root=1', 'tmpfs=0', 'tmpfs']);
  });

  it('refuses a working directory through a /proc magic link (the leaked-descriptor escape)', async () => {
    for (const workdir of ['/proc/self/fd/1', '/proc/self/cwd', '/proc/1/root']) {
      const r = await run('-w', workdir, 'busybox:e2e', 'pwd');
      assert.strictEqual(r.code, 125, `${workdir}: ${r.stdout}`);
      assert.match(r.stderr, /refusing to follow .* out of the container/);
    }
    // the same from an image's WORKDIR
    const image = await store.importRootfsTarball(path.join(work, 'rootfs.tar'), 'hostile:workdir-fd', { config: { Cmd: ['pwd'], WorkingDir: '/proc/self/fd/3' } });
    const r = await cli(['run', '--rm', image.names[0]], o());
    assert.strictEqual(r.code, 125);
    assert.match(r.stderr, /working directory \/proc\/self\/fd\/3/);
  });

  it('keeps a symlinked working directory that points out of the image inside the container', async () => {
    const hostDir = path.join(work, 'escape-target');
    fs.mkdirSync(hostDir, { recursive: true });
    const evil = path.join(work, 'evil-rootfs');
    fs.cpSync(rootfs, evil, { recursive: true, verbatimSymlinks: true });
    fs.symlinkSync(`../../../../../../../..${hostDir}`, path.join(evil, 'up'));
    fs.symlinkSync(hostDir, path.join(evil, 'abs'));
    spawnSync('tar', ['--numeric-owner', '-C', evil, '-cf', path.join(work, 'evil.tar'), '.']);
    for (const workdir of ['/up/sub', '/abs/sub']) {
      const image = await store.importRootfsTarball(path.join(work, 'evil.tar'), 'hostile:symlink', { config: { WorkingDir: workdir } });
      const r = await cli(['run', '--rm', image.names[0], 'sh', '-c', 'pwd -P; touch planted; ls -d /etc/passwd'], o());
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(r.stdout.trim().split('\n'), [`${hostDir}/sub`, '/etc/passwd'], 'resolved inside the container root');
      assert.deepStrictEqual(fs.readdirSync(hostDir), [], `nothing created on the host through ${workdir}`);
    }
  });

  it('resolves mount targets inside the image: dangling symlinks followed in-root, /proc magic links refused', async () => {
    const odd = path.join(work, 'linky-rootfs');
    fs.cpSync(rootfs, odd, { recursive: true, verbatimSymlinks: true });
    fs.symlinkSync('../run/systemd/resolve/stub-resolv.conf', path.join(odd, 'etc/resolv.conf'));
    fs.symlinkSync('/proc/self/fd/5', path.join(odd, 'data'));
    fs.symlinkSync('/proc/self/cwd', path.join(odd, 'here'));
    spawnSync('tar', ['--numeric-owner', '-C', odd, '-cf', path.join(work, 'linky.tar'), '.']);
    const image = await store.importRootfsTarball(path.join(work, 'linky.tar'), 'hostile:links');
    const resolv = await cli(['run', '--rm', image.names[0], 'sh', '-c', 'cat /etc/resolv.conf; readlink /etc/resolv.conf'], o());
    assert.strictEqual(resolv.code, 0, resolv.stderr);
    assert.deepStrictEqual(resolv.stdout.trim().split('\n'), ['# network none: no name servers', '../run/systemd/resolve/stub-resolv.conf']);
    const granted = path.join(work, 'granted');
    fs.mkdirSync(granted);
    for (const target of ['/data', '/here/x']) {
      const r = await cli(['run', '--rm', '-v', `${granted}:${target}`, image.names[0], 'true'], o());
      assert.strictEqual(r.code, 125, target);
      assert.match(r.stderr, new RegExp(`mount target ${target}: refusing to follow .* out of the container`));
    }
    assert.deepStrictEqual(fs.readdirSync(granted), []);
  });

  it('refuses users and groups it cannot resolve, with the reason', async () => {
    const cases: [string, RegExp][] = [
      ['nosuch', /user 'nosuch': no such user in the image's \/etc\/passwd/],
      ['0:nosuch', /group 'nosuch': no such group in the image's \/etc\/group/],
      ['99999999999', /not a valid uid/],
      ['root:', /group after ':' is empty/],
    ];
    for (const [user, message] of cases) {
      const r = await run('-u', user, 'busybox:e2e', 'id');
      assert.strictEqual(r.code, 125, user);
      assert.match(r.stderr, message);
      assert.strictEqual(r.stdout, '');
    }
    const ids = await sh('id -u; id -g', '-u', '1234:4321');
    assert.deepStrictEqual(ids.stdout.trim().split('\n'), ['1234', '4321'], 'numeric ids need no passwd entry');
    const image = await store.importRootfsTarball(path.join(work, 'rootfs.tar'), 'hostile:user', { config: { Cmd: ['id'], User: 'ghost' } });
    const r = await cli(['run', '--rm', image.names[0]], o());
    assert.strictEqual(r.code, 125);
    assert.match(r.stderr, /user 'ghost'/);
  });

  it('refuses an /etc/passwd that is not a regular file instead of hanging on it', async () => {
    const odd = path.join(work, 'fifo-rootfs');
    fs.cpSync(rootfs, odd, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(odd, 'etc/passwd'));
    spawnSync('mkfifo', [path.join(odd, 'etc/passwd')]);
    spawnSync('tar', ['--numeric-owner', '-C', odd, '-cf', path.join(work, 'fifo.tar'), '.']);
    const image = await store.importRootfsTarball(path.join(work, 'fifo.tar'), 'hostile:fifo');
    const r = await cli(['run', '--rm', '-u', 'nobody', image.names[0], 'id'], { ...o(), timeoutMs: 20000 });
    assert.strictEqual(r.code, 125);
    assert.match(r.stderr, /\/etc\/passwd in the image is not a regular file/);
  });

  it('gives -t a real terminal from the container\'s own devpts, and -i the caller\'s stdin', async () => {
    const command = `${process.execPath} ${CLI} run --rm -t busybox:e2e sh -c 'tty; test -t 0 && test -t 1 && echo both-ttys'`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { env: { ...process.env, LAYERLENS_STORE: store.root }, encoding: 'utf8' });
    assert.deepStrictEqual(r.stdout.replace(/\r/g, '').trim().split('\n'), ['/dev/pts/0', 'both-ttys']);
    assert.strictEqual((await cli(['run', '--rm', '-i', 'busybox:e2e', 'tr', 'a-z', 'A-Z'], { ...o(), input: 'piped in\n' })).stdout, 'PIPED IN\n');
    assert.strictEqual((await cli(['run', '--rm', 'busybox:e2e', 'cat'], { ...o(), input: 'not passed\n' })).stdout, '', 'no stdin without -i');
  });

  it('runs exec in the running container\'s namespaces and cgroups', async () => {
    const id = (await cliOk(['run', '-d', '--hostname', 'inside', '--pids-limit', '50', 'busybox:e2e', 'sh', '-c', 'echo state > /tmp/state; sleep 30; true'], o())).trim();
    const containers = new ContainerStore(store.containersDir);
    await waitFor('the file', async () => (await cli(['exec', id, 'cat', '/tmp/state'], o())).stdout === 'state\n');
    const r = await cliOk(['exec', id, 'sh', '-c', 'hostname; cat /proc/1/cmdline | tr "\\0" " "; echo; ls /sys/class/net; cat /proc/self/uid_map'], o());
    const [hostname, init, net, map] = r.trim().split('\n');
    assert.strictEqual(hostname, 'inside');
    assert.strictEqual(init.trim(), 'sh -c echo state > /tmp/state; sleep 30; true');
    assert.strictEqual(net, 'lo');
    assert.deepStrictEqual(map.trim().split(/\s+/), ['0', '0', '4294967295']);
    assert.strictEqual(await cliOk(['exec', '-u', 'nobody', '-w', '/tmp', id, 'sh', '-c', 'id -u; pwd'], o()), '65534\n/tmp\n');
    assert.strictEqual((await cli(['exec', id, 'sh', '-c', 'exit 3'], o())).code, 3);
    const record = containers.find(id);
    const pidsDir = (record.cgroups ?? []).find((d) => fs.existsSync(path.join(d, 'pids.max'))) as string;
    const execd = spawn(process.execPath, [CLI, 'exec', id, 'sleep', '5'], { env: { ...process.env, LAYERLENS_STORE: store.root } });
    await waitFor('exec to join the cgroup', () => fs.readFileSync(path.join(pidsDir, 'cgroup.procs'), 'utf8').trim().split('\n').length >= 3);
    execd.kill('SIGKILL');
    await cliOk(['rm', '-f', id], o());
    const gone = await cli(['exec', id, 'true'], o());
    assert.strictEqual(gone.code, 1);
    assert.match(gone.stderr, /no such container/);
  });
});
