// Ways to get a Debian index file's text by its URL (without compression suffix): over HTTP
// from the mirror, or from a machine's apt lists (/var/lib/apt/lists) after `apt-get update`.
import { spawn } from 'child_process';
import { readdir, readFile } from 'fs/promises';
import * as path from 'path';
import * as zlib from 'zlib';

/** Hands the decompressed bytes of an index file to `onChunk` as they come (awaiting it before reading on). */
export type IndexStreamer = (url: string, onChunk: (chunk: Buffer) => Promise<void> | void) => Promise<void>;

/** Returns the decompressed text of an index file, or throws with a reason; `stream` gives its bytes in chunks. */
export type IndexFetcher = ((url: string) => Promise<string>) & { stream?: IndexStreamer };

/** Pieces of a plain file handed over at a time. */
const PLAIN_CHUNK = 256 * 1024;

/** The decompressed chunks of `data` (gzip in the thread pool, the others by their tools' processes). */
async function decompress(data: Buffer, suffix: string, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  switch (suffix) {
    case '.gz': {
      const gunzip = zlib.createGunzip({ chunkSize: PLAIN_CHUNK });
      gunzip.end(data);
      for await (const chunk of gunzip) await onChunk(chunk as Buffer);
      return;
    }
    case '.xz':
    case '.lz4':
    case '.zst':
    case '.bz2': {
      const tool = { '.xz': 'xz', '.lz4': 'lz4', '.zst': 'zstd', '.bz2': 'bzip2' }[suffix] as string;
      const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const exited = new Promise<void>((resolve, reject) => {
        const stderr: Buffer[] = [];
        child.stderr.on('data', (b: Buffer) => stderr.push(b));
        child.on('error', (error) => reject(new Error(`${tool}: ${error.message}`)));
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${tool}: exit ${code} ${Buffer.concat(stderr).toString('utf8').trim()}`))));
      });
      // A failing tool may close its input early: the error is reported by its exit.
      child.stdin.on('error', () => undefined);
      child.stdin.end(data);
      try {
        for await (const chunk of child.stdout) await onChunk(chunk as Buffer);
      } catch (error) {
        child.kill();
        await exited.catch(() => undefined);
        throw error;
      }
      await exited;
      return;
    }
    default:
      for (let pos = 0; pos < data.length; pos += PLAIN_CHUNK) await onChunk(data.subarray(pos, pos + PLAIN_CHUNK));
  }
}

/** A fetcher from its streaming form: the text is the chunks joined (for small files and tests). */
function fetcherOf(stream: IndexStreamer): IndexFetcher {
  const fetcher = async (url: string): Promise<string> => {
    const chunks: Buffer[] = [];
    await stream(url, (chunk) => void chunks.push(chunk));
    return Buffer.concat(chunks).toString('utf8');
  };
  return Object.assign(fetcher, { stream });
}

/** Streams an index with `fetcher` (in one chunk when it only gives text). */
export async function streamIndex(fetcher: IndexFetcher, url: string, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  if (fetcher.stream) return fetcher.stream(url, onChunk);
  await onChunk(Buffer.from(await fetcher(url), 'utf8'));
}

/** Fetches from the mirror, trying `.gz`, `.xz` then the plain file. */
export function httpIndexFetcher(options: { timeoutMs?: number } = {}): IndexFetcher {
  return fetcherOf(async (url, onChunk) => {
    const errors: string[] = [];
    for (const suffix of url.endsWith('InRelease') ? [''] : ['.gz', '.xz', '']) {
      let data: Buffer;
      try {
        const response = await fetch(url + suffix, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
        if (!response.ok) {
          errors.push(`${url + suffix}: HTTP ${response.status}`);
          continue;
        }
        data = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        errors.push(`${url + suffix}: ${(error as Error).message}`);
        continue;
      }
      let started = false;
      try {
        return await decompress(data, suffix, (chunk) => {
          started = true;
          return onChunk(chunk);
        });
      } catch (error) {
        if (started) throw error;
        errors.push(`${url + suffix}: ${(error as Error).message}`);
      }
    }
    throw new Error(errors.join('; '));
  });
}

/** apt's list file name for a URL: scheme dropped, `/` replaced by `_`. */
export function aptListName(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/\//g, '_');
}

/** Reads index files from an apt lists directory (any compression apt stored them with). */
export function aptListsFetcher(listsDir = '/var/lib/apt/lists'): IndexFetcher {
  return fetcherOf(async (url, onChunk) => {
    const base = aptListName(url);
    const names = await readdir(listsDir);
    const match = names.find((n) => n === base || (n.startsWith(base + '.') && /^\.(gz|xz|lz4|zst|bz2)$/.test(n.slice(base.length))));
    if (!match) throw new Error(`${base} is not in ${listsDir} (run apt-get update)`);
    return decompress(await readFile(path.join(listsDir, match)), match.slice(base.length), onChunk);
  });
}

/** Tries fetchers in order; once one has handed over bytes, its failure is final. */
export function firstOf(...fetchers: IndexFetcher[]): IndexFetcher {
  return fetcherOf(async (url, onChunk) => {
    const errors: string[] = [];
    for (const fetcher of fetchers) {
      let started = false;
      try {
        return await streamIndex(fetcher, url, (chunk) => {
          started = true;
          return onChunk(chunk);
        });
      } catch (error) {
        if (started) throw error;
        errors.push((error as Error).message);
      }
    }
    throw new Error(errors.join('; '));
  });
}
