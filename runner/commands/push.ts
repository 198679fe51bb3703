// `layerlens push [--insecure] [-q] IMAGE [DESTINATION]`: uncompressed (built) layers are gzipped on
// the way; stdout gets NAME@DIGEST of the manifest the registry now has.
import type { Command } from './command';
import { CliError } from './cliError';
import { pushImage } from '../registry/pushImage';
import { shortId } from '../store/imageStore';
import { formatBytes, openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens push [--insecure] [-q] IMAGE [REGISTRY/NAME[:TAG]]';

export const pushCommand: Command = {
  summary: 'upload an image to a registry',
  run: (args) => runCliAction(async () => {
    const { values, positionals } = parseCommandArgs(args, {
      insecure: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    }, USAGE);
    if (positionals.length < 1 || positionals.length > 2) throw new CliError(`expected an image and optionally a destination\nusage: ${USAGE}`, 2);
    const store = await openStore();
    const log = (line: string) => { if (!values.quiet) process.stderr.write(`${line}\n`); };
    const result = await pushImage(store, positionals[0], positionals[1], {
      insecure: values.insecure,
      onEvent: (e) => {
        if (e.kind === 'layer-compressed') log(`${shortId(e.diffId)}: compressed ${formatBytes(e.from)} -> ${formatBytes(e.size)} (gzip, ${shortId(e.digest)}) in ${(e.durationMs / 1000).toFixed(1)}s`);
        else if (e.kind === 'blob-exists') log(`${shortId(e.digest)}: layer already exists`);
        else if (e.kind === 'blob-pushed') log(`${shortId(e.digest)}: pushed (${formatBytes(e.size)})`);
      },
    });
    process.stdout.write(`${result.ref}@${result.digest}\n`);
    return 0;
  }),
};
