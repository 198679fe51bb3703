// The ImageSizeReader the server and `layerlens plan` use for FROM: the local store first (exact:
// uncompressed layer tars), else the registry's manifest (compressed sizes only), else unknown
// with the reason. Looked up in the background with timeouts and cached per reference and
// platform; a plan never waits, and `onChange` asks for a re-plan when an answer arrives.
import { LookupCache } from '../packages/lookupCache';
import type { ImageSize, ImageSizeReader, Lookup } from '../plan/size/sizeReaders';
import { LocalImageSizes } from './localImageSizes';
import { fetchRegistryImageSize } from './registryImageSizes';
import { StoreImages } from './storeImages';

export interface BaseImageSizesOptions {
  /** Store root (default: the runner's default store). */
  storeRoot?: string;
  /** Ask registries at all (default true). */
  registry?: boolean;
  /** Registries (`host:port`) that may be reached over plain HTTP; loopback always may. */
  insecureRegistries?: () => readonly string[];
  /** Registry lookups give up after this (default 10 s). */
  registryTimeoutMs?: number;
  /** A failed registry lookup is retried after this (default 2 min). */
  registryRetryMs?: number;
  /** An image found missing from the store is looked for again after this (default 5 s). */
  storeRetryMs?: number;
  onChange?: () => void;
}

const NOT_LOCAL = 'not in the local store';

export class BaseImageSizes implements ImageSizeReader {
  private readonly local: LocalImageSizes;
  private readonly localCache: LookupCache<ImageSize>;
  private readonly registryCache: LookupCache<ImageSize>;

  constructor(private readonly options: BaseImageSizesOptions = {}) {
    this.local = new LocalImageSizes(new StoreImages(options.storeRoot));
    const onSettled = options.onChange;
    // Counting a large image's layers takes seconds; a missing image is looked for again soon.
    this.localCache = new LookupCache({ timeoutMs: 300_000, retryAfterMs: options.storeRetryMs ?? 5000, onSettled, quietRepeats: true });
    this.registryCache = new LookupCache({ timeoutMs: options.registryTimeoutMs ?? 10_000, retryAfterMs: options.registryRetryMs ?? 120_000, onSettled, quietRepeats: true });
  }

  /** Changes whenever an answer may have changed. */
  version(): number {
    return this.localCache.version() + this.registryCache.version();
  }

  imageSize(ref: string, platform: string): Lookup<ImageSize> {
    const key = `${ref} ${platform}`;
    const local = this.localCache.get(key, async () => {
      const size = await this.local.imageSize(ref, platform);
      if (!size) {
        this.fetchRemote(key, ref, platform); // start at once, so one settle covers both
        throw new Error(NOT_LOCAL);
      }
      return size;
    }, ref);
    if (local.state === 'known') return local;
    if (this.options.registry === false) return local.state === 'pending' ? { state: 'pending', reason: 'reading the local store…' } : { state: 'unknown', reason: local.reason };
    const remote = this.registryCache.peek(key);
    if (local.state === 'pending') return remote?.state === 'known' ? remote : { state: 'pending', reason: 'reading the local store…' };
    if (local.state === 'unknown' && local.reason !== NOT_LOCAL && remote?.state !== 'known') return { state: 'unknown', reason: `the local store: ${local.reason}` };
    const fetched = this.fetchRemote(key, ref, platform);
    if (fetched.state === 'pending') return { state: 'pending', reason: 'fetching its manifest from the registry…' };
    if (fetched.state === 'unknown') return { state: 'unknown', reason: `not local, and the registry lookup failed: ${fetched.reason}` };
    return fetched;
  }

  private fetchRemote(key: string, ref: string, platform: string): Lookup<ImageSize> {
    if (this.options.registry === false) return { state: 'unknown', reason: 'registry lookups are off' };
    return this.registryCache.get(key, () => fetchRegistryImageSize(ref, platform, this.options), ref);
  }

  /** Resolves when no lookup is running (tests, the CLI). */
  async settled(): Promise<void> {
    await this.localCache.settled();
    await this.registryCache.settled();
  }
}
