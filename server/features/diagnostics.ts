// Diagnostics: parser and planner problems, BuildKit's build checks, best-practice and
// layer-aware rules, and shellcheck on RUN scripts, pushed after a short debounce. Shellcheck
// and build-context facts arrive later in the background and are merged in when ready.
// Large documents are planned in turns (requests and edits are served meanwhile); when one was just
// opened, its parser problems are published first, then everything. Rules read the plan without sizes while
// size prediction is pending; sizes are predicted right after publishing and, when a finding's
// wording uses them (FileDeletedInLaterLayer), the diagnostics are published again. Sizes are
// predicted in turns (the event loop is given a turn every few milliseconds) and dropped for a newer version.
// Background news: a document whose plan changed is validated again; when only size facts moved,
// its sizes are predicted first and only the rules that read sizes run again (the rest carry over).
import { CancellationToken, DiagnosticSeverity, DiagnosticTag, type Connection, type Diagnostic, type Range } from 'vscode-languageserver';
import { isLargeDocument, sizesPredicted, type DocumentModel } from '../documentModels';
import type { DockerfileSyntax } from '../parser';
import { sharedImageCatalog } from '../images';
import { DocumentLinter, filePathOf, sharedDocumentLinter, type LinterSettings } from '../rules/documentLinter';
import type { LintProblem } from '../rules/lintDocument';
import type { RuleSeverity } from '../rules/types';
import { sharedBuildContextInfo } from '../rules/workspace/buildContextInfo';
import type { ServerSettings } from '../settings';
import { sharedShellcheck } from '../shellcheck/shellcheckService';
import { afterReceivedMessages } from '../turns';
import { stillCurrent } from '../requestRunner';
import { sharedPublishedDiagnostics } from '../publishedDiagnostics';
import { sharedWorkUnderway } from './workUnderway';
import type { Feature } from './feature';

/** The keystroke debounce, at most: a document validated in c ms waits 2c after an edit (see keystrokeDelay). */
const DEBOUNCE_MS = 80;
/** A pause in typing this long (after a publication) lets a large plan's cache keys be worked out. */
const SETTLE_KEYS_AFTER_MS = 250;
const RESULTS_THROTTLE_MS = 250;
/**
 * On a large document, background results (shellcheck batches, build-context news) republish at
 * most this often: each publication is a few thousand diagnostics, stringified in one go.
 */
const LARGE_RESULTS_GAP_MS = 3000;
/** Codes whose message reads predicted sizes: a lint without sizes is refined once they are known. */
const SIZE_WORDED = new Set(['FileDeletedInLaterLayer']);

const severities: Record<RuleSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The linter of this server process: store images, build-context facts and shellcheck wired in. */
export function documentLinter(connection?: Connection): DocumentLinter {
  return sharedDocumentLinter(() => {
    const images = sharedImageCatalog();
    return new DocumentLinter({
      contextInfo: sharedBuildContextInfo(),
      shellcheck: sharedShellcheck(),
      images: { find: (ref) => images.find(ref) },
      imagesVersion: () => images.images(),
      onRuleError: (code, err) => connection?.console.error(`rule ${code} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`),
    });
  });
}

export function linterSettings(settings: ServerSettings): LinterSettings {
  return { severity: settings.diagnostics.severity, buildArgs: settings.build.args };
}

/**
 * The diagnostic last made for a problem's range object. A finding kept from the last lint (an
 * unchanged stage) keeps its range object, so its diagnostic is handed over as the same object when
 * nothing else about it changed: the stdio writer then keeps its JSON (encodedResults.ts).
 */
const diagnosticsByRange = new WeakMap<Range, Diagnostic>();

export function toDiagnostic(problem: LintProblem): Diagnostic {
  const severity = severities[problem.severity];
  const tag = problem.tag ? (problem.tag === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary) : undefined;
  const kept = diagnosticsByRange.get(problem.range);
  if (kept && kept.code === problem.code && kept.message === problem.message && kept.severity === severity && kept.source === problem.source
    && kept.codeDescription?.href === (problem.href || undefined) && kept.tags?.[0] === tag) return kept;
  const diagnostic: Diagnostic = { range: problem.range, severity, code: problem.code, source: problem.source, message: problem.message };
  if (problem.href) diagnostic.codeDescription = { href: problem.href };
  if (tag !== undefined) diagnostic.tags = [tag];
  diagnosticsByRange.set(problem.range, diagnostic);
  return diagnostic;
}

/** Diagnostics of a model now (shellcheck results included as far as they are ready). */
export function computeDiagnostics(model: DocumentModel, settings: ServerSettings, linter: DocumentLinter = new DocumentLinter()): Diagnostic[] {
  return linter.lint(model, linterSettings(settings)).problems.map(toDiagnostic);
}

/** The parser's problems alone (the first publication of a large document), severity settings applied. */
export function syntaxDiagnostics(syntax: DockerfileSyntax, settings: ServerSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const problem of syntax.problems) {
    const setting = settings.diagnostics.severity[problem.code];
    if (setting === 'off') continue;
    out.push(toDiagnostic({ ...problem, severity: setting ?? problem.severity, source: 'layerlens', fixes: [] }));
  }
  return out;
}

/** Whether two publications show the same diagnostics (fixes and descriptions follow from these fields). */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.code !== y.code || x.message !== y.message || x.severity !== y.severity || x.source !== y.source) return false;
    if (x.range.start.line !== y.range.start.line || x.range.start.character !== y.range.start.character) return false;
    if (x.range.end.line !== y.range.end.line || x.range.end.character !== y.range.end.character) return false;
    if ((x.tags?.[0] ?? -1) !== (y.tags?.[0] ?? -1)) return false;
  }
  return true;
}

/**
 * The keystroke debounce of a document whose last validation took `lastValidationMs`: twice that,
 * up to DEBOUNCE_MS. While typing, validation then takes at most a third of the time, and a small
 * file's diagnostics follow each keystroke at once.
 */
export function keystrokeDelay(lastValidationMs: number | undefined): number {
  return Math.min(DEBOUNCE_MS, Math.round(2 * (lastValidationMs ?? DEBOUNCE_MS)));
}

/**
 * How long an edit waits before it is validated, `sinceLastEditMs` after the edit before it (none:
 * the first since the document was opened). An edit after a pause longer than the keystroke
 * debounce is validated at once: nothing says more keystrokes follow, and the user is waiting for
 * its diagnostics. One that follows another within the debounce is part of a burst of typing and
 * waits for the typing to pause, so a burst costs at most one validation more than its pauses.
 */
export function editDelay(sinceLastEditMs: number | undefined, lastValidationMs: number | undefined): number {
  const debounce = keystrokeDelay(lastValidationMs);
  return sinceLastEditMs === undefined || sinceLastEditMs >= debounce ? 0 : debounce;
}

/**
 * Runs `run` after `delayMs`, with no delay on the next turn of the event loop (Node makes a timer
 * of 0 ms wait 1 ms, a quarter of a small file's whole validation after an edit); returns the cancel.
 */
function scheduleAfter(delayMs: number, run: () => void): () => void {
  if (delayMs > 0) {
    const timer = setTimeout(run, delayMs);
    return () => clearTimeout(timer);
  }
  const immediate = setImmediate(run);
  return () => clearImmediate(immediate);
}

export const diagnosticsFeature: Feature = {
  name: 'diagnostics',
  capabilities: () => ({}),
  register({ connection, documents, models, settings, onDidInvalidateModels }) {
    const linter = documentLinter(connection);
    const shown = sharedPublishedDiagnostics();
    /** The cancel of each document's scheduled validation. */
    const pending = new Map<string, () => void>();
    /** Validations scheduled, waiting or running, and sizes about to refine: what `layerlens/settled` waits for. */
    const work = sharedWorkUnderway();
    const pendingWork = new Map<string, () => void>();
    const endPending = (uri: string) => {
      pendingWork.get(uri)?.();
      pendingWork.delete(uri);
    };
    /** How long the last publish of each document took: background republishes wait a few times that. */
    const cost = new Map<string, number>();
    /** Documents published at least once since they were opened. */
    const published = new Set<string>();
    /**
     * Documents whose next validation follows a size-facts change only (the version then): sizes
     * first, then the lint. An edit since makes it an ordinary validation (lint first, sizes after).
     */
    const resized = new Map<string, number>();
    /** What was last sent per document, and when (large documents republish background news less often). */
    const lastPublished = new Map<string, { version: number; diagnostics: Diagnostic[]; at: number; large: boolean }>();
    /**
     * The validation under way per document. The next one starts when it has ended: an older
     * version's gives up at its next turn, and a second run of the same version (background news
     * during a lint in turns) would otherwise lint it again alongside, halving the speed of both.
     */
    const running = new Map<string, Promise<void>>();
    /** Documents with a validation waiting for the running one (it reads the newest version then). */
    const queued = new Set<string>();
    const validate = (uri: string) => {
      pending.delete(uri);
      const before = running.get(uri);
      if (before && queued.has(uri)) return endPending(uri);
      if (before) queued.add(uri);
      const end = work.begin(uri);
      endPending(uri);
      // Requests that came with the edit (completion while typing) are answered first.
      const run = (before ?? Promise.resolve()).then(afterReceivedMessages).then(() => {
        queued.delete(uri);
        return validateNow(uri);
      });
      running.set(uri, run);
      void run.finally(() => {
        if (running.get(uri) === run) running.delete(uri);
        end();
      });
    };
    const validateNow = async (uri: string) => {
      const document = documents.get(uri);
      if (!document) return;
      const version = document.version;
      // The same open document at the same version: one closed and opened again counts from 1 again.
      const current = stillCurrent(documents, document, CancellationToken.None);
      try {
        const started = performance.now();
        const model = models.get(document);
        // A large document is planned in turns, so requests and edits are served meanwhile (a newer
        // version drops this one). Just opened: its parser problems are published first.
        if (isLargeDocument(model) && model.planReady?.() === false && model.planInTurns) {
          if (!published.has(uri)) {
            const syntaxOnly = syntaxDiagnostics(model.syntax, settings());
            void connection.sendDiagnostics({ uri, version, diagnostics: syntaxOnly });
            shown.published(uri, { version, diagnostics: syntaxOnly });
            // A turn first: the publication is written out once its promises have run, and the
            // plan's first step (the stage graph, 30-200 ms cold on 30,000 lines) would come before.
            await new Promise((resolve) => setImmediate(resolve));
            // The line offsets an incremental edit reads (20-40 ms for 1 MB): computed now, before
            // the plan, instead of when the first edit arrives; edits then keep them up to date.
            void document.lineCount;
            if (!current()) return;
          }
          if (!(await model.planInTurns(current)) || !current()) return;
        }
        // The plan is kept; predict its sizes again (in turns: requests are served meanwhile).
        const sizesFirst = resized.get(uri) === version;
        resized.delete(uri);
        if (sizesFirst && published.has(uri) && !(await sizesPredicted(model, current))) return;
        const lint = await linter.lintInTurns(model, linterSettings(settings()), current);
        if (!lint || !current()) return;
        const diagnostics = lint.problems.map(toDiagnostic);
        const last = lastPublished.get(uri);
        // Nothing new (e.g. a shellcheck batch without findings): nothing to send.
        if (!last || last.version !== version || !sameDiagnostics(last.diagnostics, diagnostics)) {
          void connection.sendDiagnostics({ uri, version, diagnostics });
          shown.published(uri, { version, diagnostics });
          lastPublished.set(uri, { version, diagnostics, at: performance.now(), large: isLargeDocument(model) });
        }
        published.add(uri);
        cost.set(uri, performance.now() - started);
        // A large plan's cache keys, for the hovers, lenses and hints that read them, once typing
        // pauses: a keystroke in an ENV mid-file re-keys thousands of steps, and the next one would again.
        if (isLargeDocument(model) && model.settleKeysInTurns) {
          const settle = model.settleKeysInTurns;
          const end = work.begin(uri);
          setTimeout(() => {
            if (current()) void settle(current).finally(end);
            else end();
          }, SETTLE_KEYS_AFTER_MS);
        }
        if (lint.sizesPending) {
          const refine = lint.problems.some((p) => SIZE_WORDED.has(p.code));
          // Predicts the sizes hover, code lenses and inlay hints show.
          const end = work.begin(uri);
          setTimeout(() => void sizesPredicted(model, current).then((done) => {
            if (done && refine && current()) schedule(uri, 0, false);
          }).finally(end), DEBOUNCE_MS);
        }
      } catch (err) {
        connection.console.error(`diagnostics failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    };
    const schedule = (uri: string, delay: number, replace: boolean) => {
      const existing = pending.get(uri);
      if (existing && !replace) return;
      existing?.();
      const end = work.begin(uri);
      endPending(uri);
      pendingWork.set(uri, end);
      pending.set(uri, scheduleAfter(delay, () => void validate(uri)));
    };
    /** When each open document was last edited (performance.now()); opening is not an edit. */
    const lastEdit = new Map<string, number>();
    const opening = new Set<string>();
    documents.onDidOpen(({ document }) => opening.add(document.uri));
    // A just-opened document is validated at once, and so is an edit after a pause; an edit in a
    // burst of typing waits for the keystroke debounce (editDelay).
    documents.onDidChangeContent(({ document }) => {
      const uri = document.uri;
      if (opening.delete(uri)) return schedule(uri, 0, true);
      const now = performance.now();
      const before = lastEdit.get(uri);
      lastEdit.set(uri, now);
      schedule(uri, published.has(uri) ? editDelay(before === undefined ? undefined : now - before, cost.get(uri)) : 0, true);
    });
    documents.onDidClose(({ document }) => {
      pending.get(document.uri)?.();
      pending.delete(document.uri);
      endPending(document.uri);
      cost.delete(document.uri);
      lastEdit.delete(document.uri);
      published.delete(document.uri);
      lastPublished.delete(document.uri);
      shown.forget(document.uri);
      resized.delete(document.uri);
      linter.forget(document.uri);
      sharedShellcheck().cancel(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    });
    // Background results: republish (throttled) when shellcheck or the build context has news.
    const background = (uri: string) => {
      const last = lastPublished.get(uri);
      const spent = 4 * (cost.get(uri) ?? 0);
      // A large document's validation runs in turns, so its cost is mostly waiting: the gap bounds it.
      const delay = last?.large ? Math.max(LARGE_RESULTS_GAP_MS - (performance.now() - last.at), Math.min(spent, LARGE_RESULTS_GAP_MS)) : spent;
      schedule(uri, Math.max(RESULTS_THROTTLE_MS, delay), false);
    };
    sharedShellcheck().onResults((uri) => {
      if (documents.get(uri)) background(uri);
    });
    sharedBuildContextInfo().onChange((file) => {
      for (const document of documents.all()) if (filePathOf(document.uri) === file) background(document.uri);
    });
    onDidInvalidateModels((_, change) => {
      for (const document of documents.all()) {
        const uri = document.uri;
        if (change.plans === 'all' || change.plans.includes(uri)) {
          resized.delete(uri);
          schedule(uri, DEBOUNCE_MS, true);
        } else if (change.sizes) {
          resized.set(uri, document.version);
          schedule(uri, DEBOUNCE_MS, false);
        }
      }
    });
  },
};
