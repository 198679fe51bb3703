// `layerlens kill [-s SIGNAL] CONTAINER...`: send a signal (default SIGKILL) to the container's PID 1.
import type { Command } from './command';
import { openContainers } from '../run/openContainers';
import { parseFlags, stringFlag } from '../run/parseFlags';
import { killContainer } from '../run/stopContainer';
import { CliError } from './cliError';

export const killCommand: Command = {
  summary: "send a signal to containers' first process (-s SIGNAL, default KILL)",
  async run(args) {
    const { flags, positionals } = parseFlags(args, { signal: { short: 's', value: true } });
    if (!positionals.length) throw new CliError('usage: layerlens kill [-s SIGNAL] CONTAINER...', 2);
    const { containers } = await openContainers();
    for (const ref of positionals) {
      killContainer(containers.find(ref), stringFlag(flags, 'signal') ?? 'KILL');
      process.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
