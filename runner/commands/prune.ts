// `layerlens prune [--keep-build-cache] [--json]`: untagged images no container uses, unused blobs
// and layers, files interrupted operations left behind, then the build cache (its entries, RUN
// cache mounts and the layers only it kept). Tagged images and containers' images always stay.
import type { Command } from './command';
import { pruneStoreAndBuildCache } from '../build/pruneStoreAndBuildCache';
import { formatBytes, openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens prune [--keep-build-cache] [--json]';

export const pruneCommand: Command = {
  summary: 'remove untagged images, unused content and the build cache from the store',
  run: (args) => runCliAction(async () => {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' }, 'keep-build-cache': { type: 'boolean' } }, USAGE);
    const store = await openStore();
    const report = await pruneStoreAndBuildCache(store, { keepBuildCache: values['keep-build-cache'] });
    if (values.json) {
      // The image part stays at the top level (as before the build cache was part of prune).
      process.stdout.write(`${JSON.stringify({ ...report.images, buildCache: report.buildCache ?? null, totalBytesFreed: report.bytesFreed }, null, 2)}\n`);
      return 0;
    }
    const { images, buildCache } = report;
    for (const d of images.imagesRemoved) process.stdout.write(`Deleted image: ${d}\n`);
    process.stdout.write(`Images: removed ${images.imagesRemoved.length} untagged images, ${images.blobsRemoved.length} blobs, ${images.layersRemoved.length} unpacked layers, ${images.tempRemoved.length} temporary files; reclaimed ${formatBytes(images.bytesFreed)}\n`);
    if (buildCache) {
      process.stdout.write(`Build cache: removed ${buildCache.entries} entries, ${buildCache.mounts} cache mounts, ${buildCache.blobsRemoved.length} blobs, ${buildCache.layersRemoved.length} unpacked layers; reclaimed ${formatBytes(buildCache.bytesFreed)}\n`);
    }
    process.stdout.write(`Total reclaimed: ${formatBytes(report.bytesFreed)}\n`);
    return 0;
  }),
};
