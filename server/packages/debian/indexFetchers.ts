// Ways to get a Debian index file's text by its URL (without compression suffix): over HTTP
// from the mirror, or from a machine's apt lists (/var/lib/apt/lists) after `apt-get update`.
import { execFile } from 'child_process';
import { readdir, readFile } from 'fs/promises';
import * as path from 'path';
import { promisify } from 'util';
import * as zlib from 'zlib';

const gunzip = promisify(zlib.gunzip);

/** Returns the decompressed text of an index file, or throws with a reason. */
export type IndexFetcher = (url: string) => Promise<string>;

async function decompress(data: Buffer, suffix: string): Promise<string> {
  switch (suffix) {
    case '.gz':
      // In the thread pool: a 10 MB index takes a few hundred milliseconds to inflate.
      return (await gunzip(data)).toString('utf8');
    case '.xz':
    case '.lz4':
    case '.zst':
    case '.bz2': {
      const tool = { '.xz': 'xz', '.lz4': 'lz4', '.zst': 'zstd', '.bz2': 'bzip2' }[suffix] as string;
      return new Promise((resolve, reject) => {
        const child = execFile(tool, ['-dc'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (error, stdout) => (error ? reject(new Error(`${tool}: ${error.message}`)) : resolve(stdout.toString('utf8'))));
        child.stdin?.end(data);
      });
    }
    default:
      return data.toString('utf8');
  }
}

/** Fetches from the mirror, trying `.gz`, `.xz` then the plain file. */
export function httpIndexFetcher(options: { timeoutMs?: number } = {}): IndexFetcher {
  return async (url) => {
    const errors: string[] = [];
    for (const suffix of url.endsWith('InRelease') ? [''] : ['.gz', '.xz', '']) {
      try {
        const response = await fetch(url + suffix, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
        if (!response.ok) {
          errors.push(`${url + suffix}: HTTP ${response.status}`);
          continue;
        }
        return await decompress(Buffer.from(await response.arrayBuffer()), suffix);
      } catch (error) {
        errors.push(`${url + suffix}: ${(error as Error).message}`);
      }
    }
    throw new Error(errors.join('; '));
  };
}

/** apt's list file name for a URL: scheme dropped, `/` replaced by `_`. */
export function aptListName(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/\//g, '_');
}

/** Reads index files from an apt lists directory (any compression apt stored them with). */
export function aptListsFetcher(listsDir = '/var/lib/apt/lists'): IndexFetcher {
  return async (url) => {
    const base = aptListName(url);
    const names = await readdir(listsDir);
    const match = names.find((n) => n === base || (n.startsWith(base + '.') && /^\.(gz|xz|lz4|zst|bz2)$/.test(n.slice(base.length))));
    if (!match) throw new Error(`${base} is not in ${listsDir} (run apt-get update)`);
    return decompress(await readFile(path.join(listsDir, match)), match.slice(base.length));
  };
}

/** Tries fetchers in order. */
export function firstOf(...fetchers: IndexFetcher[]): IndexFetcher {
  return async (url) => {
    const errors: string[] = [];
    for (const fetcher of fetchers) {
      try {
        return await fetcher(url);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    throw new Error(errors.join('; '));
  };
}
