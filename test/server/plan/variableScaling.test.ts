// Planning cost per variable stays flat as a stage sets more variables: an ENV or ARG costs the
// variables it sets (no copy of every variable per pair, no re-sort of the RUN env entries).
// The instruction count stays fixed: each RUN's cache key and each ENV step's env record carry
// every variable, so more instructions AND more variables grow the plan itself quadratically.
import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { DockerfileSyntax } from '../../../server/parser';

/** One stage of 20 groups: ENV of `perGroup` new variables, ARG of as many, RUN using two. */
function stageSetting(perGroup: number): string {
  const out = ['FROM debian:12'];
  for (let g = 0; g < 20; g++) {
    const env: string[] = [];
    const args: string[] = [];
    for (let i = 0; i < perGroup; i++) {
      env.push(`LEVEL_${g}_${i}="value ${i}"`);
      args.push(`OPTION_${g}_${i}=on`);
    }
    out.push(`ENV ${env.join(' ')}`, `ARG ${args.join(' ')}`, `RUN echo $LEVEL_${g}_0 $OPTION_${g}_0`);
  }
  return out.join('\n') + '\n';
}

/** Best of several plans, in milliseconds per variable set. */
function msPerVariable(syntax: DockerfileSyntax, variables: number): number {
  let best = Infinity;
  for (let run = 0; run < 7; run++) {
    const t0 = process.hrtime.bigint();
    planDockerfile(syntax);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best / variables;
}

describe('plan speed as a stage sets more variables', () => {
  it('takes about the same time per variable with 10x more variables in the stage', function () {
    this.timeout(60000);
    const small = parseDockerfile(stageSetting(20));
    const large = parseDockerfile(stageSetting(200));
    msPerVariable(large, 1); // warm up
    const perSmall = msPerVariable(small, 800);
    const perLarge = msPerVariable(large, 8000);
    // Copying every variable at each ARG pair made this ratio grow with the variables; generous limit.
    assert.ok(perLarge < perSmall * 4, `ms per variable: ${perSmall.toFixed(4)} with 800 variables, ${perLarge.toFixed(4)} with 8,000`);
  });
});
