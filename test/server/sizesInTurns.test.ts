// Size prediction in turns gives what one predictStepSizes call gives, lets the event loop run
// while it works on a large plan, and stops when its version is no longer current.
import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generatedDockerfile } from '../../bench/lsp/dockerfiles';
import { DocumentModels, sizesPredicted } from '../../server/documentModels';
import { parseDockerfile } from '../../server/parser';
import { planDockerfile } from '../../server/plan';
import { predictStepSizes, type SizeReaders } from '../../server/plan/size';
import { predictStepSizesInTurns } from '../../server/sizesInTurns';

const readers: SizeReaders = {
  images: { imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }) },
  downloads: { contentLength: () => ({ state: 'known', value: 4096 }) },
};

const text = generatedDockerfile(6000);

/** The same file with one RUN line in the middle changed. */
function edited(): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('RUN echo'));
  lines[at] = `${lines[at]} extra`;
  return lines.join('\n');
}

describe('predictStepSizesInTurns', () => {
  it('gives the same sized plan as predictStepSizes, from scratch and after an edit', async () => {
    const syntax = parseDockerfile(text);
    const plan = planDockerfile(syntax);
    const sized = await predictStepSizesInTurns(plan, readers, undefined, () => true);
    assert.deepStrictEqual(sized, predictStepSizes(plan, readers));
    const next = planDockerfile(parseDockerfile(edited(), { previous: { text, syntax } }), { previous: plan });
    const again = await predictStepSizesInTurns(next, readers, sized, () => true);
    assert.deepStrictEqual(again, predictStepSizes(next, readers));
    assert.strictEqual(again?.stages[0], sized?.stages[0], 'a stage before the edit is taken over');
  });

  it('gives the event loop turns while it predicts a large plan', async () => {
    const plan = planDockerfile(parseDockerfile(text));
    let turns = 0;
    let done = false;
    const tick = () => setImmediate(() => {
      if (done) return;
      turns++;
      tick();
    });
    tick();
    const sized = await predictStepSizesInTurns(plan, readers, undefined, () => true);
    done = true;
    assert.ok(sized);
    assert.ok(turns >= 2, `the event loop ran ${turns} times meanwhile`);
  });

  it('stops with undefined once its version is no longer current', async () => {
    const plan = planDockerfile(parseDockerfile(text));
    let asked = 0;
    const sized = await predictStepSizesInTurns(plan, readers, undefined, () => ++asked < 2);
    assert.strictEqual(sized, undefined);
    assert.strictEqual(asked, 2);
  });
});

describe('DocumentModel.predictSizesInTurns', () => {
  it('predicts the sizes `plan` then hands out without predicting again', async () => {
    const models = new DocumentModels(() => ({}), () => readers);
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const model = models.get(document);
    assert.strictEqual(model.sizesPending?.(), true);
    assert.strictEqual(await model.predictSizesInTurns?.(() => true), true);
    assert.strictEqual(model.sizesPending?.(), false);
    assert.deepStrictEqual(model.plan, predictStepSizes(model.planned as never, readers));
  });

  it('a prediction dropped for a newer version leaves the next version starting from the sizes before', async () => {
    const models = new DocumentModels(() => ({}), () => readers);
    const first = models.get(TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text));
    const firstSizes = first.plan;
    const second = models.get(TextDocument.create('file:///w/Dockerfile', 'dockerfile', 2, edited()));
    assert.strictEqual(await second.predictSizesInTurns?.(() => false), false, 'dropped');
    const third = models.get(TextDocument.create('file:///w/Dockerfile', 'dockerfile', 3, text));
    assert.strictEqual(third.plan.stages[0], firstSizes.stages[0], 'stages taken over from the first version\'s sizes');
    assert.deepStrictEqual(third.plan, predictStepSizes(third.planned as never, readers));
  });
});

describe('sizesPredicted', () => {
  it('on a large document predicts in turns (the event loop runs meanwhile), and stops for a newer version', async () => {
    const models = new DocumentModels(() => ({}), () => readers);
    const model = models.get(TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, generatedDockerfile(12000)));
    assert.strictEqual(await sizesPredicted(model, () => false), false);
    assert.strictEqual(model.sizesPending?.(), true, 'nothing predicted for a stale version');
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    try {
      assert.strictEqual(await sizesPredicted(model, () => true), true);
    } finally {
      clearInterval(timer);
    }
    assert.strictEqual(model.sizesPending?.(), false);
    assert.ok(turns >= 1, `timers ran ${turns} times meanwhile`);
  });

  it('goes on while any caller still waits when another gives up', async () => {
    const models = new DocumentModels(() => ({}), () => readers);
    const model = models.get(TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, generatedDockerfile(12000)));
    let lensWanted = true;
    const lens = sizesPredicted(model, () => lensWanted);
    const diagnostics = sizesPredicted(model, () => true);
    lensWanted = false;
    assert.strictEqual(await diagnostics, true);
    assert.strictEqual(await lens, true, 'the run went on: the sizes are there for the caller that gave up too');
    assert.strictEqual(model.sizesPending?.(), false);
  });
});
