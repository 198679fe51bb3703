// The custom `layerlens/layerPlan` request: the plan of an open document, for the client's view.
import type { DocumentModel } from '../documentModels';
import { sharedBuildCache, sharedImageCatalog } from '../images';
import { layerPlanMethod, type LayerPlanParams, type LayerPlanResult, type StepFigures } from '../protocol';
import { runSafely } from '../requestRunner';
import { layerFiguresOf } from './docs/layerFigures';
import type { Feature } from './feature';

export const layerPlanFeature: Feature = {
  name: 'layer plan request',
  capabilities: () => ({}),
  register({ connection, documents, models }) {
    connection.onRequest(layerPlanMethod, (params: LayerPlanParams, token) =>
      runSafely(connection, 'layer plan', null, token, (): LayerPlanResult | null => {
        const document = documents.get(params.uri);
        if (!document) return null;
        const model = models.get(document);
        return { uri: model.uri, version: model.version, plan: model.plan, figures: stepFiguresOf(model) };
      }));
  },
};

/** Cumulative size and cache state of every step, as the lenses and hover compute them. */
function stepFiguresOf(model: DocumentModel): Record<string, StepFigures> {
  const figures = layerFiguresOf(model.plan, { images: sharedImageCatalog(), buildCache: sharedBuildCache() });
  const result: Record<string, StepFigures> = {};
  for (const stage of model.plan.stages) {
    for (const step of stage.steps) {
      const f = figures.get(step);
      if (f) result[`${stage.index}:${step.index}`] = { cumulativeBytes: f.cumulative, cumulativeComplete: f.cumulativeComplete, cache: f.cache };
    }
  }
  return result;
}
