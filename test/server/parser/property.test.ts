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

/** Element-wise fastest of up to three sweeps, stopping as soon as no shape looks steep. */
function fastestSweep(nodeFlags: string[], isSteep: (t: number[]) => boolean): Record<string, number[]> {
  const best = sweepIn(nodeFlags);
  for (let again = 0; again < 2 && Object.values(best).some(isSteep); again++) {
    const next = sweepIn(nodeFlags);
    for (const [name, t] of Object.entries(next)) best[name] = best[name].map((x, i) => Math.min(x, t[i]));
  }
  return best;
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
    this.timeout(600000);
    // Quadratic work would grow time per byte 16x from 64 KB to 1 MB and 1000x from 1 KB; the
    // limits below sit well under that. Noise from other processes only ever adds time, so a shape
    // that looks steep is measured again (up to three sweeps) and the fastest figures count.
    const steep = (limit: number) => (t: number[]) => t[2] > limit * Math.min(t[0], t[1]) && t[2] > 30;
    // The parser's own work: measured with a young generation big enough to hold a 1 MB tree, so
    // that what is measured is the algorithm, not V8 promoting the tree to the old generation.
    const algorithm = fastestSweep(['--max-semi-space-size=256'], steep(4));
    // The same with Node's default heap, as the language server runs: promotion copies each node
    // once more (a constant factor); anything quadratic would still show as a 100x-1000x growth.
    const defaults = fastestSweep([], steep(15));
    console.log('      algorithm (large young generation):\n        ' + describeSweep(algorithm).join('\n        '));
    console.log('      default heap:\n        ' + describeSweep(defaults).join('\n        '));
    assert.deepStrictEqual(describeSweep(algorithm).filter((_, i) => steep(4)(Object.values(algorithm)[i])), []);
    assert.deepStrictEqual(describeSweep(defaults).filter((_, i) => steep(15)(Object.values(defaults)[i])), []);
  });
});
