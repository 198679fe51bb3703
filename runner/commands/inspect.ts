// `layerlens inspect NAME...`: a container's record (live state) or an image as the store resolves it, as JSON.
import type { Command } from './command';
import { ContainerError } from '../run/containerError';
import { openContainers } from '../run/openContainers';
import { parseFlags } from '../run/parseFlags';
import { CliError } from './cliError';

export const inspectCommand: Command = {
  summary: 'show containers or images as JSON',
  async run(args) {
    const { flags, positionals } = parseFlags(args, { type: { value: true } });
    if (!positionals.length) throw new CliError('usage: layerlens inspect [--type container|image] NAME...', 2);
    const type = flags.type;
    if (type !== undefined && type !== 'container' && type !== 'image') throw new CliError('--type is container or image', 2);
    const { images, containers } = await openContainers();
    const found: unknown[] = [];
    for (const ref of positionals) {
      if (type !== 'image') {
        try {
          found.push(containers.find(ref));
          continue;
        } catch (err) {
          if (!(err instanceof ContainerError) || type === 'container') throw err;
        }
      }
      const image = await images.resolveImage(ref);
      if (!image) throw new CliError(`no such container or image: ${ref}`, 1);
      found.push(image);
    }
    process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    return 0;
  },
};
