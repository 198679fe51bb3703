// What `images --json` adds to each image beyond the index: per layer, the bytes of its files that a
// later layer deletes or overwrites (the "wasted space" the Images view flags), and dive's image
// efficiency. Both come from the layers' tar listings; since an image id fixes its layers, the
// result is cached per image id (in $XDG_CACHE_HOME/layerlens) and never goes stale.
import * as fs from 'fs';
import * as path from 'path';
import { listArchive } from '../../server/context/listArchive';
import { imageEfficiency } from '../../server/plan/size/imageEfficiency';
import type { LayerEntry } from '../../server/plan/size/tarLayerSize';
import type { StoredImage } from '../store/imageStore';
import { defaultCacheRoot } from '../store/storeRoot';

const CACHE_VERSION = 1;
const LISTED_PATHS = 5;

/** A path whose bytes a later layer hides: a deleted directory counts once, with everything under it. */
export interface WastedPath {
  path: string;
  bytes: number;
}

export interface LayerWaste {
  diffId: string;
  /** Bytes of files in this layer that a later layer of the same image deletes or overwrites. */
  wastedBytes: number;
  /** The largest of them, largest first (at most LISTED_PATHS). */
  wastedPaths: WastedPath[];
}

export interface ImageFigures {
  layers: LayerWaste[];
  /** dive's score: 1 = no path stored twice. */
  efficiency: number;
  /** dive's "potential wasted space". */
  efficiencyWastedBytes: number;
}

interface LiveFile {
  layer: number;
  bytes: number;
}

/** Where figures are cached: `$XDG_CACHE_HOME/layerlens/image-figures`, else `~/.cache/...`. */
export function defaultFiguresCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultCacheRoot(env), 'image-figures');
}

function isBelow(p: string, dir: string): boolean {
  return dir === '' ? p !== '' : p.startsWith(`${dir}/`);
}

/** Per layer (bottom first), the bytes of its files that later layers delete or overwrite. */
export function layerWasteOf(layers: readonly (readonly LayerEntry[])[]): { wastedBytes: number; wastedPaths: WastedPath[] }[] {
  const live = new Map<string, LiveFile>();
  const dirs = new Set<string>();
  const wasted = layers.map(() => new Map<string, number>());
  /** Hides `target` (and, for directories, what lies under it) from layers below `layer`. */
  const hide = (target: string, layer: number, underOnly: boolean): void => {
    const hidden = new Map<number, number>();
    for (const [p, file] of live) {
      if (file.layer >= layer || !(underOnly ? isBelow(p, target) : p === target || isBelow(p, target))) continue;
      hidden.set(file.layer, (hidden.get(file.layer) ?? 0) + file.bytes);
      live.delete(p);
    }
    const shown = `/${target}`;
    for (const [below, bytes] of hidden) wasted[below].set(shown, (wasted[below].get(shown) ?? 0) + bytes);
  };
  layers.forEach((entries, layer) => {
    for (const entry of entries) {
      const p = entry.path.replace(/^\/+|\/+$/g, '');
      const slash = p.lastIndexOf('/');
      const base = p.slice(slash + 1);
      const dir = slash < 0 ? '' : p.slice(0, slash);
      if (base === '.wh..wh..opq') { hide(dir, layer, true); continue; }
      if (base.startsWith('.wh.')) { hide(dir ? `${dir}/${base.slice(4)}` : base.slice(4), layer, false); continue; }
      if (entry.kind === 'dir') {
        const previous = live.get(p);
        if (previous && previous.layer < layer) hide(p, layer, false);
        dirs.add(p);
        continue;
      }
      if (dirs.has(p)) { hide(p, layer, false); dirs.delete(p); } else if ((live.get(p)?.layer ?? layer) < layer) hide(p, layer, false);
      live.set(p, { layer, bytes: entry.kind === 'file' ? entry.size : 0 });
    }
  });
  return wasted.map((paths) => {
    const sorted = [...paths].map(([p, bytes]) => ({ path: p, bytes })).filter((w) => w.bytes > 0).sort((a, b) => b.bytes - a.bytes);
    return { wastedBytes: sorted.reduce((s, w) => s + w.bytes, 0), wastedPaths: sorted.slice(0, LISTED_PATHS) };
  });
}

/** Lists one stored layer blob; throws with the layer named when it cannot be read. */
async function layerEntries(blobPath: string, diffId: string): Promise<LayerEntry[]> {
  const listed = await listArchive(blobPath);
  if (listed.state !== 'archive') throw new Error(`layer ${diffId} cannot be listed (${listed.state === 'not-archive' ? 'not a tar archive' : listed.reason})`);
  return listed.entries;
}

/** Figures of one image, from the cache or from its layers (then cached). */
export async function imageFiguresOf(image: StoredImage, blobPath: (digest: string) => string, cacheDir = defaultFiguresCacheDir()): Promise<ImageFigures> {
  const file = path.join(cacheDir, `${image.configDigest.replace(/^sha256:/, '')}.json`);
  try {
    const cached = JSON.parse(await fs.promises.readFile(file, 'utf8')) as { version?: number; figures?: ImageFigures };
    if (cached.version === CACHE_VERSION && cached.figures?.layers.length === image.layers.length) return cached.figures;
  } catch {
    // not cached yet, or unreadable: compute it again
  }
  const listings: LayerEntry[][] = [];
  for (const layer of image.layers) listings.push(await layerEntries(blobPath(layer.digest), layer.diffId));
  const efficiency = imageEfficiency(listings);
  const figures: ImageFigures = {
    layers: layerWasteOf(listings).map((w, i) => ({ diffId: image.layers[i].diffId, ...w })),
    efficiency: efficiency.score,
    efficiencyWastedBytes: efficiency.wastedBytes,
  };
  try {
    await fs.promises.mkdir(cacheDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temp, JSON.stringify({ version: CACHE_VERSION, figures }));
    await fs.promises.rename(temp, file);
  } catch {
    // a read-only cache directory only costs speed
  }
  return figures;
}
