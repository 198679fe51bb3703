// The custom `layerlens/layerPlan` request: the plan of an open document, for the client's view.
import { layerPlanMethod, type LayerPlanParams, type LayerPlanResult } from '../protocol';
import { runSafely } from '../requestRunner';
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
        return { uri: model.uri, version: model.version, plan: model.plan };
      }));
  },
};
