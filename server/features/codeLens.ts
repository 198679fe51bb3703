// Code lens above each layer step: its size, the image size so far and whether a build would
// reuse it. Clicking opens the layer plan view at that step.
import type { CodeLens } from 'vscode-languageserver';
import { sizesPredicted, type DocumentModel } from '../documentModels';
import { sharedBuildCache, sharedImageCatalog, type BuildCacheView, type ImageCatalog } from '../images';
import { ContentModifiedError, runSafelyInTurns, stillCurrent } from '../requestRunner';
import { isLayerStep, layerFiguresOf, layerSummary, showLayerPlan, type FigureSources } from './docs/layerFigures';
import type { Feature } from './feature';

export function computeCodeLenses(model: DocumentModel, sources: FigureSources = {}): CodeLens[] {
  const figures = layerFiguresOf(model.plan, sources);
  const lenses: CodeLens[] = [];
  for (const stage of model.plan.stages) {
    for (const step of stage.steps) {
      const f = figures.get(step);
      if (!f || !isLayerStep(model.plan, step)) continue;
      const start = step.range.start;
      const title = step.index === 0 ? `base ${layerSummary(f)}` : layerSummary(f);
      lenses.push({ range: { start, end: start }, command: showLayerPlan(title, model.uri, step) });
    }
  }
  return lenses;
}

export function createCodeLensFeature(images: () => ImageCatalog = sharedImageCatalog, buildCache: () => BuildCacheView = sharedBuildCache): Feature {
  return {
    name: 'code lens',
    capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
    register({ connection, documents, models }) {
      // On a large document the sizes are predicted in turns first (other requests are served meanwhile).
      connection.onCodeLens((params, token) => runSafelyInTurns(connection, 'code lens', [], token, async () => {
        const document = documents.get(params.textDocument.uri);
        if (!document) return [];
        const model = models.get(document);
        if (!(await sizesPredicted(model, stillCurrent(documents, document, token)))) throw new ContentModifiedError();
        return computeCodeLenses(model, { images: images(), buildCache: buildCache() });
      }));
    },
  };
}

export const codeLensFeature: Feature = createCodeLensFeature();
