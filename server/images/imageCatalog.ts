// What the language features know about images in the local store. Injected, so features never
// touch the store directly, and every method answers at once from what is loaded so far.

export interface ImageSummary {
  /** Normalised names (`docker.io/library/busybox:latest`). */
  names: string[];
  /** Manifest digest (`sha256:...`), what `@digest` pins. */
  digest: string;
  /** Image id: the config digest. */
  id: string;
  /** Bytes in the store: compressed layers, config and manifest. */
  size: number;
  layers: number;
  created?: string;
  /** `os/arch[/variant]` from the config. */
  platform?: string;
}

export interface ImageCatalog {
  /** Every image known now. Starts a background (re)load when nothing or only stale data is loaded. */
  images(): readonly ImageSummary[];
  /** The image `ref` (a name as written in a Dockerfile, or a digest reference) points at, as far as known now. */
  find(ref: string): ImageSummary | undefined;
  /** Resolves once the load in progress (or a fresh one) has finished; for tests and benchmarks. */
  loaded(): Promise<void>;
}

/** A catalog with no images, for servers started without a store. */
export const emptyImageCatalog: ImageCatalog = {
  images: () => [],
  find: () => undefined,
  loaded: () => Promise.resolve(),
};
