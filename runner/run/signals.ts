// Signal names and numbers (Linux), as `kill -s`, `stop` and an image's StopSignal spell them.
import * as os from 'os';

const byName = os.constants.signals as Record<string, number>;

/** TERM, SIGTERM, 15 -> 15; undefined when unknown. */
export function signalNumber(text: string): number | undefined {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= 64 ? n : undefined;
  }
  const name = t.startsWith('SIG') ? t : `SIG${t}`;
  return byName[name];
}

export function signalName(n: number): string {
  return Object.keys(byName).find((k) => byName[k] === n) ?? `signal ${n}`;
}
