// How `layerlens images --json` and `layerlens ps -a --json` entries appear as view rows.
import { formatBytes } from '../format';
import type { ListRow } from './cliListView';

export interface ImageEntry {
  id: string;
  names: string[];
  size: number;
  created?: string;
}

export interface ContainerEntry {
  id: string;
  name: string;
  image: string;
  state: string;
  exitCode?: number | null;
}

export function imageRow(image: ImageEntry): ListRow {
  const shortId = image.id.replace(/^sha256:/, '').slice(0, 12);
  return {
    id: image.id,
    label: image.names[0] ?? '<none>',
    description: `${shortId} · ${formatBytes(image.size)}`,
    tooltip: [...image.names, image.id, image.created ? `created ${image.created}` : ''].filter(Boolean).join('\n'),
    contextValue: 'image',
    icon: 'package',
  };
}

export function containerRow(container: ContainerEntry): ListRow {
  const exited = container.state === 'exited' && container.exitCode !== undefined && container.exitCode !== null;
  return {
    id: container.id,
    label: container.name,
    description: `${container.image} · ${container.state}${exited ? ` (${container.exitCode})` : ''}`,
    tooltip: `${container.id}\n${container.image}`,
    contextValue: container.state === 'running' ? 'runningContainer' : 'stoppedContainer',
    icon: container.state === 'running' ? 'vm-running' : 'vm-outline',
  };
}
