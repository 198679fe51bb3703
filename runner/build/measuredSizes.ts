// Measured layer sizes, by the plan's cache key: `<store>/build-cache/measured-sizes.json`, written
// after every build, read by the language server so the plan shows measured sizes next to the
// predictions (issue 5). The size is the uncompressed layer tar (what predictions estimate); a step
// that changed nothing measures 0.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../store/atomicFile';
import type { ImageStore } from '../store/imageStore';
import type { MeasuredSizeReader } from '../../server/plan/size/sizeReaders';
import { CACHE_DIR } from './buildCache';

export const MEASURED_SIZES = 'measured-sizes.json';

export interface MeasuredSize {
  bytes: number;
  /** The layer's diff_id; absent for a step that changed nothing. */
  diffId?: string;
  measuredAt: string;
}

export interface MeasuredSizesFile {
  version: 1;
  sizes: Record<string, MeasuredSize>;
}

/** Keeps the file from growing without bound: the most recent entries win. */
const MAX_ENTRIES = 20000;

export function measuredSizesPath(store: Pick<ImageStore, 'root'> | string): string {
  return path.join(typeof store === 'string' ? store : store.root, CACHE_DIR, MEASURED_SIZES);
}

function parse(text: string): MeasuredSizesFile {
  const parsed = JSON.parse(text) as Partial<MeasuredSizesFile>;
  if (parsed.version !== 1 || !parsed.sizes || typeof parsed.sizes !== 'object') return { version: 1, sizes: {} };
  return { version: 1, sizes: parsed.sizes };
}

/** A reader over the recorded sizes (a snapshot of the file; read again after a build). */
export interface MeasuredSizes extends MeasuredSizeReader {
  measuredBytes(cacheKey: string): number | undefined;
  entry(cacheKey: string): MeasuredSize | undefined;
  readonly count: number;
}

/**
 * Reads the measured sizes of a store (an open `ImageStore` or its root directory). Never throws:
 * a missing or damaged file reads as no measurements.
 */
export async function readMeasuredSizes(store: Pick<ImageStore, 'root'> | string): Promise<MeasuredSizes> {
  let file: MeasuredSizesFile = { version: 1, sizes: {} };
  try {
    file = parse(await fs.promises.readFile(measuredSizesPath(store), 'utf8'));
  } catch {
    // nothing measured yet
  }
  const sizes = file.sizes;
  return {
    measuredBytes: (key) => sizes[key]?.bytes,
    entry: (key) => sizes[key],
    count: Object.keys(sizes).length,
  };
}

/** Adds measurements (plan cache key -> size) under the store lock. */
export async function recordMeasuredSizes(store: ImageStore, measured: ReadonlyMap<string, { bytes: number; diffId?: string }>): Promise<void> {
  if (measured.size === 0) return;
  await store.withLock(async () => {
    const target = measuredSizesPath(store);
    let file: MeasuredSizesFile = { version: 1, sizes: {} };
    try {
      file = parse(await fs.promises.readFile(target, 'utf8'));
    } catch {
      // first measurement
    }
    const now = new Date().toISOString();
    let changed = false;
    for (const [key, m] of measured) {
      const old = file.sizes[key];
      if (old && old.bytes === m.bytes && old.diffId === m.diffId) continue;
      file.sizes[key] = { bytes: m.bytes, ...(m.diffId ? { diffId: m.diffId } : {}), measuredAt: now };
      changed = true;
    }
    if (!changed) return;
    const keys = Object.keys(file.sizes);
    if (keys.length > MAX_ENTRIES) {
      keys.sort((a, b) => file.sizes[a].measuredAt.localeCompare(file.sizes[b].measuredAt));
      for (const key of keys.slice(0, keys.length - MAX_ENTRIES)) delete file.sizes[key];
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await writeFileAtomic(target, `${JSON.stringify(file, null, 1)}\n`, store.tmpDir);
  });
}
