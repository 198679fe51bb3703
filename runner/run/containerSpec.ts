// What a container is made of, independent of the CLI and the store: the build engine fills one of
// these for every RUN step (lower dirs of the previous layers, a fresh upper dir) and calls
// runContainer; `layerlens run` fills it from an image and the command line.

export type NetworkMode = 'none' | 'host';

export interface ProcessSpec {
  /** argv; args[0] is looked up in the container's PATH when it has no slash. */
  args: string[];
  /** KEY=VALUE; HOME is added from the container's /etc/passwd when missing. */
  env: string[];
  /** Absolute; created when missing; always resolved inside the container's root. */
  cwd: string;
  /** USER syntax: name, uid, name:group, uid:gid (names from the container's /etc/passwd, /etc/group). */
  user: string;
  /** Allocate a pseudo-terminal inside the container (`-t`). */
  tty: boolean;
  /**
   * RUN --security=insecure (≈ `docker run --privileged`): every capability in every set (ambient
   * too for a non-root user), no seccomp filter, no no_new_privs, the container's own /sys writable.
   * Never set by `layerlens run`.
   */
  privileged?: boolean;
  /** Resource limits; only ever lowered (a request above the hard limit keeps the hard limit). */
  rlimits?: Rlimit[];
}

export interface Rlimit {
  name: 'AS' | 'CORE' | 'CPU' | 'DATA' | 'FSIZE' | 'LOCKS' | 'MEMLOCK' | 'MSGQUEUE' | 'NICE' | 'NOFILE' | 'NPROC' | 'RSS' | 'RTPRIO' | 'RTTIME' | 'SIGPENDING' | 'STACK';
  soft: number | 'unlimited';
  hard: number | 'unlimited';
}

/** A host directory or file bound into the container (`-v`, a build cache mount), or a tmpfs. */
export type MountSpec =
  | { type: 'bind'; source: string; target: string; readOnly?: boolean }
  | { type: 'tmpfs'; target: string; options?: string[] };

export interface ResourceLimits {
  /** Bytes; processes over it are killed by the kernel's OOM killer (no swap beyond it). */
  memoryBytes?: number;
  /** Fractional CPUs (CFS quota over a 100 ms period). */
  cpus?: number;
  /** Maximum number of processes (and threads). */
  pids?: number;
}

export interface RootfsSpec {
  /** Read-only layers, lowest first (what ImageStore.unpackedLayerDirs returns). */
  lowerDirs: string[];
  /** The container's writable layer; where a build step's changes land. */
  upperDir: string;
  /** overlayfs scratch space, an empty directory on the same file system as upperDir. */
  workDir: string;
  /** Make the root file system read-only (`--read-only`); mounts stay as asked. */
  readOnly?: boolean;
}

export interface ContainerSpec {
  /** Names the cgroups; any string of [A-Za-z0-9_.-]. */
  id: string;
  /** A directory owned by this container: the rootfs mount point and /etc files are made in it. */
  bundleDir: string;
  rootfs: RootfsSpec;
  process: ProcessSpec;
  hostname: string;
  network: NetworkMode;
  mounts: MountSpec[];
  limits?: ResourceLimits;
}

/** How the container's first process ended. `code` is what a shell would report (128+N on signal N). */
export interface ExitStatus {
  code: number;
  signal?: number;
}
