// Inlay hints at the end of each layer step: size, image size so far, cache state; clicking opens
// the layer plan view. Only steps ending inside the requested range are computed.
import { type InlayHint, type Range } from 'vscode-languageserver';
import { sizesPredicted, type DocumentModel } from '../documentModels';
import { sharedBuildCache, sharedImageCatalog, type BuildCacheView, type ImageCatalog } from '../images';
import { ContentModifiedError, runSafelyInTurns, stillCurrent } from '../requestRunner';
import { formatCumulative, formatLayerSize, isLayerStep, layerFiguresOf, showLayerPlan, type FigureSources } from './docs/layerFigures';
import type { Feature } from './feature';

export function computeInlayHints(model: DocumentModel, range: Range, sources: FigureSources = {}): InlayHint[] {
  const figures = layerFiguresOf(model.plan, sources);
  const hints: InlayHint[] = [];
  for (const stage of model.plan.stages) {
    if (stage.range.end.line < range.start.line || stage.range.start.line > range.end.line) continue;
    for (const step of stage.steps) {
      const end = step.range.end;
      if (end.line < range.start.line || end.line > range.end.line) continue;
      const f = figures.get(step);
      if (!f || !isLayerStep(model.plan, step)) continue;
      const size = formatLayerSize(f);
      const label = `${step.index === 0 ? 'base ' : ''}${size} · Σ ${formatCumulative(f)}${f.cache === 'metadata' ? '' : ` · ${f.cache}`}`;
      const tooltip = [f.confidence ? `${f.confidence} confidence` : '', f.basis ?? '', 'Click to open the layer plan'].filter(Boolean).join('\n');
      hints.push({
        position: end,
        label: [{ value: label, tooltip, command: showLayerPlan(label, model.uri, step) }],
        paddingLeft: true,
      });
    }
  }
  return hints;
}

export function createInlayHintsFeature(images: () => ImageCatalog = sharedImageCatalog, buildCache: () => BuildCacheView = sharedBuildCache): Feature {
  return {
    name: 'inlay hints',
    capabilities: () => ({ inlayHintProvider: { resolveProvider: false } }),
    register({ connection, documents, models }) {
      // On a large document the sizes are predicted in turns first (other requests are served meanwhile).
      connection.languages.inlayHint.on((params, token) => runSafelyInTurns(connection, 'inlay hints', [], token, async () => {
        const document = documents.get(params.textDocument.uri);
        if (!document) return [];
        const model = models.get(document);
        if (!(await sizesPredicted(model, stillCurrent(documents, document, token)))) throw new ContentModifiedError();
        return computeInlayHints(model, params.range, { images: images(), buildCache: buildCache() });
      }));
    },
  };
}

export const inlayHintsFeature: Feature = createInlayHintsFeature();
