// Where the native helper is: $LAYERLENS_HELPER, next to the bundled CLI (dist/), or the repository's
// dist/ when running compiled sources from out/.
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';

export function helperBinary(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.LAYERLENS_HELPER
    ? [env.LAYERLENS_HELPER]
    : [path.join(__dirname, 'layerlens-helper'), path.resolve(__dirname, '..', '..', '..', 'dist', 'layerlens-helper')];
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // try the next place
    }
  }
  throw new ContainerError(`the native helper is missing (looked in ${candidates.join(', ')}): build it with \`npm run build\` (needs gcc)`);
}
