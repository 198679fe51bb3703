// Shared set-up for the container end-to-end tests: a busybox image imported through the store API,
// and the real CLI (dist/cli.js, with the helper next to it) run as a child process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { CLI, HELPER, REPO, runLayerlens, runLayerlensOk, type CliOptions, type CliResult } from '../../fixtures/layerlensCli';

export { CLI, HELPER, REPO, type CliOptions, type CliResult } from '../../fixtures/layerlensCli';

/** Runs the CLI without blocking this process (a blocked event loop would hold the store's lock). */
export function cli(args: string[], o: CliOptions): Promise<CliResult> {
  return runLayerlens(args, { timeoutMs: 60000, ...o });
}

/** Runs and asserts exit 0, returning stdout. */
export function cliOk(args: string[], o: CliOptions): Promise<string> {
  return runLayerlensOk(args, { timeoutMs: 60000, ...o });
}

/** Waits until `check` resolves true (polling), or fails after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function assertBuilt(): void {
  for (const file of [CLI, HELPER]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the end-to-end tests`);
  }
}

/** A store with busybox imported as `busybox:e2e` (its Cmd is /bin/sh). */
export async function storeWithBusybox(work: string): Promise<{ store: ImageStore; rootfs: string }> {
  const rootfs = makeBusyboxRootfs(path.join(work, 'rootfs'));
  const tarball = packRootfs(rootfs, path.join(work, 'rootfs.tar'));
  const store = await ImageStore.open(path.join(work, 'store'));
  await store.importRootfsTarball(tarball, 'busybox:e2e', { config: { Cmd: ['/bin/sh'], Env: ['FROM_IMAGE=yes'] } });
  return { store, rootfs };
}

/** The same, in a store that `user` owns and fills itself (through the store API), as in practice. */
export function userStoreWithBusybox(work: string, user: { name: string; uid: number; gid: number }): string {
  const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
  fs.chmodSync(tarball, 0o644);
  const storeDir = path.join(work, 'store');
  fs.mkdirSync(storeDir);
  fs.chownSync(storeDir, user.uid, user.gid);
  const script = `require(${JSON.stringify(path.join(REPO, 'out/runner/store/imageStore.js'))}).ImageStore.open(${JSON.stringify(storeDir)})` +
    `.then((s) => s.importRootfsTarball(${JSON.stringify(tarball)}, 'busybox:e2e', { config: { Cmd: ['/bin/sh'] } }))`;
  const r = spawnSync('runuser', ['-u', user.name, '--', process.execPath, '-e', script], { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(`import as ${user.name} failed: ${r.stderr}`);
  return storeDir;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

