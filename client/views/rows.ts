// How `layerlens images --json` and `layerlens ps -a --json` entries appear as view rows.
import { formatBytes } from '../../server/plan/size/formatBytes';
import type { ListRow } from './cliListView';

/** One row of `layerlens images --json` (one per name; untagged images have null names). */
export interface ImageEntry {
  id: string;
  name: string | null;
  repository: string | null;
  tag: string | null;
  digest: string;
  size: number;
  created?: string | null;
  layers?: number;
  /** Bytes in layers other images also use, and bytes only this image uses. */
  sharedBytes?: number;
  uniqueBytes?: number;
  /** dive's efficiency (1 = nothing stored twice); null when a layer could not be read. */
  efficiency?: number | null;
  wastedBytes?: number | null;
  layerDetails?: ImageLayerEntry[];
}

/** One layer of an image as `layerlens images --json` lists it, bottom first. */
export interface ImageLayerEntry {
  diffId: string;
  size: number;
  createdBy: string;
  wastedBytes: number | null;
  wastedPaths: { path: string; bytes: number }[];
}

export interface ContainerEntry {
  id: string;
  name: string;
  image: string;
  state: string;
  /** `Up 3 minutes`, `Exited (0) 2 hours ago`, as `docker ps` words it. */
  status?: string;
  exitCode?: number | null;
}

export function imageRow(image: ImageEntry): ListRow {
  // A row's id is what its commands receive: the name, or the image id for untagged images.
  const shortId = image.id.replace(/^sha256:/, '').slice(0, 12);
  return {
    id: image.name ?? image.id,
    label: image.name ? familiarName(image.name) : '<none>',
    description: `${formatBytes(image.size)}${image.uniqueBytes !== undefined && image.uniqueBytes !== image.size ? ` (${formatBytes(image.uniqueBytes)} unique)` : ''} · ${shortId}`,
    tooltip: [
      image.name, image.id, image.digest,
      image.created ? `created ${relativeTime(image.created)} (${image.created})` : '',
      image.sharedBytes !== undefined ? `${formatBytes(image.size)}: ${formatBytes(image.sharedBytes)} shared with other images, ${formatBytes(image.uniqueBytes ?? 0)} unique` : '',
      typeof image.efficiency === 'number' ? `efficiency ${(image.efficiency * 100).toFixed(1)} %${image.wastedBytes ? `, ${formatBytes(image.wastedBytes)} of layer files deleted or overwritten later` : ''}` : '',
    ].filter(Boolean).join('\n'),
    contextValue: 'image',
    icon: 'package',
  };
}

/** `3 minutes ago`, `2 days ago`: how long ago an ISO time was. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return 'just now';
  const units: [number, string][] = [[60, 'minute'], [3600, 'hour'], [86400, 'day'], [2592000, 'month'], [31536000, 'year']];
  let [size, unit] = units[0];
  for (const u of units) if (seconds >= u[0]) [size, unit] = u;
  const n = Math.max(1, Math.round(seconds / size));
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** `busybox:latest` for Docker Hub official images, `team/app:1` for other Hub images, as docker prints them. */
export function familiarName(name: string): string {
  return name.replace(/^docker\.io\/(library\/)?/, '');
}

export function containerRow(container: ContainerEntry): ListRow {
  const exited = container.state === 'exited' && container.exitCode !== undefined && container.exitCode !== null;
  return {
    id: container.id,
    label: container.name,
    description: `${container.image} · ${container.status ?? container.state}${exited && !container.status ? ` (${container.exitCode})` : ''}`,
    tooltip: `${container.id}\n${container.image}`,
    contextValue: container.state === 'running' ? 'runningContainer' : 'stoppedContainer',
    icon: container.state === 'running' ? 'vm-running' : 'vm-outline',
  };
}
