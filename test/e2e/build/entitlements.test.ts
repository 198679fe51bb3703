// RUN --security=insecure needs `--allow security.insecure` (as buildx's entitlement); the runtime
// cannot yet run a step with every capability and no seccomp filter, so even with the
// entitlement the step is refused with a located, clear error instead of running confined.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, build, storeWithBusybox, stepEvents, tempDir, writeTree } from './buildFixture';

describe('build: entitlements (busybox)', function () {
  this.timeout(120000);
  let work: string;
  let store: string;
  let ctx: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-allow-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: 'FROM busybox:e2e\nRUN echo fine\nRUN --security=insecure cat /proc/self/status\n' });
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
  });

  it('with the entitlement, says the runtime cannot run it yet (never runs it confined)', async () => {
    const r = await build(['--allow', 'security.insecure', ctx], { store });
    assert.strictEqual(r.code, 1);
    assert.match(stepEvents(r, 'build-failed')[0].message, /not supported yet: the container runtime cannot run a step with every capability/);
    const bad = await build(['--allow', 'device', ctx], { store });
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--allow device: expected security.insecure or network.host/);
  });
});
