// A deterministic synthetic `Packages` file with what real indexes have (several versions and
// architectures, versioned and alternative dependencies, virtual packages, Essential/required,
// multi-line fields, a description), and a set of installs to resolve in it.

/** Park-Miller: the same numbers on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

export function syntheticPackagesFile(count: number, seed = 7): string {
  const next = random(seed);
  const pick = (n: number): number => Math.floor(next() * n);
  const dep = (): string => {
    const alt = (): string => {
      const r = pick(10);
      const name = r < 2 ? `virtual${pick(30)}` : `pkg${pick(count)}`;
      const version = r === 3 ? ` (>= ${pick(5)}.${pick(9)})` : r === 4 ? ` (<< ${pick(9)})` : r === 5 ? ':any' : '';
      return name + version;
    };
    return pick(4) === 0 ? `${alt()} | ${alt()}` : alt();
  };
  const deps = (n: number): string => Array.from({ length: n }, dep).join(', ');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `pkg${i % Math.floor(count * 0.9)}`;
    const lines = [`Package: ${name}`, `Version: ${1 + pick(4)}:${pick(9)}.${pick(20)}-${pick(3)}`, `Architecture: ${['amd64', 'all', 'arm64'][pick(3)]}`];
    if (pick(4) === 0) lines.push('Multi-Arch: foreign', 'Source: src' + pick(100));
    lines.push(`Installed-Size: ${pick(20000)}`, `Size: ${pick(5_000_000)}`);
    const n = pick(5);
    if (n > 0) lines.push(pick(6) === 0 ? `Depends: ${deps(n)},\n ${deps(1)}` : `Depends: ${deps(n)}`);
    if (pick(6) === 0) lines.push(`Pre-Depends: ${deps(1)}`);
    if (pick(3) === 0) lines.push(`Recommends: ${deps(1 + pick(2))}`);
    if (pick(8) === 0) lines.push(`Provides: virtual${pick(30)}, virtual${pick(30)} (= 1.0)`);
    if (i % 97 === 0) lines.push('Essential: yes', 'Priority: required');
    else lines.push(`Priority: ${['optional', 'important', 'standard', 'extra'][pick(4)]}`);
    lines.push(`Description: package ${i}`, ' with a long description', ' .', ' in several lines');
    out.push(lines.join('\n'));
  }
  return out.join('\n\n') + '\n';
}

/** Installs resolved in the synthetic index (with and without Recommends). */
export const SYNTHETIC_INSTALLS: string[][] = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? [`pkg${i * 37}`, `virtual${i % 30}`] : i % 7 === 0 ? [`pkg${i}=1.0`, 'missing-package'] : [`pkg${i * 53}`]));
