// Property tests: any text, random or mutated from realistic Dockerfiles, parses without
// throwing or hanging, and parse time per byte stays flat from 1 KB to 1 MB.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as fc from 'fast-check';
import { dumpBuildkit, parseDockerfile } from '../../../server/parser';
import type { DockerfileSyntax } from '../../../server/parser';
import { mutate, realisticDockerfile } from './dockerfileGenerator';

function wellFormed(s: DockerfileSyntax, text: string): void {
  const lines = text.split('\n').length;
  for (const i of s.instructions) {
    assert.ok(i.range.start.line <= i.range.end.line && i.range.end.line < lines, 'instruction range inside the text');
    for (const a of i.args) assert.ok(a.range.start.line >= i.range.start.line && a.range.end.line <= i.range.end.line, 'argument inside its instruction');
  }
  for (const p of s.problems) assert.ok(p.range.start.line < Math.max(lines, 1) && p.message.length > 0);
  dumpBuildkit(s);
}

function sweepIn(nodeFlags: string[]): Record<string, number[]> {
  const script = path.join(__dirname, 'perByteSweep.js');
  const run = spawnSync(process.execPath, [...nodeFlags, script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, number[]>;
}

function describeSweep(result: Record<string, number[]>): string[] {
  return Object.entries(result).map(([name, t]) => `${name}: ${t.map((x) => x.toFixed(0)).join(' / ')} ns per byte at 1 KB / 64 KB / 1 MB`);
}

describe('parser properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => wellFormed(parseDockerfile(text), text)), { numRuns: 1000 });
  });

  it('never throws on Dockerfile-like token soup', () => {
    const token = fc.constantFrom('FROM ', 'RUN ', 'COPY ', 'ENV ', 'ONBUILD ', 'HEALTHCHECK ', 'ARG ', 'a', '=', '"', "'", '\\', '`', '\n', '\r\n', ' ', '<<EOF', '<<-E', 'EOF', '\t', '$', '${', '}', '[', ']', '"x",', '--from=a ', '--mount=type=cache,target=/x ', '# escape=`\n', '#', 'AS ', 'NONE', 'CMD ');
    fc.assert(fc.property(fc.array(token, { maxLength: 120 }), (tokens) => {
      const text = tokens.join('');
      wellFormed(parseDockerfile(text), text);
    }), { numRuns: 3000 });
  });

  it('never throws on mutated realistic Dockerfiles', () => {
    const base = realisticDockerfile(4000, 7);
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 60 }), (seed, edits) => {
      const text = mutate(base, seed, edits);
      wellFormed(parseDockerfile(text), text);
    }), { numRuns: 400 });
  });

  it('keeps time per byte flat from 1 KB to 1 MB', function () {
    this.timeout(300000);
    // The parser's own work: measured with a young generation big enough to hold a 1 MB tree, so
    // that what is measured is the algorithm, not V8 promoting the tree to the old generation.
    const algorithm = sweepIn(['--max-semi-space-size=256']);
    // The same with Node's default heap, as the language server runs: promotion copies each node
    // once more (a constant factor); anything quadratic would still show as a 100x-1000x growth.
    const defaults = sweepIn([]);
    console.log('      algorithm (large young generation):\n        ' + describeSweep(algorithm).join('\n        '));
    console.log('      default heap:\n        ' + describeSweep(defaults).join('\n        '));
    const notFlat = describeSweep(algorithm).filter((_, i) => {
      const [kb, mid, mb] = Object.values(algorithm)[i];
      return mb > 4 * Math.min(kb, mid) && mb > 30;
    });
    const growing = describeSweep(defaults).filter((_, i) => {
      const [kb, mid, mb] = Object.values(defaults)[i];
      return mb > 15 * Math.min(kb, mid) && mb > 30;
    });
    assert.deepStrictEqual(notFlat, []);
    assert.deepStrictEqual(growing, []);
  });
});
