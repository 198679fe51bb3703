// Public entry of package and download metadata for size prediction: build the readers once per
// server (or CLI run) and pass them in SizeReaders.
export { PackageSizes, type ManagerSizes } from './packageSizes';
export { DebianPackageSizes, type DebianPackageSizesOptions } from './debian/debianPackageSizes';
export { aptListsFetcher, firstOf, httpIndexFetcher, type IndexFetcher } from './debian/indexFetchers';
export { AlpinePackageSizes, httpApkFetcher, type ApkIndexFetcher } from './alpine/alpinePackageSizes';
export { DownloadSizes, type DownloadSizesOptions } from './downloadSizes';
export { rootfsImageFiles, type ImageFiles } from './imageFiles';
export { LookupCache, type LookupCacheOptions } from './lookupCache';
export { NpmPackageSizes, httpPackumentFetcher, type PackumentFetcher } from './npm/npmPackageSizes';
