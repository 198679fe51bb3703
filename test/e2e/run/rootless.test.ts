// Rootless containers: the same CLI run by unprivileged users created here with useradd, one with
// a subordinate id range (mapped through newuidmap/newgidmap) and one without (a single mapping,
// setgroups denied, and a warning). What this machine cannot give a user is asserted too: nothing
// delegates cgroups to users here, so limits are refused with a clear warning and not applied.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ContainerStore } from '../../../runner/run/containerStore';
import { assertBuilt, cli, cliOk, tempDir, userStoreWithBusybox, waitFor } from './runFixture';
import { assertReachableByOtherUsers } from '../../fixtures/layerlensCli';

interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

/** Made for the test (and removed after it, with its /etc/subuid lines). */
function createUser(name: string, withRange: boolean): TestUser {
  if (spawnSync('id', ['-u', name]).status !== 0) {
    execFileSync('useradd', ['-M', '-s', '/bin/sh', ...(withRange ? [] : ['-K', 'SUB_UID_COUNT=0', '-K', 'SUB_GID_COUNT=0']), name]);
  }
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
  return { name, uid, gid };
}

function subordinateRange(file: string, name: string): [number, number] | undefined {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  return line ? [Number(line.split(':')[1]), Number(line.split(':')[2])] : undefined;
}

for (const withRange of [true, false]) {
  const kind = withRange ? 'with a subordinate id range' : 'without a subordinate id range';
  describe(`rootless containers, a user ${kind}`, function () {
    let user: TestUser;
    let work: string;
    let storeRoot: string;
    const o = () => ({ store: storeRoot, user: user.name });

    before(function () {
      if (process.getuid?.() !== 0) throw new Error('the rootless tests create their users, which needs root');
      assertBuilt();
      assertReachableByOtherUsers();
      user = createUser(withRange ? 'llrun-sub' : 'llrun-single', withRange);
      assert.strictEqual(!!subordinateRange('/etc/subuid', user.name), withRange, `/etc/subuid for ${user.name}`);
      work = tempDir('layerlens-rootless-');
      fs.chmodSync(work, 0o755);
      storeRoot = userStoreWithBusybox(work, user);
    });
    after(async () => {
      if (storeRoot) for (const c of new ContainerStore(path.join(storeRoot, 'containers')).list()) await cli(['rm', '-f', c.id], o());
      if (work) fs.rmSync(work, { recursive: true, force: true });
      if (user) spawnSync('userdel', [user.name]);
    });

    it('maps the user to root in the container, and the range when there is one', async () => {
      const r = await cli(['run', '--rm', 'busybox:e2e', 'sh', '-c', 'id -u; cat /proc/self/uid_map /proc/self/gid_map'], o());
      assert.strictEqual(r.code, 0, r.stderr);
      const [uid, ...maps] = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
      assert.strictEqual(uid, '0');
      if (withRange) {
        const [start, count] = subordinateRange('/etc/subuid', user.name) as [number, number];
        const [gstart, gcount] = subordinateRange('/etc/subgid', user.name) as [number, number];
        assert.deepStrictEqual(maps, [`0 ${user.uid} 1`, `1 ${start} ${count}`, `0 ${user.gid} 1`, `1 ${gstart} ${gcount}`]);
        assert.doesNotMatch(r.stderr, /warning/);
      } else {
        assert.deepStrictEqual(maps, [`0 ${user.uid} 1`, `0 ${user.gid} 1`]);
        assert.match(r.stderr, /warning: no subordinate id range for llrun-single in \/etc\/subuid and \/etc\/subgid: only uid \d+ is mapped .* may fail/);
      }
    });

    it(withRange ? 'switches to other users and changes owners' : 'refuses other users clearly, as they are not mapped', async () => {
      const nobody = await cli(['run', '--rm', '-u', 'nobody', 'busybox:e2e', 'id', '-u'], o());
      const chown = await cli(['run', '--rm', 'busybox:e2e', 'sh', '-c', 'touch /f && chown 1234:1234 /f && stat -c %u:%g /f'], o());
      if (withRange) {
        assert.strictEqual(nobody.stdout, '65534\n', nobody.stderr);
        assert.strictEqual(chown.stdout, '1234:1234\n', chown.stderr);
      } else {
        assert.strictEqual(nobody.code, 125);
        assert.match(nobody.stderr, /setresgid 65534: Invalid argument: the group is not mapped in the container's user namespace \(only uid\/gid 0 exists/);
        assert.notStrictEqual(chown.code, 0);
        assert.match(chown.stderr, /chown.*(Invalid argument|Operation not permitted)/);
      }
    });

    it('keeps the isolation of a root container: PID 1, hostname, only lo, capabilities, seccomp, read-only /sys', async () => {
      const r = await cli(['run', '--rm', '--hostname', 'rootless', 'busybox:e2e', 'sh', '-c',
        'echo $$; hostname; ls /sys/class/net; grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status | cut -f2; touch /sys/x 2>/dev/null || echo sys-ro'], o());
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(r.stdout.trim().split('\n'), ['1', 'rootless', 'lo', '00000000a80425fb', '1', '2', 'sys-ro']);
    });

    it('cannot apply resource limits here (no cgroup is delegated to users) and says so instead of failing', async () => {
      const r = await cli(['run', '--rm', '--memory', '32m', '--pids-limit', '10', 'busybox:e2e', 'echo', 'ran'], o());
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(r.stdout, 'ran\n');
      assert.match(r.stderr, /warning: resource limits are unavailable, --memory not applied: cgroup v1 \(\/sys\/fs\/cgroup\/memory\) is not delegated to uid \d+/);
      assert.match(r.stderr, /--pids-limit not applied/);
    });

    it('runs detached, execs, stops and removes, including files owned by other ids', async () => {
      const id = (await cliOk(['run', '-d', 'busybox:e2e', 'sh', '-c', 'mkdir -p /data/deep && touch /data/deep/f; ' +
        (withRange ? 'chown -R 1234:1234 /data; chmod 700 /data/deep; ' : '') + 'echo ready; sleep 60; true'], o())).trim();
      const containers = new ContainerStore(path.join(storeRoot, 'containers'));
      await waitFor('ready', async () => (await cli(['logs', id], o())).stdout === 'ready\n');
      assert.strictEqual(await cliOk(['exec', id, 'sh', '-c', 'ls /data/deep; head -c 2 /proc/1/cmdline; echo'], o()), 'f\nsh\n');
      await cliOk(['stop', '-t', '1', id], o());
      assert.strictEqual(containers.find(id).exitCode, 137);
      if (withRange) {
        const upper = path.join(storeRoot, 'containers', id, 'upper', 'data', 'deep');
        assert.strictEqual(fs.statSync(upper).uid, (subordinateRange('/etc/subuid', user.name) as [number, number])[0] + 1233, 'container uid 1234 is a subordinate id on the host');
      }
      await cliOk(['rm', id], o());
      assert.ok(!fs.existsSync(path.join(storeRoot, 'containers', id)), 'everything removed, whoever owns it');
    });
  });
}
