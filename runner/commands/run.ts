// `layerlens run [OPTIONS] IMAGE [COMMAND] [ARG...]`: create a container and start it, attached
// (exit code = the container's) or detached (-d prints its id).
import type { Command } from './command';
import { createContainer } from '../run/createContainer';
import { openContainers } from '../run/openContainers';
import { parseRunOptions } from '../run/runOptions';
import { startContainer } from '../run/startContainer';

export const runCommand: Command = {
  summary: 'run a command in a new container (--rm -d -i -t --name -e --env-file -w -u --hostname --entrypoint --network -v --tmpfs --memory --cpus --pids-limit --read-only)',
  async run(args) {
    const options = parseRunOptions(args);
    const { images, containers } = await openContainers();
    const { record, lowerDirs } = await createContainer(images, containers, options);
    if (options.detach) {
      await startContainer(images, containers, record, { attach: false, lowerDirs, io: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } });
      process.stdout.write(`${record.id}\n`);
      return 0;
    }
    const { exit } = await startContainer(images, containers, record, {
      attach: true,
      lowerDirs,
      io: { stdin: options.interactive ? 'inherit' : 'ignore', stdout: 'inherit', stderr: 'inherit' },
    });
    return exit?.code ?? 0;
  },
};
