import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { printfOutput } from '../../../../server/plan/size/printfOutput';

/** Formats and arguments as Dockerfiles write files with them. */
const CASES: string[][] = [
  ['[global]\\nindex-url = %s\\ntrusted-host = %s\\n', 'https://pypi.example/simple', 'pypi.example'],
  ['%s=%s\\n', 'a', '1', 'b', '2', 'c'],
  ['%-6s|%6s|%03d|%-4d|%i|%%|%c\\n', 'ab', 'cd', '7', '-3', '+12', 'xyz'],
  ['%05d %.2s %5.1s\\n', '-42', 'abcdef', 'xyz'],
  ['no conversions\\t\\"quoted\\" \\\\ \\101\\n', 'ignored'],
  ['%b|%b\\n', 'tab\\there\\0101', 'plain'],
  ['%s and %s\\n', 'only one'],
  ['%d\\n'],
];

describe('plan/size: what printf prints', () => {
  it('matches the system printf for the conversions it models', () => {
    for (const [format, ...args] of CASES) {
      const real = execFileSync('printf', [format, ...args]).toString('latin1');
      assert.strictEqual(printfOutput(format, args), real, JSON.stringify([format, ...args]));
    }
  });
  it('does not guess the conversions and flags it does not model', () => {
    for (const [format, ...args] of [['%x\\n', '255'], ['%5.2f\\n', '3.14159'], ['%+d\\n', '5'], ['%d\\n', 'abc'], ['%#o\\n', '8']]) {
      assert.strictEqual(printfOutput(format, args), undefined, format);
    }
  });
});
