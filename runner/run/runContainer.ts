// Runs a ContainerSpec: checks the machine, maps ids, writes /etc files, prepares cgroups, and starts
// the helper. The build engine calls runContainer for each RUN step; `layerlens run` and `start`
// use launchContainer to keep following (or let go of) the container.
import * as fs from 'fs';
import * as path from 'path';
import { removeCgroups, prepareCgroups } from './cgroups';
import { ContainerError } from './containerError';
import type { ContainerSpec, ExitStatus } from './containerSpec';
import { decideIdMapping } from './idMapping';
import { launchHelper, type HelperIo, type HelperProcess } from './launchHelper';
import type { HelperRequest } from './helperRequest';
import { assertCanRunContainers } from './preflight';
import { writeRuntimeFiles } from './runtimeFiles';

export interface LaunchOptions {
  /** Kill the container when this process dies (foreground runs, build steps). Default true. */
  dieWithParent?: boolean;
  statusFile?: string;
  logFile?: string;
  onExit?: string[];
}

export interface LaunchedContainer {
  /** The container's first process, as the host sees it. */
  pid: number;
  helper: HelperProcess;
  /** cgroup directories holding its limits (removed by `wait`, or by `layerlens rm`). */
  cgroups: string[];
  /** Waits for the container to end, then removes its cgroups. */
  wait(): Promise<ExitStatus>;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export async function launchContainer(spec: ContainerSpec, io: HelperIo = {}, options: LaunchOptions = {}): Promise<LaunchedContainer> {
  const warn = io.onWarning ?? ((text: string) => process.stderr.write(`layerlens: warning: ${text}\n`));
  if (!ID_PATTERN.test(spec.id)) throw new ContainerError(`container id '${spec.id}' must match ${ID_PATTERN}`);
  if (!spec.process.args.length) throw new ContainerError('no command to run: the image has no Entrypoint or Cmd, and none was given');
  assertCanRunContainers().forEach(warn);
  const idMapping = decideIdMapping();
  if (idMapping.mode === 'single') warn(idMapping.warning);

  const mountPoint = path.join(spec.bundleDir, 'rootfs');
  fs.mkdirSync(mountPoint, { recursive: true });
  const mounts = [...writeRuntimeFiles(spec.bundleDir, spec.hostname, spec.network), ...spec.mounts];
  const cgroups = prepareCgroups(spec.id, spec.limits);
  cgroups.warnings.forEach(warn);

  const request: HelperRequest = {
    rootfs: { lowerDirs: spec.rootfs.lowerDirs, upperDir: spec.rootfs.upperDir, workDir: spec.rootfs.workDir, mountPoint, readOnly: spec.rootfs.readOnly },
    idMapping,
    hostname: spec.hostname,
    network: spec.network,
    mounts,
    cgroups: cgroups.dirs,
    process: spec.process,
    statusFile: options.statusFile,
    logFile: options.logFile,
    onExit: options.onExit,
    dieWithParent: options.dieWithParent ?? true,
  };
  const helper = launchHelper('run', request, { ...io, onWarning: warn });
  let pid: number;
  try {
    pid = await helper.started;
  } catch (err) {
    await removeCgroups(cgroups.dirs).catch(() => undefined);
    throw err;
  }
  return {
    pid,
    helper,
    cgroups: cgroups.dirs,
    async wait() {
      const status = await helper.exited;
      await removeCgroups(cgroups.dirs);
      return status;
    },
  };
}

/** Runs the container to the end: what a build step needs. Output goes where `io` says. */
export async function runContainer(spec: ContainerSpec, io: HelperIo = {}): Promise<ExitStatus> {
  const container = await launchContainer(spec, io);
  return container.wait();
}
