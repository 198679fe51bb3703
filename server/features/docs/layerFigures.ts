// Size and cache figures of each step, shared by hover, code lens and inlay hints: the layer's
// own size (measured after a build, else predicted), the image size up to and including it, and
// whether a build would reuse it. Computed per stage chain when asked, once per plan (and catalog
// generation).
import type { LayerPlan, PlannedStage, PlannedStep } from '../../plan/types';
import { formatBytes } from '../../plan/size/formatBytes';
import type { BuildCacheView } from '../../images/buildCacheKeys';
import type { ImageCatalog } from '../../images/imageCatalog';

export type CacheState = 'cached' | 'will build' | 'metadata';

export interface LayerFigures {
  /** Bytes this step adds; for FROM the base image size. Undefined when unknown. */
  bytes?: number;
  /** `bytes` is measured (a build produced this exact layer) rather than predicted. */
  measured: boolean;
  /** Image size after this step: known bytes of every layer below and this one. */
  cumulative: number;
  /** False when some layer below has an unknown size (then `cumulative` is a lower bound). */
  cumulativeComplete: boolean;
  cache: CacheState;
  confidence?: string;
  basis?: string;
}

/** What the figures draw on besides the plan. */
export interface FigureSources {
  /** Base image sizes for FROM steps the plan has no size for. */
  images?: ImageCatalog;
  /** Which steps the local build cache holds; without it, a measured size counts as cached. */
  buildCache?: BuildCacheView;
}

/** Figures by step; nested arrays (stage, step index), since hashing 20,000 large step objects as Map keys costs tens of ms. */
export interface PlanFigures {
  get(step: PlannedStep): LayerFigures | undefined;
}

const memo = new WeakMap<LayerPlan, { listing: readonly unknown[] | undefined; cache: BuildCacheView | undefined; generation: number; figures: PlanFigures }>();

/**
 * Figures for the steps of `plan`; memoised per plan, store listing and build-cache reading. A
 * stage's figures are computed when one of its steps is asked for, after those of the stages it
 * is built on (its `FROM <stage>` chain), so a hover on a 19,000-step plan computes one chain.
 */
export function layerFiguresOf(plan: LayerPlan, sources: FigureSources = {}): PlanFigures {
  const { images, buildCache } = sources;
  const listing = images?.images(); // a new array after every store listing
  buildCache?.cached(''); // starts a (re)read when stale
  const generation = buildCache?.generation ?? 0;
  const hit = memo.get(plan);
  if (hit && hit.listing === listing && hit.cache === buildCache && hit.generation === generation) return hit.figures;
  const byStage: LayerFigures[][] = [];
  const stageEnd: LayerFigures[] = [];
  const stageFigures = (index: number): LayerFigures[] | undefined => {
    if (byStage[index] || !plan.stages[index]) return byStage[index];
    // The stages below first, deepest first (a base is an earlier stage; a later one counts as unknown).
    const chain = [plan.stages[index]];
    for (let stage = chain[0]; stage.base.kind === 'stage'; ) {
      const base = stage.base.stageIndex;
      if (base >= stage.index || byStage[base] || !plan.stages[base]) break;
      chain.push((stage = plan.stages[base]));
    }
    for (let k = chain.length - 1; k >= 0; k--) figuresOfStage(chain[k], images, buildCache, byStage, stageEnd);
    return byStage[index];
  };
  const figures: PlanFigures = { get: (step) => stageFigures(step.stageIndex)?.[step.index] };
  memo.set(plan, { listing, cache: buildCache, generation, figures });
  return figures;
}

/** One stage's figures, on top of the end figures of the stage it is built on (when computed before). */
function figuresOfStage(stage: PlannedStage, images: ImageCatalog | undefined, buildCache: BuildCacheView | undefined, byStage: LayerFigures[][], stageEnd: LayerFigures[]): void {
  const stageFigures: LayerFigures[] = (byStage[stage.index] = []);
  let below: Pick<LayerFigures, 'cumulative' | 'cumulativeComplete'> = { cumulative: 0, cumulativeComplete: true };
  let allCached = true;
  for (const step of stage.steps) {
    let bytes = step.measuredBytes ?? step.predictedBytes;
    let measured = step.measuredBytes !== undefined;
    if (step.index === 0) {
      if (stage.base.kind === 'stage') {
        below = (stage.base.stageIndex < stage.index ? stageEnd[stage.base.stageIndex] : undefined) ?? { cumulative: 0, cumulativeComplete: false };
        bytes = 0;
        measured = true;
      } else if (stage.base.kind === 'scratch') {
        bytes = 0;
        measured = true;
      } else if (bytes !== undefined) {
        // A base image's size read from the local store is exact, not a prediction.
        measured = step.confidence === 'exact';
      } else {
        const image = images?.find(stage.base.digest ? `${stage.base.ref}@${stage.base.digest}` : stage.base.ref) ?? images?.find(stage.base.ref);
        bytes = image?.size;
        measured = image !== undefined;
      }
    } else if (!step.createsLayer) {
      bytes = 0;
    }
    const adds = step.index > 0 && step.createsLayer;
    // Keys chain: once one layer step misses, every later one rebuilds too.
    if (adds) allCached &&= (buildCache?.empty ? false : buildCache?.cached(step.cacheKey)) ?? step.measuredBytes !== undefined;
    const figure: LayerFigures = {
      bytes,
      measured,
      cumulative: below.cumulative + (bytes ?? 0),
      cumulativeComplete: below.cumulativeComplete && bytes !== undefined,
      cache: !adds ? 'metadata' : allCached ? 'cached' : 'will build',
      confidence: step.confidence,
      basis: step.basis,
    };
    stageFigures[step.index] = figure;
    below = figure;
  }
  stageEnd[stage.index] = { ...below, measured: false, cache: 'metadata' };
}

/** `12.3 MB`, `~12.3 MB` (predicted) or `size unknown`. */
export function formatLayerSize(f: LayerFigures): string {
  if (f.bytes === undefined) return 'size unknown';
  return f.measured ? formatBytes(f.bytes) : `~${formatBytes(f.bytes)}`;
}

/** `120 MB`, `≥ 120 MB` when a layer below has an unknown size, `size unknown` when none is known. */
export function formatCumulative(f: LayerFigures): string {
  if (f.cumulativeComplete) return formatBytes(f.cumulative);
  return f.cumulative > 0 ? `≥ ${formatBytes(f.cumulative)}` : 'size unknown';
}

/** One line for lenses and hints: `~12.3 MB · image 120 MB · will build`. */
export function layerSummary(f: LayerFigures): string {
  const parts = [formatLayerSize(f), `image ${formatCumulative(f)}`];
  if (f.cache !== 'metadata') parts.push(f.cache);
  return parts.join(' · ');
}

/** The client command lenses and hints run: opens the layer plan view at this step. */
export const showLayerPlanCommand = 'layerlens.showLayerPlan';

/** Argument of `layerlens.showLayerPlan` when invoked from a lens or hint. */
export interface ShowLayerPlanArgs {
  uri: string;
  stageIndex: number;
  stepIndex: number;
}

export function showLayerPlan(title: string, uri: string, step: PlannedStep): { title: string; command: string; arguments: [ShowLayerPlanArgs] } {
  return { title, command: showLayerPlanCommand, arguments: [{ uri, stageIndex: step.stageIndex, stepIndex: step.index }] };
}

/** Steps that get a lens or hint: layer steps, and FROM of an image (the base layers). */
export function isLayerStep(plan: LayerPlan, step: PlannedStep): boolean {
  return step.createsLayer || (step.index === 0 && plan.stages[step.stageIndex]?.base.kind === 'image');
}
