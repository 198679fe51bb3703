// Locates a `shellcheck` binary: $LAYERLENS_SHELLCHECK, else the first one on PATH. Without one,
// shell checks are simply absent.
import * as fs from 'fs';
import * as path from 'path';

export function findShellcheck(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.LAYERLENS_SHELLCHECK;
  if (explicit !== undefined) return explicit !== '' && isExecutable(explicit) ? explicit : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'shellcheck');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
