import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generatedDockerfile } from '../../bench/lsp/dockerfiles';
import { DocumentModels } from '../../server/documentModels';
import { parseDockerfile } from '../../server/parser';
import { planDockerfile, type LayerPlan } from '../../server/plan';
import type { BuildContextReader, ChecksumOptions } from '../../server/plan';
import { RecordingContextReader } from '../../server/recordingContextReader';

/** A plan as JSON: every field, cache keys included (steps read theirs through getters). */
const json = (plan: unknown) => JSON.parse(JSON.stringify(plan)) as unknown;

const text = ['FROM debian:12 AS build', 'COPY src/ /src/', 'RUN make -C /src', 'FROM build', 'COPY app.conf /etc/', ''].join('\n');

/** A context whose checksums the test sets (a real scanner answers the same way, later). */
class FakeContext implements BuildContextReader {
  sums = new Map<string, string>();
  checksum(source: string, _options: ChecksumOptions): string | undefined {
    return this.sums.get(source);
  }
}

const keysOf = (plan: { stages: { steps: { cacheKey: string }[] }[] }) => plan.stages.flatMap((s) => s.steps.map((step) => step.cacheKey));

describe('DocumentModels: invalidation by what changed', () => {
  it('a size-facts change keeps the parse and the plan object and gives a new model whose sizes are predicted again', () => {
    const models = new DocumentModels(() => ({}), () => ({}));
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const first = models.get(document);
    const firstSizes = first.plan;
    assert.strictEqual(first.sizesPending?.(), false, 'sizes were predicted');
    assert.strictEqual(models.get(document), first, 'nothing changed: the same model');
    models.invalidateSizes();
    const second = models.get(document);
    assert.strictEqual(second.planReady?.(), true, 'no re-plan needed');
    assert.notStrictEqual(second, first);
    assert.strictEqual(second.planned, first.planned, 'the plan object is kept');
    assert.strictEqual(second.syntax, first.syntax, 'the parse is kept');
    assert.strictEqual(second.sizesPending?.(), true, 'sizes are predicted again on the next read');
    assert.notStrictEqual(second.plan, firstSizes, 'predicted again');
    assert.deepStrictEqual(keysOf(second.plan), keysOf(firstSizes));
    assert.strictEqual(models.get(document), second);
  });

  it('a context change re-plans the document from scratch with the same output as a fresh plan', () => {
    const context = new FakeContext();
    const models = new DocumentModels(() => ({ context }));
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const first = models.get(document);
    const firstKeys = keysOf(first.plan);
    context.sums.set('src/', 'a'.repeat(64));
    models.invalidatePlans([document.uri]);
    const second = models.get(document);
    assert.strictEqual(second.planReady?.(), false, 're-planned on read');
    assert.notStrictEqual(second.planned, first.planned);
    assert.notDeepStrictEqual(keysOf(second.plan), firstKeys, 'the new checksum reaches the cache keys');
    const fresh = new DocumentModels(() => ({ context })).get(document);
    assert.deepStrictEqual(second.plan, fresh.plan, 'identical to a fresh plan');
  });

  it('invalidating other documents leaves this one planned', () => {
    const models = new DocumentModels();
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const first = models.get(document);
    models.invalidatePlans(['file:///other/Dockerfile']);
    assert.strictEqual(models.get(document), first);
  });
});

describe('RecordingContextReader', () => {
  it('tells whether a checksum it gave out earlier would now differ', () => {
    const context = new FakeContext();
    const recorded = new RecordingContextReader(context);
    const options = { excludes: [], parents: false };
    assert.strictEqual(recorded.checksum('src/', options), undefined);
    assert.strictEqual(recorded.answersChanged(), false, 'nothing moved');
    context.sums.set('other/', 'b'.repeat(64));
    assert.strictEqual(recorded.answersChanged(), false, 'a path the plan never read does not count');
    context.sums.set('src/', 'a'.repeat(64));
    assert.strictEqual(recorded.answersChanged(), true, 'a path the plan read changed');
    recorded.checksum('src/', options);
    assert.strictEqual(recorded.answersChanged(), false, 'the re-plan read the new answer');
  });

  it('tells that a plan holds a stale checksum when it read two answers for one source (the hash came in while it was planned in turns)', () => {
    const context = new FakeContext();
    const recorded = new RecordingContextReader(context);
    const options = { excludes: [], parents: false };
    assert.strictEqual(recorded.checksum('app.txt', options), undefined, 'early steps: the hash is not known yet');
    context.sums.set('app.txt', 'a'.repeat(64));
    assert.strictEqual(recorded.checksum('app.txt', options), 'a'.repeat(64), 'later steps of the same plan: known');
    assert.strictEqual(recorded.answersChanged(), true, 'the early steps hold a stale key though the last answer is current');
    assert.strictEqual(recorded.checksum('app.txt', options), 'a'.repeat(64), 'the re-plan from scratch');
    assert.strictEqual(recorded.answersChanged(), false, 'the re-plan read one answer, the current one');
  });
});

/** What `work` resolves to, and how many times a 0 ms timer ran meanwhile (the event loop had turns). */
async function timersDuring<T>(work: () => Promise<T> | undefined): Promise<{ result: T | undefined; turns: number }> {
  let turns = 0;
  const timer = setInterval(() => turns++, 0);
  try {
    return { result: await work(), turns };
  } finally {
    clearInterval(timer);
  }
}

describe('DocumentModels: plans made in turns', () => {
  const large = generatedDockerfile(8000);

  it('parses at once and plans on first read or in turns, with requests served between turns', async () => {
    const models = new DocumentModels();
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, large);
    const model = models.get(document);
    assert.strictEqual(model.planReady?.(), false, 'parsed, not planned');
    assert.strictEqual(models.get(document), model, 'the same model until the plan is made');
    const { result, turns } = await timersDuring(() => model.planInTurns?.(() => true));
    assert.strictEqual(result, true);
    assert.ok(turns >= 1, `timers ran ${turns} times meanwhile`);
    assert.strictEqual(model.planReady?.(), true);
    assert.strictEqual(models.get(document), model, 'the plan is made on the model the next request reads');
    assert.deepStrictEqual(json(model.planned), json(planDockerfile(parseDockerfile(large))));
  });

  it('a plan given up in turns goes on from where it stopped when read, and the next version starts from the last plan made', async () => {
    const models = new DocumentModels();
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, large);
    const first = models.get(document);
    assert.strictEqual(await first.planInTurns?.(() => false), false, 'given up at its first turn');
    assert.strictEqual(first.planReady?.(), false);
    const planned = first.planned as LayerPlan;
    assert.deepStrictEqual(json(planned), json(planDockerfile(parseDockerfile(large))));
    const lines = large.split('\n');
    const middle = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('RUN '));
    lines[middle] += ' && true';
    TextDocument.update(document, [{ text: lines.join('\n') }], 2);
    const second = models.get(document);
    assert.strictEqual(second.planReady?.(), false);
    assert.deepStrictEqual(json(second.planned), json(planDockerfile(parseDockerfile(lines.join('\n')))));
    // Stages before the edit are taken over from the first plan as they are.
    assert.strictEqual(second.planned?.stages[0], planned.stages[0]);
  });

  it('works a large plan\'s cache keys out in turns, or gives up when the version is no longer current', async () => {
    const models = new DocumentModels();
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, large);
    const model = models.get(document);
    assert.strictEqual(await model.planInTurns?.(() => true), true);
    assert.strictEqual(await model.settleKeysInTurns?.(() => false), false, 'given up at its first turn');
    const { result, turns } = await timersDuring(() => model.settleKeysInTurns?.(() => true));
    assert.strictEqual(result, true);
    assert.ok(turns >= 1, `timers ran ${turns} times meanwhile`);
    assert.strictEqual(await model.settleKeysInTurns?.(() => false), true, 'worked out already');
    assert.deepStrictEqual(keysOf(model.planned as LayerPlan), keysOf(planDockerfile(parseDockerfile(large))));
  });
});

describe('DocumentModels: a document closed and opened again', () => {
  it('gives the new document a model of its own text, even at the version the closed one had', () => {
    const models = new DocumentModels(() => ({}));
    const uri = 'file:///w/Dockerfile';
    const closed = TextDocument.create(uri, 'dockerfile', 1, text);
    const reopened = TextDocument.create(uri, 'dockerfile', 1, 'FROM alpine:3.20 AS other\n');
    assert.strictEqual(models.get(closed).text, text);
    // A validation of the closed document that was still running reads its model after the reopening too.
    const fresh = models.get(reopened);
    assert.strictEqual(models.get(closed).text, text);
    const again = models.get(reopened);
    assert.strictEqual(again.text, 'FROM alpine:3.20 AS other\n');
    assert.strictEqual(again.syntax.instructions[0].stageName?.value, 'other');
    assert.strictEqual(fresh.text, again.text);
    // Marked stale (settings changed): re-planned from the reopened document's own text.
    models.invalidateAll();
    assert.strictEqual(models.get(reopened).text, 'FROM alpine:3.20 AS other\n');
  });
});
