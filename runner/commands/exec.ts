// `layerlens exec [-i] [-t] [-e K=V] [-u USER] [-w DIR] CONTAINER COMMAND [ARG...]`
import type { Command } from './command';
import { execInContainer } from '../run/execInContainer';
import { openContainers } from '../run/openContainers';
import { listFlag, parseFlags, stringFlag } from '../run/parseFlags';
import { envEntry } from '../run/runOptions';
import { CliError } from './cliError';

export const execCommand: Command = {
  summary: 'run a command in a running container (-i -t -e -u -w)',
  async run(args) {
    const { flags, positionals } = parseFlags(args, {
      interactive: { short: 'i' }, tty: { short: 't' }, env: { short: 'e', value: true, multiple: true },
      user: { short: 'u', value: true }, workdir: { short: 'w', value: true },
    }, true);
    const [ref, ...command] = positionals;
    if (!ref || !command.length) throw new CliError('usage: layerlens exec [-i] [-t] [-e K=V] [-u USER] [-w DIR] CONTAINER COMMAND [ARG...]', 2);
    const { containers } = await openContainers();
    const env = listFlag(flags, 'env').map((e) => envEntry(e, process.env)).filter((e): e is string => e !== undefined);
    const status = await execInContainer(containers.find(ref), {
      command, env, user: stringFlag(flags, 'user'), workdir: stringFlag(flags, 'workdir'), tty: flags.tty === true,
    }, { stdin: flags.interactive ? 'inherit' : 'ignore', stdout: 'inherit', stderr: 'inherit' });
    return status.code;
  },
};
