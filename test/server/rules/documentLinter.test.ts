// The document linter after an edit (stage parts of the lint before taken over: RUN scripts,
// shellcheck requests and their findings) shows exactly what a linter that never saw the document shows.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import type { DocumentModel } from '../../../server/documentModels';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { DocumentLinter, type DocumentLint } from '../../../server/rules/documentLinter';
import type { LintProblem } from '../../../server/rules/lintDocument';
import { madeRunScript, type RunScript } from '../../../server/rules/shell/runScript';
import { findShellcheck } from '../../../server/shellcheck/findShellcheck';
import type { ShellcheckScript } from '../../../server/shellcheck/runShellcheck';
import { ShellcheckService } from '../../../server/shellcheck/shellcheckService';
import { mutate, realisticDockerfile } from '../parser/dockerfileGenerator';

const settings = { severity: { DL3008: 'error', SC2086: 'hint' }, buildArgs: {} };

/** The parts of every request, in order (to see which were handed over). */
class RecordingService extends ShellcheckService {
  readonly asked: (readonly (readonly ShellcheckScript[])[])[] = [];

  override requestParts(owner: string, parts: readonly (readonly ShellcheckScript[])[]) {
    this.asked.push(parts);
    return super.requestParts(owner, parts);
  }
}

function modelOf(uri: string, text: string, before?: DocumentModel): DocumentModel {
  const syntax = parseDockerfile(text, before && { previous: { text: before.text, syntax: before.syntax } });
  const plan = planDockerfile(syntax, before && { previous: before.plan });
  return { uri, version: 1, text, syntax, plan };
}

/** Everything a problem shows, quick fixes included. */
const shown = (problems: readonly LintProblem[]) => JSON.stringify(problems.map((p) => ({ ...p, fixes: p.fixes })));

/** A lint once shellcheck has answered every script. */
async function settled(linter: DocumentLinter, service: ShellcheckService, model: DocumentModel): Promise<DocumentLint> {
  linter.lint(model, settings);
  await service.idle();
  const lint = linter.lint(model, settings);
  assert.strictEqual(lint.shellcheckPending, false);
  return lint;
}

describe('document linter: a lint after an edit', function () {
  const binary = findShellcheck();
  before(function () {
    assert.ok(binary, 'shellcheck must be on PATH for these tests: bash scripts/apt-install.sh shellcheck');
  });

  it('equals a lint from scratch on mutated realistic files, editing and editing back (shellcheck findings included)', async () => {
    const service = new ShellcheckService(binary ?? null);
    for (let seed = 1; seed <= 12; seed++) {
      // Go builds with unquoted flags: shellcheck has something to say in most stages.
      let flags = 0;
      const text = realisticDockerfile(6000, seed).replace(/go build -o/g, () => `go build $FLAGS${++flags} -o`);
      const mutated = mutate(text, seed, 1 + (seed % 3));
      const linter = new DocumentLinter({ shellcheck: service });
      const uri = `file:///tmp/document-linter/${seed}/Dockerfile`;
      const v1 = modelOf(uri, text);
      const first = await settled(linter, service, v1);
      const v2 = modelOf(uri, mutated, v1);
      const fresh = await settled(new DocumentLinter({ shellcheck: service }), service, modelOf(`${uri}.fresh`, mutated));
      assert.ok(fresh.problems.some((p) => p.source === 'shellcheck'), `seed ${seed}: shellcheck findings`);
      assert.strictEqual(shown((await settled(linter, service, v2)).problems), shown(fresh.problems), `seed ${seed}`);
      const v3 = modelOf(uri, text, v2);
      assert.strictEqual(shown((await settled(linter, service, v3)).problems), shown(first.problems), `seed ${seed}, edited back`);
    }
  });

  it("hands the unchanged stages' shellcheck requests over, and equals a lint from scratch", async () => {
    const text = generatedDockerfile(3000);
    const lines = text.split('\n');
    const at = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('RUN echo'));
    const edited = lines.map((l, i) => (i === at ? l.replace('echo', 'echo $UNQUOTED') : l)).join('\n');
    const service = new RecordingService(binary ?? null);
    const linter = new DocumentLinter({ shellcheck: service });
    const uri = 'file:///tmp/document-linter/generated/Dockerfile';
    const v1 = modelOf(uri, text);
    await settled(linter, service, v1);
    const before = service.asked[service.asked.length - 1];
    const v2 = modelOf(uri, edited, v1);
    const lint = await settled(linter, service, v2);
    const after = service.asked[service.asked.length - 1];
    assert.strictEqual(after.length, before.length);
    const changed = after.filter((part, k) => part !== before[k]);
    assert.strictEqual(changed.length, 1, 'only the edited stage asks anew');
    assert.ok(changed[0].some((s) => s.text.includes('$UNQUOTED')));
    const fresh = await settled(new DocumentLinter({ shellcheck: service }), service, modelOf(`${uri}.fresh`, edited));
    assert.ok(lint.problems.some((p) => p.code === 'SC2086' && p.range.start.line === at));
    assert.strictEqual(shown(lint.problems), shown(fresh.problems));
  });

  it("hands the shellcheck requests of stages moved by a line break over, with their findings moved, and equals a lint from scratch", async () => {
    const lines = generatedDockerfile(3000).split('\n');
    // Findings in the last stages (below the line break), and the line break in the second stage.
    const unquoted = lines.findIndex((l, i) => i > lines.length * 0.8 && l.startsWith('RUN echo'));
    lines[unquoted] = lines[unquoted].replace('echo', 'echo $UNQUOTED');
    const text = lines.join('\n');
    const at = lines.findIndex((l, i) => i > lines.length * 0.3 && l.startsWith('COPY src/'));
    const service = new RecordingService(binary ?? null);
    const linter = new DocumentLinter({ shellcheck: service });
    const uri = 'file:///tmp/document-linter/moved/Dockerfile';
    const v1 = modelOf(uri, text);
    const originals = thirdStageScripts(await settled(linter, service, v1));
    assert.ok(originals.length > 100);
    const before = service.asked[service.asked.length - 1];
    let version = v1;
    for (const edited of [[...lines.slice(0, at), '', ...lines.slice(at)].join('\n'), [...lines.slice(0, at), 'RUN  true', '# note', ...lines.slice(at)].join('\n'), text]) {
      version = modelOf(uri, edited, version);
      const lint = await settled(linter, service, version);
      const after = service.asked[service.asked.length - 1];
      assert.strictEqual(after.length, before.length);
      assert.ok(after.filter((part, k) => part !== before[k]).length <= 1, 'only the stage typed into asks anew');
      const fresh = await settled(new DocumentLinter({ shellcheck: service }), service, modelOf(`${uri}.fresh`, edited));
      assert.ok(fresh.problems.some((p) => p.code === 'SC2086' && p.range.start.line >= unquoted), 'shellcheck findings below the edit');
      assert.strictEqual(shown(lint.problems), shown(fresh.problems));
      // The third stage's RUN scripts are the first version's, moved (their instructions' parts are not built again).
      const scripts = thirdStageScripts(lint);
      assert.strictEqual(scripts.length, originals.length);
      assert.ok(scripts.every((s, k) => madeRunScript(s) === originals[k]), 'the RUN scripts of the third stage are taken over');
    }
  });
});

/** The scripts of the RUNs of the third stage (below the line break; it reads nothing of the second), in order. */
function thirdStageScripts(lint: DocumentLint): RunScript[] {
  const context = lint.run.context;
  return context.stages[2].body.flatMap((i) => context.runScript(i) ?? []);
}
