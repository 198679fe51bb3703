// End to end against Debian's docker-registry on 127.0.0.1: import a busybox root filesystem,
// push it, remove it, pull it back, compare digests; skopeo and umoci as independent oracles;
// image indexes with platform selection, zstd layers, token auth, redirects and resumed downloads.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { RegistryClient } from '../../../runner/registry/registryClient';
import { ImageStore } from '../../../runner/store/imageStore';
import { MediaTypes } from '../../../runner/store/ociTypes';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { LocalRegistry, startLocalRegistry } from '../../fixtures/localRegistry';
import { layerlens, layerlensOk } from './cliHelpers';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('registry end to end (docker-registry on 127.0.0.1)', function () {
  this.timeout(120000);
  let work: string;
  let tarball: string;
  let registry: LocalRegistry;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-e2e-registry-'));
    makeBusyboxRootfs(path.join(work, 'rootfs'));
    tarball = packRootfs(path.join(work, 'rootfs'), path.join(work, 'rootfs.tar'));
    fs.mkdirSync(path.join(work, 'docker'));
    registry = await startLocalRegistry();
  });
  after(async () => {
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  let counter = 0;
  function freshEnv(): NodeJS.ProcessEnv {
    return { LAYERLENS_STORE: path.join(work, `store-${++counter}`), DOCKER_CONFIG: path.join(work, 'docker') };
  }

  it('import, push, rmi, pull back: same digests, same files', async () => {
    const env = freshEnv();
    const name = `${registry.host}/test/busybox:1`;
    const id = (await layerlensOk(['import', '-c', 'CMD ["/bin/sh"]', tarball, name], env)).trim();
    const before = await (await ImageStore.open(env.LAYERLENS_STORE)).resolveImage(name);
    assert.ok(before);
    assert.strictEqual(before.configDigest, id);
    const pushed = await layerlensOk(['push', name], env);
    assert.strictEqual(pushed.trim(), `${name}@${before.manifestDigest}`);

    // skopeo, an independent client, sees the same image in the registry
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${name}`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
    assert.strictEqual(inspected.Digest, before.manifestDigest);
    assert.deepStrictEqual(inspected.Layers, before.layers.map((l) => l.digest));

    await layerlensOk(['rmi', name], env);
    assert.strictEqual((await layerlensOk(['images', '--json'], env)).trim(), '[]');
    assert.deepStrictEqual(fs.readdirSync(path.join(env.LAYERLENS_STORE as string, 'blobs/sha256')), []);

    const pull = await layerlens(['pull', name], env);
    assert.strictEqual(pull.code, 0, pull.stderr);
    assert.match(pull.stderr, /pull complete/);
    const store = await ImageStore.open(env.LAYERLENS_STORE);
    const after = await store.resolveImage(name);
    assert.ok(after);
    assert.strictEqual(after.manifestDigest, before.manifestDigest);
    assert.strictEqual(after.configDigest, before.configDigest);
    assert.deepStrictEqual(after.config.rootfs.diff_ids, [sha256(fs.readFileSync(tarball))]);
    assert.deepStrictEqual(after.config.config?.Cmd, ['/bin/sh']);
    const [layer] = await store.unpackedLayerDirs(after);
    assert.strictEqual(sha256(fs.readFileSync(path.join(layer, 'bin/busybox'))), sha256(fs.readFileSync('/bin/busybox')));
    assert.strictEqual((await layerlens(['fsck'], env)).code, 0);

    // pulling again downloads nothing
    const again = await layerlensOk(['pull', name], env).then(() => layerlens(['pull', name], env));
    assert.match(again.stderr, /already exists/);
  });

  it('skopeo copies our pushed image and our store layout; umoci unpacks our layout', async () => {
    const env = freshEnv();
    const name = `${registry.host}/test/oracle:1`;
    await layerlensOk(['import', tarball, name], env);
    await layerlensOk(['push', name], env);
    const image = await (await ImageStore.open(env.LAYERLENS_STORE)).resolveImage(name);
    assert.ok(image);
    // registry -> OCI layout directory with skopeo: same manifest bytes
    const ociDir = path.join(work, 'skopeo-oci');
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${name}`, `oci:${ociDir}:copy`], { stdio: 'ignore' });
    const index = JSON.parse(fs.readFileSync(path.join(ociDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    assert.strictEqual(index.manifests[0].digest, image.manifestDigest);
    // our store is an OCI layout skopeo can read and push; we pull that back
    const viaSkopeo = `${registry.host}/test/from-layout:2`;
    execFileSync('skopeo', ['copy', '--dest-tls-verify=false', `oci:${env.LAYERLENS_STORE}:${name}`, `docker://${viaSkopeo}`], { stdio: 'ignore' });
    const env2 = freshEnv();
    await layerlensOk(['pull', viaSkopeo], env2);
    const pulled = await (await ImageStore.open(env2.LAYERLENS_STORE)).resolveImage(viaSkopeo);
    assert.strictEqual(pulled?.config.rootfs.diff_ids[0], image.config.rootfs.diff_ids[0]);
    // umoci unpacks the image from the skopeo copy of our push: the root filesystem is intact
    const bundle = path.join(work, 'umoci-bundle');
    execFileSync('umoci', ['unpack', '--image', `${ociDir}:copy`, bundle], { stdio: 'ignore' });
    assert.strictEqual(sha256(fs.readFileSync(path.join(bundle, 'rootfs/bin/busybox'))), sha256(fs.readFileSync('/bin/busybox')));
  });

  it('pulls through an image index: host platform or --platform, attestation manifests skipped', async () => {
    const env = freshEnv();
    const amd = `${registry.host}/test/multi:amd64`;
    const arm = `${registry.host}/test/multi:arm64`;
    await layerlensOk(['import', '--platform', 'linux/amd64', '-m', 'amd', tarball, amd], env);
    await layerlensOk(['import', '--platform', 'linux/arm64/v8', '-m', 'arm', tarball, arm], env);
    await layerlensOk(['push', amd], env);
    await layerlensOk(['push', arm], env);
    const store = await ImageStore.open(env.LAYERLENS_STORE);
    const amdImage = await store.resolveImage(amd);
    const armImage = await store.resolveImage(arm);
    assert.ok(amdImage && armImage);
    const descriptor = (digest: string) => ({ mediaType: MediaTypes.ociManifest, digest, size: fs.statSync(store.blobPath(digest)).size });
    // attestation first, so a client that ignores annotations would pick it
    const index = {
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: [
        { ...descriptor(armImage.manifestDigest), platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amdImage.manifestDigest } },
        { ...descriptor(armImage.manifestDigest), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { ...descriptor(amdImage.manifestDigest), platform: { os: 'linux', architecture: 'amd64' } },
      ],
    };
    const client = new RegistryClient(registry.host);
    await client.putManifest('test/multi', 'latest', Buffer.from(JSON.stringify(index)), MediaTypes.ociIndex);
    const env2 = freshEnv();
    await layerlensOk(['pull', `${registry.host}/test/multi`], env2);
    const pulledStore = await ImageStore.open(env2.LAYERLENS_STORE);
    const host = process.arch === 'arm64' ? armImage : amdImage;
    assert.strictEqual((await pulledStore.resolveImage(`${registry.host}/test/multi`))?.manifestDigest, host.manifestDigest);
    await layerlensOk(['pull', '--platform', 'linux/arm64', `${registry.host}/test/multi:latest`], env2);
    assert.strictEqual((await pulledStore.resolveImage(`${registry.host}/test/multi`))?.manifestDigest, armImage.manifestDigest);
    // by the index digest: the name records the digest asked for, the image is the platform's
    const byDigest = `${registry.host}/test/multi@${sha256(JSON.stringify(index))}`;
    await layerlensOk(['pull', byDigest], env2);
    assert.strictEqual((await pulledStore.resolveImage(byDigest))?.manifestDigest, host.manifestDigest);
    const tampered = await layerlens(['pull', `${registry.host}/test/multi@sha256:${'0'.repeat(64)}`], env2);
    assert.strictEqual(tampered.code, 1);
    assert.match(tampered.stderr, /404/);
    const none = await layerlens(['pull', '--platform', 'linux/s390x', `${registry.host}/test/multi`], env2);
    assert.strictEqual(none.code, 1);
    assert.match(none.stderr, /no image for linux\/s390x \(available: linux\/arm64\/v8, linux\/amd64\)/);
  });

  it('pulls Docker schema 2 manifests and zstd layers; refuses a layer whose diff_id does not match', async () => {
    const client = new RegistryClient(registry.host);
    const repo = 'test/zstd';
    const zst = path.join(work, 'rootfs.tar.zst');
    execFileSync('zstd', ['-q', '-f', tarball, '-o', zst]);
    const layer = fs.readFileSync(zst);
    const upload = async (data: Buffer) => {
      const digest = sha256(data);
      if (!(await client.blobExists(repo, digest, `repository:${repo}:pull,push`))) {
        await client.uploadBlob(repo, digest, data.length, () => Readable.from([data]));
      }
      return { digest, size: data.length };
    };
    const layerDesc = await upload(layer);
    const makeImage = async (tag: string, diffId: string, manifestType: string, configType: string) => {
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } }));
      const configDesc = await upload(config);
      const manifest = { schemaVersion: 2, mediaType: manifestType, config: { mediaType: configType, ...configDesc }, layers: [{ mediaType: MediaTypes.ociLayerZstd, ...layerDesc }] };
      await client.putManifest(repo, tag, Buffer.from(JSON.stringify(manifest)), manifestType);
    };
    await makeImage('good', sha256(fs.readFileSync(tarball)), MediaTypes.dockerManifest, MediaTypes.dockerConfig);
    await makeImage('bad', sha256('something else'), MediaTypes.ociManifest, MediaTypes.ociConfig);
    const env = freshEnv();
    await layerlensOk(['pull', `${registry.host}/${repo}:good`], env);
    const store = await ImageStore.open(env.LAYERLENS_STORE);
    const image = await store.resolveImage(`${registry.host}/${repo}:good`);
    assert.strictEqual(image?.manifest.mediaType, MediaTypes.dockerManifest);
    const [dir] = await store.unpackedLayerDirs(image);
    assert.ok(fs.statSync(path.join(dir, 'bin/busybox')).isFile());
    const env2 = freshEnv();
    const bad = await layerlens(['pull', `${registry.host}/${repo}:bad`], env2);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stderr, /decompresses to sha256:[0-9a-f]{64}, but the image config says sha256:[0-9a-f]{64}: refused/);
    assert.strictEqual((await layerlensOk(['images', '-q'], env2)).trim(), '');
    assert.strictEqual((await layerlens(['fsck'], env2)).code, 0);
  });

  it('refuses plain HTTP to a registry that is not on loopback', async () => {
    const r = await layerlens(['pull', 'registry.invalid:5000/x/y:1'], freshEnv());
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /cannot reach registry registry\.invalid:5000 over HTTPS: .*plain HTTP is only used for loopback registries or with --insecure/);
  });

  describe('token auth (Bearer tokens from a local token server)', () => {
    let secured: LocalRegistry;
    before(async () => {
      secured = await startLocalRegistry({ tokenAuth: { username: 'alice', password: 's3cret' } });
    });
    after(async () => secured?.stop());

    function envWithAuth(password: string | undefined): NodeJS.ProcessEnv {
      const env = freshEnv();
      const dockerDir = path.join(work, `docker-${counter}`);
      fs.mkdirSync(dockerDir);
      const auths = password ? { [secured.host]: { auth: Buffer.from(`alice:${password}`).toString('base64') } } : {};
      fs.writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify({ auths }));
      return { ...env, DOCKER_CONFIG: dockerDir };
    }

    it('pushes and pulls with credentials from config.json, asking for the right scopes', async () => {
      const env = envWithAuth('s3cret');
      const name = `${secured.host}/team/busybox:v1`;
      await layerlensOk(['import', tarball, name], env);
      await layerlensOk(['push', name], env);
      assert.ok(secured.tokenRequests.some((t) => t.scope === 'repository:team/busybox:pull,push' && t.user === 'alice'));
      const env2 = envWithAuth('s3cret');
      await layerlensOk(['pull', name], env2);
      assert.ok(secured.tokenRequests.some((t) => t.scope === 'repository:team/busybox:pull'));
    });

    it('says clearly when credentials are wrong or missing', async () => {
      const wrong = await layerlens(['pull', `${secured.host}/team/busybox:v1`], envWithAuth('nope'));
      assert.strictEqual(wrong.code, 1);
      assert.match(wrong.stderr, /authentication to 127\.0\.0\.1:\d+ failed \(401: check the credentials/);
      const anonymous = await layerlens(['pull', `${secured.host}/team/busybox:v1`], envWithAuth(undefined));
      assert.strictEqual(anonymous.code, 1);
      assert.match(anonymous.stderr, /authentication to 127\.0\.0\.1:\d+ failed \(401: this repository needs credentials\)/);
    });
  });

  describe('a registry front that redirects blobs to another host and drops connections', () => {
    let front: http.Server;
    let cdn: http.Server;
    let frontHost: string;
    const cdnSeen: { authorization?: string; range?: string }[] = [];
    const frontSeenAuth: string[] = [];
    const cut = new Set<string>();

    before(async () => {
      cdn = http.createServer((req, res) => {
        cdnSeen.push({ authorization: req.headers.authorization, range: req.headers.range });
        const upstream = http.request(`http://${registry.host}${req.url}`, { headers: req.headers.range ? { range: req.headers.range } : {} }, (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          const digest = /blobs\/(sha256:[0-9a-f]+)/.exec(req.url ?? '')?.[1] ?? '';
          if (!req.headers.range && !cut.has(digest)) {
            // first full download of each blob: send part of it, then drop the connection
            cut.add(digest);
            let sent = 0;
            up.on('data', (chunk: Buffer) => {
              if (sent > 200_000) return;
              sent += chunk.length;
              res.write(chunk);
              if (sent > 200_000) res.socket?.destroy();
            });
            up.on('end', () => { if (sent <= 200_000) res.end(); });
            return;
          }
          up.pipe(res);
        });
        upstream.end();
      });
      await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
      const cdnPort = (cdn.address() as AddressInfo).port;
      front = http.createServer((req, res) => {
        const auth = req.headers.authorization;
        if (auth !== `Basic ${Buffer.from('bob:pw').toString('base64')}`) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="front"' }).end();
          return;
        }
        frontSeenAuth.push(auth);
        if (req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '') && !/config/.test(req.url ?? '')) {
          res.writeHead(307, { location: `http://localhost:${cdnPort}${req.url}` }).end();
          return;
        }
        const headers = { ...req.headers };
        delete headers.authorization;
        const upstream = http.request(`http://${registry.host}${req.url}`, { method: req.method, headers }, (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        });
        req.pipe(upstream);
      });
      await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
      frontHost = `127.0.0.1:${(front.address() as AddressInfo).port}`;
    });
    after(() => {
      front?.close();
      cdn?.close();
    });

    it('never forwards Authorization to the redirect target, and resumes cut downloads with Range', async () => {
      const env = freshEnv();
      await layerlensOk(['import', tarball, `${registry.host}/test/redirect:1`], env);
      await layerlensOk(['push', `${registry.host}/test/redirect:1`], env);
      const dockerDir = path.join(work, 'docker-front');
      fs.mkdirSync(dockerDir);
      fs.writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify({ auths: { [frontHost]: { auth: Buffer.from('bob:pw').toString('base64') } } }));
      const env2: NodeJS.ProcessEnv = { ...freshEnv(), DOCKER_CONFIG: dockerDir };
      const pulled = await layerlens(['pull', `${frontHost}/test/redirect:1`], env2);
      assert.strictEqual(pulled.code, 0, pulled.stderr);
      assert.ok(frontSeenAuth.length > 0, 'the registry itself got credentials');
      assert.ok(cdnSeen.length >= 2, 'blobs came from the redirect target');
      assert.ok(cdnSeen.every((s) => s.authorization === undefined), 'Authorization leaked to another host');
      assert.ok(cdnSeen.some((s) => /^bytes=\d+-$/.test(s.range ?? '')), 'the cut download was resumed with Range');
      const store = await ImageStore.open(env2.LAYERLENS_STORE);
      const image = await store.resolveImage(`${frontHost}/test/redirect:1`);
      assert.ok(image);
      await store.unpackedLayerDirs(image);
      assert.ok((await store.fsck()).ok);
    });
  });
});
