// `layerlens rm [-f] CONTAINER...`: remove containers (their writable layer, logs, cgroups).
import type { Command } from './command';
import { ContainerError } from '../run/containerError';
import { openContainers } from '../run/openContainers';
import { parseFlags } from '../run/parseFlags';
import { removeContainer } from '../run/removeContainer';
import { CliError } from './cliError';

export const rmCommand: Command = {
  summary: 'remove containers (-f: kill running ones first; no error for ones already gone)',
  async run(args) {
    const { flags, positionals } = parseFlags(args, { force: { short: 'f' } });
    if (!positionals.length) throw new CliError('usage: layerlens rm [-f] CONTAINER...', 2);
    const force = flags.force === true;
    const { containers } = await openContainers();
    let failed = 0;
    for (const ref of positionals) {
      try {
        await removeContainer(containers, containers.find(ref), force);
        process.stdout.write(`${ref}\n`);
      } catch (err) {
        if (!(err instanceof ContainerError)) throw err;
        if (force && err.message.startsWith('no such container')) continue; // e.g. a --rm -d container that removed itself
        process.stderr.write(`layerlens rm: ${err.message}\n`);
        failed = err.exitCode;
      }
    }
    return failed;
  },
};
