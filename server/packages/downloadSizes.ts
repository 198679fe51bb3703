// Content-Length of URLs for `curl`/`wget` downloads and ADD <url>, from HEAD requests (or a
// one-byte ranged GET when HEAD says nothing), cached, never waited for.
import type { DownloadSizeReader, Lookup } from '../plan/size/sizeReaders';
import { LookupCache } from './lookupCache';

export interface DownloadSizesOptions {
  timeoutMs?: number;
  onChange?: () => void;
}

async function contentLength(url: string, timeoutMs: number): Promise<number> {
  const head = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  const length = head.ok ? Number(head.headers.get('content-length') ?? NaN) : NaN;
  if (Number.isFinite(length) && length >= 0 && !/gzip|br|deflate/.test(head.headers.get('content-encoding') ?? '')) return length;
  const ranged = await fetch(url, { headers: { Range: 'bytes=0-0' }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  await ranged.body?.cancel();
  const total = /\/(\d+)$/.exec(ranged.headers.get('content-range') ?? '')?.[1];
  if (ranged.status === 206 && total !== undefined) return Number(total);
  if (!head.ok) throw new Error(`HTTP ${head.status} for ${url}`);
  throw new Error(`${url} does not announce its size`);
}

export class DownloadSizes implements DownloadSizeReader {
  private readonly cache: LookupCache<number>;

  constructor(private readonly options: DownloadSizesOptions = {}) {
    this.cache = new LookupCache({ timeoutMs: options.timeoutMs ?? 10_000, onSettled: options.onChange, retryAfterMs: 5 * 60_000, startLater: true });
  }

  contentLength(url: string): Lookup<number> {
    if (!/^https?:\/\//i.test(url)) return { state: 'unknown', reason: `${url} is not an HTTP URL` };
    return this.cache.get(url, () => contentLength(url, this.options.timeoutMs ?? 10_000), url);
  }

  version(): number {
    return this.cache.version();
  }

  settled(): Promise<void> {
    return this.cache.settled();
  }
}
