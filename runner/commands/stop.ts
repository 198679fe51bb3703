// `layerlens stop [-t SECONDS] CONTAINER...`: the image's stop signal (SIGTERM), then SIGKILL after the timeout.
import type { Command } from './command';
import { openContainers } from '../run/openContainers';
import { parseFlags, stringFlag } from '../run/parseFlags';
import { stopContainer } from '../run/stopContainer';
import { CliError } from './cliError';

export const stopCommand: Command = {
  summary: 'stop containers: SIGTERM (or the image\'s StopSignal), SIGKILL after -t seconds (default 10)',
  async run(args) {
    const { flags, positionals } = parseFlags(args, { time: { short: 't', value: true } });
    const timeout = stringFlag(flags, 'time') ?? '10';
    if (!/^\d+$/.test(timeout)) throw new CliError(`-t ${timeout}: expected whole seconds`, 2);
    if (!positionals.length) throw new CliError('usage: layerlens stop [-t SECONDS] CONTAINER...', 2);
    const { containers } = await openContainers();
    for (const ref of positionals) {
      await stopContainer(containers, containers.find(ref), Number(timeout));
      process.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
