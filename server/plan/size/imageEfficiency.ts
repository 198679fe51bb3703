// dive's image efficiency over real layer listings (for after a build): every path's sizes are
// summed across the layers that contain it, a whiteout counting as the size of what it hides;
// efficiency = sum of each path's smallest size / sum of all sizes; paths seen in more than one
// layer are the inefficiencies, their cumulative size the potential waste.
import { cleanGoPath } from './goPath';
import type { LayerEntry } from './tarLayerSize';

export interface Inefficiency {
  path: string;
  /** Sum of the path's sizes over the layers it appears in. */
  cumulativeBytes: number;
  /** Layer indexes (0 = bottom) that contain it. */
  layers: number[];
}

export interface ImageEfficiency {
  /** 1 = nothing wasted. */
  score: number;
  /** dive's "potential wasted space": cumulative bytes of paths present in several layers. */
  wastedBytes: number;
  /** Largest first. */
  inefficiencies: Inefficiency[];
}

function whiteoutTarget(path: string): { target: string; opaque: boolean } | undefined {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  if (base === '.wh..wh..opq') return { target: dir.replace(/\/$/, '') || '/', opaque: true };
  if (base.startsWith('.wh.')) return { target: dir + base.slice(4), opaque: false };
  return undefined;
}

/** Computes dive's efficiency for an image given the entries of each layer, bottom first. */
export function imageEfficiency(layers: readonly (readonly LayerEntry[])[]): ImageEfficiency {
  const data = new Map<string, { cumulative: number; min: number; layers: number[] }>();
  const live = new Map<string, number>();
  const note = (path: string, size: number, layer: number): void => {
    const d = data.get(path) ?? { cumulative: 0, min: -1, layers: [] };
    d.cumulative += size;
    d.min = d.min < 0 ? size : Math.min(d.min, size);
    d.layers.push(layer);
    data.set(path, d);
  };
  layers.forEach((entries, layer) => {
    for (const entry of entries) {
      const path = cleanGoPath('/' + entry.path);
      const whiteout = whiteoutTarget(path);
      if (whiteout) {
        let hidden = 0;
        for (const [p, size] of live) {
          if (p === whiteout.target ? !whiteout.opaque : p.startsWith(whiteout.target === '/' ? '/' : whiteout.target + '/')) {
            hidden += size;
            live.delete(p);
          }
        }
        if (!whiteout.opaque) note(whiteout.target, hidden, layer);
        continue;
      }
      if (entry.kind === 'dir') continue;
      const size = entry.kind === 'file' ? entry.size : 0;
      note(path, size, layer);
      live.set(path, size);
    }
  });
  let minimum = 0;
  let discovered = 0;
  const inefficiencies: Inefficiency[] = [];
  for (const [path, d] of data) {
    minimum += d.min;
    discovered += d.cumulative;
    if (d.layers.length > 1) inefficiencies.push({ path, cumulativeBytes: d.cumulative, layers: d.layers });
  }
  inefficiencies.sort((a, b) => b.cumulativeBytes - a.cumulativeBytes);
  return {
    score: discovered === 0 ? 1 : minimum / discovered,
    wastedBytes: inefficiencies.reduce((s, i) => s + i.cumulativeBytes, 0),
    inefficiencies,
  };
}
