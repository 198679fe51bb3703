import * as assert from 'assert';
import { DockerignoreMatcher, readDockerignore } from '../../../server/rules/dockerignore';

describe('rules: .dockerignore matching', () => {
  const matcher = new DockerignoreMatcher(readDockerignore('# comment\n\n*.log\n/node_modules/\ndocs/**\n!docs/keep.md\n**/secret?.txt\n[ab]c\n'));
  it('matches patterns, parents and ** like Docker', () => {
    for (const f of ['app.log', './app.log', 'node_modules/x/y.js', 'docs/a/b.md', 'a/b/secret1.txt', 'secretX.txt', 'ac', 'bc/inner']) assert.ok(matcher.excludes(f), f);
  });
  it('honours exceptions and leaves other files', () => {
    for (const f of ['docs/keep.md', 'src/app.log.txt', 'dir/app.log2', 'cc', 'secret10.txt', '.']) assert.ok(!matcher.excludes(f), f);
  });
});
