// `layerlens fsck [--repair] [--json]`: exit 0 when the store is valid (after repairs), 1 when not.
import type { Command } from './command';
import { openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens fsck [--repair] [--json]';

export const fsckCommand: Command = {
  summary: 'verify the image store (digests, references) and --repair it',
  run: (args) => runCliAction(async () => {
    const { values } = parseCommandArgs(args, { repair: { type: 'boolean' }, json: { type: 'boolean' } }, USAGE);
    const store = await openStore();
    const report = await store.fsck({ repair: values.repair });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ root: store.root, ...report }, null, 2)}\n`);
    } else {
      for (const p of report.problems) {
        process.stdout.write(`${p.severity}: ${p.path}: ${p.message}${p.repaired ? ' [repaired]' : ''}\n`);
      }
      const errors = report.problems.filter((p) => p.severity === 'error' && !p.repaired).length;
      process.stdout.write(`${store.root}: ${report.blobsChecked} blobs, ${report.imagesChecked} images, ${report.layersChecked} unpacked layers checked; ${report.ok ? 'valid' : `${errors} error(s)${values.repair ? '' : " (run 'layerlens fsck --repair')"}`}\n`);
    }
    return report.ok ? 0 : 1;
  }),
};
