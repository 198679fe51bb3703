/** Human units for sizes, as `docker images` prints them (decimal, three significant digits). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return unit === 0 ? `${value} B` : `${value.toPrecision(3)} ${units[unit]}`;
}
