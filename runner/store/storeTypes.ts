// The shapes the image store hands out. Containers and the build engine code against these.
import type { ContainerConfig, ImageManifest, OciImageConfig, Platform } from './ociTypes';

/** One layer of a stored image: its compressed blob and the digest of the uncompressed tar. */
export interface StoredLayer {
  digest: string;
  diffId: string;
  size: number;
  mediaType: string;
}

/** An image in the store, resolved from a name, an id or a digest. */
export interface StoredImage {
  /** The normalised name the image was resolved through, when it was resolved by name. */
  ref?: string;
  /** Every normalised name (`docker.io/library/busybox:latest`, `...@sha256:`) pointing at it. */
  names: string[];
  manifestDigest: string;
  /** The image id, as Docker prints it (`sha256:...` of the config). */
  configDigest: string;
  config: OciImageConfig;
  manifest: ImageManifest;
  layers: StoredLayer[];
  created?: string;
  /** Sum of the compressed layer sizes, config and manifest. */
  size: number;
}

/** A compressed layer written to the store's staging area, not yet part of any image. */
export interface StagedLayer extends StoredLayer {
  /** Path of the staged blob under `<root>/tmp/`; `writeImage` moves it into `blobs/`. */
  stagedPath: string;
}

export interface WriteImageOptions {
  config: OciImageConfig;
  /** Lowest first; already-stored layers or layers from `commitLayer`. */
  layers: (StoredLayer | StagedLayer)[];
  /** Names to point at the new image (moved from any image that had them). */
  tags?: string[];
  annotations?: Record<string, string>;
}

export interface ImportOptions {
  /** Runtime settings for the new image (`docker import --change`). */
  config?: ContainerConfig;
  /** History comment (`docker import --message`). */
  message?: string;
  platform?: Platform;
}

export interface RemoveOptions {
  /** Remove even when containers use the image, and every name of an image with several names. */
  force?: boolean;
}

export interface RemoveResult {
  untagged: string[];
  deleted: string[];
}

export type FsckSeverity = 'error' | 'warning';

export interface FsckProblem {
  severity: FsckSeverity;
  /** Path relative to the store root. */
  path: string;
  message: string;
  repaired: boolean;
}

export interface FsckReport {
  ok: boolean;
  blobsChecked: number;
  imagesChecked: number;
  layersChecked: number;
  problems: FsckProblem[];
}

export interface PruneReport {
  imagesRemoved: string[];
  blobsRemoved: string[];
  layersRemoved: string[];
  tempRemoved: string[];
  bytesFreed: number;
}

/** What `<root>/containers/<id>/container.json` holds at least (written by runner/run). */
export interface ContainerRecordRef {
  id: string;
  name?: string;
  /** Manifest digest of the image the container runs. */
  image: string;
  imageRef?: string;
  state?: string;
}
