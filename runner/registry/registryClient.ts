// An OCI distribution API client for one registry: HTTPS (plain HTTP only for loopback or
// explicitly insecure registries), anonymous / Basic / Bearer-token auth from WWW-Authenticate,
// credentials from the docker config, redirects followed by hand so that `Authorization` only
// ever goes to the registry itself (blob redirects to a CDN get no credentials).
import { Readable } from 'stream';
import { AuthChallenge, parseAuthChallenges } from './authChallenge';
import { Credentials, lookupCredentials } from './credentials';
import { discard, httpRequest, HttpResponse, readBody } from './httpRequest';
import { DOCKER_HUB } from '../store/imageReference';
import { sha256Digest } from '../store/digest';
import { MediaTypes } from '../store/ociTypes';

export interface RegistryClientOptions {
  /** Allow plain HTTP and unverified TLS for this registry (loopback registries may always use HTTP). */
  insecure?: boolean;
  /** Credentials to use; undefined: look them up in the docker config; null: anonymous. */
  credentials?: Credentials | null;
  dockerConfig?: string;
}

export class RegistryError extends Error {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
  }
}

export const MANIFEST_ACCEPT = [MediaTypes.ociIndex, MediaTypes.ociManifest, MediaTypes.dockerManifestList, MediaTypes.dockerManifest].join(', ');
const MAX_MANIFEST = 4 * 1024 * 1024;
const MAX_REDIRECTS = 10;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Registries named in $LAYERLENS_INSECURE_REGISTRIES (comma-separated host[:port]). */
export function isInsecureByEnvironment(domain: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.LAYERLENS_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean).includes(domain);
}

export type RequestBody = () => Buffer | Readable;

export interface RegistryRequest {
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Token scope, e.g. `repository:library/busybox:pull`. */
  scope: string;
}

export class RegistryClient {
  private origin?: URL;
  private challenge?: AuthChallenge;
  private readonly tokens = new Map<string, string>();
  private credentials?: Promise<Credentials | undefined>;

  constructor(readonly domain: string, private readonly options: RegistryClientOptions = {}) {}

  /** The host the API lives on (`registry-1.docker.io` for `docker.io`). */
  get apiHost(): string {
    return this.domain === DOCKER_HUB ? 'registry-1.docker.io' : this.domain;
  }

  private get insecure(): boolean {
    return this.options.insecure === true || isInsecureByEnvironment(this.domain);
  }

  private httpAllowed(hostname: string): boolean {
    return this.insecure || isLoopbackHost(hostname);
  }

  /** Finds the scheme (HTTPS first; HTTP where allowed) and the auth challenge, via GET /v2/. */
  async ping(): Promise<URL> {
    if (this.origin) return this.origin;
    const attempt = async (scheme: 'https' | 'http'): Promise<URL> => {
      const url = new URL(`${scheme}://${this.apiHost}/v2/`);
      const res = await httpRequest({ method: 'GET', url, insecureTls: this.insecure, timeoutMs: 30_000 });
      discard(res);
      if (res.status === 401) this.noteChallenge(res);
      else if (res.status !== 200) throw new RegistryError(`${url.href} answered ${res.status}: not an OCI distribution registry`, res.status);
      return new URL(`${scheme}://${this.apiHost}`);
    };
    try {
      this.origin = await attempt('https');
    } catch (err) {
      if (err instanceof RegistryError || !this.httpAllowed(new URL(`http://${this.apiHost}`).hostname)) {
        throw new RegistryError(`cannot reach registry ${this.domain} over HTTPS: ${(err as Error).message}${this.httpAllowed(new URL(`http://${this.apiHost}`).hostname) ? '' : ' (plain HTTP is only used for loopback registries or with --insecure)'}`);
      }
      this.origin = await attempt('http');
    }
    return this.origin;
  }

  private noteChallenge(res: HttpResponse): void {
    const challenges = parseAuthChallenges(res.headers['www-authenticate']);
    this.challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic') ?? this.challenge;
  }

  private getCredentials(): Promise<Credentials | undefined> {
    if (this.options.credentials !== undefined) return Promise.resolve(this.options.credentials ?? undefined);
    this.credentials ??= lookupCredentials(this.domain, this.options.dockerConfig);
    return this.credentials;
  }

  private async authorization(scope: string): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      const creds = await this.getCredentials();
      if (!creds || !('username' in creds)) throw new RegistryError(`registry ${this.domain} wants a user name and password: log in with 'docker login ${this.domain}' (or add it to ~/.docker/config.json)`, 401);
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer') throw new RegistryError(`registry ${this.domain} asks for unsupported authentication '${challenge.scheme}'`);
    let token = this.tokens.get(scope);
    if (!token) {
      token = await this.fetchToken(challenge, scope);
      this.tokens.set(scope, token);
    }
    return `Bearer ${token}`;
  }

  private async fetchToken(challenge: AuthChallenge, scope: string): Promise<string> {
    const realmText = challenge.params.realm;
    if (!realmText) throw new RegistryError(`registry ${this.domain} sent a Bearer challenge without a realm`);
    let realm: URL;
    try {
      realm = new URL(realmText);
    } catch {
      throw new RegistryError(`registry ${this.domain} sent an invalid token realm '${realmText}'`);
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.httpAllowed(realm.hostname))) {
      throw new RegistryError(`refusing token realm ${realm.href}: credentials go over HTTPS only (or to loopback / --insecure registries)`);
    }
    const creds = await this.getCredentials();
    const service = challenge.params.service;
    let res: HttpResponse;
    if (creds && 'identityToken' in creds) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'layerlens', scope, ...(service ? { service } : {}) });
      res = await httpRequest({ method: 'POST', url: realm, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form.toString()), insecureTls: this.insecure });
    } else {
      const url = new URL(realm.href);
      if (service) url.searchParams.set('service', service);
      url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      res = await httpRequest({ method: 'GET', url, headers, insecureTls: this.insecure });
    }
    const body = await readBody(res, 1024 * 1024);
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(`authentication to ${this.domain} failed (${res.status}${creds ? ': check the credentials in ~/.docker/config.json' : ': this repository needs credentials'})`, res.status);
    }
    if (res.status !== 200) throw new RegistryError(`token server ${realm.origin} answered ${res.status}: ${body.toString('utf8').slice(0, 200)}`, res.status);
    let parsed: { token?: string; access_token?: string };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string };
    } catch {
      throw new RegistryError(`token server ${realm.origin} did not answer JSON`);
    }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new RegistryError(`token server ${realm.origin} answered without a token`);
    return token;
  }

  /**
   * Sends a request to the registry (path relative to its origin, or an absolute URL the registry
   * gave us), authenticating as challenged and following redirects without leaking credentials.
   */
  async request(method: string, target: string, req: RegistryRequest): Promise<HttpResponse> {
    const origin = await this.ping();
    let url = new URL(target, origin);
    let currentMethod = method;
    let body = req.body;
    let reauthenticated = false;
    for (let hop = 0; ; ) {
      const headers: Record<string, string> = { ...req.headers };
      const toRegistry = url.origin === origin.origin;
      if (toRegistry) {
        const auth = await this.authorization(req.scope);
        if (auth) headers.authorization = auth;
      }
      const res = await httpRequest({ method: currentMethod, url, headers, body: body?.(), insecureTls: this.insecure });
      if (res.status === 401 && toRegistry && !reauthenticated) {
        discard(res);
        this.noteChallenge(res);
        this.tokens.delete(req.scope);
        reauthenticated = true;
        continue;
      }
      if ([301, 302, 303, 307, 308].includes(res.status) && res.headers.location) {
        discard(res);
        if (++hop > MAX_REDIRECTS) throw new RegistryError(`${method} ${target}: too many redirects`);
        const next = new URL(res.headers.location, url);
        if (next.protocol === 'http:' && url.protocol === 'https:' && !this.httpAllowed(next.hostname)) {
          throw new RegistryError(`refusing redirect from ${url.origin} to insecure ${next.origin}`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new RegistryError(`refusing redirect to ${next.protocol} URL`);
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && currentMethod === 'POST')) {
          currentMethod = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      return res;
    }
  }

  /** Turns an error response into a RegistryError carrying the registry's own message. */
  async failure(res: HttpResponse, what: string): Promise<RegistryError> {
    let detail = '';
    try {
      const text = (await readBody(res, 64 * 1024)).toString('utf8');
      const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
      detail = (parsed.errors ?? []).map((e) => `${e.code ?? ''}${e.message ? `: ${e.message}` : ''}`).join('; ');
    } catch {
      /* not JSON */
    }
    const hint = res.status === 401 || res.status === 403 ? ` (authentication needed or denied for ${this.domain})` : '';
    return new RegistryError(`${what}: ${res.status}${detail ? ` ${detail}` : ''}${hint}`, res.status);
  }

  async getManifest(repository: string, reference: string, scope = pullScope(repository)): Promise<{ bytes: Buffer; mediaType: string; digest: string }> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { scope, headers: { accept: MANIFEST_ACCEPT } });
    if (res.status !== 200) throw await this.failure(res, `manifest ${this.domain}/${repository}:${reference}`);
    const bytes = await readBody(res, MAX_MANIFEST);
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(`manifest ${this.domain}/${repository}@${reference}: the registry sent content with digest ${digest}`);
    }
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    return { bytes, mediaType, digest };
  }

  async blobExists(repository: string, digest: string, scope: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { scope });
    discard(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await this.failure(res, `checking blob ${digest}`);
  }

  /** Monolithic upload: POST to open an upload session, PUT the whole blob with its digest. */
  async uploadBlob(repository: string, digest: string, size: number, body: () => Readable): Promise<void> {
    const scope = pushScope(repository);
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { scope, headers: { 'content-length': '0' } });
    discard(start);
    if (start.status !== 202 || !start.headers.location) throw await this.failure(start, `starting the upload of ${digest}`);
    const location = new URL(start.headers.location, start.url);
    location.searchParams.set('digest', digest);
    const put = await this.request('PUT', location.href, {
      scope,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
    });
    if (put.status !== 201) throw await this.failure(put, `uploading blob ${digest}`);
    discard(put);
  }

  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string | undefined> {
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      scope: pushScope(repository),
      headers: { 'content-type': mediaType },
      body: () => bytes,
    });
    if (res.status !== 201 && res.status !== 200) throw await this.failure(res, `pushing manifest ${this.domain}/${repository}:${reference}`);
    discard(res);
    const header = res.headers['docker-content-digest'];
    return typeof header === 'string' ? header : undefined;
  }
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}
