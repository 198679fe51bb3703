// Reading a stored image's layers without unpacking them: the uncompressed tar stream of a layer
// blob, and its size. Read-only: nothing is written to the store.
import * as fs from 'fs';
import type { Readable } from 'stream';
import { compressionOfMediaType, decompressAuto } from '../../runner/layers/compression';
import type { ImageStore, StoredLayer } from '../../runner/store/imageStore';

/** The layer's uncompressed tar, streamed from its blob. */
export async function openLayerTar(store: ImageStore, layer: StoredLayer): Promise<Readable> {
  const { stream } = await decompressAuto(fs.createReadStream(store.blobPath(layer.digest)), compressionOfMediaType(layer.mediaType));
  return stream;
}

/** Bytes of the layer's uncompressed tar (the diff blob its diff_id names). */
export async function uncompressedLayerSize(store: ImageStore, layer: StoredLayer): Promise<number> {
  if (compressionOfMediaType(layer.mediaType) === 'none') return (await fs.promises.stat(store.blobPath(layer.digest))).size;
  let bytes = 0;
  for await (const chunk of await openLayerTar(store, layer)) bytes += (chunk as Buffer).length;
  return bytes;
}
