// Property: the problems the language server publishes for each version of an editing session (its
// document models re-parsed and re-planned from the version before, its linter taking stage findings
// over from the last lint) are exactly those of a server that sees the version first; with versions
// never linted in between, and lints of the plan with and without predicted sizes.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { DocumentModels, type DocumentModel } from '../../../server/documentModels';
import type { PlanOptions } from '../../../server/plan';
import type { SizeReaders } from '../../../server/plan/size/sizeReaders';
import { DocumentLinter, type DocumentLint, type LinterSettings } from '../../../server/rules/documentLinter';
import { collectProblems, lintDocument, runRules, runRulesInTurns, upstreamFindings, type FinishedChecks, type LintProblem, type RuleRun } from '../../../server/rules/lintDocument';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile, type LayerPlan } from '../../../server/plan';
import { findShellcheck } from '../../../server/shellcheck/findShellcheck';
import { ShellcheckService } from '../../../server/shellcheck/shellcheckService';
import { describeVersions, editSessionArb, planInputsArb, versionsOf, writeDockerfile } from '../incrementalEdits';
import { TablePackages } from '../plan/size/tablePackages';
import { treeOf } from '../plan/size/treeOf';

const context = treeOf({ 'app.txt': 5, 'big.bin': 300_000, 'src/a.js': 1000, 'vendor.tar.gz': 4000 });
const readers: SizeReaders = {
  context: { tree: () => context, unavailableReason: () => '', archive: () => ({ state: 'not-archive' }) },
  images: { imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }) },
  packages: new TablePackages(new Map([['curl', 400_000], ['jq', 90_000]])),
};

/** Everything a problem shows, quick fixes included. */
const shown = (problems: readonly LintProblem[]) => JSON.parse(JSON.stringify(problems)) as unknown;

/** How a version is read before its lint: not at all (unsized plan), or its sizes first. */
type Reading = 'skip' | 'unsized' | 'sized';

function lintOf(models: DocumentModels, linter: DocumentLinter, document: TextDocument, settings: LinterSettings, reading: Reading): unknown {
  const model: DocumentModel = models.get(document);
  if (reading === 'sized') void model.plan;
  return shown(linter.lint(model, settings).problems);
}

const settingsArb: fc.Arbitrary<{ plan: PlanOptions; lint: LinterSettings }> = fc.record({
  buildArgs: fc.dictionary(fc.constantFrom('R', 'V', 'BASE', 'UNUSED'), fc.constantFrom('1', 'alpine:3.19', '')),
  severity: fc.constantFrom<Readonly<Record<string, string>>>({}, { DL3008: 'error', UndefinedVar: 'off' }, { JSONArgsRecommended: 'hint' }),
  target: fc.option(fc.constantFrom('build', '0', 'nope'), { nil: undefined }),
  inputs: planInputsArb,
}).map(({ buildArgs, severity, target, inputs }) => ({ plan: { buildArgs, target, ...inputs }, lint: { severity, buildArgs } }));

describe('published lint over editing sessions', () => {
  it('equals the lint of a server seeing each version first, after every version linted', function () {
    this.timeout(60000);
    fc.assert(fc.property(editSessionArb, settingsArb, fc.array(fc.constantFrom<Reading>('skip', 'skip', 'unsized', 'sized'), { minLength: 1, maxLength: 16 }), ({ spec, edits }, settings, readings) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      const uri = 'file:///w/Dockerfile';
      const models = new DocumentModels(() => settings.plan, () => readers);
      const linter = new DocumentLinter();
      let document = TextDocument.create(uri, 'dockerfile', 1, versions[0]);
      lintOf(models, linter, document, settings.lint, 'unsized');
      for (let i = 1; i < versions.length; i++) {
        document = TextDocument.update(document, [{ text: versions[i] }], i + 1);
        const reading = i === versions.length - 1 && readings[i % readings.length] === 'skip' ? 'unsized' : readings[i % readings.length];
        // Every version is parsed (the server parses on change); only some are linted.
        if (reading === 'skip') {
          models.get(document);
          continue;
        }
        const incremental = lintOf(models, linter, document, settings.lint, reading);
        const fresh = lintOf(new DocumentModels(() => settings.plan, () => readers), new DocumentLinter(), TextDocument.create(uri, 'dockerfile', i + 1, versions[i]), settings.lint, reading);
        assert.deepStrictEqual(incremental, fresh, `version ${i} (${reading}):\n  ${describeVersions(versions, i)}`);
      }
    }), { numRuns: 150 });
  });

  it('equals the lint of a server seeing each version first, shellcheck findings included, on the versions linted', async function () {
    this.timeout(60000);
    const binary = findShellcheck();
    assert.ok(binary, 'shellcheck must be on PATH for this test: bash scripts/apt-install.sh shellcheck');
    const service = new ShellcheckService(binary);
    /** A lint once shellcheck has answered every script. */
    const settled = async (linter: DocumentLinter, model: DocumentModel): Promise<DocumentLint> => {
      linter.lint(model, settings);
      await service.idle();
      const lint = linter.lint(model, settings);
      assert.strictEqual(lint.shellcheckPending, false);
      return lint;
    };
    const settings: LinterSettings = { severity: { SC2086: 'hint' }, buildArgs: {} };
    let session = 0;
    let checked = 0;
    // A few versions per session are linted (each waits for shellcheck): some settled and compared,
    // some linted while the one before is still being checked.
    await fc.assert(fc.asyncProperty(editSessionArb, fc.array(fc.constantFrom('settle', 'lint', 'skip'), { minLength: 1, maxLength: 6 }), async ({ spec, edits }, plan) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      const uri = `file:///tmp/h6-lint-properties/${++session}/Dockerfile`;
      const models = new DocumentModels();
      const linter = new DocumentLinter({ shellcheck: service });
      let document = TextDocument.create(uri, 'dockerfile', 1, versions[0]);
      await settled(linter, models.get(document));
      const picked = new Set(plan.map((_, k) => Math.floor(((k + 1) * (versions.length - 1)) / plan.length)));
      for (let i = 1; i < versions.length; i++) {
        document = TextDocument.update(document, [{ text: versions[i] }], i + 1);
        const model = models.get(document);
        const what = picked.has(i) ? plan[[...picked].indexOf(i)] : 'skip';
        if (what === 'lint') linter.lint(model, settings);
        if (what !== 'settle' && i < versions.length - 1) continue;
        const incremental = shown((await settled(linter, model)).problems);
        const freshLint = await settled(new DocumentLinter({ shellcheck: service }), new DocumentModels().get(TextDocument.create(`${uri}.fresh`, 'dockerfile', 1, versions[i])));
        if (freshLint.problems.some((p) => p.source === 'shellcheck')) checked++;
        const fresh = shown(freshLint.problems);
        assert.deepStrictEqual(incremental, fresh, `version ${i}:\n  ${describeVersions(versions, i)}`);
      }
    }), { numRuns: 40 });
    assert.ok(checked > 5, `versions compared with shellcheck findings: ${checked}`);
  });

  it('equals a lint from scratch after runs given up for a newer version left their finished stage checks', async function () {
    this.timeout(60000);
    /** A `current` that says the input is stale after `turns` turns. */
    const staleAfter = (turns: number) => () => --turns > 0;
    let givenUp = 0;
    let takenOver = 0;
    await fc.assert(fc.asyncProperty(editSessionArb, fc.array(fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), { minLength: 1, maxLength: 12 }), async ({ spec, edits }, turns) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      let syntax: DockerfileSyntax = parseDockerfile(versions[0]);
      let plan: LayerPlan = planDockerfile(syntax);
      let previous: RuleRun = runRules({ syntax, plan });
      // What the runs given up since the last finished run finished (the document linter keeps it so).
      let finished: FinishedChecks = new Map();
      for (let i = 1; i < versions.length; i++) {
        syntax = parseDockerfile(versions[i], { previous: { text: versions[i - 1], syntax } });
        plan = planDockerfile(syntax, { previous: plan });
        const input = { syntax, plan };
        const stale = i < versions.length - 1 ? turns[i % turns.length] : undefined;
        // A turn at every step; the run is given up after `stale` turns (a newer version came).
        const run = stale === undefined ? runRules(input, {}, {}, undefined, previous, undefined, finished) : await runRulesInTurns(input, {}, {}, staleAfter(stale), undefined, previous, undefined, 0, finished);
        if (!run) {
          givenUp++;
          continue;
        }
        if (finished.size > 0) takenOver++;
        const fresh = lintDocument({ syntax: parseDockerfile(versions[i]), plan: planDockerfile(parseDockerfile(versions[i])) });
        assert.deepStrictEqual(shown(collectProblems(run, upstreamFindings(input))), shown(fresh), `version ${i}:\n  ${describeVersions(versions, i)}`);
        previous = run;
        finished = new Map();
      }
    }), { numRuns: 120 });
    assert.ok(givenUp > 50 && takenOver > 10, `runs given up: ${givenUp}, finished runs with stage checks of given-up ones: ${takenOver}`);
  });

  it('in the document linter, lints in turns given up for a newer version leave what a later lint equals a fresh lint with', async function () {
    this.timeout(60000);
    // Edits in a small file in front of a longer one (2,000 lines: even a fast lint takes several
    // turns), so it can be given up.
    const tail = generatedDockerfile(2000);
    const settings: LinterSettings = { severity: {}, buildArgs: {} };
    let givenUp = 0;
    let session = 0;
    await fc.assert(fc.asyncProperty(editSessionArb, fc.array(fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), { minLength: 1, maxLength: 5 }), fc.boolean(), async ({ spec, edits }, plan, warm) => {
      const versions = versionsOf(writeDockerfile(spec), edits).map((v) => v + tail);
      const uri = `file:///tmp/h6-turns/${++session}/Dockerfile`;
      const models = new DocumentModels();
      const linter = new DocumentLinter();
      let document = TextDocument.create(uri, 'dockerfile', 1, versions[0]);
      // Warm: the first version was linted (a lint after an edit takes most stages over, in few turns);
      // cold: the first lint of the document checks every stage, over many turns.
      if (warm) await linter.lintInTurns(models.get(document), settings, () => true);
      const picked = [...new Set(plan.map((_, k) => Math.floor(((k + 1) * (versions.length - 1)) / plan.length)))];
      for (let i = 1; i < versions.length; i++) {
        document = TextDocument.update(document, [{ text: versions[i] }], i + 1);
        const model = models.get(document);
        const k = picked.indexOf(i);
        if (k < 0) continue;
        const turns = plan[k];
        if (turns !== undefined && i < versions.length - 1) {
          // A newer version arrives after `turns` turns of this lint.
          let left = turns;
          if ((await linter.lintInTurns(model, settings, () => --left > 0)) === undefined) givenUp++;
          continue;
        }
        const lint = await linter.lintInTurns(model, settings, () => true);
        assert.ok(lint);
        const fresh = new DocumentLinter().lint(new DocumentModels().get(TextDocument.create(`${uri}.fresh`, 'dockerfile', 1, versions[i])), settings);
        assert.deepStrictEqual(shown(lint.problems), shown(fresh.problems), `version ${i}:\n  ${describeVersions(versions, i)}`);
      }
    }), { numRuns: 15 });
    assert.ok(givenUp > 2, `lints given up: ${givenUp}`);
  });
});
