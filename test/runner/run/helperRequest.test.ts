import * as assert from 'assert';
import { encodeHelperRequest, STATUS_FD } from '../../../runner/run/helperRequest';
import { parseStatusLine } from '../../../runner/run/launchHelper';

const records = (b: Buffer) => b.toString('utf8').split('\0').slice(0, -1);

describe('the helper request (NUL-separated key=value records)', () => {
  it('encodes a container: layers, ids, mounts, cgroups, process and supervision', () => {
    const b = encodeHelperRequest({
      rootfs: { lowerDirs: ['/l1', '/l2'], upperDir: '/u', workDir: '/w', mountPoint: '/m', readOnly: true },
      idMapping: { mode: 'subid', hostUid: 1000, hostGid: 100, subuid: { start: 100000, count: 65536 }, subgid: { start: 200000, count: 1000 } },
      hostname: 'h', network: 'none',
      mounts: [{ type: 'bind', source: '/s', target: '/t', readOnly: true }, { type: 'tmpfs', target: '/tmp', options: ['size=1m', 'noexec'] }],
      cgroups: ['/sys/fs/cgroup/memory/layerlens/x'],
      process: { args: ['sh', '-c', 'echo a=b'], env: ['A=1'], cwd: '/', user: 'nobody', tty: true, rlimits: [{ name: 'NOFILE', soft: 10, hard: 'unlimited' }] },
      statusFile: '/st', logFile: '/log', onExit: ['node', 'cli', 'rm'], dieWithParent: true,
    });
    assert.deepStrictEqual(records(b), [
      'lower=/l1', 'lower=/l2', 'upper=/u', 'work=/w', 'rootfs=/m', 'readonly-rootfs=1',
      'idmap=subid', 'host-uid=1000', 'host-gid=100', 'subuid=100000:65536', 'subgid=200000:1000',
      'hostname=h', 'network=none',
      'mount=bind', 'mount.source=/s', 'mount.target=/t', 'mount.options=ro', 'mount=tmpfs', 'mount.target=/tmp', 'mount.options=size=1m,noexec',
      'cgroup=/sys/fs/cgroup/memory/layerlens/x',
      'arg=sh', 'arg=-c', 'arg=echo a=b', 'env=A=1', 'cwd=/', 'user=nobody', 'tty=1', 'rlimit=NOFILE:10:unlimited',
      `status-fd=${STATUS_FD}`, 'status-file=/st', 'log-file=/log', 'on-exit=node', 'on-exit=cli', 'on-exit=rm', 'die-with-parent=1',
    ]);
  });

  it('refuses a NUL inside a value (it would split a record)', () => {
    assert.throws(() => encodeHelperRequest({ execPid: 5, idMapping: { mode: 'root', hostUid: 0, hostGid: 0 }, process: { args: ['a\0b'], env: [], cwd: '/', user: '', tty: false } }), /NUL/);
  });

  it('reads status lines', () => {
    assert.deepStrictEqual(parseStatusLine('started 123'), { kind: 'started', text: '123' });
    assert.deepStrictEqual(parseStatusLine('error mount /x: Permission denied'), { kind: 'error', text: 'mount /x: Permission denied' });
    assert.deepStrictEqual(parseStatusLine('exited'), { kind: 'exited', text: '' });
  });
});
