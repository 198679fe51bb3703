// Refreshes the views when the image store changes on disk (any process: CLI, builds, other windows).
import * as fs from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';

const DEBOUNCE_MS = 300;

/** Watches the store's index and containers directory; calls `onChange` at most every DEBOUNCE_MS. */
export function watchStore(root: string, onChange: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => { clearTimeout(timer); timer = setTimeout(onChange, DEBOUNCE_MS); };
  const watchers: fs.FSWatcher[] = [];
  const watch = (target: string) => {
    try {
      fs.mkdirSync(target, { recursive: true });
      const watcher = fs.watch(target, { recursive: true }, fire);
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // No store yet or not watchable: the views still refresh after every command.
    }
  };
  watch(path.join(root, 'containers'));
  try {
    const watcher = fs.watch(root, (_event, file) => { if (file === 'index.json') fire(); });
    watchers.push(watcher);
  } catch { /* the store does not exist yet */ }
  return { dispose: () => { clearTimeout(timer); watchers.forEach((w) => w.close()); } };
}
