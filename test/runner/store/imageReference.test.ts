import * as assert from 'assert';
import { familiarName, formatImageReference, parseImageReference } from '../../../runner/store/imageReference';

describe('parseImageReference', () => {
  const table: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['user/app:v1', 'docker.io/user/app:v1'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/team/app:v2', 'localhost:5000/team/app:v2'],
    ['127.0.0.1:5000/a/b/c', '127.0.0.1:5000/a/b/c:latest'],
    ['ghcr.io/owner/repo@sha256:' + 'a'.repeat(64), 'ghcr.io/owner/repo@sha256:' + 'a'.repeat(64)],
    ['busybox:1@sha256:' + 'b'.repeat(64), 'docker.io/library/busybox:1@sha256:' + 'b'.repeat(64)],
    ['[::1]:5000/x', '[::1]:5000/x:latest'],
  ];
  for (const [input, expected] of table) {
    it(`${input} -> ${expected}`, () => assert.strictEqual(formatImageReference(parseImageReference(input)), expected));
  }
  for (const bad of ['', 'UPPER/case', 'a//b', 'busybox:', 'busybox@sha256:short', 'x:' + 't'.repeat(200), 'bad host!/x', '-lead']) {
    it(`refuses '${bad}' with a message naming it`, () => {
      assert.throws(() => parseImageReference(bad), (err: Error) => err.message.includes(`'${bad}'`) || bad === '');
    });
  }
  it('prints Docker Hub names the familiar way', () => {
    assert.strictEqual(familiarName('docker.io/library/busybox'), 'busybox');
    assert.strictEqual(familiarName('docker.io/user/app'), 'user/app');
    assert.strictEqual(familiarName('localhost:5000/a'), 'localhost:5000/a');
  });
});
