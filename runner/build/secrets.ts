// `--secret id=ID[,src=FILE|,env=VAR][,type=file|env]`, as docker build and buildx take it.
// Secret values are read when a RUN mounts them, bound read-only from a private copy in the
// step's bundle directory, and never enter a layer, the cache key or the history.
import * as fs from 'fs';
import * as path from 'path';
import { BuildError } from './buildError';

export type SecretSource = { id: string; file: string } | { id: string; env: string };

/** Parses one `--secret` value. */
export function parseSecretFlag(text: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SecretSource {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new BuildError(`--secret ${text}: '${part}' is not key=value (expected id=ID,src=FILE or id=ID,env=VAR)`);
    const key = part.slice(0, eq).trim().toLowerCase();
    if (!['id', 'src', 'source', 'env', 'type'].includes(key)) throw new BuildError(`--secret ${text}: unknown key '${key}' (id, src, env, type)`);
    fields.set(key === 'source' ? 'src' : key, part.slice(eq + 1));
  }
  const id = fields.get('id');
  if (!id) throw new BuildError(`--secret ${text}: id= is required`);
  const type = fields.get('type');
  if (type !== undefined && type !== 'file' && type !== 'env') throw new BuildError(`--secret ${text}: type must be file or env`);
  const src = fields.get('src');
  const envName = fields.get('env');
  if (type === 'env' || (envName !== undefined && src === undefined)) return { id, env: envName ?? src ?? id };
  if (src !== undefined) return { id, file: path.resolve(cwd, src) };
  // Like buildx: an environment variable named like the id, else a file named like it.
  return env[id] !== undefined ? { id, env: id } : { id, file: path.resolve(cwd, id) };
}

/** The secret's value, or undefined when its source is missing. */
export function readSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  if ('env' in source) {
    const value = env[source.env];
    return value === undefined ? undefined : Buffer.from(value);
  }
  try {
    return fs.readFileSync(source.file);
  } catch {
    return undefined;
  }
}
