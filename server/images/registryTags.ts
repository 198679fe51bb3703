// Tag lists of image repositories on any OCI registry (distribution-spec `GET /v2/<name>/tags/list`),
// fetched in the background with a timeout and cached. `tags()` answers at once with what is known;
// a later call sees the rest. Anonymous bearer-token auth (Docker Hub, ghcr.io, quay.io...) is handled.

export interface RegistryTagListsOptions {
  /** Whole fetch (token, pages) must finish within this. */
  timeoutMs?: number;
  /** How long a fetched list is reused. */
  ttlMs?: number;
  /** How long a failure (unreachable, 404, timeout) is remembered before trying again. */
  failureTtlMs?: number;
  /** Registries (`host:port`) that may be reached over plain HTTP; loopback hosts always may. */
  insecureRegistries?: readonly string[];
  /** Most pages followed through `Link: <...>; rel="next"`. */
  maxPages?: number;
}

interface Entry {
  tags?: readonly string[];
  error?: string;
  fetchedAt: number;
  pending?: Promise<void>;
}

export class RegistryTagLists {
  private readonly entries = new Map<string, Entry>();
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxPages: number;
  private readonly insecure: ReadonlySet<string>;

  constructor(options: RegistryTagListsOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.maxPages = options.maxPages ?? 10;
    this.insecure = new Set(options.insecureRegistries ?? []);
  }

  /**
   * Tags of `repository` (`docker.io/library/node`, `localhost:5000/app`) known now, newest first
   * by version order; undefined when not fetched yet (a fetch is started) or unavailable.
   */
  tags(repository: string): readonly string[] | undefined {
    const entry = this.entries.get(repository);
    const age = entry ? performance.now() - entry.fetchedAt : Infinity;
    const stale = !entry || (entry.tags ? age > this.ttlMs : age > this.failureTtlMs);
    if (stale && !entry?.pending) this.start(repository, entry);
    return entry?.tags;
  }

  /** Why the last fetch of `repository` failed, if it did. */
  error(repository: string): string | undefined {
    return this.entries.get(repository)?.error;
  }

  /** Resolves when the fetch of `repository` in progress (if any) has finished. */
  async settled(repository: string): Promise<void> {
    await this.entries.get(repository)?.pending;
  }

  private start(repository: string, previous: Entry | undefined): void {
    const entry: Entry = { tags: previous?.tags, fetchedAt: previous?.fetchedAt ?? -Infinity };
    entry.pending = this.fetchTags(repository).then(
      (tags) => { entry.tags = sortTags(tags); entry.error = undefined; },
      (err: unknown) => { entry.error = err instanceof Error ? err.message : String(err); },
    ).finally(() => {
      entry.fetchedAt = performance.now();
      entry.pending = undefined;
    });
    this.entries.set(repository, entry);
  }

  private async fetchTags(repository: string): Promise<string[]> {
    const slash = repository.indexOf('/');
    if (slash <= 0) throw new Error(`not a repository name: ${repository}`);
    const domain = repository.slice(0, slash);
    const name = repository.slice(slash + 1);
    const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
    const scheme = this.allowsHttp(host) ? 'http' : 'https';
    const signal = AbortSignal.timeout(this.timeoutMs);
    let url: string | undefined = `${scheme}://${host}/v2/${name}/tags/list?n=1000`;
    let authorization: string | undefined;
    const tags: string[] = [];
    for (let page = 0; url && page < this.maxPages; page++) {
      let response = await fetch(url, { signal, headers: authorization ? { authorization } : {} });
      if (response.status === 401 && !authorization) {
        authorization = await anonymousToken(response.headers.get('www-authenticate'), name, signal);
        response = await fetch(url, { signal, headers: { authorization } });
      }
      if (!response.ok) throw new Error(`${host} answered ${response.status} for the tags of ${name}`);
      const body = (await response.json()) as { tags?: unknown };
      if (Array.isArray(body.tags)) tags.push(...body.tags.filter((t): t is string => typeof t === 'string'));
      url = nextPage(response.headers.get('link'), url);
    }
    return tags;
  }

  private allowsHttp(host: string): boolean {
    const hostname = host.replace(/:\d+$/, '');
    return this.insecure.has(host) || hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]';
  }
}

/** Follows a `Bearer realm=...,service=...,scope=...` challenge without credentials. */
async function anonymousToken(challenge: string | null, repository: string, signal: AbortSignal): Promise<string> {
  const match = challenge?.match(/^\s*Bearer\s+(.*)$/i);
  if (!match) throw new Error('registry requires authentication');
  const params = new Map<string, string>();
  for (const m of match[1].matchAll(/(\w+)="([^"]*)"/g)) params.set(m[1].toLowerCase(), m[2]);
  const realm = params.get('realm');
  if (!realm || !/^https?:\/\//.test(realm)) throw new Error('registry sent an unusable auth challenge');
  const url = new URL(realm);
  const service = params.get('service');
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', params.get('scope') ?? `repository:${repository}:pull`);
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const body = (await response.json()) as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (typeof token !== 'string') throw new Error('token endpoint sent no token');
  return `Bearer ${token}`;
}

function nextPage(link: string | null, current: string): string | undefined {
  const match = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  return match ? new URL(match[1], current).toString() : undefined;
}

/** `latest` first, then by version numbers descending (`3.20` before `3.9`), then by name. */
export function sortTags(tags: readonly string[]): string[] {
  const numbers = (t: string) => (t.match(/\d+/g) ?? []).map(Number);
  return [...new Set(tags)].sort((a, b) => {
    if (a === 'latest' || b === 'latest') return a === 'latest' ? -1 : 1;
    const x = numbers(a);
    const y = numbers(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (y[i] ?? -1) - (x[i] ?? -1);
      if (d !== 0) return d;
    }
    return a.localeCompare(b);
  });
}
