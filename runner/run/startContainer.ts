// `start`: runs a created or exited container again (same writable layer). Attached, it follows
// the container to its end and records how it ended; detached, the helper stays behind as the
// container's supervisor, writes the status file when it ends and, for --rm, runs `layerlens rm`.
import { ContainerError } from './containerError';
import type { ContainerRecord } from './containerRecord';
import type { ContainerStore } from './containerStore';
import type { ContainerSpec, ExitStatus } from './containerSpec';
import type { ImageLookup } from './createContainer';
import type { HelperIo } from './launchHelper';
import { processStartTime } from './processStartTime';
import { removeContainer } from './removeContainer';
import { removeFile } from './removeTree';
import { launchContainer } from './runContainer';

export interface StartOptions {
  attach: boolean;
  io?: HelperIo;
  /** argv that runs this CLI (for `rm` after a detached --rm container); default: this process's. */
  cliArgv?: string[];
  /** The lower dirs when the caller has just resolved them (createContainer); else looked up. */
  lowerDirs?: string[];
}

export interface StartResult {
  pid: number;
  /** Attached runs only. */
  exit?: ExitStatus;
}

async function lowerDirsOf(images: ImageLookup, record: ContainerRecord): Promise<string[]> {
  if (record.config.rootfsDir) return [record.config.rootfsDir];
  const image = await images.resolveImage(record.image);
  if (!image) throw new ContainerError(`the image of container ${record.name} (${record.imageRef}, ${record.image}) is no longer in the store`);
  return images.unpackedLayerDirs(image);
}

export function specOf(containers: ContainerStore, record: ContainerRecord, lowerDirs: string[]): ContainerSpec {
  const paths = containers.paths(record.id);
  return {
    id: record.id,
    bundleDir: paths.dir,
    rootfs: { lowerDirs, upperDir: paths.upper, workDir: paths.work, readOnly: record.config.readOnly },
    process: record.config.process,
    hostname: record.config.hostname,
    network: record.config.network,
    mounts: record.config.mounts,
    limits: record.config.limits,
  };
}

export async function startContainer(images: ImageLookup, containers: ContainerStore, record: ContainerRecord, o: StartOptions): Promise<StartResult> {
  if (record.state === 'running') throw new ContainerError(`container ${record.name} is already running`, 1);
  const paths = containers.paths(record.id);
  removeFile(paths.status);
  const cliArgv = o.cliArgv ?? [process.execPath, ...(require.main?.filename ? [require.main.filename] : [])];
  let launched;
  try {
    launched = await launchContainer(specOf(containers, record, o.lowerDirs ?? await lowerDirsOf(images, record)), { ...o.io, forwardSignals: o.attach }, {
      dieWithParent: o.attach,
      statusFile: paths.status,
      logFile: record.logging ? paths.log : undefined,
      onExit: !o.attach && record.autoRemove ? [...cliArgv, 'rm', '-f', record.id] : undefined,
    });
  } catch (err) {
    const code = err instanceof ContainerError ? err.exitCode : 125;
    if (record.autoRemove) await removeContainer(containers, containers.load(record.id) ?? record, true);
    else containers.save({ ...record, state: 'exited', exitCode: code, finishedAt: new Date().toISOString() });
    throw err;
  }
  const helperPid = launched.helper.child.pid as number;
  const running: ContainerRecord = {
    ...record, state: 'running', pid: launched.pid, helperPid, helperStartTime: processStartTime(helperPid),
    startedAt: new Date().toISOString(), finishedAt: undefined, exitCode: undefined, signal: undefined, cgroups: launched.cgroups,
  };
  containers.save(running);
  if (!o.attach) {
    launched.helper.release();
    return { pid: launched.pid };
  }
  const exit = await launched.wait();
  const exited: ContainerRecord = { ...running, state: 'exited', exitCode: exit.code, signal: exit.signal, finishedAt: new Date().toISOString() };
  if (record.autoRemove) await removeContainer(containers, exited, true);
  else containers.save(exited);
  return { pid: launched.pid, exit };
}
