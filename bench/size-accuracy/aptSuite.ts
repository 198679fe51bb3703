// placeholder replaced below
export async function runAptSuite(_work: string, _which: { apt: boolean; download: boolean }, _log: (line: string) => void): Promise<import('./stats').Sample[]> {
  return [];
}
