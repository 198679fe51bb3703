// `layerlens images [--json] [-q] [--digests] [REPOSITORY[:TAG]]`
import type { Command } from './command';
import { accountDiskUsage } from '../../server/plan/size/diskAccounting';
import { familiarName, parseImageReference, repositoryName } from '../store/imageReference';
import { ImageStore, shortId, StoredImage } from '../store/imageStore';
import { formatAge, formatBytes, formatTable, openStore, parseCommandArgs, runCliAction } from '../store/storeCli';
import { defaultFiguresCacheDir, imageFiguresOf, type ImageFigures, type WastedPath } from './imagesFigures';

const USAGE = 'layerlens images [--json] [-q] [--digests] [REPOSITORY[:TAG]]';

/** One layer of an image in `images --json`, bottom first. */
export interface ImageLayerEntry {
  diffId: string;
  /** Stored (compressed) blob digest and size. */
  digest: string;
  size: number;
  /** The instruction that made it, from the config's history ('' when unknown). */
  createdBy: string;
  /** Bytes of its files that a later layer deletes or overwrites; null when the layer could not be read. */
  wastedBytes: number | null;
  wastedPaths: WastedPath[];
}

/** One row of `images --json` (one per name; untagged images have repository and tag null). */
export interface ImageListEntry {
  id: string;
  repository: string | null;
  tag: string | null;
  name: string | null;
  digest: string;
  created: string | null;
  size: number;
  /** Bytes of `size` in layers other images of the store also use (stored once). */
  sharedBytes: number;
  /** Bytes only this image uses: what removing it would free. */
  uniqueBytes: number;
  layers: number;
  /** --json only. */
  layerDetails?: ImageLayerEntry[];
  /** dive's efficiency score (1 = nothing stored twice); null when a layer could not be read. */
  efficiency?: number | null;
  /** Bytes of files a later layer deletes or overwrites, over all layers. */
  wastedBytes?: number | null;
  architecture: string;
  os: string;
}

interface Sharing {
  sharedBytes: number;
  uniqueBytes: number;
}

/** Shared and unique bytes per image id; config and manifest always count as unique. */
function sharingOf(images: readonly StoredImage[]): Map<string, Sharing> {
  const usage = accountDiskUsage(images.map((image) => ({
    id: image.configDigest,
    layers: [
      { digest: image.manifestDigest, bytes: image.size - image.layers.reduce((s, l) => s + l.size, 0) },
      ...image.layers.map((l) => ({ digest: l.digest, bytes: l.size })),
    ],
  })));
  return new Map(usage.images.map((u) => [u.id, { sharedBytes: u.sharedBytes, uniqueBytes: u.uniqueBytes }]));
}

function layerDetailsOf(image: StoredImage, figures: ImageFigures | undefined): ImageLayerEntry[] {
  const creators = (image.config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
  return image.layers.map((layer, i) => ({
    diffId: layer.diffId, digest: layer.digest, size: layer.size, createdBy: creators[i] ?? '',
    wastedBytes: figures ? figures.layers[i].wastedBytes : null, wastedPaths: figures?.layers[i].wastedPaths ?? [],
  }));
}

function rowsOf(image: StoredImage, sharing: Sharing, figures?: ImageFigures | null): ImageListEntry[] {
  const base: Omit<ImageListEntry, 'repository' | 'tag' | 'name'> = {
    id: image.configDigest, digest: image.manifestDigest, created: image.created ?? null, size: image.size,
    ...sharing, layers: image.layers.length, architecture: image.config.architecture, os: image.config.os,
  };
  if (figures !== undefined) {
    base.layerDetails = layerDetailsOf(image, figures ?? undefined);
    base.efficiency = figures ? figures.efficiency : null;
    base.wastedBytes = figures ? figures.layers.reduce((s, l) => s + l.wastedBytes, 0) : null;
  }
  if (image.names.length === 0) return [{ ...base, repository: null, tag: null, name: null }];
  return image.names.map((name) => {
    const ref = parseImageReference(name, undefined);
    return { ...base, repository: repositoryName(ref), tag: ref.tag ?? null, name };
  });
}

export interface ListImagesOptions {
  /** REPOSITORY[:TAG] to keep. */
  filter?: string;
  /** Read layer contents for waste and efficiency (cached per image id in `cacheDir`). */
  figures?: boolean;
  cacheDir?: string;
  /** Told about an image whose layers could not be read (its figures are null). */
  onUnreadable?: (image: StoredImage, error: Error) => void;
}

/** The rows `images` prints, one per name. */
export async function listImageEntries(store: ImageStore, options: ListImagesOptions = {}): Promise<ImageListEntry[]> {
  const images = await store.listImages();
  const sharing = sharingOf(images);
  // '' and not undefined: a default parameter would turn undefined into 'latest' (docker lists every tag)
  const filter = options.filter ? parseImageReference(options.filter, '') : undefined;
  const rows: ImageListEntry[] = [];
  for (const image of images) {
    const names = filter ? image.names.filter((name) => {
      const ref = parseImageReference(name, undefined);
      return repositoryName(ref) === repositoryName(filter) && (!filter.tag || ref.tag === filter.tag);
    }) : image.names;
    if (filter && names.length === 0) continue;
    let figures: ImageFigures | null | undefined;
    if (options.figures) {
      figures = await imageFiguresOf(image, (digest) => store.blobPath(digest), options.cacheDir ?? defaultFiguresCacheDir())
        .catch((err: Error) => { options.onUnreadable?.(image, err); return null; });
    }
    rows.push(...rowsOf({ ...image, names }, sharing.get(image.configDigest) ?? { sharedBytes: 0, uniqueBytes: image.size }, figures));
  }
  return rows;
}

export const imagesCommand: Command = {
  summary: 'list images in the store (--json for tools: sizes shared/unique, wasted bytes per layer, efficiency)',
  run: (args) => runCliAction(async () => {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      digests: { type: 'boolean' },
    }, USAGE);
    const store = await openStore();
    const rows = await listImageEntries(store, {
      filter: positionals[0], figures: values.json,
      onUnreadable: (image, err) => process.stderr.write(`warning: ${shortId(image.configDigest)}: ${err.message}\n`),
    });
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
