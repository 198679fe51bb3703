import * as assert from 'assert';
import { parseCgroupMounts } from '../../../runner/run/cgroups';
import { findSubordinateRange } from '../../../runner/run/idMapping';
import { kernelVersion, runPreflight } from '../../../runner/run/preflight';

describe('cgroup layout from /proc/self/mountinfo', () => {
  it('reads a hybrid layout: v1 hierarchies per controller, v2 with only what it offers', () => {
    const mountinfo = [
      '30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755',
      '31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw',
      '32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
      '33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
      '34 30 0:30 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids',
    ].join('\n');
    const layout = parseCgroupMounts(mountinfo, (dir) => (dir === '/sys/fs/cgroup/unified' ? 'hugetlb\n' : ''));
    assert.strictEqual(layout.v2Root, '/sys/fs/cgroup/unified');
    assert.deepStrictEqual([...layout.v2Controllers], ['hugetlb']);
    assert.strictEqual(layout.v1Roots.get('memory'), '/sys/fs/cgroup/memory');
    assert.strictEqual(layout.v1Roots.get('cpu'), '/sys/fs/cgroup/cpu,cpuacct');
    assert.strictEqual(layout.v1Roots.get('pids'), '/sys/fs/cgroup/pids');
  });

  it('reads a pure v2 layout', () => {
    const layout = parseCgroupMounts('26 1 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate', () => 'cpuset cpu io memory hugetlb pids rdma misc\n');
    assert.strictEqual(layout.v2Root, '/sys/fs/cgroup');
    assert.ok(['memory', 'cpu', 'pids'].every((c) => layout.v2Controllers.has(c)));
    assert.strictEqual(layout.v1Roots.size, 0);
  });
});

describe('subordinate ids', () => {
  it('finds the range of a user by name or uid, skipping empty or malformed lines', () => {
    const subuid = 'alice:100000:65536\nbob:x:1\nbob:200000:0\n1001:300000:65536\n';
    assert.deepStrictEqual(findSubordinateRange(subuid, ['alice', '1000']), { start: 100000, count: 65536 });
    assert.strictEqual(findSubordinateRange(subuid, ['bob', '1002']), undefined);
    assert.deepStrictEqual(findSubordinateRange(subuid, ['carol', '1001']), { start: 300000, count: 65536 });
  });
});

describe('preflight', () => {
  const sysctls = (values: Record<string, string>) => (file: string) => values[file];

  it('passes on a kernel and sysctls that allow user namespaces', () => {
    assert.deepStrictEqual(runPreflight(sysctls({ '/proc/sys/user/max_user_namespaces': '15000' }), '6.18.0', 1000), { errors: [], warnings: [] });
  });

  it('says what to change when user namespaces are disabled or restricted', () => {
    const { errors } = runPreflight(sysctls({
      '/proc/sys/user/max_user_namespaces': '0',
      '/proc/sys/kernel/unprivileged_userns_clone': '0',
      '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '1',
    }), '6.8.0-31-generic', 1000);
    assert.strictEqual(errors.length, 3);
    assert.match(errors[0], /user.max_user_namespaces = 0.*sysctl -w user.max_user_namespaces=15000/);
    assert.match(errors[1], /kernel.unprivileged_userns_clone = 0.*sysctl -w kernel.unprivileged_userns_clone=1/);
    assert.match(errors[2], /AppArmor restricts unprivileged user namespaces.*`userns,`/);
  });

  it('ignores the unprivileged-only sysctls for root, and refuses a kernel too old for rootless overlayfs', () => {
    assert.deepStrictEqual(runPreflight(sysctls({ '/proc/sys/kernel/unprivileged_userns_clone': '0' }), '6.1.0', 0).errors, []);
    assert.match(runPreflight(sysctls({}), '5.10.0-28-amd64', 0).errors[0], /Linux 5.10.0-28-amd64 is too old: containers need 5.12/);
    assert.deepStrictEqual(kernelVersion('6.18.44-fc'), [6, 18]);
  });
});
