// `layerlens tag SOURCE TARGET`
import type { Command } from './command';
import { CliError } from './cliError';
import { openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]';

export const tagCommand: Command = {
  summary: 'give an image another name',
  run: (args) => runCliAction(async () => {
    const { positionals } = parseCommandArgs(args, {}, USAGE);
    if (positionals.length !== 2) throw new CliError(`expected a source and a target\nusage: ${USAGE}`, 2);
    const store = await openStore();
    await store.tagImage(positionals[0], positionals[1]);
    return 0;
  }),
};
