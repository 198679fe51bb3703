// Which ignore file BuildKit applies: `<Dockerfile>.dockerignore` next to the Dockerfile wins
// over `.dockerignore` at the context root.
import * as path from 'path';

/** Candidate ignore files, most specific first (absolute paths). */
export function dockerignoreCandidates(contextDir: string, dockerfilePath?: string): string[] {
  const candidates: string[] = [];
  if (dockerfilePath) candidates.push(path.join(path.dirname(dockerfilePath), `${path.basename(dockerfilePath)}.dockerignore`));
  candidates.push(path.join(contextDir, '.dockerignore'));
  return candidates;
}
