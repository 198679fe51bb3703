// What `<store>/containers/<id>/container.json` holds, and the container's live state: `running`
// while its helper (same pid, same start time) is alive, `exited` once the helper wrote the status
// file (or died without writing one).
import type { MountSpec, NetworkMode, ProcessSpec, ResourceLimits } from './containerSpec';

export type ContainerState = 'created' | 'running' | 'exited';

export interface ContainerConfig {
  process: ProcessSpec;
  hostname: string;
  network: NetworkMode;
  mounts: MountSpec[];
  limits?: ResourceLimits;
  readOnly: boolean;
  /** Keep stdin open (`-i`). */
  interactive: boolean;
  /** Signal `stop` sends first (the image's StopSignal, default SIGTERM). */
  stopSignal: string;
  /** For `--rootfs DIR` containers (no image): the directory used as the only lower layer. */
  rootfsDir?: string;
}

export interface ContainerRecord {
  id: string;
  name: string;
  /** Manifest digest of the image ('' for a `--rootfs` container); the store's GC keeps it. */
  image: string;
  /** The name the image was asked for by. */
  imageRef: string;
  created: string;
  state: ContainerState;
  config: ContainerConfig;
  /** `--rm`: removed when it exits. */
  autoRemove: boolean;
  /** Whether the output is copied to container.log. */
  logging: boolean;
  helperPid?: number;
  helperStartTime?: number;
  /** The container's first process, as the host sees it. */
  pid?: number;
  startedAt?: string;
  finishedAt?: string;
  /** null: it ended without a status (its helper was killed). */
  exitCode?: number | null;
  signal?: number;
  cgroups?: string[];
}

/** `exited 3` -> { exitCode: 3 }; `signaled 9` -> { exitCode: 137, signal: 9 } */
export function parseStatusFile(text: string): { exitCode: number; signal?: number } | undefined {
  const m = /^(exited|signaled) (\d+)/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] === 'exited' ? { exitCode: n } : { exitCode: 128 + n, signal: n };
}
