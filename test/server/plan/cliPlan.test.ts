// The real `layerlens plan` command, run as a process.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LayerPlan } from '../../../server/plan';

const repoRoot = path.resolve(__dirname, '../../../..');
const cli = path.join(repoRoot, 'out/runner/cli.js');

describe('layerlens plan', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-plan-'));
    file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, 'ARG V=1\nFROM alpine:3.20 AS build\nARG V\nRUN echo $V > /v\nFROM scratch AS final\nCOPY --from=build /v /v\nLABEL a=b\n');
  });
  after(() => fs.rmSync(dir, { recursive: true }));

  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'plan', ...args], { encoding: 'utf8' });

  it('prints stages and steps with layer/metadata, predicted size and a cache key prefix', () => {
    const r = run(file);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^stage 0 build FROM docker\.io\/library\/alpine:3\.20 \(linux\/[a-z0-9/]+\)/m);
    assert.match(r.stdout, /^\s+4  layer\s+~2\.05 kB  [0-9a-f]{12}  RUN echo \$V > \/v$/m);
    assert.match(r.stdout, /^\s+7  metadata {13}[0-9a-f]{12}  LABEL a=b$/m);
    assert.match(r.stdout, /stage 1 final FROM scratch .* needs build \[target\]/);
  });

  it('prints JSON with --json, honouring --target and --build-arg', () => {
    const r = run('--json', '--target', 'build', '--build-arg', 'V=2', file);
    assert.strictEqual(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as LayerPlan;
    assert.strictEqual(plan.targetStage, 0);
    assert.deepStrictEqual(plan.stages.map((s) => s.reachable), [true, false]);
    assert.deepStrictEqual(plan.stages[0].steps[2].args, { V: '2' });
  });

  it('exits 1 with located messages when the file has errors', () => {
    const bad = path.join(dir, 'Bad.Dockerfile');
    fs.writeFileSync(bad, 'FROM alpine AS self\nCOPY --from=self /x /x\n');
    const r = run(bad);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /Bad\.Dockerfile:2:13: error: cannot copy from stage "self", it needs to be defined before current stage "self"/);
  });
});
