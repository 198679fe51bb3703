// `layerlens prune [--json]`: untagged images no container uses, unused blobs and layers, and
// files interrupted operations left behind. Tagged images and containers' images always stay.
import type { Command } from './command';
import { formatBytes, openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens prune [--json]';

export const pruneCommand: Command = {
  summary: 'remove untagged images and unused content from the store',
  run: (args) => runCliAction(async () => {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, USAGE);
    const store = await openStore();
    const report = await store.prune();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const d of report.imagesRemoved) process.stdout.write(`Deleted image: ${d}\n`);
      process.stdout.write(`Removed ${report.blobsRemoved.length} blobs, ${report.layersRemoved.length} unpacked layers, ${report.tempRemoved.length} temporary files; reclaimed ${formatBytes(report.bytesFreed)}\n`);
    }
    return 0;
  }),
};
