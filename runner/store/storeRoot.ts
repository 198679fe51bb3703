// Where the store lives: $LAYERLENS_STORE, else $XDG_DATA_HOME/layerlens, else ~/.local/share/layerlens;
// and where caches live: $XDG_CACHE_HOME/layerlens, else ~/.cache/layerlens.
import * as os from 'os';
import * as path from 'path';

export function defaultStoreRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAYERLENS_STORE) return path.resolve(env.LAYERLENS_STORE);
  if (env.XDG_DATA_HOME) return path.join(path.resolve(env.XDG_DATA_HOME), 'layerlens');
  return path.join(env.HOME || os.homedir(), '.local', 'share', 'layerlens');
}

/** Layerlens' cache directory (image figures, the server's code cache): `$XDG_CACHE_HOME/layerlens`, else `~/.cache/layerlens`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'layerlens');
}
