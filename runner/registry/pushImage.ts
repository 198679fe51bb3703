// `layerlens push`: uploads the blobs the registry lacks (layers, then config), then the manifest.
// Layers stored uncompressed (what builds make) are gzipped on the way and listed in a new
// manifest with the same config (its diff_ids name the uncompressed tars, so they stay); the
// pushed digest is that manifest's. What each diff_id compressed to is remembered in the store,
// so a second push asks the registry first and neither compresses nor uploads again. Images
// whose layers are all compressed (pulled, imported) are pushed exactly as stored.
import * as fs from 'fs';
import { compressionOfMediaType } from '../layers/compression';
import { type CompressedLayer, readCompressedLayers, rememberCompressedLayer } from '../store/compressedLayers';
import { sha256Digest } from '../store/digest';
import { ImageStore, type StoredImage, type StoredLayer } from '../store/imageStore';
import { formatImageReference, looksLikeImageId, parseImageReference } from '../store/imageReference';
import { type Descriptor, type ImageManifest, MediaTypes } from '../store/ociTypes';
import { gzipLayerForPush } from './gzipForPush';
import { pushScope, RegistryClient, RegistryClientOptions, RegistryError } from './registryClient';

export type PushEvent =
  | { kind: 'layer-compressed'; diffId: string; digest: string; from: number; size: number; durationMs: number }
  | { kind: 'blob-exists'; digest: string }
  | { kind: 'blob-pushed'; digest: string; size: number }
  | { kind: 'manifest-pushed'; ref: string; digest: string };

export interface PushOptions extends RegistryClientOptions {
  onEvent?: (event: PushEvent) => void;
}

/** Whether push gzips this layer (it is stored as a plain tar). */
export function isUncompressedLayer(layer: Pick<StoredLayer, 'mediaType'>): boolean {
  return compressionOfMediaType(layer.mediaType) === 'none';
}

function gzipMediaType(manifest: ImageManifest): string {
  return manifest.mediaType === MediaTypes.dockerManifest ? MediaTypes.dockerLayerGzip : MediaTypes.ociLayerGzip;
}

/** The manifest to push: the stored bytes, or a new manifest listing the compressed layers. */
export function manifestForPush(image: Pick<StoredImage, 'manifest'>, storedBytes: Buffer, compressed: (Descriptor | undefined)[]): Buffer {
  if (compressed.every((d) => d === undefined)) return storedBytes;
  const manifest: ImageManifest = {
    ...image.manifest,
    layers: image.manifest.layers.map((layer, i) => {
      const c = compressed[i];
      return c ? { ...layer, mediaType: c.mediaType, digest: c.digest, size: c.size } : layer;
    }),
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** Pushes the local image `localRef` to `destination` (default: the same name). Returns the manifest digest. */
export async function pushImage(store: ImageStore, localRef: string, destination?: string, options: PushOptions = {}): Promise<{ ref: string; digest: string }> {
  const image = await store.resolveImage(localRef);
  if (!image) throw new RegistryError(`no such image: ${localRef}`);
  const targetText = destination ?? (looksLikeImageId(localRef) ? undefined : localRef);
  if (!targetText) throw new RegistryError(`say where to push image ${localRef}: layerlens push ${localRef} REGISTRY/NAME[:TAG]`);
  const target = parseImageReference(targetText);
  const client = new RegistryClient(target.domain, options);
  const repo = target.repository;
  const scope = pushScope(repo);
  const emit = (event: PushEvent) => options.onEvent?.(event);

  const uploadFile = async (digest: string, file: string): Promise<void> => {
    const size = fs.statSync(file).size;
    await client.uploadBlob(repo, digest, size, () => fs.createReadStream(file, { highWaterMark: 1 << 20 }));
    emit({ kind: 'blob-pushed', digest, size });
  };
  const pushStored = async (digest: string): Promise<void> => {
    if (await client.blobExists(repo, digest, scope)) emit({ kind: 'blob-exists', digest });
    else await uploadFile(digest, store.blobPath(digest));
  };

  const known = readCompressedLayers(store);
  const mediaType = gzipMediaType(image.manifest);
  const compressed: (CompressedLayer | undefined)[] = [];
  for (const layer of image.layers) {
    if (!isUncompressedLayer(layer)) {
      compressed.push(undefined);
      await pushStored(layer.digest);
      continue;
    }
    const remembered = known.get(layer.diffId);
    if (remembered && remembered.mediaType === mediaType && await client.blobExists(repo, remembered.digest, scope)) {
      compressed.push(remembered);
      emit({ kind: 'blob-exists', digest: remembered.digest });
      continue;
    }
    const started = Date.now();
    const staged = await gzipLayerForPush(store, layer);
    try {
      const result: CompressedLayer = { digest: staged.digest, size: staged.size, mediaType };
      compressed.push(result);
      emit({ kind: 'layer-compressed', diffId: layer.diffId, digest: staged.digest, from: layer.size, size: staged.size, durationMs: Date.now() - started });
      await rememberCompressedLayer(store, layer.diffId, result);
      if (await client.blobExists(repo, staged.digest, scope)) emit({ kind: 'blob-exists', digest: staged.digest });
      else await uploadFile(staged.digest, staged.stagedPath);
    } finally {
      await fs.promises.rm(staged.stagedPath, { force: true });
    }
  }
  await pushStored(image.configDigest);

  const manifestBytes = manifestForPush(image, await store.readBlob(image.manifestDigest), compressed);
  const manifestDigest = sha256Digest(manifestBytes);
  const reference = target.digest ?? target.tag ?? 'latest';
  if (target.digest && target.digest !== manifestDigest) {
    throw new RegistryError(`cannot push to ${targetText}: the pushed manifest's digest is ${manifestDigest}`);
  }
  const returned = await client.putManifest(repo, reference, manifestBytes, image.manifest.mediaType ?? MediaTypes.ociManifest);
  if (returned && returned !== manifestDigest) {
    throw new RegistryError(`registry stored the manifest as ${returned}, expected ${manifestDigest}`);
  }
  const ref = formatImageReference(target);
  emit({ kind: 'manifest-pushed', ref, digest: manifestDigest });
  return { ref, digest: manifestDigest };
}
