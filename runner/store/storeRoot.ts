// Where the store lives: $LAYERLENS_STORE, else $XDG_DATA_HOME/layerlens, else ~/.local/share/layerlens.
import * as os from 'os';
import * as path from 'path';

export function defaultStoreRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAYERLENS_STORE) return path.resolve(env.LAYERLENS_STORE);
  if (env.XDG_DATA_HOME) return path.join(path.resolve(env.XDG_DATA_HOME), 'layerlens');
  return path.join(env.HOME || os.homedir(), '.local', 'share', 'layerlens');
}
