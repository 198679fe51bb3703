// Go's time.ParseDuration, for HEALTHCHECK --interval/--timeout/--start-period/--start-interval.

const unitNanos: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Nanoseconds, or undefined when Go would refuse the text. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const part = /^([0-9]*)(\.[0-9]*)?([^0-9.]+)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === '.'))) return undefined;
    const unit = /^(ns|us|µs|μs|ms|s|m|h)/.exec(m[3]);
    if (!unit) return undefined;
    total += Number((m[1] || '0') + (m[2] ?? '')) * unitNanos[unit[1]];
    s = s.slice(m[1].length + (m[2]?.length ?? 0) + unit[1].length);
  }
  return sign * total;
}
