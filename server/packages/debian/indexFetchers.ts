// Ways to get a Debian index file's text by its URL (without compression suffix): over HTTP
// from the mirror, or from a machine's apt lists (/var/lib/apt/lists) after `apt-get update`.
import { spawn } from 'child_process';
import { type FileHandle, mkdtemp, open, readdir, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * Hands the decompressed bytes of an index file to `onChunk` as they come (awaiting it before
 * reading on). A chunk may be a buffer that is reused for the next one: read it during the call.
 */
export type IndexStreamer = (url: string, onChunk: (chunk: Buffer) => Promise<void> | void) => Promise<void>;

/** Returns the decompressed text of an index file, or throws with a reason; `stream` gives its bytes in chunks. */
export type IndexFetcher = ((url: string) => Promise<string>) & { stream?: IndexStreamer };

/** Pieces of a plain file handed over at a time. */
const PLAIN_CHUNK = 256 * 1024;

/** A compressed index: a file, or bytes fetched. */
type Compressed = { path: string } | { data: Buffer };

/**
 * Reads a file through one buffer, handing over each piece: a 50 MB index read in fresh chunks
 * (a pipe's 64 KiB each) left that much garbage outside the heap, which V8 frees only in a full
 * collection (resident memory of the server +20-25 MiB until then).
 */
async function readInPieces(file: string | FileHandle, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const handle = typeof file === 'string' ? await open(file, 'r') : file;
  try {
    const buffer = Buffer.allocUnsafe(PLAIN_CHUNK);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      await onChunk(buffer.subarray(0, bytesRead));
    }
  } finally {
    if (typeof file === 'string') await handle.close();
  }
}

/** Runs `tool -dc` on the input, its output into `output` (a file descriptor) or a pipe it streams from. */
async function runTool(tool: string, input: Compressed, output: number | undefined, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const args = 'path' in input ? ['-dc', input.path] : ['-dc'];
  const child = spawn(tool, args, { stdio: ['path' in input ? 'ignore' : 'pipe', output ?? 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve, reject) => {
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (error) => reject(new Error(`${tool}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${tool}: exit ${code} ${Buffer.concat(stderr).toString('utf8').trim()}`))));
  });
  if (child.stdin) {
    // A failing tool may close its input early: the error is reported by its exit.
    child.stdin.on('error', () => undefined);
    child.stdin.end((input as { data: Buffer }).data);
  }
  if (child.stdout) {
    try {
      for await (const chunk of child.stdout) await onChunk(chunk as Buffer);
    } catch (error) {
      child.kill();
      await exited.catch(() => undefined);
      throw error;
    }
  }
  await exited;
}

/**
 * Decompresses with the format's tool into a temporary file, then reads that through one buffer
 * (see readInPieces); through a pipe when no temporary file can be made. The file is removed as
 * soon as it is open (where the system allows), so a server that exits meanwhile leaves nothing.
 */
async function decompressWithTool(tool: string, input: Compressed, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  let dir: string;
  let handle: FileHandle;
  try {
    dir = await mkdtemp(path.join(tmpdir(), 'layerlens-index-'));
  } catch {
    return runTool(tool, input, undefined, onChunk);
  }
  let removed = false;
  try {
    handle = await open(path.join(dir, 'index'), 'w+');
    removed = await rm(dir, { recursive: true, force: true }).then(() => true, () => false);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  try {
    await runTool(tool, input, handle.fd, onChunk);
    await readInPieces(handle, onChunk);
  } finally {
    await handle.close();
    if (!removed) await rm(dir, { recursive: true, force: true });
  }
}

/** The decompressed chunks of `input` (gzip in the thread pool, the others by their tools' processes). */
async function decompress(input: Compressed, suffix: string, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  switch (suffix) {
    case '.gz': {
      const gunzip = zlib.createGunzip({ chunkSize: PLAIN_CHUNK });
      gunzip.end('path' in input ? await readFile(input.path) : input.data);
      for await (const chunk of gunzip) await onChunk(chunk as Buffer);
      return;
    }
    case '.xz':
    case '.lz4':
    case '.zst':
    case '.bz2':
      return decompressWithTool({ '.xz': 'xz', '.lz4': 'lz4', '.zst': 'zstd', '.bz2': 'bzip2' }[suffix] as string, input, onChunk);
    default:
      if ('path' in input) return readInPieces(input.path, onChunk);
      for (let pos = 0; pos < input.data.length; pos += PLAIN_CHUNK) await onChunk(input.data.subarray(pos, pos + PLAIN_CHUNK));
  }
}

/** A fetcher from its streaming form: the text is the chunks joined (for small files and tests). */
function fetcherOf(stream: IndexStreamer): IndexFetcher {
  const fetcher = async (url: string): Promise<string> => {
    const chunks: Buffer[] = [];
    // A copy: the streamer may reuse its buffer for the next chunk.
    await stream(url, (chunk) => void chunks.push(Buffer.from(chunk)));
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
        return await decompress({ data }, suffix, (chunk) => {
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
    return decompress({ path: path.join(listsDir, match) }, match.slice(base.length), onChunk);
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
