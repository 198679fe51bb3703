// `layerlens ps [-a] [-q] [--json]`: running containers (all with -a), with status, exit code and uptime.
// Leftover --rm containers (their remover was killed) are removed on the way.
import type { Command } from './command';
import { containerEntry, formatTable } from '../run/describeContainer';
import { openContainers } from '../run/openContainers';
import { parseFlags } from '../run/parseFlags';
import { reapRemovedOnExit } from '../run/reapRemovedOnExit';
import { CliError } from './cliError';

export const psCommand: Command = {
  summary: 'list containers (-a: also stopped ones, -q: ids only, --json)',
  async run(args) {
    const { flags, positionals } = parseFlags(args, { all: { short: 'a' }, quiet: { short: 'q' }, json: {} });
    if (positionals.length) throw new CliError(`ps takes no arguments (got ${positionals.join(' ')})`, 2);
    const { containers } = await openContainers();
    const now = Date.now();
    const entries = (await reapRemovedOnExit(containers, containers.list())).filter((c) => flags.all || c.state === 'running').map((c) => containerEntry(c, now));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    } else if (flags.quiet) {
      process.stdout.write(entries.map((e) => `${e.id.slice(0, 12)}\n`).join(''));
    } else {
      const quote = (s: string) => JSON.stringify(s.length > 30 ? `${s.slice(0, 29)}…` : s);
      process.stdout.write(formatTable([
        ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'NAMES'],
        ...entries.map((e) => [e.id.slice(0, 12), e.image, quote(e.command), e.created.replace('T', ' ').slice(0, 19), e.status, e.name]),
      ]));
    }
    return 0;
  },
};
