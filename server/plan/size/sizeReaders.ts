// What size prediction may ask the outside world, all synchronous and cached by the caller:
// an answer is known, pending (a lookup is under way; ask again after a change notification)
// or unknown with a reason. Nothing here waits for I/O. A reader that learns over time has a
// `version()` that changes whenever an answer may have changed; one without it (or the same
// object with the same version) is taken to answer as before, so a prediction may be reused.
import type { FileNode } from './fileTree';
import type { LayerEntry } from './tarLayerSize';

export type Lookup<T> = { state: 'known'; value: T } | { state: 'pending'; reason: string } | { state: 'unknown'; reason: string };

/** Contents of a local file ADD would unpack. */
export type ArchiveContents =
  | { state: 'archive'; format: string; entries: LayerEntry[] }
  | { state: 'not-archive' }
  | { state: 'pending'; reason: string }
  | { state: 'unknown'; reason: string };

/** The build context as BuildKit would send it (.dockerignore applied). */
export interface ContextFilesReader {
  /** Undefined until the context is scanned (then `unavailableReason` says why). */
  tree(): FileNode | undefined;
  unavailableReason(): string;
  /** What ADD would unpack from a context file (path relative to the context root). */
  archive(path: string): ArchiveContents;
  /** Changes whenever an answer may have changed (see the head of this file). */
  version?(): number;
  /** The text of a context file (a node of `tree()`), read in the background (lock files). */
  text?(node: FileNode): Lookup<string>;
}

export interface ImageLayerSize {
  digest: string;
  /** Uncompressed layer tar size (local store only). */
  uncompressedBytes?: number;
  /** Blob size as stored in the registry. */
  compressedBytes?: number;
}

export interface ImageSize {
  /** Where the numbers come from. */
  source: 'local' | 'registry';
  layers: ImageLayerSize[];
}

/** Base image sizes: from the local store (exact) or a registry manifest cache. */
export interface ImageSizeReader {
  imageSize(ref: string, platform: string): Lookup<ImageSize>;
  /** Changes whenever an answer may have changed (see the head of this file). */
  version?(): number;
}

/** Content-Length of URLs (HEAD requests, cached). */
export interface DownloadSizeReader {
  contentLength(url: string): Lookup<number>;
  /** Changes whenever an answer may have changed (see the head of this file). */
  version?(): number;
}

export type PackageManager = 'apt' | 'apk' | 'dnf' | 'pip' | 'npm' | 'gem' | 'go' | 'cargo';

export interface PackageInstallRequest {
  manager: PackageManager;
  /** The stage's root base image reference (undefined for `scratch`). */
  baseImage: string | undefined;
  platform: string;
  /** As written (`curl`, `curl=7.88.1-10`, `python3/bookworm-backports`, `requests==2.31`). */
  packages: string[];
  /** Packages that earlier steps of the stage already installed with the same manager. */
  installedBefore: string[];
  /** apt: `--no-install-recommends` (false) / `--install-recommends` (true); undefined: the image's default. */
  installRecommends?: boolean;
  /** The step's environment (npm/pip look at it). */
  env: Record<string, string>;
  /** The command as written after expansion (`apt install ...` keeps no archives, `apt-get` does). */
  command?: string;
  /** npm without names: the project files a COPY put in the working directory. */
  project?: NpmProjectFiles;
}

/** package.json and its lock file as a COPY put them in the RUN's working directory. */
export interface NpmProjectFiles {
  dir: string;
  manifest?: string;
  lockFile?: string;
  /** Which lock file (`package-lock.json`, `npm-shrinkwrap.json`). */
  lockFileName?: string;
}

export interface PackageInstallEstimate {
  /** Bytes the installed files add to the layer (tar form). */
  installedBytes: number;
  /** Bytes of package-manager bookkeeping (dpkg database, logs, debconf). */
  bookkeepingBytes: number;
  /** Downloaded archives the manager keeps in its cache unless cleaned (e.g. /var/cache/apt/archives). */
  cacheBytes: number;
  cacheDir?: string;
  /** Files the manager leaves besides packages and cache (npm's debug log), in the layer unless below a mount. */
  files?: { path: string; bytes: number }[];
  packages: { name: string; version: string; installedBytes: number }[];
  /** Requested names the metadata does not know. */
  missing: string[];
  confidence: 'high' | 'medium' | 'low';
  notes: string[];
}

/** Files `apt-get update` / `apk update` leave behind (lists, caches), with their stored sizes. */
export interface IndexFootprint {
  bytes: number;
  files: { path: string; bytes: number }[];
}

/** Package-index lookups for the base image's distribution. */
export interface PackageSizeReader {
  estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate>;
  /** What `apt-get update` / `apk update` leaves in the image (lists, caches). */
  indexFootprint(manager: 'apt' | 'apk', baseImage: string | undefined, platform: string): Lookup<IndexFootprint>;
  /** Changes whenever an answer may have changed (see the head of this file). */
  version?(): number;
}

/** Layer sizes measured by a build, by cache key. */
export interface MeasuredSizeReader {
  measuredBytes(cacheKey: string): number | undefined;
  /** Changes whenever an answer may have changed (see the head of this file). */
  version?(): number;
}

export interface SizeReaders {
  context?: ContextFilesReader;
  images?: ImageSizeReader;
  downloads?: DownloadSizeReader;
  packages?: PackageSizeReader;
  measured?: MeasuredSizeReader;
}
