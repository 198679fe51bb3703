// `buildImage`: a Dockerfile and its context in, an image in the store out. Plans the Dockerfile
// (prepareBuild), runs every stage the target needs (independent stages in parallel, each
// waiting only for the stages it reads from), writes the target's image, tags it, and records
// the build cache and the measured layer sizes. Nothing is tagged unless everything succeeded;
// scratch space is removed either way.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { hostPlatform } from '../../server/plan/platform';
import type { PlannedStage } from '../../server/plan/types';
import type { NetworkMode } from '../run/containerSpec';
import { formatImageReference, parseImageReference } from '../store/imageReference';
import type { ImageStore, StoredImage } from '../store/imageStore';
import { BuildCache } from './buildCache';
import { BuildCancelledError, BuildError } from './buildError';
import type { BuildSession, StageState } from './buildSession';
import { buildStage } from './buildStage';
import { containerIds } from './containerIds';
import type { BuildEvent, BuildEventListener } from './events';
import { imageConfigOf, inheritImageState, startImageState, type ImagePlatform } from './imageConfig';
import { layerDirs, type LayerRef } from './layerStack';
import { LayerUnion } from './layerUnion';
import { recordMeasuredSizes } from './measuredSizes';
import { imageKey, prepareBuild } from './prepareBuild';
import { ScratchSpace } from './scratchSpace';
import type { SecretSource } from './secrets';
import { SshAgents, type SshSource } from './sshAgents';

export interface BuildOptions {
  /** The build context directory. */
  contextDir: string;
  /** Path of the Dockerfile (default `<contextDir>/Dockerfile`). */
  dockerfile?: string;
  /** The Dockerfile's text, when it does not come from `dockerfile` (e.g. stdin). */
  dockerfileText?: string;
  tags?: string[];
  target?: string;
  buildArgs?: Record<string, string>;
  secrets?: SecretSource[];
  /** Entitlements (`--allow security.insecure`, `network.host`). */
  allow?: string[];
  /** `--ssh` agents RUN --mount=type=ssh may forward. */
  ssh?: SshSource[];
  /** Ignore the build cache (results are still recorded for later builds). */
  noCache?: boolean;
  /** Pull base images even when they are in the store. */
  pull?: boolean;
  /** Target platform (`os/arch[/variant]`); default the host's. */
  platform?: string;
  /** Network of RUN steps that do not say (`host` by default, as Docker's builder). */
  network?: NetworkMode;
  /** SOURCE_DATE_EPOCH (seconds): clamps file times and sets every `created`. */
  sourceDateEpoch?: number;
  onEvent?: BuildEventListener;
  signal?: AbortSignal;
}

export interface BuildResult {
  image: StoredImage;
  imageId: string;
  manifestDigest: string;
  tags: string[];
  steps: number;
  cachedSteps: number;
  durationMs: number;
}

const PROXY_ARGS = new Set(['http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy']);

function platformOf(text: string, fallback?: ImagePlatform): ImagePlatform {
  if (fallback) return fallback;
  const [os, architecture, variant] = text.split('/');
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** SOURCE_DATE_EPOCH from the options, a build arg or the environment. */
export function sourceDateEpochOf(options: BuildOptions, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = options.sourceDateEpoch !== undefined ? String(options.sourceDateEpoch) : options.buildArgs?.SOURCE_DATE_EPOCH ?? env.SOURCE_DATE_EPOCH;
  if (text === undefined || text === '') return undefined;
  if (!/^[0-9]+$/.test(text)) throw new BuildError(`SOURCE_DATE_EPOCH must be a number of seconds, not '${text}'`);
  return Number(text);
}

class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.tails.set(name, next.catch(() => undefined));
    return next;
  }
}

export async function buildImage(store: ImageStore, options: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const listener = options.onEvent ?? (() => undefined);
  const emit = (event: BuildEvent) => listener(event);
  const scratch = new ScratchSpace(store);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort);
  let prepared: Awaited<ReturnType<typeof prepareBuild>> | undefined;
  let cache: BuildCache | undefined;
  let sshAgents: SshAgents | undefined;
  const measured = new Map<string, { bytes: number; diffId?: string }>();
  try {
    const contextDir = path.resolve(options.contextDir);
    if (!fs.statSync(contextDir, { throwIfNoEntry: false })?.isDirectory()) throw new BuildError(`build context ${options.contextDir} is not a directory`);
    const dockerfilePath = path.resolve(options.dockerfile ?? path.join(contextDir, 'Dockerfile'));
    let text = options.dockerfileText;
    if (text === undefined) {
      try {
        text = fs.readFileSync(dockerfilePath, 'utf8');
      } catch (err) {
        throw new BuildError(`cannot read the Dockerfile ${dockerfilePath}: ${(err as Error).message}`);
      }
    }
    const tags = (options.tags ?? []).map((t) => {
      try {
        return formatImageReference(parseImageReference(t));
      } catch (err) {
        throw new BuildError(`invalid tag '${t}': ${(err as Error).message}`);
      }
    });
    const epoch = sourceDateEpochOf(options);
    const host = hostPlatform();
    const platform = options.platform ?? host;
    const buildArgs = { ...(options.buildArgs ?? {}) };
    prepared = await prepareBuild(store, {
      text, dockerfilePath, contextDir, target: options.target, buildArgs, platform, buildPlatform: host, pull: options.pull ?? false, emit,
    });
    const { plan } = prepared;
    const reader = prepared.context.reader;
    const tree = reader.tree();
    if (!tree) throw new BuildError(`build context ${contextDir}: ${reader.unavailableReason()}`);
    const target = plan.stages[plan.targetStage];
    const needed = plan.stages.filter((s) => s.reachable);
    emit({
      type: 'build-started', time: Date.now(), dockerfile: dockerfilePath, context: contextDir, target: target.index,
      stages: needed.map((s) => ({ index: s.index, ...(s.name ? { name: s.name } : {}), steps: s.steps.length })), platform,
    });

    const created = new Date(epoch !== undefined ? epoch * 1000 : started).toISOString();
    const now = epoch ?? Math.floor(started / 1000);
    cache = new BuildCache(store, !options.noCache);
    const stepCache = cache;
    const counters = { steps: 0, cached: 0 };
    const salt = JSON.stringify({ v: 1, epoch: epoch ?? null });
    const stages = new Map<number, Promise<StageState>>();
    const unions = new Map<string, Promise<LayerUnion>>();
    const mutex = new KeyedMutex();
    const images = prepared.images;
    const ignore = prepared.context.scanner.ignoreFile();

    sshAgents = new SshAgents(options.ssh ?? [], () => scratch.dir('ssh-agent'));
    const session: BuildSession = {
      store,
      scratch,
      context: {
        dir: contextDir,
        tree,
        filtered: (ignore?.patterns.length ?? 0) > 0,
        checksum: (source) => reader.checksum(source, { excludes: [], parents: false }),
      },
      secrets: new Map((options.secrets ?? []).map((s) => [s.id, s])),
      ssh: sshAgents,
      allow: new Set(options.allow ?? []),
      network: options.network ?? 'host',
      epoch,
      ids: containerIds(),
      signal: abort.signal,
      proxyEnv: Object.entries(buildArgs).filter(([k]) => PROXY_ARGS.has(k.toLowerCase())).map(([k, v]) => `${k}=${v}`),
      emit,
      stage: (index) => {
        const p = stages.get(index);
        if (!p) return Promise.reject(new BuildError(`internal error: stage ${index} is not part of this build`));
        return p;
      },
      imageLayers: async (ref, forPlatform) => {
        const image = images.get(imageKey(ref, forPlatform));
        if (!image) throw new BuildError(`image ${ref} was not resolved`);
        return image.layers;
      },
      union: (layers) => {
        const key = layers.map((l) => l.diffId).join(',');
        let u = unions.get(key);
        if (!u) {
          u = layerDirs(store, layers).then((dirs) => new LayerUnion(dirs));
          unions.set(key, u);
        }
        return u;
      },
      exclusive: (name, fn) => mutex.run(name, fn),
    };

    const startOf = async (stage: PlannedStage): Promise<StageState> => {
      const from = stage.steps[0];
      const key = (extra: string) => createHash('sha256').update(`${from.cacheKey}\u0000${extra}\u0000${salt}`).digest('hex');
      if (stage.base.kind === 'stage') {
        const base = await session.stage(stage.base.stageIndex);
        return { layers: [...base.layers], image: inheritImageState(base.image), buildKey: base.buildKey };
      }
      if (stage.base.kind === 'scratch') return { layers: [], image: startImageState(undefined, platformOf(stage.platform)), buildKey: key('scratch') };
      const image = images.get(imageKey(stage.base.ref, stage.platform));
      if (!image) throw new BuildError(`image ${stage.base.ref} was not resolved`, { range: from.range });
      const base = { config: image.config.config, history: image.config.history, author: image.config.author };
      const imagePlatform = { os: image.config.os, architecture: image.config.architecture, ...(image.config.variant ? { variant: image.config.variant } : {}) };
      return { layers: [...image.layers], image: startImageState(base, imagePlatform), buildKey: key(image.manifestDigest) };
    };
    const runStage = async (stage: PlannedStage): Promise<StageState> => {
      const start = await startOf(stage);
      return buildStage({
        session, cache: stepCache, stage, start, created, now, salt, measured, counters,
        rangeOf: (step) => (prepared as NonNullable<typeof prepared>).rangeOf(step),
        isOnbuild: (step) => (prepared as NonNullable<typeof prepared>).isOnbuild(step),
      });
    };
    for (const stage of needed) {
      const p = runStage(stage);
      p.catch(() => abort.abort()); // one failure stops the others
      stages.set(stage.index, p);
    }
    const settled = await Promise.allSettled([...stages.values()]);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof BuildCancelledError))
      ?? settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const final = await (stages.get(target.index) as Promise<StageState>);

    // Steps that finished are kept even when a later one fails (see finally).
    const layers: LayerRef[] = final.layers;
    const config = imageConfigOf(final.image, layers.map((l) => l.diffId), created);
    const image = await store.writeImage({ config, layers, tags });
    const result: BuildResult = {
      image, imageId: image.configDigest, manifestDigest: image.manifestDigest, tags,
      steps: counters.steps, cachedSteps: counters.cached, durationMs: Date.now() - started,
    };
    emit({ type: 'build-finished', time: Date.now(), durationMs: result.durationMs, imageId: result.imageId, manifestDigest: result.manifestDigest, tags, steps: result.steps, cachedSteps: result.cachedSteps });
    return result;
  } catch (err) {
    const error = err instanceof BuildError ? err : new BuildError((err as Error).message ?? String(err));
    emit({
      type: 'build-failed', time: Date.now(), durationMs: Date.now() - started, message: error.message,
      ...(error.detail.range ? { range: error.detail.range } : {}), ...(error.detail.step ? { step: error.detail.step } : {}),
      ...(error.detail.exitCode !== undefined ? { exitCode: error.detail.exitCode } : {}),
    });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    sshAgents?.close();
    await cache?.save().catch(() => undefined);
    await recordMeasuredSizes(store, measured).catch(() => undefined);
    prepared?.context.dispose();
    await scratch.cleanup();
  }
}
