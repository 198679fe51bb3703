import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';

const plan = (text: string) => planDockerfile(parseDockerfile(text));

describe('plan: variables named like Object.prototype members are ordinary variables', () => {
  it('unset names such as constructor, toString and hasOwnProperty expand as unset, without errors', () => {
    const p = plan('FROM scratch\nARG hasOwnProperty\nLABEL a=${constructor:-unset} b=${toString}x c=${hasOwnProperty:-none}\nWORKDIR /${valueOf}\n');
    const steps = p.stages[0].steps;
    assert.deepStrictEqual(steps[2].details, { kind: 'label', pairs: [{ key: 'a', value: 'unset' }, { key: 'b', value: 'x' }, { key: 'c', value: 'none' }] });
    assert.strictEqual(steps[3].display, 'WORKDIR /');
    assert.deepStrictEqual(p.problems, []);
  });

  it('ENV and ARG named __proto__ are kept, expanded and part of the cache key, also after many variables', () => {
    const many = Array.from({ length: 40 }, (_, i) => `ENV V${i}=${i}`).join('\n');
    const text = (value: string) => `FROM scratch\nENV __proto__=${value}\nARG toString=t\n${many}\nLABEL d=\${__proto__}-\${toString}\nRUN echo hi\n`;
    const p = plan(text('p'));
    const steps = p.stages[0].steps;
    const label = steps[steps.length - 2];
    assert.deepStrictEqual(label.details, { kind: 'label', pairs: [{ key: 'd', value: 'p-t' }] });
    const run = steps[steps.length - 1];
    assert.ok(Object.prototype.hasOwnProperty.call(run.env, '__proto__'), 'an own key of the env record');
    assert.strictEqual(run.env.__proto__, 'p');
    assert.deepStrictEqual(Object.keys(JSON.parse(JSON.stringify(run.env))).slice(0, 2), ['PATH', '__proto__']);
    const other = plan(text('q')).stages[0].steps;
    assert.notStrictEqual(other[other.length - 1].cacheKey, run.cacheKey, 'the value reaches the RUN cache key');
  });
});
