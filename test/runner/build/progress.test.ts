import * as assert from 'assert';
import type { BuildEvent } from '../../../runner/build/events';
import { plainProgress } from '../../../runner/build/progress/plainProgress';
import { ttyProgress } from '../../../runner/build/progress/ttyProgress';
import { formatSize } from '../../../runner/build/progress/formatEvent';

const range = { start: { line: 2, character: 0 }, end: { line: 2, character: 10 } };
const events: BuildEvent[] = [
  { type: 'build-started', time: 0, dockerfile: '/d/Dockerfile', context: '/d', target: 1, stages: [{ index: 0, name: 'deps', steps: 3 }, { index: 1, steps: 2 }], platform: 'linux/amd64' },
  { type: 'step-started', time: 100, stage: 0, step: 1, instruction: 'RUN', display: 'RUN make', range, cacheKey: 'k1' },
  { type: 'step-output', time: 350, stage: 0, step: 1, stream: 'stdout', line: 'compiling' },
  { type: 'step-finished', time: 1300, stage: 0, step: 1, durationMs: 1200, cached: false, cacheKey: 'k1', layer: { diffId: 'sha256:x', bytes: 12345 } },
  { type: 'step-started', time: 1400, stage: 1, step: 1, instruction: 'COPY', display: 'COPY --from=deps /a /a', range, cacheKey: 'k2' },
  { type: 'step-finished', time: 1401, stage: 1, step: 1, durationMs: 1, cached: true, cacheKey: 'k2' },
  { type: 'warning', time: 1402, message: 'something odd', range },
  { type: 'build-finished', time: 1500, durationMs: 1500, imageId: 'sha256:abc', manifestDigest: 'sha256:def', tags: ['docker.io/library/app:1'], steps: 2, cachedSteps: 1 },
];

describe('build progress displays', () => {
  it('plain: numbered lines with titles, output times, DONE/CACHED and the result', () => {
    let out = '';
    const show = plainProgress((t) => { out += t; });
    events.forEach(show);
    assert.strictEqual(out, [
      '#1 [deps 1/2] RUN make',
      '#1 0.250 compiling',
      '#1 DONE 1.2s (layer 12.3 kB)',
      '#2 [stage-1 1/1] COPY --from=deps /a /a',
      '#2 CACHED',
      'WARNING: line 3: something odd',
      'built sha256:abc in 1.5s (1/2 steps cached)',
      'naming to docker.io/library/app:1',
      '',
    ].join('\n'));
  });

  it('tty: finished steps scroll, the live area is cleared at the end', () => {
    let out = '';
    const tty = ttyProgress((t) => { out += t; }, () => 80);
    for (const e of events) tty.onEvent(e);
    tty.stop();
    const visible = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    assert.match(visible, /=> \[deps 1\/2\] RUN make 1\.2s 12\.3 kB/);
    assert.match(visible, /=> CACHED \[stage-1 1\/1\] COPY --from=deps \/a \/a/);
    assert.match(visible, /=> built sha256:abc in 1\.5s \(1\/2 steps cached\)/);
  });

  it('shows failures with the last lines', () => {
    let out = '';
    const tty = ttyProgress((t) => { out += t; }, () => 80);
    tty.onEvent(events[0]);
    tty.onEvent(events[1]);
    tty.onEvent({ type: 'step-failed', time: 2000, stage: 0, step: 1, durationMs: 1900, range, message: 'RUN make exited with code 2', exitCode: 2, lastLines: ['make: *** [all] Error 2'] });
    tty.stop();
    assert.match(out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''), /ERROR \[deps 1\/2\] RUN make 1\.9s\n {3}make: \*\*\* \[all\] Error 2/);
  });

  it('formats sizes in SI units', () => {
    assert.deepStrictEqual([0, 999, 1000, 1536, 79_500_000].map(formatSize), ['0 B', '999 B', '1.00 kB', '1.54 kB', '79.5 MB']);
  });
});
