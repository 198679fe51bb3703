import * as assert from 'assert';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { layerPlanMethod, type LayerPlanResult } from '../../../server/protocol';
import { LspClient } from '../lspClient';

describe('layerlens/layerPlan over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('answers the plan of an open document with sizes and per-step figures', async () => {
    const uri = `file:///tmp/layerlens-plan-${process.pid}/Dockerfile`;
    await client.open(uri, 'FROM scratch AS base\nCOPY . /app\nFROM base\nRUN true\n');
    const result = await client.request<LayerPlanResult>(layerPlanMethod, { uri });
    assert.strictEqual(result.version, 1);
    assert.deepStrictEqual(result.plan.stages.map((s) => s.steps.map((step) => step.instruction)), [['FROM', 'COPY'], ['FROM', 'RUN']]);
    assert.ok(result.figures['0:1'], JSON.stringify(Object.keys(result.figures)));
  });

  it('on a large document plans in turns, answers ContentModified if it changes meanwhile, then the new version', async function () {
    this.timeout(120000);
    const uri = `file:///tmp/layerlens-plan-${process.pid}/large/Dockerfile`;
    const text = generatedDockerfile(12000);
    await client.open(uri, text);
    const asked = client.request<LayerPlanResult>(layerPlanMethod, { uri });
    // A hover is answered while the plan is being made.
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 1 } });
    assert.match(hover.contents.value, /\*\*FROM\*\*/);
    await client.change(uri, text.replace('ENV STAGE=0 ', 'ENV STAGE=zero '), 2);
    await assert.rejects(asked, (err: unknown) => err instanceof ResponseError && err.code === LSPErrorCodes.ContentModified);
    const result = await client.request<LayerPlanResult>(layerPlanMethod, { uri });
    assert.strictEqual(result.version, 2);
    assert.strictEqual(result.plan.stages[0].steps[3].env.STAGE, 'zero', 'the step after the edited ENV sees it');
    assert.ok(result.plan.stages.length > 5);
  });
});
