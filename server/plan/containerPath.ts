// POSIX path handling inside the image: cleaning, WORKDIR resolution and COPY destinations.
import { posix } from 'path';

/** BuildKit's NormalizeWorkdir: relative paths join the current directory. */
export function resolveWorkdir(current: string, requested: string): string {
  const base = current === '' ? '/' : current;
  const joined = requested.startsWith('/') ? requested : posix.join(base, requested);
  return posix.normalize(joined).replace(/(.)\/+$/, '$1');
}

/** BuildKit's pathRelativeToWorkingDir for COPY/ADD destinations; a trailing slash is kept. */
export function resolveDestination(workdir: string, dest: string): string {
  const target = dest === '' || dest === '.' ? './' : dest;
  const trailing = target.endsWith('/') || target.endsWith('/.');
  const joined = target.startsWith('/') ? target : posix.join(workdir === '' ? '/' : workdir, target);
  const clean = posix.normalize(joined);
  if (trailing && !clean.endsWith('/')) return clean + '/';
  return clean;
}
