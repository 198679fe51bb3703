// Read-only access to the local image store for size prediction: opens the store only when it
// exists (never creates one) and resolves references to stored images of a platform.
import { promises as fs } from 'fs';
import { ImageStore, type StoredImage } from '../../runner/store/imageStore';
import { defaultStoreRoot } from '../../runner/store/storeRoot';

export class StoreImages {
  private store: Promise<ImageStore | undefined> | undefined;
  readonly root: string;

  constructor(root: string = defaultStoreRoot()) {
    this.root = root;
  }

  /** The store, or undefined when none exists yet (looked for again next time). */
  async open(): Promise<ImageStore | undefined> {
    this.store ??= fs.access(this.root).then(() => ImageStore.open(this.root), () => undefined);
    const store = await this.store;
    if (!store) this.store = undefined;
    return store;
  }

  /** The stored image `ref` names, when it is for `platform` (`os/arch[/variant]`); never throws. */
  async find(ref: string, platform: string): Promise<StoredImage | undefined> {
    try {
      const store = await this.open();
      const image = await store?.resolveImage(ref);
      return image && platformMatches(image, platform) ? image : undefined;
    } catch {
      return undefined;
    }
  }
}

/** `linux/arm64` matches an image for linux/arm64 (variant v8 or none); a variant asked for must match. */
export function platformMatches(image: Pick<StoredImage, 'config'>, platform: string): boolean {
  const [os, architecture, variant] = platform.split('/');
  const { config } = image;
  if (!config.os || !config.architecture) return true;
  if (config.os !== os || config.architecture !== architecture) return false;
  const norm = (v: string | undefined) => (architecture === 'arm64' && !v ? 'v8' : v);
  return !variant || norm(config.variant) === norm(variant);
}
