// predictStepSizes with the previous sized plan gives exactly what predicting from scratch gives,
// whatever changed (steps, stages, the readers' answers), and its cost stays linear in the file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateDockerfile } from '../../../../bench/parse/generateDockerfile';
import { openBuildContext, type OpenBuildContext } from '../../../../server/context';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictStepSizes } from '../../../../server/plan/size';
import type { DownloadSizeReader, ImageSizeReader, Lookup, SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { TablePackages } from './tablePackages';
import type { LayerPlan } from '../../../../server/plan/types';
import { treeOf } from './treeOf';

const DOCKERFILE = `FROM debian:12 AS base
COPY app.txt /app/
COPY big.bin /app/big.bin
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
FROM base AS build
RUN apt-get install -y jq
RUN rm -f /app/big.bin
COPY src /src
FROM alpine:3.20 AS tools
RUN wget -O /tool.tgz https://example.invalid/tool.tgz
WORKDIR /work
RUN mkdir -p /work/out
FROM scratch AS out
COPY --from=build /src /src
COPY --from=base /app /app
COPY --from=tools /tool.tgz /opt/
`;

const images: ImageSizeReader = {
  imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }),
};

/** Answers `pending` until `answer` is set, and has no `version()` (pending alone must force a new prediction). */
class LateDownloads implements DownloadSizeReader {
  answer: number | undefined;
  contentLength(): Lookup<number> {
    return this.answer === undefined ? { state: 'pending', reason: 'asking the server' } : { state: 'known', value: this.answer };
  }
}

function planOf(text: string, previous?: LayerPlan): LayerPlan {
  return planDockerfile(parseDockerfile(text), previous ? { previous } : {});
}

/** The previous sized plan, then the edited one predicted with it: must equal a fresh prediction. */
function assertSameAsScratch(before: string, after: string, readers: SizeReaders, change?: () => void): { first: LayerPlan; sized: LayerPlan } {
  const first = planOf(before);
  const sized = predictStepSizes(first, readers);
  change?.();
  // Both ways the planner may hand the stages over: the same objects (previous plan) and new ones.
  for (const edited of [planOf(after, first), planOf(after)]) {
    const incremental = predictStepSizes(edited, readers, sized);
    assert.deepStrictEqual(incremental, predictStepSizes(edited, readers));
  }
  return { first, sized };
}

describe('predictStepSizes with the previous prediction', () => {
  let dir: string;
  let ctx: OpenBuildContext;
  let packages: TablePackages;
  let downloads: LateDownloads;
  let readers: SizeReaders;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-incremental-'));
    fs.writeFileSync(path.join(dir, 'app.txt'), 'hello');
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(300_000, 1));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'a.js'), 'a'.repeat(1000));
    ctx = openBuildContext({ contextDir: dir, watch: false });
    await ctx.ready;
  });

  beforeEach(() => {
    packages = new TablePackages(new Map([['curl', 400_000], ['jq', 90_000]]));
    downloads = new LateDownloads();
    downloads.answer = 123_456;
    readers = { context: ctx.reader, images, packages, downloads };
  });

  after(() => {
    ctx.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-predicts a RUN edited in a middle stage and keeps the rest', () => {
    const edited = DOCKERFILE.replace('RUN mkdir -p /work/out', 'RUN mkdir -p /work/out /work/tmp');
    const { first, sized } = assertSameAsScratch(DOCKERFILE, edited, readers);
    const again = predictStepSizes(planOf(edited, first), readers, sized);
    assert.strictEqual(again.stages[0], sized.stages[0], 'an untouched stage is handed over as the same object');
    assert.notStrictEqual(again.stages[2], sized.stages[2]);
  });

  it('re-predicts the stages that build FROM or COPY --from an edited stage', () => {
    assertSameAsScratch(DOCKERFILE, DOCKERFILE.replace('COPY app.txt /app/', 'COPY app.txt /app/renamed.txt'), readers);
    assertSameAsScratch(DOCKERFILE, DOCKERFILE.replace('apt-get install -y curl', 'apt-get install -y curl jq'), readers);
    assertSameAsScratch(DOCKERFILE, DOCKERFILE.replace('wget -O /tool.tgz', 'wget -O /tool2.tgz'), readers);
  });

  it('moves waste a child stage finds in its parent when the child changes', () => {
    // `build` deletes big.bin that `base` wrote: base's COPY carries that waste until the rm goes.
    const whole = predictStepSizes(planOf(DOCKERFILE), readers);
    assert.ok((whole.stages[0].steps[2].wastedBytes ?? 0) >= 300_000);
    const edited = DOCKERFILE.replace('RUN rm -f /app/big.bin\n', 'RUN true\n');
    const { first, sized } = assertSameAsScratch(DOCKERFILE, edited, readers);
    const again = predictStepSizes(planOf(edited, first), readers, sized);
    assert.strictEqual(again.stages[0].steps[2].wastedBytes, 0);
    assertSameAsScratch(edited, DOCKERFILE, readers);
  });

  it('follows stages added and removed', () => {
    const added = DOCKERFILE.replace('FROM scratch AS out', 'FROM base AS extra\nRUN rm -f /app/app.txt\nFROM scratch AS out');
    assertSameAsScratch(DOCKERFILE, added, readers);
    assertSameAsScratch(added, DOCKERFILE, readers);
    const withoutTools = DOCKERFILE.replace(/FROM alpine[^]*?(?=FROM scratch)/, '').replace('COPY --from=tools /tool.tgz /opt/\n', '');
    assertSameAsScratch(DOCKERFILE, withoutTools, readers);
    assertSameAsScratch(withoutTools, DOCKERFILE, readers);
  });

  it('predicts again when a reader version says its answers changed', () => {
    const { sized } = assertSameAsScratch(DOCKERFILE, DOCKERFILE, readers, () => {
      packages.sizes.set('curl', 999_000);
      packages.changes++;
    });
    const again = predictStepSizes(planOf(DOCKERFILE), readers, sized);
    assert.notStrictEqual(again.stages[0].steps[3].predictedBytes, sized.stages[0].steps[3].predictedBytes);
  });

  it('predicts again a stage whose reader answered pending, once the answer is there', () => {
    downloads.answer = undefined;
    const { sized } = assertSameAsScratch(DOCKERFILE, DOCKERFILE, readers, () => {
      downloads.answer = 77_000;
    });
    assert.strictEqual(sized.stages[2].steps[1].predictedBytes, undefined);
    const again = predictStepSizes(planOf(DOCKERFILE), readers, sized);
    assert.ok((again.stages[2].steps[1].predictedBytes ?? 0) > 77_000);
  });

  it('treats a new readers object as new answers', () => {
    assertSameAsScratch(DOCKERFILE, DOCKERFILE, readers, () => {
      readers = { ...readers, packages: new TablePackages(new Map([['curl', 1], ['jq', 2]])) };
    });
  });
});

describe('size prediction cost as the file grows', () => {
  const context = treeOf({ 'go.mod': 20, 'go.sum': 0, 'main.go': 3000, 'cmd/tool/main.go': 900 });
  const readers: SizeReaders = {
    context: { tree: () => context, unavailableReason: () => '', archive: () => ({ state: 'not-archive' }) },
    images,
    packages: new TablePackages(new Map([['curl', 400_000], ['git', 30_000_000], ['jq', 90_000]])),
  };

  /** Best-of-n CPU milliseconds (other processes only ever add time). */
  function cpuMs(f: () => void, runs: number): number {
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      const before = process.cpuUsage();
      f();
      const used = process.cpuUsage(before);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  }

  it('keeps time per step flat from 1k to 30k lines, and an edit costs a small part of a full prediction', function () {
    this.timeout(300000);
    const figures = [1000, 8000, 30000].map((lines) => {
      const text = generateDockerfile(lines);
      const plan = planOf(text);
      const middle = text.lastIndexOf('make -j', Math.floor(text.length / 2));
      const edited = planOf(text.slice(0, middle) + text.slice(middle).replace('all', 'all install'), plan);
      const steps = plan.stages.reduce((n, s) => n + s.steps.length, 0);
      let sized = predictStepSizes(plan, readers);
      const scratch = cpuMs(() => { sized = predictStepSizes(plan, readers); }, lines < 10000 ? 15 : 5);
      const edit = cpuMs(() => predictStepSizes(edited, readers, sized), lines < 10000 ? 15 : 5);
      return { lines, steps, scratchPerStep: (scratch / steps) * 1000, scratch, edit };
    });
    for (const f of figures) console.log(`      ${f.lines} lines, ${f.steps} steps: ${f.scratchPerStep.toFixed(2)} µs per step from scratch (${f.scratch.toFixed(1)} ms), ${f.edit.toFixed(2)} ms after an edit`);
    const [small, , large] = figures;
    // Quadratic work would grow time per step about 30x from 1k to 30k lines; 4x is noise and GC.
    assert.ok(large.scratchPerStep < 4 * small.scratchPerStep + 5, `time per step grew from ${small.scratchPerStep.toFixed(2)} to ${large.scratchPerStep.toFixed(2)} µs`);
    assert.ok(large.edit < large.scratch / 5, `an edit took ${large.edit.toFixed(1)} ms against ${large.scratch.toFixed(1)} ms from scratch`);
  });
});
