// `layerlens push`: uploads the blobs the registry lacks (layers, then config), then the manifest
// exactly as stored, so the pushed image keeps its digest.
import * as fs from 'fs';
import { ImageStore } from '../store/imageStore';
import { formatImageReference, looksLikeImageId, parseImageReference } from '../store/imageReference';
import { MediaTypes } from '../store/ociTypes';
import { pushScope, RegistryClient, RegistryClientOptions, RegistryError } from './registryClient';

export type PushEvent =
  | { kind: 'blob-exists'; digest: string }
  | { kind: 'blob-pushed'; digest: string; size: number }
  | { kind: 'manifest-pushed'; ref: string; digest: string };

export interface PushOptions extends RegistryClientOptions {
  onEvent?: (event: PushEvent) => void;
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
  const blobs = [...image.layers.map((l) => ({ digest: l.digest, size: l.size })), { digest: image.configDigest, size: image.manifest.config.size }];
  for (const blob of blobs) {
    if (await client.blobExists(repo, blob.digest, pushScope(repo))) {
      options.onEvent?.({ kind: 'blob-exists', digest: blob.digest });
      continue;
    }
    const file = store.blobPath(blob.digest);
    const size = fs.statSync(file).size;
    await client.uploadBlob(repo, blob.digest, size, () => fs.createReadStream(file));
    options.onEvent?.({ kind: 'blob-pushed', digest: blob.digest, size });
  }
  const manifestBytes = await store.readBlob(image.manifestDigest);
  const mediaType = image.manifest.mediaType ?? MediaTypes.ociManifest;
  const reference = target.digest ?? target.tag ?? 'latest';
  const returned = await client.putManifest(repo, reference, manifestBytes, mediaType);
  if (returned && returned !== image.manifestDigest) {
    throw new RegistryError(`registry stored the manifest as ${returned}, expected ${image.manifestDigest}`);
  }
  const ref = formatImageReference(target);
  options.onEvent?.({ kind: 'manifest-pushed', ref, digest: image.manifestDigest });
  return { ref, digest: image.manifestDigest };
}
