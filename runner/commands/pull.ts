// `layerlens pull [--platform os/arch[/variant]] [--insecure] [-q] NAME[:TAG|@DIGEST]`
import type { Command } from './command';
import { CliError } from './cliError';
import { pullImage, PullEvent } from '../registry/pullImage';
import { parsePlatform } from '../registry/selectPlatform';
import { shortId } from '../store/imageStore';
import { formatBytes, openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens pull [--platform os/arch[/variant]] [--insecure] [-q] NAME[:TAG|@DIGEST]';

export const pullCommand: Command = {
  summary: 'download an image from a registry',
  run: (args) => runCliAction(async () => {
    const { values, positionals } = parseCommandArgs(args, {
      platform: { type: 'string' },
      insecure: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    }, USAGE);
    if (positionals.length !== 1) throw new CliError(`expected one image name\nusage: ${USAGE}`, 2);
    const store = await openStore();
    const quiet = values.quiet === true;
    const log = (line: string) => { if (!quiet) process.stderr.write(`${line}\n`); };
    const onEvent = (e: PullEvent): void => {
      if (e.kind === 'resolved') log(`${e.ref}: ${e.manifestDigest}${e.platform ? ` (${e.platform})` : ''}`);
      else if (e.kind === 'layer-exists') log(`${shortId(e.digest)}: already exists`);
      else if (e.kind === 'layer-done') log(`${shortId(e.digest)}: pull complete (${formatBytes(e.size)})`);
      else if (e.kind === 'layer-progress' && e.progress.resumedFrom > 0 && e.progress.received === e.progress.total) {
        log(`${shortId(e.progress.digest)}: resumed at ${formatBytes(e.progress.resumedFrom)}`);
      }
    };
    const image = await pullImage(store, positionals[0], {
      insecure: values.insecure,
      platform: values.platform ? parsePlatform(values.platform) : undefined,
      onEvent,
    });
    log(`Digest: ${image.manifestDigest}`);
    process.stdout.write(`${image.ref ?? image.names[0] ?? image.configDigest}\n`);
    return 0;
  }),
};
