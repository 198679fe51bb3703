// Human-readable sizes in the units `docker images` uses (decimal: kB, MB, GB).
import type { StepSizes } from '../types';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `41.2 MB`, `512 B`: three significant digits, decimal units. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  // Move up while the value would print as 1000 or more (999.9 kB prints as 1 MB).
  while (Math.abs(Number(value.toFixed(digitsFor(value, unit)))) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = value.toFixed(digitsFor(value, unit));
  // Drop zeros after the decimal point only (`1.50` -> `1.5`, `2.00` -> `2`; `100` stays).
  return `${text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text} ${UNITS[unit]}`;
}

/** Three significant digits; whole bytes. */
function digitsFor(value: number, unit: number): number {
  if (unit === 0) return 0;
  return Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
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
