// Image references as Docker users type them, normalised the way Docker does:
// `busybox` -> `docker.io/library/busybox:latest`, `localhost:5000/a/b@sha256:...`.

export const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

export interface ImageReference {
  /** Registry host (with port), `docker.io` for Docker Hub. */
  domain: string;
  /** Repository path, `library/busybox` for official Docker Hub images. */
  repository: string;
  tag?: string;
  digest?: string;
}

export class ImageReferenceError extends Error {}

/** Parses and normalises `ref`; a reference without tag or digest gets `latest`. */
export function parseImageReference(ref: string, defaultTag: string | undefined = 'latest'): ImageReference {
  const input = ref.trim();
  if (input === '' || input.length > 1024) throw new ImageReferenceError(`invalid image reference '${ref}'`);
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageReferenceError(`invalid digest '${digest}' in '${ref}'`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageReferenceError(`invalid tag '${tag}' in '${ref}'`);
  }
  const parts = rest.split('/');
  let domain = DOCKER_HUB;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || parts[0].startsWith('['))) {
    domain = parts.shift() as string;
    if (!DOMAIN.test(domain)) throw new ImageReferenceError(`invalid registry '${domain}' in '${ref}'`);
  }
  if (domain === 'index.docker.io' || domain === 'registry-1.docker.io') domain = DOCKER_HUB;
  if (domain === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      throw new ImageReferenceError(`invalid repository name '${rest}' in '${ref}': use lower-case letters, digits and . _ - separators`);
    }
  }
  const repository = parts.join('/');
  if (repository.length > 255) throw new ImageReferenceError(`repository name too long in '${ref}'`);
  if (!tag && !digest && defaultTag) tag = defaultTag;
  return { domain, repository, tag, digest };
}

/** `docker.io/library/busybox` */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.repository}`;
}

/** The full normalised string: `docker.io/library/busybox:latest` or `...@sha256:...`. */
export function formatImageReference(ref: ImageReference): string {
  let out = repositoryName(ref);
  if (ref.tag) out += `:${ref.tag}`;
  if (ref.digest) out += `@${ref.digest}`;
  return out;
}

/** `busybox:latest` for Docker Hub official images, as `docker images` prints names. */
export function familiarName(full: string): string {
  let name = full;
  if (name.startsWith(`${DOCKER_HUB}/library/`)) name = name.slice(`${DOCKER_HUB}/library/`.length);
  else if (name.startsWith(`${DOCKER_HUB}/`)) name = name.slice(`${DOCKER_HUB}/`.length);
  return name;
}

/** True when `text` looks like an image id or digest (`sha256:<hex>` or a hex prefix). */
export function looksLikeImageId(text: string): boolean {
  return /^sha256:[0-9a-f]{1,64}$/.test(text) || /^[0-9a-f]{4,64}$/.test(text);
}
