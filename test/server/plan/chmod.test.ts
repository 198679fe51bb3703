// COPY/ADD --chmod in the plan: octal up to 07777 and chmod(1)'s symbolic form (BuildKit accepts it
// since dockerfile 1.14) are planned as written; anything else is a located error.
import * as assert from 'assert';
import { codes, plan, stepsOf } from './helpers';

describe('plan: COPY --chmod', () => {
  it('accepts octal and symbolic modes and keeps them in the details and the cache key', () => {
    for (const mode of ['0755', '640', '7777', 'u+x', 'u+x,go-w', 'a=rX', 'go=u', '+x', 'u=rwx,g=rx,o=', 'ug+s,+t', 'a-w,u+w']) {
      const p = plan(`FROM a\nCOPY --chmod=${mode} f /f\nADD --chmod=${mode} g /g\n`);
      assert.deepStrictEqual(codes(p), [], `--chmod=${mode}`);
      for (const step of [...stepsOf(p, 'COPY'), ...stepsOf(p, 'ADD')]) {
        const d = step.details;
        assert.ok(d.kind === 'copy' || d.kind === 'add');
        assert.strictEqual(d.chmod, mode);
        assert.strictEqual(step.cacheKeyInputs.options?.chmod, mode);
      }
    }
  });

  it('gives different cache keys to different symbolic modes', () => {
    const key = (mode: string) => stepsOf(plan(`FROM a\nCOPY --chmod=${mode} f /f\n`), 'COPY')[0].cacheKey;
    assert.notStrictEqual(key('u+x'), key('u-x'));
    assert.notStrictEqual(key('u+x'), key('0755'));
  });

  it('expands variables before checking', () => {
    const ok = plan('FROM a\nARG M=u+x,g-w\nCOPY --chmod=$M f /f\n');
    assert.deepStrictEqual(codes(ok), []);
    const d = stepsOf(ok, 'COPY')[0].details;
    assert.strictEqual(d.kind === 'copy' ? d.chmod : undefined, 'u+x,g-w');
    const bad = plan('FROM a\nARG M=u+q\nCOPY --chmod=$M f /f\n');
    assert.deepStrictEqual(codes(bad), ['invalid-chmod']);
    assert.strictEqual(bad.problems[0].range.start.line, 2);
  });

  it('reports garbage at the bad clause, saying what was expected', () => {
    const p = plan('FROM a\nCOPY --chmod=u+x,gq-w f /f\n');
    assert.deepStrictEqual(codes(p), ['invalid-chmod']);
    const [problem] = p.problems;
    assert.strictEqual(problem.severity, 'error');
    assert.match(problem.message, /'gq-w' is not a symbolic mode; expected an octal mode \(0 to 07777\) or clauses like u\+x,g-w or a=rX/);
    const col = 'COPY --chmod=u+x,'.length;
    assert.deepStrictEqual(problem.range, { start: { line: 1, character: col }, end: { line: 1, character: col + 4 } });
  });

  it('refuses octal modes above 07777, non-octal digits, empty clauses and missing operators', () => {
    for (const mode of ['17777', '8', '999', 'u+x,', 'ux', 'u+y', 'r', '-0755']) {
      const p = plan(`FROM a\nCOPY --chmod=${mode} f /f\n`);
      assert.deepStrictEqual(codes(p), ['invalid-chmod'], `--chmod=${mode}`);
      assert.strictEqual(p.problems[0].range.start.line, 1);
    }
    assert.match(plan('FROM a\nCOPY --chmod=17777 f /f\n').problems[0].message, /an octal mode must be between 0 and 07777/);
    assert.match(plan('FROM a\nCOPY --chmod=u+x, f /f\n').problems[0].message, /an empty clause/);
  });
});
