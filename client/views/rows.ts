// How `layerlens images --json` and `layerlens ps -a --json` entries appear as view rows.
import { formatBytes } from '../format';
import type { ListRow } from './cliListView';

/** One row of `layerlens images --json` (one per name; untagged images have null names). */
export interface ImageEntry {
  id: string;
  name: string | null;
  repository: string | null;
  tag: string | null;
  digest: string;
  size: number;
  created?: string;
  layers?: number;
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
    label: image.name ?? '<none>',
    description: `${shortId} · ${formatBytes(image.size)}`,
    tooltip: [image.name, image.id, image.digest, image.created ? `created ${image.created}` : ''].filter(Boolean).join('\n'),
    contextValue: 'image',
    icon: 'package',
  };
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
