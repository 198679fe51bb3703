// The custom `layerlens/layerPlan` request: the plan of an open document, for the client's view.
import { sizesPredicted, type DocumentModel } from '../documentModels';
import { explainCacheMiss, type PlannedStep } from '../plan';
import { sharedBuildCache, sharedImageCatalog } from '../images';
import { layerPlanMethod, type LayerPlanParams, type LayerPlanResult, type StepFigures } from '../protocol';
import { ContentModifiedError, runSafelyInTurns, stillCurrent } from '../requestRunner';
import { layerFiguresOf } from './docs/layerFigures';
import type { Feature } from './feature';

export const layerPlanFeature: Feature = {
  name: 'layer plan request',
  capabilities: () => ({}),
  register({ connection, documents, models }) {
    // On a large document the plan and its sizes are made in turns first (other requests are
    // served meanwhile); if the document changes meanwhile, ContentModified (the view asks again).
    connection.onRequest(layerPlanMethod, (params: LayerPlanParams, token) =>
      runSafelyInTurns(connection, 'layer plan', null, token, async (): Promise<LayerPlanResult | null> => {
        const document = documents.get(params.uri);
        if (!document) return null;
        const model = models.get(document);
        if (!(await sizesPredicted(model, stillCurrent(documents, document, token)))) throw new ContentModifiedError();
        return { uri: model.uri, version: model.version, plan: model.plan, figures: stepFiguresOf(model, lastCachedOf(model.uri)) };
      }));
  },
};

const MAX_DOCUMENTS = 50;

/** Per document, the last version of each step (by position) that the build cache held. */
const lastCached = new Map<string, Map<string, PlannedStep>>();

function lastCachedOf(uri: string): Map<string, PlannedStep> {
  let steps = lastCached.get(uri);
  if (!steps) {
    if (lastCached.size >= MAX_DOCUMENTS) lastCached.delete(lastCached.keys().next().value as string);
    steps = new Map();
    lastCached.set(uri, steps);
  }
  return steps;
}

/** Cumulative size and cache state of every step, as the lenses and hover compute them, and why a step misses. */
function stepFiguresOf(model: DocumentModel, cachedBefore: Map<string, PlannedStep>): Record<string, StepFigures> {
  const figures = layerFiguresOf(model.plan, { images: sharedImageCatalog(), buildCache: sharedBuildCache() });
  const result: Record<string, StepFigures> = {};
  for (const stage of model.plan.stages) {
    let firstMiss: PlannedStep | undefined;
    for (const step of stage.steps) {
      const f = figures.get(step);
      if (!f) continue;
      const position = `${stage.index}:${step.index}`;
      const entry: StepFigures = { cumulativeBytes: f.cumulative, cumulativeComplete: f.cumulativeComplete, cache: f.cache };
      if (f.cache === 'cached') cachedBefore.set(position, step);
      if (f.cache === 'will build') {
        entry.missReasons = missReasons(step, cachedBefore.get(position), firstMiss);
        firstMiss ??= step;
      }
      result[position] = entry;
    }
  }
  return result;
}

function missReasons(step: PlannedStep, previous: PlannedStep | undefined, firstMiss: PlannedStep | undefined): string[] {
  if (firstMiss) return [`it builds on line ${firstMiss.range.start.line + 1} (${firstMiss.display}), which misses the cache`];
  if (previous) {
    const changes = explainCacheMiss(previous, step);
    return changes.length ? changes : ['the build cache no longer holds its layer (pruned)'];
  }
  return ['the build cache holds no layer for these inputs: not built yet with them'];
}
