// Image knowledge for the language features: the local store (lazily listed), its build cache and
// registry tag lists.
// One shared instance of each per server process, created on first use (no I/O before that).
import type { ImageResolver } from '../plan/types';
import { StoreBuildCacheKeys, type BuildCacheView } from './buildCacheKeys';
import type { ImageCatalog } from './imageCatalog';
import { RegistryTagLists } from './registryTags';
import { StoreImageCatalog } from './storeImageCatalog';

export type { BuildCacheView } from './buildCacheKeys';
export { StoreBuildCacheKeys } from './buildCacheKeys';
export type { ImageCatalog, ImageSummary } from './imageCatalog';
export { emptyImageCatalog } from './imageCatalog';
export { RegistryTagLists } from './registryTags';
export { StoreImageCatalog } from './storeImageCatalog';
export { registryPageUrl } from './registryPage';

let catalog: ImageCatalog | undefined;
let tagLists: RegistryTagLists | undefined;
let buildCache: BuildCacheView | undefined;

/** The store catalog every feature of this server shares. */
export function sharedImageCatalog(): ImageCatalog {
  return (catalog ??= new StoreImageCatalog());
}

/** The build-cache reading every feature of this server shares. */
export function sharedBuildCache(): BuildCacheView {
  return (buildCache ??= new StoreBuildCacheKeys());
}

/** The registry tag-list cache every feature of this server shares. */
export function sharedRegistryTags(): RegistryTagLists {
  return (tagLists ??= new RegistryTagLists());
}

/** Base-image digests from the catalog, for `PlanOptions.images` (cache keys of FROM steps). */
export function imageResolverOf(images: ImageCatalog): ImageResolver {
  return {
    digest(ref, platform) {
      const image = images.find(ref);
      return image && (!image.platform || image.platform === platform) ? image.digest : undefined;
    },
  };
}
