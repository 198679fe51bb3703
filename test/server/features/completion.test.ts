import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { LspClient } from '../lspClient';

interface Item { label: string; kind?: number; detail?: string; insertTextFormat?: number; textEdit?: { newText: string; range: { start: { character: number } } } }
interface List { isIncomplete: boolean; items: Item[] }

function marked(text: string): { text: string; position: { line: number; character: number } } {
  const at = text.indexOf('|');
  const before = text.slice(0, at).split('\n');
  return { text: text.slice(0, at) + text.slice(at + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

let documents = 0;
async function completeAt(client: LspClient, source: string, uri = `file:///tmp/completion-${++documents}/Dockerfile`): Promise<List> {
  const { text, position } = marked(source);
  await client.open(uri, text);
  const result = await client.request<List | Item[] | null>('textDocument/completion', { textDocument: { uri }, position });
  assert.ok(result, 'a completion answer');
  return Array.isArray(result) ? { isIncomplete: false, items: result } : result;
}

const labels = (list: List) => list.items.map((i) => i.label);

/** Initializes like VS Code does as far as completion goes: snippets are expanded. */
async function initializeWithSnippets(client: LspClient): Promise<void> {
  await client.connection.sendRequest('initialize', {
    processId: process.pid, rootUri: null, capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  });
  await client.connection.sendNotification('initialized', {});
}

describe('completion over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await initializeWithSnippets(client);
  });
  after(() => client.stop());

  it('offers only FROM and ARG before the first FROM, every instruction after it', async () => {
    const first = labels(await completeAt(client, '|'));
    assert.ok(first.includes('FROM') && first.includes('ARG'), first.join());
    assert.ok(!first.includes('RUN'), first.join());
    const later = labels(await completeAt(client, 'FROM busybox\nR|'));
    for (const name of ['RUN', 'COPY', 'ADD', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'STOPSIGNAL']) assert.ok(later.includes(name), `${name} in ${later.join()}`);
  });

  it('offers snippets for common instructions, with the file\'s escape character', async () => {
    const list = await completeAt(client, 'FROM debian\n|');
    const apt = list.items.find((i) => i.label === 'RUN apt-get install');
    assert.ok(apt, labels(list).join());
    assert.strictEqual(apt.insertTextFormat, 2);
    assert.match(apt.textEdit?.newText ?? '', /--no-install-recommends \$\{1:package\} \\\\\n {4}&& rm -rf \/var\/lib\/apt\/lists\/\*/);
    const backtick = await completeAt(client, '# escape=`\nFROM debian\n|');
    const aptBacktick = backtick.items.find((i) => i.label === 'RUN apt-get install');
    assert.match(aptBacktick?.textEdit?.newText ?? '', /apt-get update `\n/);
  });

  it('leaves snippets out for a client that does not expand them', async () => {
    const plain = new LspClient();
    try {
      await plain.initialize();
      const list = await completeAt(plain, 'FROM debian\n|');
      assert.ok(labels(list).includes('RUN'), labels(list).join());
      assert.deepStrictEqual(list.items.filter((i) => i.insertTextFormat === 2), []);
    } finally {
      await plain.stop();
    }
  });

  it('follows the file\'s lower-case instruction style', async () => {
    const list = labels(await completeAt(client, 'from busybox\nrun true\n|'));
    assert.ok(list.includes('copy') && !list.includes('COPY'), list.join());
  });

  it('offers the instructions ONBUILD allows', async () => {
    const list = labels(await completeAt(client, 'FROM busybox\nONBUILD |'));
    assert.ok(list.includes('RUN') && list.includes('COPY'), list.join());
    for (const banned of ['FROM', 'ONBUILD', 'MAINTAINER']) assert.ok(!list.includes(banned), `${banned} offered in ONBUILD`);
  });

  it('offers the flags of each instruction, BuildKit\'s newer ones included', async () => {
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nRUN --|')).filter((l) => !l.includes('=')), ['--mount', '--network', '--security', '--device']);
    const copy = labels(await completeAt(client, 'FROM busybox\nCOPY --|'));
    assert.deepStrictEqual(copy, ['--from', '--chown', '--chmod', '--link', '--parents', '--exclude']);
    const add = labels(await completeAt(client, 'FROM busybox\nADD --|'));
    for (const flag of ['--checksum', '--keep-git-dir', '--unpack', '--link', '--chmod']) assert.ok(add.includes(flag), `${flag} in ${add.join()}`);
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM --|')), ['--platform']);
  });

  it('leaves out a flag already given, but keeps repeatable ones', async () => {
    const list = labels(await completeAt(client, 'FROM busybox\nCOPY --link --exclude=*.md --| a /a'));
    assert.ok(!list.includes('--link'), list.join());
    assert.ok(list.includes('--exclude'), list.join());
  });

  it('offers --mount types, and the fields of the chosen type', async () => {
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nRUN --mount=type=|')), ['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
    const cache = labels(await completeAt(client, 'FROM busybox\nRUN --mount=type=cache,|'));
    for (const field of ['target=', 'id=', 'sharing=', 'readonly', 'mode=', 'uid=']) assert.ok(cache.includes(field), `${field} in ${cache.join()}`);
    assert.ok(!cache.includes('type='), 'type is already given');
    const secret = labels(await completeAt(client, 'FROM busybox\nRUN --mount=type=secret,id=x,|'));
    assert.ok(secret.includes('env=') && secret.includes('required=') && !secret.includes('id=') && !secret.includes('sharing='), secret.join());
  });

  it('offers values for --mount fields and value flags', async () => {
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nRUN --mount=type=cache,sharing=|')), ['shared', 'private', 'locked']);
    const targets = labels(await completeAt(client, 'FROM busybox\nRUN --mount=type=cache,target=|'));
    assert.ok(targets.includes('/var/cache/apt') && targets.includes('/root/.cache/pip'), targets.join());
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nRUN --network=|')), ['default', 'none', 'host']);
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nRUN --security=|')), ['sandbox', 'insecure']);
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nADD --checksum=| https://example.com/a.tgz /a')), ['sha256:']);
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nADD --keep-git-dir=| https://github.com/a/b.git /b')), ['true', 'false']);
    assert.ok(labels(await completeAt(client, 'FROM --platform=|')).includes('$BUILDPLATFORM'));
  });

  it('replaces exactly the typed part of a flag value', async () => {
    const list = await completeAt(client, 'FROM busybox\nRUN --mount=type=cache,sharing=lo|');
    const locked = list.items.find((i) => i.label === 'locked');
    assert.strictEqual(locked?.textEdit?.range.start.character, 'RUN --mount=type=cache,sharing='.length);
  });

  it('offers earlier stage names after COPY --from= and in FROM, never later ones', async () => {
    const text = 'FROM busybox AS deps\nRUN true\nFROM busybox AS build\nCOPY --from=| /a /a\nFROM busybox AS late\n';
    const list = labels(await completeAt(client, text));
    assert.ok(list.includes('deps'), list.join());
    assert.ok(!list.includes('build') && !list.includes('late'), list.join());
    const from = labels(await completeAt(client, 'FROM busybox AS deps\nFROM |'));
    assert.ok(from.includes('deps') && from.includes('scratch'), from.join());
    const mount = labels(await completeAt(client, 'FROM busybox AS deps\nFROM busybox\nRUN --mount=from=|'));
    assert.ok(mount.includes('deps'), mount.join());
  });

  it('offers the ARG and ENV names in scope inside ${ and after $', async () => {
    const text = 'ARG GLOBAL=1\nFROM busybox\nARG VERSION=2\nENV APP_HOME=/app\nRUN echo ${|\nENV LATER=1\n';
    const list = await completeAt(client, text);
    const names = labels(list);
    assert.ok(names.includes('VERSION') && names.includes('APP_HOME'), names.join());
    assert.ok(!names.includes('LATER'), 'a later ENV is not in scope');
    assert.ok(!names.includes('GLOBAL'), 'a global ARG is not in scope inside a stage without ARG');
    assert.strictEqual(list.items.find((i) => i.label === 'APP_HOME')?.textEdit?.newText, 'APP_HOME}');
    const bare = labels(await completeAt(client, 'FROM busybox\nENV APP_HOME=/app\nWORKDIR $AP|'));
    assert.ok(bare.includes('APP_HOME'), bare.join());
    const inFrom = labels(await completeAt(client, 'ARG BASE=busybox\nFROM ${|}'));
    assert.ok(inFrom.includes('BASE') && inFrom.includes('TARGETPLATFORM'), inFrom.join());
  });

  it('offers global and predefined build args to declare in a stage', async () => {
    const list = labels(await completeAt(client, 'ARG VERSION=1\nFROM busybox\nARG |'));
    assert.ok(list.includes('VERSION') && list.includes('TARGETARCH'), list.join());
  });

  it('offers parser directives and their values only at the top of the file', async () => {
    assert.deepStrictEqual(labels(await completeAt(client, '# |\nFROM busybox')), ['syntax=', 'escape=', 'check=']);
    assert.ok(labels(await completeAt(client, '# syntax=|\nFROM busybox')).includes('docker/dockerfile:1'));
    assert.deepStrictEqual(labels(await completeAt(client, '# check=|\nFROM busybox')), ['skip=', 'error=', 'experimental=']);
    const checks = labels(await completeAt(client, '# check=error=true;skip=StageNameCasing,|\nFROM busybox'));
    assert.ok(checks.includes('UndefinedVar') && checks.includes('all') && !checks.includes('StageNameCasing'), checks.join());
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\n# |')), []);
  });

  it('offers CMD/NONE after HEALTHCHECK and signal names after STOPSIGNAL', async () => {
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox\nHEALTHCHECK --interval=5s |')), ['CMD', 'NONE']);
    assert.ok(labels(await completeAt(client, 'FROM busybox\nSTOPSIGNAL |')).includes('SIGTERM'));
  });

  it('offers AS after the base image', async () => {
    assert.deepStrictEqual(labels(await completeAt(client, 'FROM busybox |')), ['AS']);
  });
});

describe('completion of images and tags', () => {
  let client: LspClient;
  let storeDir: string;
  let registry: ChildProcess | undefined;
  let registryDir: string;
  let registryHost: string;

  before(async function () {
    this.timeout(60000);
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-completion-store-'));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-completion-rootfs-'));
    const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
    const store = await ImageStore.open(storeDir);
    await store.importRootfsTarball(tarball, 'completion-test/tools:1.0');
    await store.tagImage('completion-test/tools:1.0', 'completion-test/tools:2.0-slim');
    fs.rmSync(work, { recursive: true, force: true });

    registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-completion-registry-'));
    const port = await freePort();
    registryHost = `127.0.0.1:${port}`;
    fs.writeFileSync(path.join(registryDir, 'config.yml'),
      `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${registryDir}/data\nhttp:\n  addr: ${registryHost}\n`);
    registry = spawn('docker-registry', ['serve', path.join(registryDir, 'config.yml')], { stdio: 'ignore' });
    await waitForRegistry(registryHost);
    for (const tag of ['1.9', '1.10', 'latest', '1.2-alpine']) await pushTinyImage(registryHost, 'team/app', tag);

    const previous = process.env.LAYERLENS_STORE;
    process.env.LAYERLENS_STORE = storeDir;
    try {
      client = new LspClient();
    } finally {
      if (previous === undefined) delete process.env.LAYERLENS_STORE;
      else process.env.LAYERLENS_STORE = previous;
    }
    await initializeWithSnippets(client);
  });
  after(async () => {
    await client?.stop();
    registry?.kill();
    fs.rmSync(storeDir, { recursive: true, force: true });
    if (registryDir) fs.rmSync(registryDir, { recursive: true, force: true });
  });

  it('offers image names from the local store, soon after the first request', async () => {
    const list = await eventually(() => completeAt(client, 'FROM |'), (l) => labels(l).includes('completion-test/tools:1.0'));
    assert.ok(labels(list).includes('completion-test/tools:2.0-slim'), labels(list).join());
    assert.match(list.items.find((i) => i.label === 'completion-test/tools:1.0')?.detail ?? '', /local store · [\d.]+ [kM]B · 1 layers/);
  });

  it('offers the local tags of a repository after the colon', async () => {
    const list = await eventually(() => completeAt(client, 'FROM completion-test/tools:|'), (l) => labels(l).includes('1.0'));
    assert.ok(labels(list).includes('2.0-slim'), labels(list).join());
  });

  it('fetches a registry\'s tag list in the background: incomplete first, the tags on a later request', async () => {
    const uri = 'file:///tmp/completion-registry/Dockerfile';
    const text = `FROM ${registryHost}/team/app:|`;
    const first = await completeAt(client, text, uri);
    assert.ok(first.isIncomplete || labels(first).includes('1.10'), 'either still fetching (and says so) or already known');
    const later = await eventually(() => completeAt(client, text, uri), (l) => labels(l).includes('1.10'));
    assert.deepStrictEqual(labels(later), ['latest', '1.10', '1.9', '1.2-alpine']);
    assert.strictEqual(later.isIncomplete, false);
  });

  it('answers at once (and marks nothing pending forever) for an unreachable registry', async () => {
    const port = await freePort();
    const uri = 'file:///tmp/completion-unreachable/Dockerfile';
    const started = Date.now();
    const first = await completeAt(client, `FROM 127.0.0.1:${port}/nobody/here:|`, uri);
    assert.ok(Date.now() - started < 2000, 'the request did not wait for the network');
    assert.deepStrictEqual(labels(first), []);
    const settled = await eventually(() => completeAt(client, `FROM 127.0.0.1:${port}/nobody/here:|`, uri), (l) => !l.isIncomplete);
    assert.deepStrictEqual(labels(settled), []);
  });
});

async function eventually(get: () => Promise<List>, ok: (list: List) => boolean, ms = 10000): Promise<List> {
  const deadline = Date.now() + ms;
  for (;;) {
    const list = await get();
    if (ok(list) || Date.now() > deadline) return list;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForRegistry(host: string): Promise<void> {
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      if ((await fetch(`http://${host}/v2/`)).ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`docker-registry did not start on ${host} (apt-get install docker-registry)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pushes a one-layer OCI image under `name:tag` with the distribution API (monolithic uploads). */
async function pushTinyImage(host: string, name: string, tag: string): Promise<void> {
  const blob = async (content: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const start = await fetch(`http://${host}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    assert.strictEqual(start.status, 202);
    const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: content, headers: { 'content-type': 'application/octet-stream' } });
    assert.strictEqual(put.status, 201, await put.text());
    return { digest, size: content.length };
  };
  const layer = await blob(Buffer.from(`layer of ${tag}`));
  const config = await blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  };
  const put = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
    method: 'PUT', body: JSON.stringify(manifest), headers: { 'content-type': manifest.mediaType },
  });
  assert.strictEqual(put.status, 201, await put.text());
}
