import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels, LARGE_DOCUMENT_INSTRUCTIONS } from '../../../server/documentModels';
import { computeCompletion } from '../../../server/features/completion';

describe('completion on a large document', () => {
  it('answers from the plan without sizes while its sizes are still pending (never predicts them in the request)', () => {
    const lines = ['FROM debian:12 AS base', 'ARG VERSION=1'];
    for (let i = 0; lines.length < LARGE_DOCUMENT_INSTRUCTIONS + 10; i++) lines.push(`RUN echo ${i} > /f${i}`);
    lines.push('RUN echo $V');
    const text = lines.join('\n') + '\n';
    const models = new DocumentModels(() => ({}), () => ({}));
    const model = models.get(TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text));
    assert.strictEqual(model.sizesPending?.(), true);
    const line = lines.length - 1;
    const list = computeCompletion(model, { lineText: lines[line], position: { line, character: lines[line].length } });
    assert.ok(list.items.some((i) => i.label === 'VERSION'), 'the ARG declared earlier is offered');
    assert.strictEqual(model.sizesPending?.(), true, 'sizes were not predicted by the request');
  });
});
