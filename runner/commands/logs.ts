// `layerlens logs [-f] CONTAINER`: what the container wrote (stdout and stderr, interleaved).
import type { Command } from './command';
import { streamLogs } from '../run/containerLogs';
import { openContainers } from '../run/openContainers';
import { parseFlags } from '../run/parseFlags';
import { CliError } from './cliError';

export const logsCommand: Command = {
  summary: "show a container's output (-f: follow until it exits)",
  async run(args) {
    const { flags, positionals } = parseFlags(args, { follow: { short: 'f' } });
    if (positionals.length !== 1) throw new CliError('usage: layerlens logs [-f] CONTAINER', 2);
    const { containers } = await openContainers();
    await streamLogs(containers, containers.find(positionals[0]), flags.follow === true, process.stdout);
    return 0;
  },
};
