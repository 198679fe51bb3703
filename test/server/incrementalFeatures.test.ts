// Property: after an editing session sent as incremental `didChange` notifications (ranged content
// changes, as VS Code sends them), every feature of the real server over stdio answers for the
// edited document exactly what it answers for the same text opened fresh: published diagnostics,
// hover, completion, symbols, folding, semantic tokens, code lenses, inlay hints, links,
// highlights, definition, references, formatting, code actions and the layer plan. Both are
// compared once the server has nothing left to do for them (`layerlens/settled`).
// Runs: INCREMENTAL_FEATURES_RUNS (default 16) and INCREMENTAL_FEATURES_LARGE_RUNS (default 2).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-protocol';
import { settledMethod, type SettledResult } from '../../server/features/settledRequest';
import { layerPlanMethod } from '../../server/protocol';
import { describeVersions, editSessionArb, rangedChanges, versionsOf, writeDockerfile, type Edit } from './incrementalEdits';
import { LspClient } from './lspClient';

const RUNS = Number(process.env.INCREMENTAL_FEATURES_RUNS ?? 16);
const LARGE_RUNS = Number(process.env.INCREMENTAL_FEATURES_LARGE_RUNS ?? 2);
/** INCREMENTAL_FEATURES_SEED replays a failing run (the seed fast-check printed). */
const SEED = process.env.INCREMENTAL_FEATURES_SEED ? { seed: Number(process.env.INCREMENTAL_FEATURES_SEED) } : {};

/**
 * A stage of 3,100 instructions after the session's text, so the server treats the document as
 * large (planned, linted and sized in turns; requests do not wait for sizes). Its 206 RUN scripts
 * (files written, then deleted in later layers) stay well under shellcheck's budget of 1,000 per
 * document: past it, which scripts are checked follows the order they were asked for, so an edited
 * and a fresh document would rightly differ; and they keep its background work within SETTLE_MS.
 * `ARG R` makes edits of the global R reach into it.
 */
const LARGE_TAIL = ['FROM alpine:3.20 AS tail', 'ARG R', ...Array.from({ length: 3100 }, (_, i) => {
  if (i % 30 === 29) return `RUN echo "$R" > /t/r${i}`;
  if (i % 30 === 14) return `RUN rm -f /t/r${i - 15} /t/${i - 12}`;
  return [`ENV T${i}=$R-${i}`, `LABEL t${i}="${i}"`, `COPY app.txt /t/${i}`, `WORKDIR /w${i % 7}`, `EXPOSE ${1000 + i}`, `USER ${i % 3}`][i % 6];
})].join('\n') + '\n';

/** Progress on stderr when INCREMENTAL_FEATURES_TRACE is set (where the time goes). */
const trace = process.env.INCREMENTAL_FEATURES_TRACE ? (what: string) => process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${what}\n`) : () => undefined;

/** Longer than any background work of these small files takes (shellcheck, lookups failing). */
const SETTLE_MS = 10000;

/** Longer than a registry tag lookup may take (completion's timeout: 3 s). */
const TAGS_MS = 4000;

/** What is done with the edited document after a version is sent (before the next one). */
type Pace = 'send' | 'ask' | 'published' | 'settle' | 'configure' | 'reopen';

/**
 * Settings a session may switch to mid-way (`configure`): build args and target (plans), rule
 * severities (diagnostics), no size prediction, reflowed continuations (formatting). Each session
 * starts with the defaults.
 */
const SETTINGS: readonly unknown[] = [
  {},
  { build: { args: { R: '3', BASE: 'alpine:3.19', V: '' }, target: 'build' } },
  { diagnostics: { severity: { SC2086: 'off', DL3008: 'error', JSONArgsRecommended: 'hint', UndefinedVar: 'off' } } },
  { sizePrediction: { enabled: false } },
  { formatting: { reflowContinuations: true }, build: { args: { HOME: '/h' }, target: '0' } },
];

/** Positions worth asking about: instruction keywords, variables, stage names, flags, line ends. */
function interestingPositions(document: TextDocument): Position[] {
  const text = document.getText();
  const offsets: number[] = [];
  for (const m of text.matchAll(/^[ \t]*([A-Za-z]+)/gm)) offsets.push((m.index ?? 0) + m[0].length - 1);
  for (const m of text.matchAll(/\$\{?([A-Za-z_]+)/g)) offsets.push((m.index ?? 0) + m[0].length - 1);
  for (const m of text.matchAll(/(?:\b[Aa][Ss][ \t]+|from=)([A-Za-z0-9_.-]+)/g)) offsets.push((m.index ?? 0) + m[0].length - 1);
  for (const m of text.matchAll(/--[a-z]/g)) offsets.push((m.index ?? 0) + 3);
  for (const m of text.matchAll(/\r?\n/g)) offsets.push(m.index ?? 0);
  return offsets.sort((a, b) => a - b).map((o) => document.positionAt(o));
}

/** Requests whose answers are compared, with their params for a document. */
function requestsFor(uri: string, document: TextDocument, picks: readonly number[], diagnostics: readonly Diagnostic[]): [string, string, unknown][] {
  const textDocument = { uri };
  const positions = interestingPositions(document);
  const whole = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
  const out: [string, string, unknown][] = [
    ['documentSymbol', 'textDocument/documentSymbol', { textDocument }],
    ['foldingRange', 'textDocument/foldingRange', { textDocument }],
    ['semanticTokens', 'textDocument/semanticTokens/full', { textDocument }],
    ['semanticTokens/range', 'textDocument/semanticTokens/range', { textDocument, range: whole }],
    ['codeLens', 'textDocument/codeLens', { textDocument }],
    ['inlayHint', 'textDocument/inlayHint', { textDocument, range: whole }],
    ['documentLink', 'textDocument/documentLink', { textDocument }],
    ['formatting', 'textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }],
    ['codeAction', 'textDocument/codeAction', { textDocument, range: whole, context: { diagnostics } }],
    ['layerPlan', layerPlanMethod, { uri }],
  ];
  if (positions.length === 0) return out;
  picks.forEach((pick, i) => {
    const position = positions[pick % positions.length];
    const at = `${position.line}:${position.character}`;
    out.push([`hover ${at}`, 'textDocument/hover', { textDocument, position }]);
    if (i % 2 === 0) {
      out.push([`completion ${at}`, 'textDocument/completion', { textDocument, position }]);
      out.push([`signatureHelp ${at}`, 'textDocument/signatureHelp', { textDocument, position }]);
      out.push([`rename ${at}`, 'textDocument/rename', { textDocument, position, newName: 'RENAMED' }]);
    }
    if (i % 2 === 1) {
      out.push([`documentHighlight ${at}`, 'textDocument/documentHighlight', { textDocument, position }]);
      out.push([`definition ${at}`, 'textDocument/definition', { textDocument, position }]);
      out.push([`references ${at}`, 'textDocument/references', { textDocument, position, context: { includeDeclaration: true } }]);
    }
  });
  return out;
}

/** An answer as JSON with `uri` (and its file path) written as `as`; a failed request as its error. */
async function answerOf(client: LspClient, method: string, params: unknown, uri: string, as: string): Promise<unknown> {
  const answer = await client.request<unknown>(method, params).then((r) => r, (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
  const json = JSON.stringify(answer ?? null);
  return JSON.parse(json.split(uri).join(as)) as unknown;
}

/** Whether an answer is a completion list still waiting for lookups. */
function incomplete(answer: unknown): boolean {
  return answer !== null && typeof answer === 'object' && (answer as { isIncomplete?: unknown }).isIncomplete === true;
}

/** An answer without its top-level `version`. */
function withoutVersion(answer: unknown): unknown {
  if (answer === null || typeof answer !== 'object') return answer;
  const { version: _version, ...rest } = answer as Record<string, unknown>;
  return rest;
}

describe('every LSP feature after incremental edits (real server over stdio)', () => {
  let client: LspClient;
  /** A second server: fresh documents opened there share no cache with the edited one. */
  let second: LspClient;
  /** The settings both servers have (the edited document's session switches them). */
  let settingsNow: unknown = SETTINGS[0];
  let dir: string;
  const errors: string[] = [];
  let documents = 0;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-incremental-features-'));
    // A small build context: files the sessions COPY and ADD, and a .dockerignore.
    fs.writeFileSync(path.join(dir, 'app.txt'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(64 * 1024, 7));
    fs.writeFileSync(path.join(dir, '.dockerignore'), '*.tmp\n');
    client = new LspClient();
    second = new LspClient();
    for (const server of [client, second]) {
      server.connection.onNotification('window/logMessage', (m: { type: number; message: string }) => {
        if (m.type === 1) errors.push(m.message);
      });
      await server.initialize();
    }
  });

  after(async () => {
    await client.stop();
    await second.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A file in the build context, or (`untitled`) a new file without one, as an editor names them. */
  const uriOf = (name: string, untitled: boolean) => (untitled ? `untitled:${name}` : pathToFileURL(path.join(dir, `${name}.Dockerfile`)).href);

  /** Waits until the server has nothing left to do for `uri` at `version`. */
  async function settle(uri: string, version: number, server = client): Promise<readonly Diagnostic[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${uri} not settled within ${SETTLE_MS} ms`)), SETTLE_MS); });
    trace(`settle ${uri} v${version}`);
    const settled = await Promise.race([server.request<SettledResult | null>(settledMethod, { uri }), late]).finally(() => clearTimeout(timer));
    assert.strictEqual(settled?.version, version, `settled at version ${String(settled?.version)}, sent ${version}`);
    const published = server.lastDiagnostics(uri);
    assert.strictEqual(published?.version, version, `diagnostics published for version ${String(published?.version)}, sent ${version}`);
    return published.diagnostics;
  }

  /**
   * Compares the edited document (at `version`, text `document`) with the same text opened fresh,
   * in the same server or (`elsewhere`) in the second one.
   */
  async function compareWithFresh(uri: string, document: TextDocument, picks: readonly number[], where: string, elsewhere: boolean): Promise<void> {
    const fresh = uriOf(`fresh-${++documents}`, uri.startsWith('untitled:'));
    const server = elsewhere ? second : client;
    if (elsewhere) await second.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: settingsNow } });
    await server.open(fresh, document.getText(), 1);
    try {
      const [edited, opened] = [await settle(uri, document.version), await settle(fresh, 1, server)];
      const same = (what: string, a: unknown, b: unknown) => {
        // INCREMENTAL_FEATURES_DUMP=dir: both answers of a difference, as files to compare.
        const dump = process.env.INCREMENTAL_FEATURES_DUMP;
        if (dump && !isDeepStrictEqual(a, b)) {
          fs.writeFileSync(path.join(dump, 'edited.json'), JSON.stringify(a, null, 1));
          fs.writeFileSync(path.join(dump, 'fresh.json'), JSON.stringify(b, null, 1));
          fs.writeFileSync(path.join(dump, 'text'), document.getText());
        }
        assert.deepStrictEqual(a, b, `${what} differs ${where}`);
      };
      same('published diagnostics', edited, JSON.parse(JSON.stringify(opened).split(fresh).join(uri)));
      trace('compare');
      for (const [what, method, params] of requestsFor(uri, document, picks, edited)) {
        trace(what);
        const freshParams = JSON.parse(JSON.stringify(params).split(uri).join(fresh)) as unknown;
        let a = await answerOf(client, method, params, uri, uri);
        let b = await answerOf(server, method, freshParams, fresh, uri);
        // Registry tags the first completion asked for (a lookup both documents share) may have
        // come in before the second: differing incomplete lists are asked for again until the
        // lookup ended. Equal ones are compared as they are (an empty image store, or a lookup that
        // has not answered either, keeps a list incomplete for good).
        for (const until = Date.now() + TAGS_MS; (incomplete(a) || incomplete(b)) && !isDeepStrictEqual(a, b) && Date.now() < until;) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          a = await answerOf(client, method, params, uri, uri);
          b = await answerOf(server, method, freshParams, fresh, uri);
        }
        // The layer plan says which version it is of (the fresh document's first).
        if (method === layerPlanMethod) same(what, withoutVersion(a), withoutVersion(b));
        else same(what, a, b);
      }
      assert.deepStrictEqual(errors.splice(0), [], `the server logged errors ${where}`);
    } finally {
      await server.close(fresh);
    }
  }

  /**
   * The property of the test running now. A property whose test timed out goes on in the background
   * (mocha cannot stop it): its sessions stop at their next step instead of sending edits and
   * settings to the servers the next test uses.
   */
  let running: object | undefined;
  afterEach(() => {
    running = undefined;
  });
  const stillRunning = (owner: object) => {
    if (running !== owner) throw new Error('this property\'s test has ended (timed out): its session stops here');
  };

  /** Sends a session's versions to one document as ranged changes and compares at the checkpoints. */
  async function runSession(owner: object, first: string, edits: readonly Edit[], paces: readonly Pace[], checkpoints: readonly number[], picks: readonly number[], twice: readonly boolean[], untitled: boolean, elsewhere: boolean, tail = ''): Promise<void> {
    const texts = versionsOf(first, edits);
    const versions = texts.map((v) => (tail === '' ? v : v.endsWith('\n') ? v + tail : `${v}\n${tail}`));
    const uri = uriOf(`edited-${++documents}`, untitled);
    let document = TextDocument.create(uri, 'dockerfile', 1, versions[0]);
    stillRunning(owner);
    settingsNow = SETTINGS[0];
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: settingsNow } });
    await client.open(uri, versions[0], 1);
    const compareAt = new Set([versions.length - 1, ...checkpoints.map((c) => c % versions.length)]);
    try {
      for (let i = 1; i < versions.length; i++) {
        stillRunning(owner);
        const changes = rangedChanges(document, versions[i], twice[i % twice.length] ?? false);
        const version = document.version + 1;
        document = TextDocument.update(document, changes, version);
        assert.strictEqual(document.getText(), versions[i], 'the ranged changes make the version');
        await client.changeRanges(uri, version, changes);
        trace(`sent v${version}`);
        const where = `after version ${i} of ${versions.length - 1}:\n  ${describeVersions(texts, i)}${tail ? '\n  (and the large tail)' : ''}`;
        if (compareAt.has(i)) {
          await compareWithFresh(uri, document, picks, where, elsewhere);
          continue;
        }
        // Between comparisons: requests as an editor makes them (right after the change, once the
        // version's diagnostics are out, or once the server settled), so that features keep results
        // of versions before the last; or other settings.
        const pace = paces[i % paces.length] ?? 'send';
        if (pace === 'configure') {
          settingsNow = SETTINGS[i % SETTINGS.length];
          await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: settingsNow } });
          continue;
        }
        // Closed and opened again (a tab closed and reopened): version 1 again, with this text.
        if (pace === 'reopen') {
          await client.close(uri);
          document = TextDocument.create(uri, 'dockerfile', 1, versions[i]);
          await client.open(uri, versions[i], 1);
          continue;
        }
        if (pace === 'published') await client.diagnosticsFor(uri, version, SETTLE_MS);
        if (pace === 'settle') await settle(uri, version);
        // (The layer plan aside: its JSON takes a second on the large document.)
        if (pace !== 'send') for (const [, method, params] of requestsFor(uri, document, picks.slice(0, 2), [])) if (method !== layerPlanMethod) await answerOf(client, method, params, uri, uri);
      }
    } finally {
      await client.close(uri);
    }
  }

  it('answers for an edited document what it answers for the same text opened fresh (property)', async function () {
    this.timeout(Math.max(60000, RUNS * 5000));
    const owner = (running = {});
    await fc.assert(fc.asyncProperty(
      editSessionArb,
      fc.array(fc.constantFrom<Pace>('send', 'send', 'ask', 'published', 'settle', 'configure', 'reopen'), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 2 }),
      fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.boolean(),
      async ({ spec, edits }, paces, checkpoints, picks, twice, untitled, elsewhere) => runSession(owner, writeDockerfile(spec), edits, paces, checkpoints, picks, twice, untitled, elsewhere),
    ), { numRuns: RUNS, ...SEED });
  });

  it('does so on documents large enough to be planned, linted and sized in turns (property)', async function () {
    this.timeout(Math.max(60000, LARGE_RUNS * 30000));
    const owner = (running = {});
    await fc.assert(fc.asyncProperty(
      editSessionArb,
      fc.array(fc.constantFrom<Pace>('send', 'send', 'send', 'send', 'ask', 'published', 'settle', 'configure', 'reopen'), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 1 }),
      fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.boolean(),
      async ({ spec, edits }, paces, checkpoints, picks, twice, untitled, elsewhere) => runSession(owner, writeDockerfile(spec), edits, paces, checkpoints, picks, twice, untitled, elsewhere, LARGE_TAIL),
    // Shrinking would take minutes at a few seconds per session: the failing session is printed as found.
    ), { numRuns: LARGE_RUNS, endOnFailure: true, ...SEED });
  });
});
