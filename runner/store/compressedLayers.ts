// `<store>/compressed-layers.json`: for each uncompressed layer (by diff_id), the gzip blob a push
// made of it (digest, size, media type). The blob itself is not kept: a push that finds the
// digest here asks the registry (HEAD) before compressing again, and compressing again gives the
// same bytes (same zlib level, no time in the gzip header). Written atomically under the lock.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from './atomicFile';
import { isSha256Digest } from './digest';
import type { ImageStore } from './imageStore';

export const COMPRESSED_LAYERS_FILE = 'compressed-layers.json';

export interface CompressedLayer {
  digest: string;
  size: number;
  mediaType: string;
}

interface CompressedLayersFile {
  version: 1;
  layers: Record<string, CompressedLayer>;
}

export function compressedLayersPath(store: Pick<ImageStore, 'root'>): string {
  return path.join(store.root, COMPRESSED_LAYERS_FILE);
}

function isCompressedLayer(value: unknown): value is CompressedLayer {
  const v = value as Partial<CompressedLayer> | null;
  return typeof v === 'object' && v !== null && typeof v.digest === 'string' && isSha256Digest(v.digest)
    && typeof v.size === 'number' && Number.isSafeInteger(v.size) && v.size >= 0 && typeof v.mediaType === 'string';
}

/** diff_id -> compressed blob; a missing or damaged file (or entry) reads as nothing known. */
export function readCompressedLayers(store: Pick<ImageStore, 'root'>): Map<string, CompressedLayer> {
  const known = new Map<string, CompressedLayer>();
  try {
    const parsed = JSON.parse(fs.readFileSync(compressedLayersPath(store), 'utf8')) as Partial<CompressedLayersFile>;
    if (parsed.version !== 1 || typeof parsed.layers !== 'object' || parsed.layers === null) return known;
    for (const [diffId, layer] of Object.entries(parsed.layers)) {
      if (isSha256Digest(diffId) && isCompressedLayer(layer)) known.set(diffId, { digest: layer.digest, size: layer.size, mediaType: layer.mediaType });
    }
  } catch {
    // no pushes yet, or a damaged file: everything is compressed again
  }
  return known;
}

async function writeCompressedLayers(store: ImageStore, layers: Map<string, CompressedLayer>): Promise<void> {
  const file: CompressedLayersFile = { version: 1, layers: Object.fromEntries([...layers].sort(([a], [b]) => a.localeCompare(b))) };
  await writeFileAtomic(compressedLayersPath(store), `${JSON.stringify(file, null, 1)}\n`, store.tmpDir);
}

/** Records what `diffId` compresses to (merged with other processes' records, under the lock). */
export async function rememberCompressedLayer(store: ImageStore, diffId: string, layer: CompressedLayer): Promise<void> {
  await store.withLock(async () => {
    const layers = readCompressedLayers(store);
    const old = layers.get(diffId);
    if (old && old.digest === layer.digest && old.size === layer.size && old.mediaType === layer.mediaType) return;
    layers.set(diffId, layer);
    await writeCompressedLayers(store, layers);
  });
}

/** Drops records of layers the store no longer has (lock held by the caller: garbage collection). */
export async function forgetCompressedLayers(store: ImageStore, keep: (diffId: string) => boolean): Promise<number> {
  const layers = readCompressedLayers(store);
  let dropped = 0;
  for (const diffId of [...layers.keys()]) {
    if (!keep(diffId)) {
      layers.delete(diffId);
      dropped++;
    }
  }
  if (dropped > 0) await writeCompressedLayers(store, layers);
  return dropped;
}
