// `--rm` containers whose remover never ran (the CLI or the helper was killed, the machine went
// down) are removed by the next `ps`: exited, their helper gone, and ended a while ago, so that a
// CLI about to remove its own container is not raced.
import type { ContainerRecord } from './containerRecord';
import type { ContainerStore } from './containerStore';
import { isSameProcess } from './processStartTime';
import { removeContainer } from './removeContainer';

const GRACE_MS = 60_000;

export function isOrphanedAutoRemove(c: ContainerRecord, now = Date.now()): boolean {
  return c.autoRemove && c.state === 'exited' && !isSameProcess(c.helperPid, c.helperStartTime) &&
    now - Date.parse(c.finishedAt ?? c.created) > GRACE_MS;
}

/** Removes them and returns the records that remain. */
export async function reapRemovedOnExit(containers: ContainerStore, records: ContainerRecord[]): Promise<ContainerRecord[]> {
  const kept: ContainerRecord[] = [];
  for (const c of records) {
    if (!isOrphanedAutoRemove(c)) kept.push(c);
    else await removeContainer(containers, c, false).catch(() => kept.push(c));
  }
  return kept;
}
