// Exact base-image sizes from the local store: each layer's uncompressed tar size (counted from
// its blob, once per diff_id) and its compressed blob size.
import type { ImageSize } from '../plan/size/sizeReaders';
import { uncompressedLayerSize } from './layerTar';
import type { StoreImages } from './storeImages';

export class LocalImageSizes {
  private readonly layerBytes = new Map<string, Promise<number>>();

  constructor(private readonly images: StoreImages) {}

  /** The image's layer sizes, or undefined when `ref` is not in the store for `platform`. */
  async imageSize(ref: string, platform: string): Promise<ImageSize | undefined> {
    const image = await this.images.find(ref, platform);
    const store = image && (await this.images.open());
    if (!image || !store) return undefined;
    const layers = await Promise.all(image.layers.map(async (layer) => {
      let bytes = this.layerBytes.get(layer.diffId);
      if (!bytes) {
        bytes = uncompressedLayerSize(store, layer);
        this.layerBytes.set(layer.diffId, bytes);
        bytes.catch(() => this.layerBytes.delete(layer.diffId));
      }
      return { digest: layer.diffId, uncompressedBytes: await bytes, compressedBytes: layer.size };
    }));
    return { source: 'local', layers };
  }
}
