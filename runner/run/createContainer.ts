// `create`: a container record and its directories, from an image in the store (or a --rootfs
// directory) and the `run` options. Nothing runs yet.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import type { ImageStore } from '../store/imageStore';
import { claimGeneratedName, claimName } from './containerNames';
import { ContainerError } from './containerError';
import type { ContainerRecord } from './containerRecord';
import type { ContainerStore } from './containerStore';
import { processFromImage, type ImageRuntimeConfig } from './imageProcess';
import type { RunOptions } from './runOptions';

export type ImageLookup = Pick<ImageStore, 'resolveImage' | 'unpackedLayerDirs' | 'withLock'>;

export interface CreatedContainer {
  record: ContainerRecord;
  /** The image's unpacked layers, lowest first (for an immediate start). */
  lowerDirs: string[];
}

/**
 * Under the store's lock (resolve, unpack, record), so that a concurrent prune cannot collect the
 * image between lookup and record; from then on the record keeps it.
 */
export async function createContainer(images: ImageLookup, containers: ContainerStore, o: RunOptions): Promise<CreatedContainer> {
  return o.image ? images.withLock(() => create(images, containers, o)) : create(images, containers, o);
}

async function create(images: ImageLookup, containers: ContainerStore, o: RunOptions): Promise<CreatedContainer> {
  let runtime: ImageRuntimeConfig | undefined;
  let stopSignal = 'SIGTERM';
  let image = '';
  let lowerDirs = o.rootfsDir ? [o.rootfsDir] : [];
  if (o.image) {
    const stored = await images.resolveImage(o.image);
    if (!stored) throw new ContainerError(`no such image: ${o.image} (pull it with \`layerlens pull ${o.image}\`, or build or import it)`);
    image = stored.manifestDigest;
    runtime = stored.config.config;
    stopSignal = stored.config.config?.StopSignal || stopSignal;
    lowerDirs = await images.unpackedLayerDirs(stored);
  } else if (o.rootfsDir && !fs.statSync(o.rootfsDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ContainerError(`--rootfs ${o.rootfsDir}: not a directory`, 2);
  }
  const id = randomBytes(32).toString('hex');
  const hostname = o.hostname ?? id.slice(0, 12);
  const process = processFromImage(runtime, {
    entrypoint: o.entrypoint, command: o.command, env: o.env, workdir: o.workdir, user: o.user, tty: o.tty, hostname, rlimits: o.rlimits,
  });
  const paths = containers.paths(id);
  fs.mkdirSync(paths.upper, { recursive: true, mode: 0o755 });
  fs.mkdirSync(paths.work, { recursive: true, mode: 0o700 });
  let name: string;
  try {
    name = o.name !== undefined ? (claimName(containers.containersDir, o.name, id), o.name) : claimGeneratedName(containers.containersDir, id);
  } catch (err) {
    fs.rmSync(paths.dir, { recursive: true, force: true });
    throw err;
  }
  const record: ContainerRecord = {
    id, name, image, imageRef: o.image ?? '', created: new Date().toISOString(), state: 'created',
    config: {
      process, hostname, network: o.network, mounts: o.mounts, limits: Object.keys(o.limits).length ? o.limits : undefined,
      readOnly: o.readOnly, interactive: o.interactive, stopSignal, rootfsDir: o.rootfsDir,
    },
    autoRemove: o.remove,
    logging: o.detach || !o.remove,
  };
  containers.save(record);
  return { record, lowerDirs };
}
