// `layerlens start [-a] [-i] CONTAINER...`: start created or exited containers again.
import type { Command } from './command';
import { openContainers } from '../run/openContainers';
import { parseFlags } from '../run/parseFlags';
import { startContainer } from '../run/startContainer';
import { CliError } from './cliError';

export const startCommand: Command = {
  summary: 'start stopped containers (-a: attach and exit with its code, -i: with stdin)',
  async run(args) {
    const { flags, positionals } = parseFlags(args, { attach: { short: 'a' }, interactive: { short: 'i' } });
    if (!positionals.length) throw new CliError('usage: layerlens start [-a] [-i] CONTAINER...', 2);
    if (flags.attach && positionals.length > 1) throw new CliError('start -a takes one container', 2);
    const { images, containers } = await openContainers();
    for (const ref of positionals) {
      const record = containers.find(ref);
      if (flags.attach) {
        const interactive = flags.interactive === true || record.config.interactive;
        const { exit } = await startContainer(images, containers, record, { attach: true, io: { stdin: interactive ? 'inherit' : 'ignore' } });
        return exit?.code ?? 0;
      }
      await startContainer(images, containers, record, { attach: false, io: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } });
      process.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
