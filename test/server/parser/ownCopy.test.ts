import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { ownCopy } from '../../../server/parser/ownCopy';
import { garbageCollector } from '../../../server/idleCollection';


const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('re-parsed nodes own their strings', () => {
  it('copies equal what they copy, short or long', () => {
    const text = `RUN ${'x'.repeat(100)}\n# a comment that is long enough\n`;
    for (const [a, b] of [[0, 3], [0, 20], [4, 104], [105, 137]]) assert.strictEqual(ownCopy(text.slice(a, b)), text.slice(a, b));
  });

  it('keeps no earlier version of a large document alive through the instructions, comments and heredocs it re-parsed', async function () {
    this.timeout(60000);
    const gc = garbageCollector();
    const lines: string[] = [];
    for (let i = 0; i < 12000; i++) {
      if (i % 3 === 0) lines.push(`# comment number ${i} about the step below it`);
      else if (i % 3 === 1) lines.push(`RUN echo "step ${i} with some words to make the line long" && \\\n    test -n "${i}"`);
      else lines.push(`COPY <<EOF /etc/file${i}\nbody line of heredoc ${i}\nEOF`);
    }
    let text = lines.join('\n');
    let syntax = parseDockerfile(text);
    const edit = async (k: number) => {
      const at = (k * 7919) % lines.length;
      lines[at] = k % 2 ? `${lines[at]} ` : lines[at].trimEnd();
      const next = lines.join('\n');
      syntax = parseDockerfile(next, { previous: { text, syntax } });
      text = next;
      await turn();
    };
    for (let k = 1; k <= 5; k++) await edit(k);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 6; k <= 45; k++) await edit(k);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // Each kept version is the whole text (~1 MB): 40 edits kept ~20-30 MiB of them before.
    assert.ok(grown < 6 * 1048576, `heap grew ${(grown / 1048576).toFixed(1)} MiB over 40 edits of a ${(text.length / 1048576).toFixed(1)} MB document`);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(syntax)), JSON.parse(JSON.stringify(parseDockerfile(text))));
  });
});
