// Builds the same Dockerfile with layerlens and with `buildah bud` (Debian's buildah, chroot
// isolation, docker format) and compares the resulting file systems (type, mode, owner, size,
// content, link target; times aside) and image configs. Skipped only where buildah is not
// installed (CI installs it: see docs/build.md).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertBuilt, buildOk, image, imageFiles, storeWithBusybox, writeTree } from './buildFixture';
import type { LayerUnion } from '../../../runner/build/layerUnion';

const DOCKERFILE = `FROM busybox:e2e AS builder
RUN mkdir -p /out/sub && echo built > /out/artifact && echo deep > /out/sub/deep && chmod 0750 /out

FROM busybox:e2e
ARG VERSION=1
ENV APP=/app VERSION=$VERSION
LABEL org.example.name=compare
WORKDIR /app
COPY --chown=nobody:nogroup --chmod=640 config.txt conf.txt
COPY src/ ./src/
COPY --from=builder /out /opt/out
ADD archive.tar.gz /opt/
RUN echo "$VERSION" > version.txt && rm /bin/vi && ln -s /app/version.txt /v && mkdir -p /var/made && chown nobody /var/made
EXPOSE 8080
VOLUME /data
STOPSIGNAL SIGTERM
USER nobody
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/version.txt"]
`;

function buildahAvailable(): boolean {
  try {
    execFileSync('buildah', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

type Listing = Map<string, string>;

function describeEntry(st: fs.Stats, content: () => Buffer, link: () => string): string {
  const kind = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? `link:${link()}` : st.isFile() ? `file:${st.size}:${createHash('sha256').update(content()).digest('hex').slice(0, 16)}` : 'other';
  return `${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
}

function listHostTree(root: string, skip: Set<string>): Listing {
  const out: Listing = new Map();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const p = `${rel}/${name}`;
      if (skip.has(p)) continue;
      const host = path.join(root, p);
      const st = fs.lstatSync(host);
      out.set(p, describeEntry(st, () => fs.readFileSync(host), () => fs.readlinkSync(host)));
      if (st.isDirectory()) walk(p);
    }
  };
  walk('');
  return out;
}

function listUnion(u: LayerUnion, skip: Set<string>): Listing {
  const out: Listing = new Map();
  const walk = (dir: string) => {
    for (const name of u.readdir(dir).sort()) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (skip.has(p)) continue;
      const entry = u.lookup(p);
      if (!entry) continue;
      out.set(p, describeEntry(entry.stat, () => fs.readFileSync(entry.hostPath), () => fs.readlinkSync(entry.hostPath)));
      if (entry.stat.isDirectory()) walk(p);
    }
  };
  walk('/');
  return out;
}

describe('build: compared with buildah bud', function () {
  this.timeout(300000);
  let work: string;
  let store: string;
  let ctx: string;
  let buildah: (...args: string[]) => string;

  before(async function () {
    if (!buildahAvailable()) this.skip();
    assertBuilt();
    // buildah names an oci: source after its path, which must be lower case.
    work = path.join(os.tmpdir(), `layerlens-build-buildah-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(work);
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE, 'config.txt': 'key=value\n', 'src/main.txt': 'main\n', 'src/lib/util.txt': 'util\n' });
    writeTree(path.join(work, 'pkg'), { 'pkg/file.txt': 'from the archive\n' });
    execFileSync('tar', ['-czf', path.join(ctx, 'archive.tar.gz'), '-C', path.join(work, 'pkg'), 'pkg']);
    const storage = ['--root', path.join(work, 'buildah-root'), '--runroot', path.join(work, 'buildah-runroot'), '--storage-driver', 'vfs'];
    buildah = (...args: string[]) => execFileSync('buildah', [...storage, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    buildah('pull', '-q', `oci:${store}:docker.io/library/busybox:e2e`);
    const pulled = buildah('images', '-q', '--noheading').trim().split('\n')[0];
    buildah('tag', pulled, 'docker.io/library/busybox:e2e');
    await buildOk(['-t', 'compare:ours', '--build-arg', 'VERSION=3', ctx], { store });
    buildah('bud', '--pull=never', '--isolation=chroot', '--format', 'docker', '--build-arg', 'VERSION=3', '-t', 'compare:buildah', ctx);
  });

  after(() => {
    if (!work) return;
    try {
      buildah('rm', '--all');
    } catch {
      // nothing mounted
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('makes the same file system', async () => {
    const container = buildah('from', '--pull=never', 'compare:buildah').trim();
    const mount = buildah('mount', container).trim();
    try {
      // The runtime's mount points: buildah leaves some of them in the image, layerlens none.
      const skip = new Set(['/proc', '/sys', '/dev', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/run']);
      const theirs = listHostTree(mount, skip);
      const ours = listUnion(await imageFiles(store, 'compare:ours'), skip);
      const differences: string[] = [];
      for (const key of new Set([...theirs.keys(), ...ours.keys()])) {
        if (theirs.get(key) !== ours.get(key)) differences.push(`${key}: buildah ${theirs.get(key) ?? '(missing)'} / layerlens ${ours.get(key) ?? '(missing)'}`);
      }
      // The one known difference: BuildKit (and so layerlens) gives a directory that COPY creates
      // the mode of the source directory (fsutil's copyDirectory); buildah always uses 0755.
      assert.deepStrictEqual(differences, ['/opt/out: buildah dir 755 0:0 / layerlens dir 750 0:0']);
      assert.ok(ours.size > 250, `the whole busybox tree was compared (${ours.size} entries)`);
    } finally {
      buildah('umount', container);
      buildah('rm', container);
    }
  });

  it('writes the same config', async () => {
    const inspected = JSON.parse(buildah('inspect', '--type', 'image', 'compare:buildah')) as { Docker: { config: Record<string, unknown> } };
    const theirs = Object.fromEntries(Object.entries(inspected.Docker.config).filter(([, v]) => v !== null && v !== '' && v !== false));
    delete (theirs.Labels as Record<string, string>)['io.buildah.version'];
    const ours = (await image(store, 'compare:ours')).config.config as Record<string, unknown>;
    for (const field of ['Env', 'Entrypoint', 'Cmd', 'WorkingDir', 'User', 'Labels', 'ExposedPorts', 'Volumes', 'StopSignal']) {
      assert.deepStrictEqual(ours[field], theirs[field], field);
    }
  });
});
