// COPY --chmod in chmod(1)'s symbolic form goes from the plan to the engine: the modes in the
// image are what chmod(1) would give, seen both in the layers and from a RUN in the image.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, build, buildOk, imageFiles, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

describe('build: symbolic COPY --chmod (busybox)', function () {
  this.timeout(120000);
  let work: string;
  let store: string;
  let ctx: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-chmod-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), {
      Dockerfile: [
        'FROM busybox:e2e',
        'COPY --chmod=u+x,go-w f /f',
        'COPY --chmod=a=rX tree /tree',
        'COPY --chmod=g=u,o-rwx f /g',
        'RUN echo "modes $(stat -c %a /f /tree /tree/script /tree/data /g | tr \'\\n\' \' \')"',
        '',
      ].join('\n'),
      f: 'f\n',
      'tree/script': '#!/bin/sh\n',
      'tree/data': 'data\n',
    });
    fs.chmodSync(path.join(ctx, 'f'), 0o666);
    fs.chmodSync(path.join(ctx, 'tree'), 0o775);
    fs.chmodSync(path.join(ctx, 'tree/script'), 0o764);
    fs.chmodSync(path.join(ctx, 'tree/data'), 0o620);
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gives the modes chmod(1) gives, in the layers and inside the image', async () => {
    const run = await buildOk(['-t', 'chmod:1', ctx], { store });
    const files = await imageFiles(store, 'chmod:1');
    const mode = (p: string) => (files.lookup(p)?.stat.mode ?? 0) & 0o7777;
    // 0666 u+x,go-w -> 0744; a=rX: directory and an executable file 0555, a plain file 0444; 0666 g=u,o-rwx -> 0660
    assert.deepStrictEqual(['/f', '/tree', '/tree/script', '/tree/data', '/g'].map((p) => mode(p).toString(8)), ['744', '555', '555', '444', '660']);
    const line = stepEvents(run, 'step-output').map((e) => e.line).find((l) => l.startsWith('modes '));
    assert.strictEqual(line?.trim(), 'modes 744 555 555 444 660');
  });

  it('refuses a garbage mode before running anything, at its line', async () => {
    const bad = writeTree(path.join(work, 'bad'), { Dockerfile: 'FROM busybox:e2e\nRUN echo ran\nCOPY --chmod=u+x,gq-w f /f\n', f: 'f\n' });
    const r = await build([bad], { store });
    assert.notStrictEqual(r.code, 0);
    assert.strictEqual(stepEvents(r, 'step-output').length, 0, 'a step ran');
    const failed = stepEvents(r, 'build-failed')[0];
    assert.match(failed.message, /'gq-w' is not a symbolic mode/);
    assert.deepStrictEqual(failed.range, { start: { line: 2, character: 17 }, end: { line: 2, character: 21 } });
  });
});
