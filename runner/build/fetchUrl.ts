// ADD https://...: the file is downloaded (redirects followed), hashed while it streams, and
// checked against --checksum when one is given. Like BuildKit, the file is named after the last
// path segment of the URL, is not unpacked, gets mode 0600 and the Last-Modified time.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { BuildError } from './buildError';

export interface FetchedFile {
  file: string;
  /** `sha256:...` of the content. */
  digest: string;
  size: number;
  /** File name BuildKit gives it. */
  name: string;
  /** Seconds since the epoch, from Last-Modified. */
  mtime?: number;
}

export function urlFileName(url: string): string {
  try {
    const base = path.posix.basename(new URL(url).pathname);
    return base === '' || base === '.' || base === '/' ? '__unnamed__' : decodeURIComponent(base);
  } catch {
    return '__unnamed__';
  }
}

/** Downloads `url` into `file` (which must not exist). */
export async function fetchUrl(url: string, file: string, checksum: string | undefined, signal?: AbortSignal): Promise<FetchedFile> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal });
  } catch (err) {
    throw new BuildError(`ADD ${url}: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ''}`);
  }
  if (!response.ok || !response.body) throw new BuildError(`ADD ${url}: the server answered ${response.status} ${response.statusText}`);
  const hash = createHash('sha256');
  let size = 0;
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    for await (const chunk of Readable.fromWeb(response.body as import('stream/web').ReadableStream<Uint8Array>)) {
      const buf = chunk as Buffer;
      hash.update(buf);
      size += buf.length;
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (checksum !== undefined) {
    const expected = checksum.includes(':') ? checksum : `sha256:${checksum}`;
    if (expected !== digest) {
      await fs.promises.rm(file, { force: true });
      throw new BuildError(`ADD ${url}: checksum mismatch: expected ${expected}, the download is ${digest}`);
    }
  }
  const modified = response.headers.get('last-modified');
  const mtime = modified ? Math.floor(Date.parse(modified) / 1000) : undefined;
  return { file, digest, size, name: urlFileName(url), mtime: mtime !== undefined && Number.isFinite(mtime) ? mtime : undefined };
}
