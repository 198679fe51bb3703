// After an edit the planner re-keys every later step (and every stage that COPY --from an edited
// one): size prediction takes those stages over when their size inputs are the same by content,
// and the result is still exactly what predicting from scratch gives.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../../bench/lsp/dockerfiles';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictStepSizes } from '../../../../server/plan/size';
import type { ImageSizeReader, Lookup, MeasuredSizeReader, PackageInstallEstimate, PackageInstallRequest, SizeReaders } from '../../../../server/plan/size/sizeReaders';
import type { LayerPlan } from '../../../../server/plan/types';
import { mutate, realisticDockerfile } from '../../parser/dockerfileGenerator';
import { TablePackages } from './tablePackages';
import { treeOf } from './treeOf';

const DOCKERFILE = `FROM debian:12 AS base
COPY big.bin /app/big.bin
RUN echo hello > /app/hello.txt
LABEL stage=base
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
FROM base AS build
RUN rm -f /app/big.bin
RUN apt-get install -y jq
FROM alpine:3.20 AS out
COPY --from=base /app/hello.txt /srv/
RUN apk add jq
`;

const images: ImageSizeReader = {
  imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }),
};

/** The table reader, counting the install estimates asked for (each one is a RUN predicted again). */
class CountingPackages extends TablePackages {
  asked = 0;
  override estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate> {
    this.asked++;
    return super.estimateInstall(request);
  }
}

const tree = treeOf({ 'big.bin': 300_000, 'app.txt': 5, 'src/a.js': 1000, 'go.mod': 20, 'go.sum': 0 });
const context: SizeReaders['context'] = { tree: () => tree, unavailableReason: () => '', archive: () => ({ state: 'not-archive' }) };

function readersWith(packages: CountingPackages, measured?: MeasuredSizeReader): SizeReaders {
  return { context, images, packages, measured };
}

function planOf(text: string, previous?: { text: string; plan: LayerPlan }): LayerPlan {
  if (!previous) return planDockerfile(parseDockerfile(text));
  return planDockerfile(parseDockerfile(text, { previous: { text: previous.text, syntax: parseDockerfile(previous.text) } }), { previous: previous.plan });
}

/** Predicts `before`, then `after` with that prediction (re-planned with and without the previous plan): each must equal a fresh prediction. */
function assertSameAsScratch(before: string, after: string, readers: SizeReaders): { incremental: LayerPlan; sized: LayerPlan } {
  const first = planOf(before);
  const sized = predictStepSizes(first, readers);
  let incremental: LayerPlan | undefined;
  for (const edited of [planOf(after, { text: before, plan: first }), planOf(after)]) {
    incremental = predictStepSizes(edited, readers, sized);
    assert.deepStrictEqual(incremental, predictStepSizes(edited, readers));
  }
  return { incremental: incremental as LayerPlan, sized };
}

describe('size prediction takes over re-keyed stages whose size inputs did not change', () => {
  let packages: CountingPackages;
  let readers: SizeReaders;

  beforeEach(() => {
    packages = new CountingPackages(new Map([['curl', 400_000], ['jq', 90_000]]));
    readers = readersWith(packages);
  });

  it('predicts no RUN of a later stage again after an edit that changes cache keys but no sizes', () => {
    const edited = DOCKERFILE.replace('LABEL stage=base', 'LABEL stage=base2').replace('echo hello >', 'echo  hello >');
    const first = planOf(DOCKERFILE);
    const again = planOf(edited, { text: DOCKERFILE, plan: first });
    assert.notStrictEqual(again.stages[1].steps[1].cacheKey, first.stages[1].steps[1].cacheKey, 'the child stage is re-keyed');
    const sized = predictStepSizes(first, readers);
    packages.asked = 0;
    const incremental = predictStepSizes(again, readers, sized);
    assert.strictEqual(packages.asked, 1, 'only the edited stage estimates its install again');
    assert.deepStrictEqual(incremental, predictStepSizes(again, readers));
  });

  it('predicts the reading stages again when the edited stage holds other files', () => {
    const edited = DOCKERFILE.replace('echo hello >', 'echo hello world >');
    const first = planOf(DOCKERFILE);
    const sized = predictStepSizes(first, readers);
    packages.asked = 0;
    predictStepSizes(planOf(edited, { text: DOCKERFILE, plan: first }), readers, sized);
    assert.ok(packages.asked >= 3, `asked ${packages.asked} estimates`);
    assertSameAsScratch(DOCKERFILE, edited, readers);
    assertSameAsScratch(DOCKERFILE, DOCKERFILE.replace('big.bin /app/big.bin', 'big.bin /app/large.bin'), readers);
    assertSameAsScratch(DOCKERFILE, DOCKERFILE.replace('FROM debian:12 AS base', 'FROM debian:11 AS base'), readers);
  });

  it('looks measured sizes up under the new cache keys of a stage it takes over', () => {
    const edited = DOCKERFILE.replace('echo hello >', 'echo  hello >');
    const keys = planOf(edited).stages[2].steps;
    const measured: MeasuredSizeReader = { measuredBytes: (key) => (key === keys[2].cacheKey ? 4242 : undefined) };
    const { incremental } = assertSameAsScratch(DOCKERFILE, edited, readersWith(packages, measured));
    assert.strictEqual(incremental.stages[2].steps[2].measuredBytes, 4242);
  });

  it('keeps its prediction when the measured sizes are read again into a new reader, and follows new measurements', () => {
    const plan = planOf(DOCKERFILE);
    const table = (extra: Record<string, number>): MeasuredSizeReader => {
      const sizes: Record<string, number> = { [plan.stages[2].steps[2].cacheKey]: 4242, ...extra };
      return { measuredBytes: (key) => sizes[key] };
    };
    const sized = predictStepSizes(plan, readersWith(packages, table({})));
    packages.asked = 0;
    const reread = readersWith(packages, table({}));
    const again = predictStepSizes(plan, reread, sized);
    assert.strictEqual(packages.asked, 0, 'nothing predicted again');
    assert.strictEqual(again.stages[1], sized.stages[1]);
    assert.deepStrictEqual(again, predictStepSizes(plan, reread));
    const measuredMore = readersWith(packages, table({ [plan.stages[0].steps[4].cacheKey]: 777 }));
    const more = predictStepSizes(plan, measuredMore, again);
    assert.strictEqual(more.stages[0].steps[4].measuredBytes, 777);
    assert.deepStrictEqual(more, predictStepSizes(plan, measuredMore));
  });

  it('equals a fresh prediction when a parent step is rewritten without changing its sizes', () => {
    // `build` deletes big.bin that base's COPY wrote: that COPY's layer carries the waste.
    const edited = DOCKERFILE.replace('COPY big.bin /app/big.bin', 'COPY  big.bin  /app/big.bin');
    const { incremental } = assertSameAsScratch(DOCKERFILE, edited, readers);
    assert.ok((incremental.stages[0].steps[1].wastedBytes ?? 0) >= 300_000);
    assertSameAsScratch(DOCKERFILE, DOCKERFILE.replace('COPY big.bin /app/big.bin', 'COPY ./big.bin /app/big.bin'), readers);
  });

  it('takes over a renamed stage only where the name is not quoted', () => {
    const renamed = DOCKERFILE.replace('AS base', 'AS root').replace('FROM base', 'FROM root').replace('--from=base', '--from=root');
    assertSameAsScratch(DOCKERFILE, renamed, readers);
    assertSameAsScratch(renamed, DOCKERFILE, readers);
  });

  it('equals a fresh prediction after one-line edits in the middle of a COPY --from chain', () => {
    const text = generatedDockerfile(3000);
    const lines = text.split('\n');
    const instructions = lines.map((l, i) => (/^[A-Z]+\s/.test(l) ? i : -1)).filter((i) => i >= 0);
    const middle = instructions[Math.floor(instructions.length / 2)];
    const withLine = (at: number, f: (line: string) => string) => lines.map((l, i) => (i === at ? f(l) : l)).join('\n');
    const env = lines.findIndex((l, i) => i > middle && l.startsWith('ENV LEVEL_'));
    const echo = lines.findIndex((l, i) => i > middle && l.startsWith('RUN echo'));
    for (const edited of [withLine(middle, (l) => `${l} `), withLine(env, (l) => l.replace('=', '=1')), withLine(echo, (l) => l.replace('echo', 'echo x')), withLine(echo, (l) => `${l} # note`)]) {
      assertSameAsScratch(text, edited, readers);
      assertSameAsScratch(edited, text, readers);
    }
  });

  it('equals a fresh prediction on mutated realistic files, both ways', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const text = realisticDockerfile(1500, seed);
      const mutated = mutate(text, seed, 1 + (seed % 3));
      assertSameAsScratch(text, mutated, readers);
      assertSameAsScratch(mutated, text, readers);
    }
  });
});
