// An ImageCatalog over the runner's image store: listed lazily in the background, refreshed when
// stale, read-only. A request never waits for the store; it sees whatever the last listing found.
import { promises as fs } from 'fs';
import { ImageStore, type StoredImage } from '../../runner/store/imageStore';
import { formatImageReference, parseImageReference, repositoryName } from '../../runner/store/imageReference';
import { defaultStoreRoot } from '../../runner/store/storeRoot';
import type { ImageCatalog, ImageSummary } from './imageCatalog';

export interface StoreImageCatalogOptions {
  /** Store root; default `$LAYERLENS_STORE`, `$XDG_DATA_HOME/layerlens` or `~/.local/share/layerlens`. */
  root?: string;
  /** A listing older than this is refreshed in the background on the next use. */
  maxAgeMs?: number;
}

export class StoreImageCatalog implements ImageCatalog {
  private summaries: ImageSummary[] = [];
  private byName = new Map<string, ImageSummary>();
  private signature: string | undefined;
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private store: Promise<ImageStore | undefined> | undefined;
  private readonly root: string;
  private readonly maxAgeMs: number;

  constructor(options: StoreImageCatalogOptions = {}) {
    this.root = options.root ?? defaultStoreRoot();
    this.maxAgeMs = options.maxAgeMs ?? 5000;
  }

  images(): readonly ImageSummary[] {
    this.refreshIfStale();
    return this.summaries;
  }

  find(ref: string): ImageSummary | undefined {
    this.refreshIfStale();
    const key = normaliseRef(ref);
    return key === undefined ? undefined : this.byName.get(key);
  }

  loaded(): Promise<void> {
    return this.loading ?? this.reload();
  }

  private refreshIfStale(): void {
    if (!this.loading && performance.now() - this.loadedAt > this.maxAgeMs) void this.reload();
  }

  private reload(): Promise<void> {
    // Listing starts a turn later: a lint or hover that finds the listing stale is not held up by
    // its first synchronous steps (about 5 ms cold, right in a just-opened file's first diagnostics).
    this.loading = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.list())
      .then((images) => this.replace(images.map(summarise)))
      .catch(() => { /* store missing, locked or unreadable: keep what we had, retry when stale */ })
      .finally(() => {
        this.loadedAt = performance.now();
        this.loading = undefined;
      });
    return this.loading;
  }

  private async list(): Promise<StoredImage[]> {
    this.store ??= fs.access(this.root).then(() => ImageStore.open(this.root), () => undefined);
    const store = await this.store;
    if (!store) {
      this.store = undefined; // not created yet: look again next time
      return [];
    }
    return store.listImages();
  }

  private replace(summaries: ImageSummary[]): void {
    // Same images as before: keep the old array, so figures memoised on it stay valid.
    const signature = summaries.map((i) => `${i.digest} ${i.size} ${i.names.join(',')}`).join('\n');
    if (signature === this.signature) return;
    this.signature = signature;
    const byName = new Map<string, ImageSummary>();
    for (const image of summaries) {
      for (const name of image.names) byName.set(name, image);
      for (const name of image.names) byName.set(`${repositoryOf(name)}@${image.digest}`, image);
      byName.set(image.id, image);
      byName.set(image.digest, image);
    }
    this.summaries = summaries;
    this.byName = byName;
  }
}

function summarise(image: StoredImage): ImageSummary {
  const { config } = image;
  const platform = config.os && config.architecture ? [config.os, config.architecture, config.variant].filter(Boolean).join('/') : undefined;
  return {
    names: image.names,
    digest: image.manifestDigest,
    id: image.configDigest,
    size: image.size,
    layers: image.layers.length,
    created: image.created ?? config.created,
    platform,
  };
}

/** `docker.io/library/busybox:latest` -> `docker.io/library/busybox`. */
function repositoryOf(name: string): string {
  const at = name.indexOf('@');
  const withoutDigest = at >= 0 ? name.slice(0, at) : name;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** `busybox` -> `docker.io/library/busybox:latest`, `x:1@sha256:..` -> `docker.io/library/x@sha256:..`; ids kept. */
function normaliseRef(ref: string): string | undefined {
  if (/^sha256:[0-9a-f]{64}$/.test(ref)) return ref;
  try {
    const parsed = parseImageReference(ref);
    return parsed.digest ? `${repositoryName(parsed)}@${parsed.digest}` : formatImageReference(parsed);
  } catch {
    return undefined;
  }
}
