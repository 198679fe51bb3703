// The web page of an image reference on its registry, for document links.
import { DOCKER_HUB, parseImageReference } from '../../runner/store/imageReference';

/** `node:20` -> `https://hub.docker.com/_/node/tags?name=20`; undefined for an invalid reference. */
export function registryPageUrl(ref: string): string | undefined {
  let parsed;
  try {
    parsed = parseImageReference(ref, ''); // '' keeps an absent tag absent
  } catch {
    return undefined;
  }
  const { domain, repository, tag } = parsed;
  const tagQuery = tag ? `?name=${encodeURIComponent(tag)}` : '';
  switch (domain) {
    case DOCKER_HUB:
      return repository.startsWith('library/')
        ? `https://hub.docker.com/_/${repository.slice('library/'.length)}${tag ? `/tags${tagQuery}` : ''}`
        : `https://hub.docker.com/r/${repository}${tag ? `/tags${tagQuery}` : ''}`;
    case 'ghcr.io':
      return `https://ghcr.io/${repository}`;
    case 'quay.io':
      return `https://quay.io/repository/${repository}${tag ? `?tab=tags&tag=${encodeURIComponent(tag)}` : ''}`;
    case 'mcr.microsoft.com':
      return `https://mcr.microsoft.com/artifact/mar/${repository}${tag ? '/tags' : ''}`;
    case 'public.ecr.aws':
      return `https://gallery.ecr.aws/${repository}`;
    case 'registry.gitlab.com':
      return `https://gitlab.com/${repository.split('/').slice(0, 2).join('/')}/container_registry`;
    case 'gcr.io':
      return `https://console.cloud.google.com/gcr/images/${repository.split('/')[0]}/global/${repository.split('/').slice(1).join('/')}`;
    default:
      // Any other OCI registry: its tag list, the one page every distribution-spec registry serves.
      return `${isLoopback(domain) ? 'http' : 'https'}://${domain}/v2/${repository}/tags/list`;
  }
}

function isLoopback(domain: string): boolean {
  const host = domain.replace(/:\d+$/, '');
  return host === 'localhost' || /^127\./.test(host) || host === '[::1]';
}
