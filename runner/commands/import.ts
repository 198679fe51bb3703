// `layerlens import [-c CHANGE]... [-m MESSAGE] [--platform os/arch] FILE|- [REPOSITORY[:TAG]]`
import type { Command } from './command';
import { CliError } from './cliError';
import { parsePlatform } from '../registry/selectPlatform';
import { applyChange } from '../store/importChanges';
import { ContainerConfig } from '../store/ociTypes';
import { openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens import [-c CHANGE]... [-m MESSAGE] [--platform os/arch] FILE|- [REPOSITORY[:TAG]]';

export const importCommand: Command = {
  summary: 'make an image from a root filesystem tarball (plain, gzip or zstd)',
  run: (args) => runCliAction(async () => {
    const { values, positionals } = parseCommandArgs(args, {
      change: { type: 'string', short: 'c', multiple: true },
      message: { type: 'string', short: 'm' },
      platform: { type: 'string' },
    }, USAGE);
    if (positionals.length < 1 || positionals.length > 2) throw new CliError(`expected a tarball and optionally a name\nusage: ${USAGE}`, 2);
    const config: ContainerConfig = {};
    for (const change of values.change ?? []) applyChange(config, change);
    const store = await openStore();
    const image = await store.importRootfsTarball(positionals[0], positionals[1], {
      config,
      message: values.message,
      platform: values.platform ? parsePlatform(values.platform) : undefined,
    });
    process.stdout.write(`${image.configDigest}\n`);
    return 0;
  }),
};
