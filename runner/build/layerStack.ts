// The layers a stage's file system is made of, and moving a freshly built layer into the store:
// its uncompressed tar becomes a blob (digest = diff_id) and the directory it was made from becomes
// the unpacked layer, so nothing is extracted again. Layers found in the cache are unpacked on
// demand, only when a later step has to run on top of them.
import * as fs from 'fs';
import { MediaTypes } from '../store/ociTypes';
import type { ImageStore, StoredImage, StoredLayer } from '../store/imageStore';
import { removeTree } from '../store/imageStore';

/** One layer of a stage: a stored blob (compressed for pulled images, a plain tar for built ones). */
export type LayerRef = StoredLayer;

/** A built layer tar staged in the store's tmp/ and the directory it was written from. */
export interface FreshLayer {
  diffId: string;
  size: number;
  tarPath: string;
  dir: string;
}

/** Places a fresh layer: blob into blobs/, directory into layers/ (or dropped when already there). */
export async function commitFreshLayer(store: ImageStore, layer: FreshLayer): Promise<LayerRef> {
  await store.withLock(async () => {
    await store.placeBlob({ digest: layer.diffId, size: layer.size, stagedPath: layer.tarPath });
    const target = store.layerDir(layer.diffId);
    if (fs.existsSync(target)) {
      await removeTree(layer.dir);
    } else {
      await fs.promises.rename(layer.dir, target);
    }
  });
  return { digest: layer.diffId, diffId: layer.diffId, size: layer.size, mediaType: MediaTypes.ociLayer };
}

/** A cached (uncompressed) layer by diff_id. */
export function cachedLayerRef(diffId: string, size: number): LayerRef {
  return { digest: diffId, diffId, size, mediaType: MediaTypes.ociLayer };
}

/** Unpacks layers at most once per process, however many stages ask at the same time. */
const unpacking = new Map<string, Promise<void>>();

function unpackOne(store: ImageStore, layer: LayerRef): Promise<void> {
  const key = `${store.root}\u0000${layer.diffId}`;
  let pending = unpacking.get(key);
  if (!pending) {
    // The store unpacks per image; an image-shaped value with only this layer is all it reads.
    const carrier: StoredImage = {
      names: [],
      manifestDigest: '',
      configDigest: '',
      config: { architecture: '', os: '', rootfs: { type: 'layers', diff_ids: [layer.diffId] } },
      manifest: { schemaVersion: 2, config: { mediaType: MediaTypes.ociConfig, digest: '', size: 0 }, layers: [] },
      layers: [layer],
      size: 0,
    };
    pending = store.unpackedLayerDirs(carrier).then(() => undefined);
    pending.finally(() => unpacking.delete(key)).catch(() => undefined);
    unpacking.set(key, pending);
  }
  return pending;
}

/** The unpacked directories of `layers` (lowest first), unpacking those that are not yet. */
export async function layerDirs(store: ImageStore, layers: readonly LayerRef[]): Promise<string[]> {
  await Promise.all(layers.filter((l) => !fs.existsSync(store.layerDir(l.diffId))).map((l) => unpackOne(store, l)));
  return layers.map((l) => store.layerDir(l.diffId));
}
