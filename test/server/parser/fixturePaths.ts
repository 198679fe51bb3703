// Where the Dockerfile fixtures live (tests run from out/test/..., fixtures stay in test/).
import * as path from 'path';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const dockerfileFixtures = path.join(repoRoot, 'test/fixtures/dockerfiles');
