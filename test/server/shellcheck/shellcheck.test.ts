import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { LintContext } from '../../../server/rules/lintContext';
import { findShellcheck } from '../../../server/shellcheck/findShellcheck';
import { runShellcheck } from '../../../server/shellcheck/runShellcheck';
import { shellcheckFindings, shellcheckScriptOf } from '../../../server/shellcheck/shellcheckFindings';
import { scriptKey, ShellcheckService } from '../../../server/shellcheck/shellcheckService';
import type { RunScript } from '../../../server/rules/shell/runScript';
import { applyEdits, textAt } from '../rules/lintText';

const binary = findShellcheck();

function contextOf(text: string): LintContext {
  const syntax = parseDockerfile(text);
  return new LintContext(syntax, planDockerfile(syntax));
}

async function findingsOf(text: string, index: number) {
  const ctx = contextOf(text);
  const script = ctx.runScript(index);
  assert.ok(script, 'a RUN script');
  const [comments] = await runShellcheck(binary as string, [shellcheckScriptOf(ctx, script)]);
  return shellcheckFindings(script, comments);
}

describe('shellcheck', function () {
  before(function () {
    // The machine setup installs Debian's shellcheck (scripts/apt-install.sh shellcheck).
    assert.ok(binary, 'shellcheck must be on PATH for these tests: bash scripts/apt-install.sh shellcheck');
  });

  it('is found on PATH, and is absent when LAYERLENS_SHELLCHECK is empty or PATH lacks it', () => {
    assert.ok(findShellcheck({ PATH: process.env.PATH }));
    assert.strictEqual(findShellcheck({ PATH: process.env.PATH, LAYERLENS_SHELLCHECK: '' }), undefined);
    assert.strictEqual(findShellcheck({ PATH: '/nonexistent' }), undefined);
  });

  it('checks many scripts in one run with positions relative to each script', async () => {
    const results = await runShellcheck(binary as string, [
      { dialect: 'sh', exported: [], text: 'echo $a\n' },
      { dialect: 'bash', exported: ['a'], text: 'true\necho "$a" $b\n' },
      { dialect: 'sh', exported: [], text: 'echo ok\n' },
    ]);
    assert.deepStrictEqual(results[0].map((c) => [c.code, c.line, c.column]).sort(), [[2086, 0, 5], [2154, 0, 5]]);
    assert.deepStrictEqual(results[1].filter((c) => c.code === 2154).map((c) => c.message), ['b is referenced but not assigned.']);
    assert.deepStrictEqual(results[2], []);
  });

  it('maps findings through continuation lines to exact Dockerfile ranges, with fixes', async () => {
    const text = 'FROM debian:12\nENV DIR=/opt\nRUN cd $DIR \\\n    && echo $DIR\n';
    const found = await findingsOf(text, 2);
    const sc2086 = found.filter((f) => f.code === 'SC2086');
    assert.deepStrictEqual(sc2086.map((f) => [f.range.start.line, textAt(text, f.range)]), [[2, '$DIR'], [3, '$DIR']]);
    assert.ok(!found.some((f) => f.code === 'SC2154'), 'ENV names are declared to shellcheck');
    assert.strictEqual(sc2086[1].href, 'https://www.shellcheck.net/wiki/SC2086');
    const fix = sc2086[1].fixes?.[0];
    assert.ok(fix);
    assert.strictEqual(applyEdits(text, fix.edits), 'FROM debian:12\nENV DIR=/opt\nRUN cd $DIR \\\n    && echo "$DIR"\n');
  });

  it('declares the ENV and ARG names a script mentions, so typing an ENV it does not use leaves its request as it was', async () => {
    // Shellcheck leaves upper-case names alone (SC2154 takes them for the environment's).
    const text = 'FROM debian:12\nARG VERSION=1\nENV app_home=/srv TYPED=h\nRUN echo "$VERSION" > "$app_home/v" && echo "$unset"\n';
    const ctx = contextOf(text);
    const request = shellcheckScriptOf(ctx, ctx.runScript(3) as RunScript);
    assert.deepStrictEqual(request.exported, ['VERSION', 'app_home']);
    const typed = contextOf(text.replace('TYPED=h', 'TYPED=hello OTHER=1'));
    assert.strictEqual(scriptKey(shellcheckScriptOf(typed, typed.runScript(3) as RunScript)), scriptKey(request));
    const found = await findingsOf(text, 3);
    assert.deepStrictEqual(found.filter((f) => f.code === 'SC2154').map((f) => textAt(text, f.range)), ['$unset']);
  });

  it('checks heredoc bodies line by line', async () => {
    const text = 'FROM debian:12\nRUN <<EOF\nset -e\n  for f in $(ls); do echo $f; done\nEOF\n';
    const found = await findingsOf(text, 1);
    const lsLoop = found.find((f) => f.code === 'SC2045');
    assert.ok(lsLoop, JSON.stringify(found.map((f) => f.code)));
    assert.strictEqual(textAt(text, lsLoop.range), '$(ls)');
    assert.strictEqual(lsLoop.range.start.line, 3);
  });

  it('caches per script, answers at once and reports when results arrive', async () => {
    const service = new ShellcheckService(binary ?? null);
    const script = { dialect: 'sh' as const, exported: [], text: `echo $x${Date.now()}\n` };
    const owners: string[] = [];
    service.onResults((owner) => owners.push(owner));
    assert.deepStrictEqual(service.request('doc', [script]), [undefined]);
    await service.idle();
    assert.deepStrictEqual(owners, ['doc']);
    const [cached] = service.request('doc', [script]);
    assert.ok(cached && cached.some((c) => c.code === 2086));
  });

  it('reports results to every owner that asked for a script while it was being checked for another', async () => {
    const service = new ShellcheckService(binary ?? null);
    const script = { dialect: 'sh' as const, exported: [], text: `echo $y${Date.now()}\n` };
    const owners: string[] = [];
    service.onResults((owner) => owners.push(owner));
    assert.deepStrictEqual(service.request('first', [script]), [undefined]);
    assert.deepStrictEqual(service.request('second', [script]), [undefined], 'in flight for the first');
    await service.idle();
    assert.deepStrictEqual(owners.sort(), ['first', 'second']);
    assert.ok(service.request('second', [script])[0]?.some((c) => c.code === 2086));
  });

  it('a service without shellcheck answers with nothing and never runs', () => {
    const service = new ShellcheckService(null);
    assert.strictEqual(service.available, false);
    assert.deepStrictEqual(service.request('doc', [{ dialect: 'sh', exported: [], text: 'echo $x' }]), [[]]);
  });

  it('caps the queue per document: scripts over the budget are not checked, an edited script is checked first', async () => {
    const service = new ShellcheckService(binary ?? null, 3);
    const stamp = Date.now();
    const scripts = Array.from({ length: 6 }, (_, i) => ({ dialect: 'sh' as const, exported: [], text: `echo $cap${stamp}x${i}\n` }));
    const first = service.request('capped', scripts);
    // The first three (document order) wait for shellcheck; the rest are answered empty at once.
    assert.deepStrictEqual(first.map((r) => r === undefined), [true, true, true, false, false, false]);
    assert.strictEqual(service.skippedCount('capped'), 3);
    await service.idle();
    const checked = service.request('capped', scripts);
    assert.ok(checked.slice(0, 3).every((r) => r !== undefined && r.some((c) => c.code === 2086)));
    assert.deepStrictEqual(checked.slice(3), [[], [], []]);
    // An edit to a script beyond the cap: new text, so it is queued (and checked) although the budget was spent.
    const edited = [...scripts.slice(0, 5), { dialect: 'sh' as const, exported: [], text: `echo $edited${stamp}\n` }];
    assert.strictEqual(service.request('capped', edited)[5], undefined);
    await service.idle();
    const after = service.request('capped', edited);
    assert.ok(after[5]?.some((c) => c.code === 2086));
    assert.deepStrictEqual(after.slice(3, 5), [[], []]);
  });

  it('answers a request in parts as one request, and a part answered from the cache (or left unchecked) with the same array again', async () => {
    const service = new ShellcheckService(binary ?? null, 3);
    const stamp = Date.now();
    const script = (name: string) => ({ dialect: 'sh' as const, exported: [], text: `echo $${name}${stamp}\n` });
    const a = [script('a0'), script('a1')];
    const b = [script('b0'), script('b1')];
    const c = [script('c0'), script('c1')];
    // The budget of three: a and the first of b wait for shellcheck, the second of b and c are not checked.
    assert.deepStrictEqual(service.requestParts('parts', [a, b, c]).map((r) => r.map((x) => x === undefined)), [[true, true], [true, false], [false, false]]);
    assert.strictEqual(service.skippedCount('parts'), 3);
    await service.idle();
    const answered = service.requestParts('parts', [a, b, c]);
    assert.ok(answered[0].every((r) => r?.some((x) => x.code === 2086)));
    assert.ok(answered[1][0]?.some((x) => x.code === 2086));
    assert.deepStrictEqual([answered[1][1], ...answered[2]], [[], [], []]);
    const again = service.requestParts('parts', [a, b, c]);
    assert.ok(again.every((r, k) => r === answered[k]), 'final answers are handed over as the same arrays');
    assert.strictEqual(service.skippedCount('parts'), 3);
    // A part edited (a new array): its unchanged unchecked script stays unchecked, its new script is checked first.
    const edited = [c[0], script('c2')];
    const afterEdit = service.requestParts('parts', [a, b, edited]);
    assert.deepStrictEqual(afterEdit[2][0], []);
    assert.strictEqual(afterEdit[2][1], undefined);
    assert.strictEqual(afterEdit[1], answered[1]);
    await service.idle();
    const checked = service.requestParts('parts', [a, b, edited]);
    assert.ok(checked[2][1]?.some((x) => x.code === 2086));
    // The same answers as one request of every script.
    assert.deepStrictEqual(checked.flat(), service.request('parts', [...a, ...b, ...edited]));
  });

  it('keeps results in use and drops those unused for a whole generation', async () => {
    const service = new ShellcheckService(binary ?? null, 100, 3);
    const stamp = Date.now();
    const script = (name: string) => ({ dialect: 'sh' as const, exported: [], text: `echo $${name}${stamp}\n` });
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(script);
    const checked = async (owner: string, scripts: { dialect: 'sh'; exported: never[]; text: string }[]) => {
      service.request(owner, scripts);
      await service.idle();
    };
    await checked('one', [a, b]);
    await checked('two', [c]); // a, b, c fill the young generation, which becomes the old one
    assert.ok(service.request('three', [a])[0], 'a is still cached, and moves to the young generation');
    // a, d, e fill the young generation again: b and c, unused for a whole generation, are dropped.
    await checked('four', [d, e]);
    const [againA, againB] = service.request('five', [a, b]);
    assert.ok(againA?.some((x) => x.code === 2086), 'a, used meanwhile, is kept');
    assert.strictEqual(againB, undefined, 'b, unused for a generation, was dropped and is checked again');
    await service.idle();
    assert.ok(service.request('six', [b])[0]?.some((x) => x.code === 2086));
  });
});
