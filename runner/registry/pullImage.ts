// `layerlens pull`: manifest (through an index when there is one, choosing the platform), config,
// then the missing layers, each verified by digest while streaming and by diff_id after
// decompression; the store commits the image only once everything is verified.
import * as fs from 'fs';
import { decompressAuto, compressionOfMediaType } from '../layers/compression';
import { DigestCounter } from '../store/digest';
import { hostPlatform, ImageStore, StagedBlob, StoredImage } from '../store/imageStore';
import { documentMediaType, INDEX_TYPES, MANIFEST_TYPES, parseImageConfig, parseIndexDocument, parseManifest } from '../store/imageJson';
import { formatImageReference, parseImageReference } from '../store/imageReference';
import { Descriptor, Platform } from '../store/ociTypes';
import { downloadBlob, DownloadProgress } from './downloadBlob';
import { readBody } from './httpRequest';
import { pullScope, RegistryClient, RegistryClientOptions, RegistryError } from './registryClient';
import { formatPlatform, selectPlatform } from './selectPlatform';

const MAX_CONFIG = 32 * 1024 * 1024;
const PARALLEL_DOWNLOADS = 3;

export type PullEvent =
  | { kind: 'resolved'; ref: string; manifestDigest: string; platform?: string }
  | { kind: 'layer-exists'; digest: string }
  | { kind: 'layer-progress'; progress: DownloadProgress }
  | { kind: 'layer-done'; digest: string; size: number };

export interface PullOptions extends RegistryClientOptions {
  platform?: Platform;
  onEvent?: (event: PullEvent) => void;
}

async function verifyDiffId(staged: StagedBlob, layer: Descriptor, diffId: string): Promise<void> {
  const { stream } = await decompressAuto(fs.createReadStream(staged.stagedPath), compressionOfMediaType(layer.mediaType));
  const counter = new DigestCounter();
  for await (const chunk of stream) counter.update(chunk as Buffer);
  if (counter.digest() !== diffId) {
    fs.rmSync(staged.stagedPath, { force: true });
    throw new RegistryError(`layer ${layer.digest} decompresses to ${counter.digest()}, but the image config says ${diffId}: refused`);
  }
}

async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

export async function pullImage(store: ImageStore, refText: string, options: PullOptions = {}): Promise<StoredImage> {
  const ref = parseImageReference(refText);
  const client = new RegistryClient(ref.domain, options);
  const repo = ref.repository;
  const scope = pullScope(repo);
  const want = options.platform ?? hostPlatform();

  let manifest = await client.getManifest(repo, ref.digest ?? (ref.tag as string), scope);
  let platformText: string | undefined;
  let mediaType = documentMediaType(manifest.bytes, manifest.mediaType);
  if (INDEX_TYPES.includes(mediaType)) {
    const index = parseIndexDocument(manifest.bytes, `index ${formatImageReference(ref)}`);
    const chosen = selectPlatform(index, want);
    platformText = formatPlatform(chosen.platform ?? want);
    manifest = await client.getManifest(repo, chosen.digest, scope);
    mediaType = documentMediaType(manifest.bytes, chosen.mediaType);
  }
  if (!MANIFEST_TYPES.includes(mediaType)) {
    throw new RegistryError(`${formatImageReference(ref)} is a '${mediaType}', not a container image`);
  }
  const parsed = parseManifest(manifest.bytes, `manifest ${manifest.digest}`);
  options.onEvent?.({ kind: 'resolved', ref: formatImageReference(ref), manifestDigest: manifest.digest, platform: platformText });

  let configBytes: Buffer;
  if (store.hasBlob(parsed.config.digest)) {
    configBytes = await store.readBlob(parsed.config.digest);
  } else {
    const res = await client.request('GET', `/v2/${repo}/blobs/${parsed.config.digest}`, { scope });
    if (res.status !== 200) throw await client.failure(res, `image config ${parsed.config.digest}`);
    configBytes = await readBody(res, MAX_CONFIG);
  }
  const config = parseImageConfig(configBytes, `image config ${parsed.config.digest}`);
  if (config.rootfs.diff_ids.length !== parsed.layers.length) {
    throw new RegistryError(`image ${manifest.digest}: ${parsed.layers.length} layers but ${config.rootfs.diff_ids.length} diff_ids in its config`);
  }
  if (config.os !== want.os || config.architecture !== want.architecture) {
    process.stderr.write(`layerlens: warning: ${formatImageReference(ref)} is for ${config.os}/${config.architecture}, this machine is ${formatPlatform(want)}\n`);
  }
  parsed.layers.forEach((l, i) => {
    if (compressionOfMediaType(l.mediaType) === undefined) throw new RegistryError(`layer ${i} of ${manifest.digest} has unsupported media type '${l.mediaType}'`);
  });

  const staged: StagedBlob[] = [];
  try {
    const missing = parsed.layers.map((l, i) => ({ layer: l, diffId: config.rootfs.diff_ids[i] })).filter(({ layer }) => {
      if (!store.hasBlob(layer.digest)) return true;
      options.onEvent?.({ kind: 'layer-exists', digest: layer.digest });
      return false;
    });
    const unique = [...new Map(missing.map((m) => [m.layer.digest, m])).values()];
    await inParallel(unique, PARALLEL_DOWNLOADS, async ({ layer, diffId }) => {
      const blob = await downloadBlob(client, store, repo, layer, (progress) => options.onEvent?.({ kind: 'layer-progress', progress }));
      staged.push(blob);
      await verifyDiffId(blob, layer, diffId);
      options.onEvent?.({ kind: 'layer-done', digest: layer.digest, size: layer.size });
    });
    const name = formatImageReference(ref);
    return await store.addImage({ manifest: manifest.bytes, mediaType, config: configBytes, staged, names: [name] });
  } catch (err) {
    for (const blob of staged) fs.rmSync(blob.stagedPath, { force: true });
    throw err;
  }
}
