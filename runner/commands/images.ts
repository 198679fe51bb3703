// `layerlens images [--json] [-q] [--digests] [REPOSITORY[:TAG]]`
import type { Command } from './command';
import { familiarName, parseImageReference, repositoryName } from '../store/imageReference';
import { shortId, StoredImage } from '../store/imageStore';
import { formatAge, formatBytes, formatTable, openStore, parseCommandArgs, runCliAction } from '../store/storeCli';

const USAGE = 'layerlens images [--json] [-q] [--digests] [REPOSITORY[:TAG]]';

/** One row of `images --json` (one per name; untagged images have repository and tag null). */
export interface ImageListEntry {
  id: string;
  repository: string | null;
  tag: string | null;
  name: string | null;
  digest: string;
  created: string | null;
  size: number;
  layers: number;
  architecture: string;
  os: string;
}

function rowsOf(image: StoredImage): ImageListEntry[] {
  const base = {
    id: image.configDigest, digest: image.manifestDigest, created: image.created ?? null, size: image.size,
    layers: image.layers.length, architecture: image.config.architecture, os: image.config.os,
  };
  if (image.names.length === 0) return [{ ...base, repository: null, tag: null, name: null }];
  return image.names.map((name) => {
    const ref = parseImageReference(name, undefined);
    return { ...base, repository: repositoryName(ref), tag: ref.tag ?? (ref.digest ? null : null), name };
  });
}

export const imagesCommand: Command = {
  summary: 'list images in the store (--json for tools)',
  run: (args) => runCliAction(async () => {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      digests: { type: 'boolean' },
    }, USAGE);
    const store = await openStore();
    let rows = (await store.listImages()).flatMap(rowsOf);
    if (positionals[0]) {
      const filter = parseImageReference(positionals[0], undefined);
      rows = rows.filter((r) => r.repository === repositoryName(filter) && (!filter.tag || r.tag === filter.tag));
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else if (values.quiet) {
      process.stdout.write([...new Set(rows.map((r) => shortId(r.id)))].map((id) => `${id}\n`).join(''));
    } else {
      const header = ['REPOSITORY', 'TAG', ...(values.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
      process.stdout.write(formatTable(header, rows.map((r) => [
        r.repository ? familiarName(r.repository) : '<none>', r.tag ?? '<none>', ...(values.digests ? [r.digest] : []),
        shortId(r.id), formatAge(r.created ?? undefined), formatBytes(r.size),
      ])));
    }
    return 0;
  }),
};
