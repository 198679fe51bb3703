// Executes one stage of the plan: FROM sets the starting file system and config; metadata steps
// change the config and history; layer steps (RUN, COPY, ADD, WORKDIR) are looked up in the build
// cache by their build key and executed on a miss, their result snapshotted as a layer, cached
// and measured. Every step reports started/finished (or failed) events.
import { createHash } from 'crypto';
import type { PlannedStage, PlannedStep } from '../../server/plan/types';
import type { Range } from '../../server/parser/types';
import type { BuildCache } from './buildCache';
import { BuildCancelledError, BuildError } from './buildError';
import type { BuildSession, StageState } from './buildSession';
import { copyStep, fetchAddUrls } from './copyStep';
import type { StepRef } from './events';
import type { FetchedFile } from './fetchUrl';
import { applyConfigStep, recordLayerStep, runCreatedBy } from './imageConfig';
import { cachedLayerRef, commitFreshLayer, layerDirs, type LayerRef } from './layerStack';
import { runStep } from './runStep';
import { writeLayerTar } from './writeLayerTar';
import { workdirStep } from './workdirStep';

export interface StageRunOptions {
  session: BuildSession;
  cache: BuildCache;
  stage: PlannedStage;
  /** The state FROM gives (base image, scratch or an earlier stage). */
  start: StageState;
  /** History time (ISO) and the matching seconds for new files. */
  created: string;
  now: number;
  /** Salt for build keys: things outside the plan that change layer bytes (SOURCE_DATE_EPOCH...). */
  salt: string;
  /** Plan cache key -> measured layer size, filled as steps finish. */
  measured: Map<string, { bytes: number; diffId?: string }>;
  counters: { steps: number; cached: number };
  /** Where a step's range is reported (ONBUILD steps point at their FROM). */
  rangeOf(step: PlannedStep): Range;
  isOnbuild(step: PlannedStep): boolean;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function checkCancelled(session: BuildSession): void {
  if (session.signal?.aborted) throw new BuildCancelledError();
}

/** What a step's result depends on beyond its plan key. */
async function keyExtras(o: StageRunOptions, step: PlannedStep, fetched: Map<string, FetchedFile>): Promise<Record<string, string>> {
  const extras: Record<string, string> = {};
  const d = step.details;
  if (d.kind === 'run') {
    extras.network = d.network === 'none' || d.network === 'host' ? d.network : o.session.network;
    for (const [i, m] of d.mounts.entries()) {
      if (m.type !== 'bind') continue;
      if (m.fromStage !== undefined) extras[`mount${i}`] = (await o.session.stage(m.fromStage)).buildKey;
      else if (m.fromImage === undefined) extras[`mount${i}`] = o.session.context.checksum(m.source ?? '.') ?? 'missing';
    }
  }
  if ((d.kind === 'copy' || d.kind === 'add') && d.from.kind === 'stage') extras.from = (await o.session.stage(d.from.stageIndex)).buildKey;
  if (d.kind === 'add' && d.checksum === undefined && d.sources.some((s) => /^https?:\/\//.test(s))) {
    await fetchAddUrls(o.session, step, fetched);
    for (const s of d.sources) if (fetched.has(s)) extras[`url:${s}`] = (fetched.get(s) as FetchedFile).digest;
  }
  return extras;
}

function createdByOf(step: PlannedStep): string {
  const d = step.details;
  if (d.kind === 'run') return runCreatedBy(step, d.argv);
  if (d.kind === 'workdir') return `WORKDIR ${d.path}`;
  return `${step.cacheKeyInputs.command} # buildkit`;
}

/** Runs the step's operation and snapshots what it changed; undefined when nothing changed. */
async function executeLayerStep(o: StageRunOptions, step: PlannedStep, ref: StepRef, state: StageState, fetched: Map<string, FetchedFile>): Promise<LayerRef | undefined> {
  const { session } = o;
  const d = step.details;
  let dir: string | undefined;
  let owners: ReadonlyMap<string, { uid: number; gid: number }> | undefined;
  let overlay = false;
  if (d.kind === 'run') {
    const lowers = await layerDirs(session.store, state.layers);
    dir = (await runStep(session, step, ref, lowers, o.stage.platform)).upper;
    overlay = true;
  } else if (d.kind === 'copy' || d.kind === 'add') {
    const { staging } = await copyStep({ session, step, layers: state.layers, platform: o.stage.platform, fetched, now: o.now });
    dir = staging.dir;
    owners = staging.owners;
  } else if (d.kind === 'workdir') {
    const staging = await workdirStep(session, step, state.layers, o.now);
    if (!staging) return undefined;
    dir = staging.dir;
    owners = staging.owners;
  } else {
    throw new Error(`internal error: ${step.instruction} does not make a layer`);
  }
  checkCancelled(session);
  const tarPath = session.scratch.file('layer.tar');
  const tar = await writeLayerTar(dir, tarPath, { overlay, sourceDateEpoch: session.epoch, ids: session.ids, owners });
  if (tar.entries === 0) {
    await session.scratch.remove(tarPath);
    await session.scratch.remove(dir);
    return undefined;
  }
  const layer = await commitFreshLayer(session.store, { diffId: tar.diffId, size: tar.size, tarPath, dir });
  session.scratch.release(tarPath);
  session.scratch.release(dir);
  return layer;
}

export async function buildStage(o: StageRunOptions): Promise<StageState> {
  const { session, stage, cache } = o;
  const started = Date.now();
  session.emit({ type: 'stage-started', time: started, stage: stage.index, name: stage.name });
  const state: StageState = { layers: [...o.start.layers], image: o.start.image, buildKey: o.start.buildKey };
  const fetched = new Map<string, FetchedFile>();
  for (const step of stage.steps.slice(1)) {
    checkCancelled(session);
    const ref: StepRef = { stage: stage.index, step: step.index };
    const range = o.rangeOf(step);
    const t0 = Date.now();
    session.emit({ type: 'step-started', time: t0, ...ref, instruction: step.instruction, display: step.display, range, cacheKey: step.cacheKey, ...(o.isOnbuild(step) ? { onbuild: true } : {}) });
    o.counters.steps++;
    try {
      if (!step.createsLayer) {
        // Config steps are recorded too, so a rebuild can tell which of them it has seen before.
        const configKey = sha256(JSON.stringify({ plan: step.cacheKey, parent: state.buildKey, salt: o.salt, config: true }));
        const seen = cache.lookup(configKey) !== undefined;
        if (!seen) cache.record(configKey, { planKey: step.cacheKey, step: step.display });
        applyConfigStep(state.image, step, o.created);
        if (seen) o.counters.cached++;
        session.emit({ type: 'step-finished', time: Date.now(), ...ref, durationMs: Date.now() - t0, cached: seen, cacheKey: step.cacheKey });
        continue;
      }
      if (step.details.kind === 'workdir') state.image.config.WorkingDir = step.details.path;
      const extras = await keyExtras(o, step, fetched);
      const link = step.cacheKeyInputs.parent === '' && step.details.kind !== 'run';
      const buildKey = sha256(JSON.stringify({ plan: step.cacheKey, parent: link ? '' : state.buildKey, extras, salt: o.salt }));
      const hit = cache.lookup(buildKey);
      let layer: LayerRef | undefined;
      if (hit) {
        layer = hit.layer ? cachedLayerRef(hit.layer.diffId, hit.layer.size) : undefined;
        o.counters.cached++;
      } else {
        layer = await executeLayerStep(o, step, ref, state, fetched);
        cache.record(buildKey, { layer: layer ? { diffId: layer.diffId, size: layer.size } : undefined, planKey: step.cacheKey, step: step.display });
      }
      if (layer) state.layers.push(layer);
      state.buildKey = buildKey;
      recordLayerStep(state.image, createdByOf(step), o.created, layer !== undefined);
      o.measured.set(step.cacheKey, { bytes: layer?.size ?? 0, diffId: layer?.diffId });
      session.emit({
        type: 'step-finished', time: Date.now(), ...ref, durationMs: Date.now() - t0, cached: hit !== undefined, cacheKey: step.cacheKey,
        ...(layer ? { layer: { diffId: layer.diffId, bytes: layer.size } } : {}),
      });
    } catch (err) {
      const located = (err instanceof BuildError ? err : new BuildError((err as Error).message)).at(ref, range);
      if (!(err instanceof BuildCancelledError)) {
        session.emit({
          type: 'step-failed', time: Date.now(), ...ref, durationMs: Date.now() - t0, range, message: located.message,
          ...(located.detail.exitCode !== undefined ? { exitCode: located.detail.exitCode } : {}), lastLines: located.detail.lastLines ?? [],
        });
      }
      throw err instanceof BuildCancelledError ? err : located;
    }
  }
  session.emit({ type: 'stage-finished', time: Date.now(), stage: stage.index, durationMs: Date.now() - started });
  return state;
}
