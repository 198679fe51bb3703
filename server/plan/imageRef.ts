// Image references as BuildKit normalizes base names (`alpine` -> `docker.io/library/alpine:latest`),
// with the distribution/reference grammar's main rules.

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const domainPattern = /^(?:localhost|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$/;

export interface ImageRef {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  /** Fully qualified, tag defaulted to `latest` when there is no digest. */
  normalized: string;
}

const cache = new Map<string, ImageRef | string>();

/** Parses and normalizes `ref`; returns an error message when it is not a valid reference. */
export function normalizeImageRef(ref: string): ImageRef | string {
  let result = cache.get(ref);
  if (result === undefined) {
    result = parseImageRef(ref);
    if (cache.size > 10000) cache.clear();
    cache.set(ref, result);
  }
  return result;
}

function parseImageRef(ref: string): ImageRef | string {
  if (ref === '') return 'invalid reference format: repository name must have at least one component';
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) return `invalid reference format: invalid digest "${digest}"`;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) return `invalid reference format: invalid tag "${tag}"`;
  }
  const slash = rest.indexOf('/');
  let domain = 'docker.io';
  let path = rest;
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
      if (!domainPattern.test(domain)) return `invalid reference format: invalid domain "${domain}"`;
    }
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (path !== path.toLowerCase()) return 'invalid reference format: repository name must be lowercase';
  if (!path.split('/').every((c) => pathComponent.test(c))) return `invalid reference format: "${ref}"`;
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  const normalized = `${domain}/${path}${tag !== undefined ? ':' + tag : ''}${digest !== undefined ? '@' + digest : ''}`;
  return { domain, path, tag, digest, normalized };
}
