// Property: predicting each version's sizes from the sized plan of the last version predicted (as
// the language server does: versions nobody read are never sized) gives exactly the prediction made
// without it, on the plan re-planned from the one before and on a plan made from scratch; package sizes
// and download sizes arrive at some version meanwhile.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseDockerfile, type DockerfileSyntax } from '../../../../server/parser';
import { planDockerfile, type LayerPlan } from '../../../../server/plan';
import { predictStepSizes } from '../../../../server/plan/size';
import type { DownloadSizeReader, Lookup, SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { describeVersions, editSessionArb, versionsOf, writeDockerfile } from '../../incrementalEdits';
import { TablePackages } from './tablePackages';
import { treeOf } from './treeOf';

const context = treeOf({ 'app.txt': 5, 'big.bin': 300_000, 'src/a.js': 1000, 'src/b/c.go': 70, 'vendor.tar.gz': 4000, 'link': '-> app.txt' });

/** Download sizes: pending until the answer came (no `version()`: pending alone must force a new prediction). */
class LateDownloads implements DownloadSizeReader {
  arrived = false;
  contentLength(url: string): Lookup<number> {
    if (!url.includes('x.tar')) return { state: 'unknown', reason: 'offline' };
    return this.arrived ? { state: 'known', value: 123_456 } : { state: 'pending', reason: 'asking the server' };
  }
}

/** The readers of one session: the package table and the download sizes change at some version (news arrived). */
function readersOf(): { readers: SizeReaders; news: () => void } {
  const packages = new TablePackages(new Map([['curl', 400_000], ['jq', 90_000], ['flask', 2_000_000]]));
  const downloads = new LateDownloads();
  const readers: SizeReaders = {
    context: {
      tree: () => context,
      unavailableReason: () => '',
      archive: (path) => (path === 'vendor.tar.gz' ? { state: 'archive', format: 'gzip', entries: [{ path: 'vendor/x', kind: 'file', size: 9000 }, { path: 'vendor', kind: 'dir', size: 0 }] } : { state: 'not-archive' }),
    },
    images: { imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }) },
    packages,
    downloads,
  };
  return {
    readers,
    news: () => {
      packages.sizes.set('curl', 999_000);
      packages.changes++;
      downloads.arrived = true;
    },
  };
}

describe('size prediction over editing sessions', () => {
  it('gives the sizes of a prediction from scratch after every version sized, from the last sized plan', function () {
    this.timeout(60000);
    fc.assert(fc.property(editSessionArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), fc.nat(), ({ spec, edits }, skips, newsAt) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      const { readers, news } = readersOf();
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
