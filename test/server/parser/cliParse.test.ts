// The real `layerlens parse` command, run as a process.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dockerfileFixtures, repoRoot } from './fixturePaths';

const cli = path.join(repoRoot, 'out/runner/cli.js');

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

describe('layerlens parse', () => {
  it('prints BuildKit s-expressions and exits 0', () => {
    const dir = path.join(dockerfileFixtures, 'buildkit/flags-and-onbuild');
    const r = run(['parse', '--format', 'buildkit', path.join(dir, 'Dockerfile')]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, fs.readFileSync(path.join(dir, 'result'), 'utf8'));
  });

  it('exits 1 with a located message where BuildKit refuses the file', () => {
    const file = path.join(dockerfileFixtures, 'negative/unterminated-heredoc/Dockerfile');
    const r = run(['parse', '--format', 'buildkit', file]);
    assert.strictEqual(r.status, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /Dockerfile:2:5: error: unterminated heredoc \[unterminated-heredoc\]/);
  });

  it('prints the syntax tree as JSON', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-parse-'));
    const file = path.join(tmp, 'Dockerfile');
    fs.writeFileSync(file, 'FROM alpine\nRUN echo hi\n');
    const r = run(['parse', '--format=json', file]);
    assert.strictEqual(r.status, 0, r.stderr);
    const tree = JSON.parse(r.stdout) as { instructions: { name: string }[] };
    assert.deepStrictEqual(tree.instructions.map((i) => i.name), ['FROM', 'RUN']);
    fs.rmSync(tmp, { recursive: true });
  });

  it('refuses a bad format and a missing file clearly', () => {
    const bad = run(['parse', '--format', 'yaml', 'x']);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--format must be 'buildkit' or 'json'/);
    const missing = run(['parse', '/nonexistent/Dockerfile']);
    assert.strictEqual(missing.status, 1);
    assert.match(missing.stderr, /cannot read \/nonexistent\/Dockerfile/);
  });
});
