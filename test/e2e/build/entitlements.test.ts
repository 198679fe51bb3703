// RUN --security=insecure needs `--allow security.insecure` (as buildx's entitlement). With it the
// step runs privileged (≈ `docker run --privileged`): every capability, no seccomp filter, its own
// /sys writable; the other steps of the same build stay confined, and nothing a privileged step
// mounts ends up in its layer.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, build, buildOk, imageFiles, layerTars, stepEvents, storeWithBusybox, tempDir, writeTree, type BuildRun } from './buildFixture';

const STATUS = `grep -E '^(CapEff|CapPrm|CapBnd|CapAmb|Seccomp):' /proc/self/status | tr '\\t\\n' '= '`;
const LEAK = 'privileged-tmpfs-content-7d1f';
const DEFAULT_CAPS = '00000000a80425fb'; // the default set of container engines

/** The full capability mask of this kernel (bits 0..cap_last_cap). */
function fullMask(): string {
  const last = Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  return ((1n << BigInt(last + 1)) - 1n).toString(16).padStart(16, '0');
}

/** `KEY=VALUE` pairs of the step-output line that starts with `marker`. */
function statusOf(run: BuildRun, marker: string): Record<string, string> {
  const line = stepEvents(run, 'step-output').map((e) => e.line).find((l) => l.startsWith(`${marker} `));
  assert.ok(line, `no output line starting with ${marker}`);
  const fields: Record<string, string> = {};
  for (const pair of line.slice(marker.length + 1).trim().split(/\s+/)) {
    const [key, value] = pair.split('=');
    fields[key.replace(/:$/, '')] = value;
  }
  return fields;
}

describe('build: entitlements (busybox)', function () {
  this.timeout(120000);
  let work: string;
  let store: string;
  let ctx: string;
  let privileged: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-allow-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: 'FROM busybox:e2e\nRUN echo fine\nRUN --security=insecure cat /proc/self/status\n' });
    privileged = writeTree(path.join(work, 'privileged'), {
      Dockerfile: [
        'FROM busybox:e2e',
        `RUN echo "normal $(${STATUS})"`,
        `RUN --security=insecure echo "insecure $(${STATUS})"`,
        'RUN mkdir -p /mnt/d && (mount -t tmpfs none /mnt/d 2>/dev/null && echo "default-mount ok" || echo "default-mount refused")',
        `RUN --security=insecure mkdir -p /mnt/p && mount -t tmpfs none /mnt/p && echo ${LEAK} > /mnt/p/leak && echo "insecure-mount $(grep -c ' /mnt/p tmpfs ' /proc/mounts)" && echo kept > /kept`,
        `RUN --network=none --security=insecure echo "insecure-sys $(grep ' /sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1)"`,
        `RUN --network=none echo "normal-sys $(grep ' /sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1)"`,
        'USER 1000:1000',
        `RUN --security=insecure echo "insecure-user $(id -u) $(${STATUS})"`,
        `RUN echo "normal-user $(id -u) $(${STATUS})"`,
        '',
      ].join('\n'),
    });
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses RUN --security=insecure without --allow security.insecure, at its line', async () => {
    const r = await build([ctx], { store });
    assert.strictEqual(r.code, 1);
    const failed = stepEvents(r, 'build-failed')[0];
    assert.match(failed.message, /needs the security.insecure entitlement: layerlens build --allow security.insecure/);
    assert.strictEqual(failed.range?.start.line, 2);
    const bad = await build(['--allow', 'device', ctx], { store });
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--allow device: expected security.insecure or network.host/);
  });

  describe('with --allow security.insecure', () => {
    let run: BuildRun;
    before(async () => {
      run = await buildOk(['--allow', 'security.insecure', '-t', 'privileged:1', privileged], { store });
    });

    it('runs the insecure step with every capability and no seccomp filter', () => {
      const s = statusOf(run, 'insecure');
      for (const set of ['CapEff', 'CapPrm', 'CapBnd']) assert.strictEqual(s[set], fullMask(), `${set} of the insecure step`);
      assert.strictEqual(s.Seccomp, '0');
    });

    it('keeps the default set and seccomp for the normal steps of the same build', () => {
      const s = statusOf(run, 'normal');
      assert.strictEqual(s.CapEff, DEFAULT_CAPS);
      assert.strictEqual(s.CapBnd, DEFAULT_CAPS);
      assert.strictEqual(s.CapAmb, '0000000000000000');
      assert.strictEqual(s.Seccomp, '2');
    });

    it('gives a non-root user every capability through the ambient set, and none by default', () => {
      const p = statusOf(run, 'insecure-user');
      const line = stepEvents(run, 'step-output').map((e) => e.line).find((l) => l.startsWith('insecure-user '));
      assert.match(line ?? '', /^insecure-user 1000 /);
      for (const set of ['CapEff', 'CapPrm', 'CapAmb']) assert.strictEqual(p[set], fullMask(), `${set} of uid 1000`);
      assert.strictEqual(p.Seccomp, '0');
      const n = statusOf(run, 'normal-user');
      assert.strictEqual(n.CapEff, '0000000000000000');
      assert.strictEqual(n.CapAmb, '0000000000000000');
      assert.strictEqual(n.Seccomp, '2');
    });

    it('lets the insecure step mount a tmpfs, which a default step cannot, and nothing of it reaches a layer', async () => {
      const lines = stepEvents(run, 'step-output').map((e) => e.line);
      assert.ok(lines.includes('default-mount refused'), lines.join('\n'));
      assert.ok(lines.includes('insecure-mount 1'), lines.join('\n'));
      const files = await imageFiles(store, 'privileged:1');
      assert.ok(files.lookup('/kept'), 'the privileged step\'s own file is in its layer');
      assert.ok(files.lookup('/mnt/p'), 'the mount point directory is in the layer');
      assert.deepStrictEqual(files.readdir('/mnt/p'), []);
      for (const tar of await layerTars(store, 'privileged:1')) assert.ok(!tar.includes(LEAK), 'a layer holds what was written on the tmpfs');
    });

    it('mounts the step\'s own /sys read-write only for the insecure step', () => {
      const lines = stepEvents(run, 'step-output').map((e) => e.line);
      assert.ok(lines.includes('insecure-sys rw'), lines.join('\n'));
      assert.ok(lines.includes('normal-sys ro'), lines.join('\n'));
    });
  });
});
