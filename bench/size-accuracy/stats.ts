// Relative errors per layer kind: median and 90th percentile, printed as a table.

export interface Sample {
  kind: string;
  name: string;
  predicted?: number;
  measured: number;
  /** A peer's prediction of the same layer (e.g. the plain sum of file sizes). */
  peer?: number;
}

export function relativeError(predicted: number, measured: number): number {
  return measured === 0 ? (predicted === 0 ? 0 : 1) : Math.abs(predicted - measured) / measured;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export interface KindSummary {
  kind: string;
  samples: number;
  unknown: number;
  median: number;
  p90: number;
  peerMedian?: number;
}

export function summarize(samples: Sample[]): KindSummary[] {
  const kinds = [...new Set(samples.map((s) => s.kind))];
  return kinds.map((kind) => {
    const of = samples.filter((s) => s.kind === kind);
    const known = of.filter((s) => s.predicted !== undefined);
    const errors = known.map((s) => relativeError(s.predicted as number, s.measured)).sort((a, b) => a - b);
    const peers = of.filter((s) => s.peer !== undefined).map((s) => relativeError(s.peer as number, s.measured)).sort((a, b) => a - b);
    return { kind, samples: of.length, unknown: of.length - known.length, median: quantile(errors, 0.5), p90: quantile(errors, 0.9), peerMedian: peers.length ? quantile(peers, 0.5) : undefined };
  });
}

const pct = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(3)}%`);

export function printSummary(samples: Sample[], peerName: Record<string, string>): void {
  console.log('\nper layer kind: |predicted - measured| / measured');
  console.log(['kind'.padEnd(34), 'n'.padStart(3), 'unknown'.padStart(8), 'median'.padStart(10), 'p90'.padStart(10), 'peer median'.padStart(12), 'peer/ours'.padStart(10), '  peer'].join(' '));
  for (const s of summarize(samples)) {
    const ratio = s.peerMedian !== undefined && s.median > 0 ? (s.peerMedian / s.median).toFixed(1) + 'x' : s.peerMedian !== undefined ? 'inf' : '-';
    console.log([s.kind.padEnd(34), String(s.samples).padStart(3), String(s.unknown).padStart(8), pct(s.median).padStart(10), pct(s.p90).padStart(10), pct(s.peerMedian).padStart(12), ratio.padStart(10), '  ' + (peerName[s.kind] ?? '')].join(' '));
  }
}

export function printSamples(samples: Sample[]): void {
  for (const s of samples) {
    const err = s.predicted === undefined ? 'unknown' : pct(relativeError(s.predicted, s.measured));
    console.log(`  ${s.kind.padEnd(26)} ${s.name.padEnd(58).slice(0, 58)} predicted ${String(s.predicted ?? '-').padStart(11)} measured ${String(s.measured).padStart(11)}  ${err}`);
  }
}
