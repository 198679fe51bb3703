import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { measuredSizesPath } from '../../runner/build/measuredSizes';
import { PlanInputs, type InputChange } from '../../server/planInputs';

describe('plan inputs: sizes measured by earlier builds', () => {
  let dir: string;
  let storeBefore: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-inputs-'));
    storeBefore = process.env.LAYERLENS_STORE;
    process.env.LAYERLENS_STORE = path.join(dir, 'store');
  });
  afterEach(() => {
    if (storeBefore === undefined) delete process.env.LAYERLENS_STORE;
    else process.env.LAYERLENS_STORE = storeBefore;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeMeasured(sizes: Record<string, number>): void {
    const file = measuredSizesPath(path.join(dir, 'store'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const entries = Object.fromEntries(Object.entries(sizes).map(([key, bytes]) => [key, { bytes, measuredAt: '2026-11-23T00:00:00Z' }]));
    fs.writeFileSync(file, JSON.stringify({ version: 1, sizes: entries }));
  }

  it('keeps the same reader while the file is unchanged, and reads it again (telling of the change) when a build wrote it', async () => {
    writeMeasured({ a: 100 });
    const changes: InputChange[] = [];
    const inputs = new PlanInputs((c) => changes.push(c), 0);
    const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    try {
      const measuredNow = async () => {
        inputs.sizeReaders(uri);
        await inputs.settled(uri);
        return inputs.sizeReaders(uri).measured;
      };
      const first = await measuredNow();
      assert.strictEqual(first?.measuredBytes('a'), 100);
      assert.strictEqual(await measuredNow(), first, 'an unchanged file keeps the reader object');
      // The measured file's news come without a uri (the build context's, which may settle any
      // time under load, name their document).
      const measuredNews = () => changes.filter((c) => c.kind === 'sizes' && c.uri === undefined).length;
      const sizesChanges = measuredNews();
      writeMeasured({ a: 100, b: 2048 });
      // Asked twice at once (an edit's plan and a hover): the news is still told once.
      inputs.sizeReaders(uri);
      inputs.sizeReaders(uri);
      const second = await measuredNow();
      assert.notStrictEqual(second, first);
      assert.strictEqual(second?.measuredBytes('b'), 2048);
      assert.strictEqual(measuredNews(), sizesChanges + 1);
    } finally {
      inputs.dispose();
    }
  });
});
