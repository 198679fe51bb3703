import * as assert from 'assert';
import { parseAuthChallenges } from '../../../runner/registry/authChallenge';

describe('parseAuthChallenges', () => {
  it('reads Docker Hub style Bearer challenges', () => {
    assert.deepStrictEqual(parseAuthChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), [{
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
    }]);
  });
  it('reads Basic, unquoted values, escapes, and several headers', () => {
    assert.deepStrictEqual(parseAuthChallenges(['Basic realm="a \\"quoted\\" realm"', 'Bearer realm=https://x/token, error=invalid_token']), [
      { scheme: 'basic', params: { realm: 'a "quoted" realm' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', error: 'invalid_token' } },
    ]);
    assert.deepStrictEqual(parseAuthChallenges(undefined), []);
  });
});
