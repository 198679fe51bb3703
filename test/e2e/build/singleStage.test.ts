// One Dockerfile that uses every instruction, built with the real CLI against the busybox image,
// then checked file by file, in its config and history, and run.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { assertBuilt, build, buildOk, cliOk, finishedSteps, image, imageFiles, layerTars, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const download = Buffer.from('downloaded payload\n');
const downloadSum = createHash('sha256').update(download).digest('hex');

function dockerfile(port: number): string {
  return `# syntax=docker/dockerfile:1.7-labs
FROM busybox:e2e
ARG VERSION=1
ARG UNSET_ARG
LABEL org.opencontainers.image.version=$VERSION team="core team"
ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH
WORKDIR $APP_HOME
COPY --chown=nobody:nogroup --chmod=0640 config.txt conf/
COPY src/ ./src/
COPY *.md docs/
COPY --exclude=*.log logs/ ./logs/
COPY --parents deep/a/x.txt deep/b/y.txt /parents/
COPY . /ctx/
COPY <<EOF /etc/motd
welcome $VERSION
EOF
COPY --link single.txt /linked/renamed.txt
ADD archive.tar.gz /opt/
ADD --checksum=sha256:${downloadSum} http://127.0.0.1:${port}/files/download.bin /downloads/
RUN echo "version=$VERSION home=$APP_HOME" > /srv/app/info && mkdir -p bin && printf '#!/bin/sh\\necho tool-ran\\n' > bin/tool && chmod +x bin/tool
RUN ["/bin/sh", "-c", "echo exec-form > /srv/app/exec.txt"]
RUN <<EOF
echo heredoc-one > /srv/app/heredoc.txt
echo heredoc-two >> /srv/app/heredoc.txt
EOF
RUN <<EOF
#!/bin/sh
echo shebang-ran > /srv/app/shebang.txt
EOF
SHELL ["/bin/sh", "-ec"]
RUN rm /srv/app/src/remove-me.txt && rm /bin/vi
RUN rm -rf /ctx/deep && mkdir /ctx/deep && echo fresh > /ctx/deep/fresh.txt
EXPOSE 8080 53/udp
VOLUME /data
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --retries=2 CMD wget -q -O- http://localhost:8080/ || exit 1
ONBUILD RUN echo triggered > /onbuild.txt
MAINTAINER layerlens
USER nobody
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo $APP_HOME; id -un; pwd; tool; echo $FROM_IMAGE"]
`;
}

describe('build: one stage, every instruction (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;
  let ctx: string;
  let server: http.Server;
  let port: number;
  let result: Awaited<ReturnType<typeof buildOk>>;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-single-');
    store = await storeWithBusybox(work);
    server = http.createServer((req, res) => {
      if (req.url === '/files/download.bin') {
        res.writeHead(200, { 'Last-Modified': new Date(1_600_000_000_000).toUTCString() });
        res.end(download);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    ctx = writeTree(path.join(work, 'ctx'), {
      'config.txt': 'key=value\n',
      'src/main.txt': 'main\n',
      'src/remove-me.txt': 'to be removed\n',
      'README.md': '# readme\n',
      'NOTES.md': 'notes\n',
      'logs/a.log': 'log a\n',
      'logs/keep.log': 'kept by an exception\n',
      'logs/data.txt': 'data\n',
      'deep/a/x.txt': 'x\n',
      'deep/b/y.txt': 'y\n',
      'deep/c/z.txt': 'z\n',
      'single.txt': 'single\n',
      'secret-dir/token': 'never sent\n',
      'ignored.log': 'ignored\n',
      '.dockerignore': '*.log\n**/*.log\n!logs/keep.log\nsecret-dir\n',
    });
    writeTree(path.join(work, 'pkg'), { 'pkg/file.txt': 'from the archive\n', 'pkg/bin/run': '#!/bin/sh\n' });
    execFileSync('tar', ['-czf', path.join(ctx, 'archive.tar.gz'), '-C', path.join(work, 'pkg'), 'pkg']);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile(port));
    result = await buildOk(['-t', 'every:1', '--build-arg', 'VERSION=7', ctx], { store });
  });

  after(async () => {
    server?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('reports every step, with layer sizes, and finishes with the image id', () => {
    const steps = finishedSteps(result);
    assert.strictEqual(steps.length, 31);
    assert.ok(steps.every((s) => !s.cached), 'a first build runs everything');
    const run = steps.find((s) => s.display.startsWith('RUN echo "version'));
    assert.ok(run?.bytes && run.bytes > 0, 'RUN has a measured layer');
    const finished = stepEvents(result, 'build-finished')[0];
    assert.ok(finished.imageId.startsWith('sha256:'));
    assert.deepStrictEqual(finished.tags, ['docker.io/library/every:1']);
  });

  it('writes the files COPY, ADD and RUN made, with owners, modes and .dockerignore applied', async () => {
    const files = await imageFiles(store, 'every:1');
    const read = (p: string) => files.readFile(p)?.toString();
    const conf = files.lookup('/srv/app/conf/config.txt');
    assert.ok(conf);
    assert.deepStrictEqual([conf.stat.mode & 0o7777, conf.stat.uid, conf.stat.gid], [0o640, 65534, 65534]);
    assert.strictEqual(read('/srv/app/src/main.txt'), 'main\n');
    assert.deepStrictEqual(files.readdir('/srv/app/docs').sort(), ['NOTES.md', 'README.md']);
    assert.deepStrictEqual(files.readdir('/srv/app/logs').sort(), ['data.txt'], '--exclude drops *.log');
    assert.deepStrictEqual(files.readdir('/parents/deep').sort(), ['a', 'b'], '--parents keeps the directories');
    assert.strictEqual(read('/parents/deep/a/x.txt'), 'x\n');
    assert.strictEqual(read('/etc/motd'), 'welcome 7\n');
    assert.strictEqual(read('/linked/renamed.txt'), 'single\n');
    assert.strictEqual(read('/opt/pkg/file.txt'), 'from the archive\n', 'ADD unpacks a local tar.gz');
    assert.strictEqual(files.lookup('/opt/archive.tar.gz'), undefined);
    const fetched = files.lookup('/downloads/download.bin');
    assert.strictEqual(read('/downloads/download.bin'), download.toString());
    assert.strictEqual((fetched?.stat.mode ?? 0) & 0o777, 0o600);
    assert.strictEqual(Math.floor((fetched?.stat.mtimeMs ?? 0) / 1000), 1_600_000_000, 'Last-Modified time');
    assert.strictEqual(read('/srv/app/info'), 'version=7 home=/srv/app\n');
    assert.strictEqual(read('/srv/app/exec.txt'), 'exec-form\n');
    assert.strictEqual(read('/srv/app/heredoc.txt'), 'heredoc-one\nheredoc-two\n');
    assert.strictEqual(read('/srv/app/shebang.txt'), 'shebang-ran\n');
    // .dockerignore: ignored files never reach the image; the exception does
    assert.deepStrictEqual(files.readdir('/ctx/logs').sort(), ['data.txt', 'keep.log']);
    assert.strictEqual(files.lookup('/ctx/secret-dir'), undefined);
    assert.strictEqual(files.lookup('/ctx/ignored.log'), undefined);
    // whiteouts: removed in a later layer, gone from the image
    assert.strictEqual(files.lookup('/srv/app/src/remove-me.txt'), undefined);
    assert.strictEqual(files.lookup('/bin/vi'), undefined);
    assert.ok(files.lookup('/bin/ls'));
    // a directory removed and made again in one RUN is opaque: nothing of the lower one shows
    assert.deepStrictEqual(files.readdir('/ctx/deep'), ['fresh.txt']);
    const tars = await layerTars(store, 'every:1');
    assert.ok(tars.some((t) => t.includes('ctx/deep/.wh..wh..opq')), 'the layer carries an opaque whiteout');
    // mount points the runtime made are not part of any layer
    assert.strictEqual(files.lookup('/etc/hosts'), undefined);
    assert.strictEqual(files.lookup('/etc/resolv.conf'), undefined);
  });

  it('writes the config and history as Docker images carry them', async () => {
    const img = await image(store, 'every:1');
    const c = img.config.config ?? {};
    assert.deepStrictEqual(c.Env, ['FROM_IMAGE=yes', 'PATH=/srv/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/srv/app']);
    assert.deepStrictEqual(c.Labels, { 'org.opencontainers.image.version': '7', team: 'core team' });
    assert.deepStrictEqual(c.ExposedPorts, { '53/udp': {}, '8080/tcp': {} });
    assert.deepStrictEqual(c.Volumes, { '/data': {} });
    assert.strictEqual(c.StopSignal, 'SIGINT');
    assert.deepStrictEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'wget -q -O- http://localhost:8080/ || exit 1'], Interval: 5e9, Retries: 2 });
    assert.deepStrictEqual(c.OnBuild, ['RUN echo triggered > /onbuild.txt']);
    assert.strictEqual(c.User, 'nobody');
    assert.strictEqual(c.WorkingDir, '/srv/app');
    assert.deepStrictEqual(c.Entrypoint, ['/bin/sh', '-c']);
    assert.deepStrictEqual(c.Cmd, ['echo $APP_HOME; id -un; pwd; tool; echo $FROM_IMAGE']);
    assert.deepStrictEqual(c.Shell, ['/bin/sh', '-ec']);
    assert.strictEqual(img.config.author, 'layerlens');
    const history = img.config.history ?? [];
    assert.strictEqual(history[0].created_by, 'layerlens import', 'the base image history comes first');
    const ours = history.slice(1);
    assert.ok(ours.every((h) => h.comment === 'buildkit.dockerfile.v0'));
    assert.strictEqual(history.filter((h) => !h.empty_layer).length, img.layers.length, 'one history entry per layer');
    const by = ours.map((h) => h.created_by ?? '');
    assert.ok(by.includes('RUN |2 VERSION=7 UNSET_ARG= /bin/sh -c echo "version=$VERSION home=$APP_HOME" > /srv/app/info && mkdir -p bin && printf \'#!/bin/sh\\necho tool-ran\\n\' > bin/tool && chmod +x bin/tool # buildkit'), by.join('\n'));
    // exec form: the argv as written, joined (here it names the shell itself)
    assert.ok(by.includes('RUN |2 VERSION=7 UNSET_ARG= /bin/sh -c echo exec-form > /srv/app/exec.txt # buildkit'));
    assert.ok(by.includes('RUN |2 VERSION=7 UNSET_ARG= /bin/sh -ec rm /srv/app/src/remove-me.txt && rm /bin/vi # buildkit'), 'SHELL applies to later RUNs');
    assert.ok(by.includes('COPY --chown=nobody:nogroup --chmod=0640 config.txt conf/ # buildkit'));
    assert.ok(by.includes('WORKDIR /srv/app'));
    assert.ok(by.includes('EXPOSE [8080/tcp 53/udp]'));
    assert.ok(!by.some((b) => b.startsWith('ONBUILD')), 'ONBUILD leaves no history entry');
  });

  it('runs with the CMD, ENV, USER and WORKDIR it was built with', async () => {
    const out = await cliOk(['run', '--rm', 'every:1'], { store });
    assert.deepStrictEqual(out.trim().split('\n'), ['/srv/app', 'nobody', '/srv/app', 'tool-ran', 'yes']);
  });

  it('a failing RUN reports its exit code, last lines and line; nothing is tagged or left behind', async () => {
    const failing = writeTree(path.join(work, 'failing'), {
      Dockerfile: 'FROM busybox:e2e\nRUN echo ok > /ok\nRUN echo first; echo second >&2; exit 3\nRUN echo never\n',
    });
    const storeRoot = (await ImageStore.open(store)).tmpDir;
    const before = new Set(fs.readdirSync(storeRoot));
    const r = await build(['-t', 'failing:1', failing], { store });
    assert.strictEqual(r.code, 1);
    const failed = stepEvents(r, 'step-failed')[0];
    assert.strictEqual(failed.exitCode, 3);
    assert.deepStrictEqual(failed.lastLines, ['first', 'second']);
    assert.strictEqual(failed.range.start.line, 2);
    const buildFailed = stepEvents(r, 'build-failed')[0];
    assert.strictEqual(buildFailed.exitCode, 3);
    assert.ok(!stepEvents(r, 'step-started').some((e) => e.display === 'RUN echo never'));
    assert.strictEqual(await (await ImageStore.open(store)).resolveImage('failing:1'), undefined, 'nothing half-built is tagged');
    const left = fs.readdirSync(storeRoot).filter((n) => !before.has(n));
    assert.deepStrictEqual(left, [], 'scratch space is removed');
    // plain progress names the Dockerfile line
    const plain = await build(['--progress=plain', failing], { store });
    assert.match(plain.stderr, /Dockerfile:3: RUN .* exited with code 3/);
  });
});
