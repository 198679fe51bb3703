// Parse time per byte at 1 KB, 64 KB and 1 MB for realistic and worst-case shapes. Run as a
// script (`node perByteSweep.js`) it prints the figures as JSON, so a test can measure in a
// process with the heap settings it chooses.
import { parseDockerfile } from '../../../server/parser';
import { pathological, realisticDockerfile } from './dockerfileGenerator';

export const sweepSizes = [1024, 65536, 1024 * 1024];

/** Best-of-n CPU milliseconds to parse `text` (CPU time: other processes share the machine). */
function time(text: string, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const before = process.cpuUsage();
    parseDockerfile(text);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** Shape name -> nanoseconds per byte at each of `sweepSizes`. */
export function sweepTimePerByte(): Record<string, number[]> {
  const shapes: Record<string, (bytes: number) => string> = { realistic: (n) => realisticDockerfile(n, 3), ...pathological };
  const out: Record<string, number[]> = {};
  for (const [name, make] of Object.entries(shapes)) {
    out[name] = sweepSizes.map((size) => {
      const text = make(size);
      const runs = size < 100000 ? 40 : 4;
      time(text, Math.min(runs, 10));
      return (time(text, runs) / text.length) * 1e6;
    });
  }
  return out;
}

if (require.main === module) process.stdout.write(JSON.stringify(sweepTimePerByte()));
