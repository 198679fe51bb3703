// A RUN's variables in size prediction: ENV wins over a build arg of the same name, an arg
// declared without a value is empty, and an arg ENV does not set is seen as it is.
import * as assert from 'assert';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictStepSizes } from '../../../../server/plan/size';
import type { SizeReaders } from '../../../../server/plan/size/sizeReaders';

const readers: SizeReaders = { downloads: { contentLength: () => ({ state: 'known', value: 50_000 }) } };

/** Wasted bytes of the download step when `rm -f <removed>` follows `wget -O <output>`. */
function wasteOfDownload(lines: string[], output: string, removed: string): number | undefined {
  const text = ['FROM scratch', ...lines, `RUN wget -O ${output} https://example.invalid/f`, `RUN rm -f ${removed}`, ''].join('\n');
  const sized = predictStepSizes(planDockerfile(parseDockerfile(text)), readers);
  const steps = sized.stages[0].steps;
  return steps[steps.length - 2].wastedBytes;
}

describe('variables a RUN sees in size prediction', () => {
  it('ENV over a build arg of the same name', () => {
    assert.ok((wasteOfDownload(['ARG OUT=/fromarg', 'ENV OUT=/fromenv'], '$OUT', '/fromenv') ?? 0) >= 50_000);
    assert.strictEqual(wasteOfDownload(['ARG OUT=/fromarg', 'ENV OUT=/fromenv'], '$OUT', '/fromarg'), 0);
  });

  it('a build arg ENV does not set, and one declared without a value (empty)', () => {
    assert.ok((wasteOfDownload(['ARG OUT=/fromarg', 'ENV OTHER=x'], '$OUT', '/fromarg') ?? 0) >= 50_000);
    assert.ok((wasteOfDownload(['ARG NOPE', 'ENV OTHER=x'], '/f$NOPE', '/f') ?? 0) >= 50_000);
  });
});
