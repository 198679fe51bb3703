// Image names and tags as completion offers them: familiar names (`busybox:1.36`), the repository
// a partly typed reference names, the tags the local store holds for it.
import { familiarName, parseImageReference, repositoryName } from '../../runner/store/imageReference';
import type { ImageSummary } from './imageCatalog';

/** `docker.io/library/node` for `node`, `localhost:5000/a/b` for itself; undefined when invalid. */
export function repositoryOf(typed: string): string | undefined {
  try {
    return repositoryName(parseImageReference(typed, ''));
  } catch {
    return undefined;
  }
}

export interface LocalTag {
  /** Familiar `name:tag` as a Dockerfile would write it. */
  name: string;
  tag: string;
  image: ImageSummary;
}

/** Every `name:tag` in the store, by familiar name. */
export function localTags(images: readonly ImageSummary[]): LocalTag[] {
  const out: LocalTag[] = [];
  for (const image of images) {
    for (const full of image.names) {
      if (full.includes('@')) continue;
      const colon = full.lastIndexOf(':');
      if (colon <= full.lastIndexOf('/')) continue;
      out.push({ name: familiarName(full), tag: full.slice(colon + 1), image });
    }
  }
  return out;
}

/** Tags of `repository` (normalised) in the store. */
export function localTagsOf(images: readonly ImageSummary[], repository: string): LocalTag[] {
  return localTags(images).filter((t) => repositoryOf(t.name) === repository);
}
