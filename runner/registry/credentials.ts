// Registry credentials the way the docker CLI keeps them: `$DOCKER_CONFIG/config.json` (default
// ~/.docker/config.json) with `credHelpers` (per registry), `credsStore` (all registries) run as
// `docker-credential-<name> get`, and `auths` (base64 user:password, or an identity token).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type Credentials = { username: string; password: string } | { identityToken: string };

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export class CredentialsError extends Error {}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker'), 'config.json');
}

/** Keys a registry may be filed under in config.json. */
function keysFor(domain: string): string[] {
  if (domain === 'docker.io') return [DOCKER_HUB_KEY, 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1'];
  return [domain, `https://${domain}`, `http://${domain}`, `https://${domain}/v1/`, `https://${domain}/v2/`];
}

function stripKey(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** Credentials for `domain` (`docker.io` for Docker Hub), or undefined for anonymous access. */
export async function lookupCredentials(domain: string, configFile = dockerConfigPath()): Promise<Credentials | undefined> {
  let config: DockerConfigFile;
  try {
    config = JSON.parse(await fs.promises.readFile(configFile, 'utf8')) as DockerConfigFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialsError(`${configFile}: ${(err as Error).message}`);
  }
  const keys = keysFor(domain);
  const serverUrl = domain === 'docker.io' ? DOCKER_HUB_KEY : domain;
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => keys.includes(k) || stripKey(k) === domain)?.[1];
  if (helper) return runHelper(helper, serverUrl);
  if (config.credsStore) {
    const fromStore = await runHelper(config.credsStore, serverUrl);
    if (fromStore) return fromStore;
  }
  const auths = config.auths ?? {};
  const entry = keys.map((k) => auths[k]).find(Boolean) ?? Object.entries(auths).find(([k]) => stripKey(k) === domain)?.[1];
  if (!entry) return undefined;
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new CredentialsError(`${configFile}: auths["${domain}"].auth is not base64 of user:password`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

function runHelper(name: string, serverUrl: string): Promise<Credentials | undefined> {
  if (!/^[\w.-]+$/.test(name)) return Promise.reject(new CredentialsError(`invalid credential helper name '${name}'`));
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) {
        const text = `${stdout}${stderr}`;
        if (/credentials not found/i.test(text)) return resolve(undefined);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new CredentialsError(`credential helper ${program} is not installed (named in ${dockerConfigPath()})`));
        return reject(new CredentialsError(`${program} get failed: ${text.trim() || err.message}`));
      }
      try {
        const out = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!out.Secret) return resolve(undefined);
        if (out.Username === '<token>') return resolve({ identityToken: out.Secret });
        resolve({ username: out.Username ?? '', password: out.Secret });
      } catch {
        reject(new CredentialsError(`${program} get printed something that is not JSON`));
      }
    });
    child.stdin?.end(serverUrl);
  });
}
