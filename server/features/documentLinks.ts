// Document links: base images, `COPY --from=<image>`, `RUN --mount=from=<image>` and the
// `# syntax=` frontend image, each to its page on its registry.
import type { DocumentLink, Range } from 'vscode-languageserver';
import { planMade, planWithoutWaiting, type DocumentModel } from '../documentModels';
import { registryPageUrl } from '../images';
import { stepOfInstruction } from './docs/cursor';
import { ContentModifiedError, runSafelyInTurns, stillCurrent } from '../requestRunner';
import type { Feature } from './feature';

export function computeDocumentLinks(model: DocumentModel): DocumentLink[] {
  const { syntax } = model;
  const plan = planWithoutWaiting(model);
  const links: DocumentLink[] = [];
  const add = (ref: string, range: Range | undefined) => {
    if (!range || ref.includes('$')) return;
    const target = registryPageUrl(ref);
    if (target) links.push({ range, target, tooltip: `Open ${ref} on its registry` });
  };
  for (const directive of syntax.directives) if (directive.name === 'syntax') add(directive.value, directive.valueRange);

  const stageNames = new Set<string>();
  syntax.instructions.forEach((instruction, index) => {
    if (instruction.name === 'FROM' && instruction.image) {
      const image = instruction.image.value;
      const base = stepOfInstruction(plan, index)?.stage.base;
      const isStage = base ? base.kind === 'stage' : stageNames.has(image.toLowerCase());
      if (!isStage && image.toLowerCase() !== 'scratch') add(base?.kind === 'image' && image.includes('$') ? base.ref : image, instruction.image.range);
      if (instruction.stageName) stageNames.add(instruction.stageName.value.toLowerCase());
      return;
    }
    for (const flag of instruction.flags) {
      if (flag.name === 'from' && flag.value && isImage(flag.value, stageNames)) add(flag.value, flag.valueRange);
      if (flag.name === 'mount') {
        const from = flag.options?.find((o) => o.key === 'from');
        if (from?.value && isImage(from.value, stageNames)) add(from.value, from.valueRange);
      }
    }
  });
  return links;
}

/** `--from` names an image when it is neither an earlier stage nor a stage index. */
function isImage(value: string, stageNames: Set<string>): boolean {
  return !stageNames.has(value.toLowerCase()) && !/^\d+$/.test(value);
}

export const documentLinksFeature: Feature = {
  name: 'document links',
  capabilities: () => ({ documentLinkProvider: { resolveProvider: false } }),
  register({ connection, documents, models }) {
    // Links read the stages' resolved bases (no sizes); on a large document the plan is made in turns.
    connection.onDocumentLinks((params, token) => runSafelyInTurns(connection, 'document links', [], token, async () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const model = models.get(document);
      if (!(await planMade(model, stillCurrent(documents, document, token)))) throw new ContentModifiedError();
      return computeDocumentLinks(model);
    }));
  },
};
