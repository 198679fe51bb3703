// Public entry of the build engine (docs/build.md).
export { buildImage, sourceDateEpochOf, type BuildOptions, type BuildResult } from './buildImage';
export { BuildError, BuildCancelledError } from './buildError';
export type * from './events';
export { readMeasuredSizes, measuredSizesPath, type MeasuredSizes, type MeasuredSize } from './measuredSizes';
export { buildCacheRoots, clearBuildCache, cacheIndexPath, readCacheIndex, type CacheEntry, type CacheIndexFile } from './buildCache';
export { parseSecretFlag, type SecretSource } from './secrets';
export { writeLayerTar, type LayerTar, type LayerTarOptions } from './writeLayerTar';
export { plainProgress } from './progress/plainProgress';
export { ttyProgress } from './progress/ttyProgress';
