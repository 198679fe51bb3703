// `layerlens rmi [-f] IMAGE...`
import type { Command } from './command';
import { CliError } from './cliError';
import { familiarName } from '../store/imageReference';
import { openStore, parseCommandArgs, runCliAction, asCliError } from '../store/storeCli';

const USAGE = 'layerlens rmi [-f] IMAGE...';

export const rmiCommand: Command = {
  summary: 'remove images (names, then unused content)',
  run: (args) => runCliAction(async () => {
    const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean', short: 'f' } }, USAGE);
    if (positionals.length === 0) throw new CliError(`expected at least one image\nusage: ${USAGE}`, 2);
    const store = await openStore();
    let failed = 0;
    for (const ref of positionals) {
      try {
        const result = await store.removeImage(ref, { force: values.force });
        for (const name of result.untagged) process.stdout.write(`Untagged: ${familiarName(name)}\n`);
        for (const digest of result.deleted) process.stdout.write(`Deleted: ${digest}\n`);
      } catch (err) {
        const cli = asCliError(err);
        if (!(cli instanceof CliError)) throw err;
        process.stderr.write(`layerlens rmi: ${cli.message}\n`);
        failed++;
      }
    }
    return failed > 0 ? 1 : 0;
  }),
};
