import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { predictLayerSizes } from '../../../server/plan/size';
import { runRules } from '../../../server/rules/lintDocument';
import { sizeFindingsAsExternal } from '../../../server/rules/sizeFindings';

function sized(text: string) {
  const syntax = parseDockerfile(text);
  const plan = planDockerfile(syntax);
  const run = runRules({ syntax, plan });
  return sizeFindingsAsExternal(syntax, plan, predictLayerSizes(plan, {}).findings, run.findings);
}

describe('rules: size prediction findings', () => {
  it('shows copy-ups under FileCopiedUp at the instruction', () => {
    const found = sized('FROM scratch\nCOPY <<EOF /a.sh\necho\nEOF\nRUN chmod +x /a.sh\n');
    const copyUp = found.find((f) => f.code === 'FileCopiedUp');
    assert.ok(copyUp, JSON.stringify(found));
    assert.strictEqual(copyUp.range.start.line, 4);
    assert.match(copyUp.message, /copies 1 files of earlier layers/);
  });
  it('does not repeat wasted space the FileDeletedInLaterLayer rule already reports', () => {
    const text = 'FROM scratch\nCOPY <<EOF /big.txt\n' + 'x'.repeat(5000) + '\nEOF\nRUN rm /big.txt\n';
    assert.deepStrictEqual(sized(text).filter((f) => f.code === 'FileDeletedInLaterLayer'), []);
  });
});
