// Human-readable sizes in the units `docker images` uses (decimal: kB, MB, GB).
import type { StepSizes } from '../types';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `41.2 MB`, `512 B`: three significant digits, decimal units. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits).replace(/\.?0+$/, '')} ${UNITS[unit]}`;
}

/**
 * One line for hover, code lens and `layerlens plan`: `predicted 41 MB, measured 48 MB`,
 * `~41 MB (medium confidence)`, `48 MB (measured)`, or `size unknown: <reason>`.
 */
export function describeStepSize(sizes: StepSizes): string {
  const { predictedBytes, measuredBytes, confidence, basis } = sizes;
  if (measuredBytes !== undefined) {
    if (predictedBytes === undefined || formatBytes(predictedBytes) === formatBytes(measuredBytes)) return `${formatBytes(measuredBytes)} (measured)`;
    return `predicted ${formatBytes(predictedBytes)}, measured ${formatBytes(measuredBytes)}`;
  }
  if (predictedBytes === undefined) return `size unknown${basis ? `: ${basis}` : ''}`;
  if (confidence === 'exact' || confidence === 'high') return formatBytes(predictedBytes);
  return `~${formatBytes(predictedBytes)} (${confidence ?? 'low'} confidence)`;
}
