// Owners as the container sees them. A build step's files are owned by host ids: as root the
// container's user namespace maps every id to itself; rootless, the user is container root and a
// subordinate range (when there is one) holds ids 1..N. Layers record container ids.
import { decideIdMapping, type IdMapping } from '../run/idMapping';

export interface ContainerIds {
  /** True when files can be given any owner (root). */
  canChown: boolean;
  /** Host id -> the id a layer records. */
  uid(hostUid: number): number;
  gid(hostGid: number): number;
}

const NOBODY = 65534;

export function containerIdsFor(mapping: IdMapping): ContainerIds {
  if (mapping.mode === 'root') return { canChown: true, uid: (id) => id, gid: (id) => id };
  const map = (id: number, own: number, range?: { start: number; count: number }): number => {
    if (id === own) return 0;
    if (range && id >= range.start && id < range.start + range.count) return id - range.start + 1;
    return NOBODY;
  };
  if (mapping.mode === 'subid') {
    return { canChown: false, uid: (id) => map(id, mapping.hostUid, mapping.subuid), gid: (id) => map(id, mapping.hostGid, mapping.subgid) };
  }
  return { canChown: false, uid: (id) => map(id, mapping.hostUid), gid: (id) => map(id, mapping.hostGid) };
}

let current: ContainerIds | undefined;

/** The mapping builds on this machine use (decided once per process). */
export function containerIds(): ContainerIds {
  current ??= containerIdsFor(decideIdMapping());
  return current;
}
