// `rm`: a stopped container's record, writable layer, logs and cgroups; `-f` kills it first.
import { removeCgroups } from './cgroups';
import { ContainerError } from './containerError';
import { releaseName } from './containerNames';
import type { ContainerRecord } from './containerRecord';
import type { ContainerStore } from './containerStore';
import { removeFile, removeTree } from './removeTree';
import { killContainer, waitUntilStopped } from './stopContainer';

export async function removeContainer(containers: ContainerStore, record: ContainerRecord, force: boolean): Promise<void> {
  if (record.state === 'running') {
    if (!force) throw new ContainerError(`container ${record.name} is running: stop it first, or use rm -f`, 1);
    killContainer(record, 'SIGKILL');
    await waitUntilStopped(containers, record.id, 10_000);
  }
  const paths = containers.paths(record.id);
  removeFile(paths.record); // first: a half-removed container no longer lists
  await removeCgroups(record.cgroups ?? []);
  await removeTree(paths.dir);
  releaseName(containers.containersDir, record.name, record.id);
}
