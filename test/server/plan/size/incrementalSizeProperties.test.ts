// Property: predicting each version's sizes from the sized plan of the last version predicted (as
// the language server does: versions nobody read are never sized) gives exactly the prediction made
// without it, on the plan re-planned from the one before and on a plan made from scratch; package sizes
// and download sizes arrive at some version meanwhile.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseDockerfile, type DockerfileSyntax } from '../../../../server/parser';
import { planDockerfile, type LayerPlan } from '../../../../server/plan';
import { predictStepSizes } from '../../../../server/plan/size';
import { describeVersions, editSessionArb, versionsOf, writeDockerfile } from '../../incrementalEdits';
import { sessionReaders } from './sessionReaders';
import { treeOf } from './treeOf';

const context = treeOf({ 'app.txt': 5, 'big.bin': 300_000, 'src/a.js': 1000, 'src/b/c.go': 70, 'vendor.tar.gz': 4000, 'link': '-> app.txt' });

describe('size prediction over editing sessions', () => {
  it('gives the sizes of a prediction from scratch after every version sized, from the last sized plan', function () {
    this.timeout(60000);
    fc.assert(fc.property(editSessionArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), fc.nat(), ({ spec, edits }, skips, newsAt) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      const { readers, news } = sessionReaders(context);
      let syntax: DockerfileSyntax = parseDockerfile(versions[0]);
      let plan: LayerPlan = planDockerfile(syntax);
      let sized = predictStepSizes(plan, readers);
      for (let i = 1; i < versions.length; i++) {
        syntax = parseDockerfile(versions[i], { previous: { text: versions[i - 1], syntax } });
        plan = planDockerfile(syntax, { previous: plan });
        if (i === 1 + (newsAt % versions.length)) news();
        // Some versions are never sized (nothing read their sizes before the next keystroke).
        if (i < versions.length - 1 && skips[i % skips.length]) continue;
        const again = predictStepSizes(plan, readers, sized);
        assert.deepStrictEqual(again, predictStepSizes(plan, readers), `version ${i}:\n  ${describeVersions(versions, i)}`);
        const scratch = planDockerfile(parseDockerfile(versions[i]));
        assert.deepStrictEqual(predictStepSizes(scratch, readers, sized), predictStepSizes(scratch, readers), `version ${i} planned from scratch:\n  ${describeVersions(versions, i)}`);
        sized = again;
      }
    }), { numRuns: 150 });
  });
});
