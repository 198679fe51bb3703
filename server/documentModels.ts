// Parses and plans each open document once per version; every feature reads the cached model.
// Size prediction (the costly part of a large plan) runs on the first read of `plan`; diagnostics
// read `planned` while sizes are pending, so a keystroke never waits for it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile, type DockerfileSyntax } from './parser';
import { planDockerfile, type LayerPlan, type PlanOptions } from './plan';
import { predictStepSizes, type SizeReaders } from './plan/size';
import { predictStepSizesInTurns } from './sizesInTurns';

export interface DocumentModel {
  uri: string;
  version: number;
  text: string;
  syntax: DockerfileSyntax;
  /** The plan with predicted sizes (predicted on first read when size prediction is on). */
  plan: LayerPlan;
  /** The plan without sizes (present on server models). */
  planned?: LayerPlan;
  /** True while reading `plan` would still predict sizes. */
  sizesPending?(): boolean;
  /**
   * Predicts the sizes, giving the event loop turns in between (see sizesInTurns.ts) so requests
   * are served meanwhile; resolves false, the work dropped, when `current()` turned false first.
   */
  predictSizesInTurns?(current: () => boolean): Promise<boolean>;
}

interface CachedModel {
  model: DocumentModel;
  /** The plan before size prediction: the planner recognises its own output as `previous`. */
  planned: LayerPlan;
  /** The plan options changed since this model was planned: re-plan from scratch. */
  stale: boolean;
  /** Only size facts changed since: keep the parse and plan, predict sizes again (a new model). */
  sizesStale: boolean;
  /**
   * The model's plan with sizes once predicted, else the sized plan its prediction starts from
   * (size prediction takes unchanged stages over from it).
   */
  sizedPlan(): LayerPlan | undefined;
}

export class DocumentModels {
  private readonly models = new Map<string, CachedModel>();
  /** A parse done ahead of planning (`syntaxOf`), taken over by the next `get`. */
  private parsed?: { uri: string; version: number; text: string; syntax: DockerfileSyntax };

  /**
   * @param planOptionsFor plan options of a document (build args, target, context reader, images)
   * @param sizeReadersFor size-prediction readers, or undefined where prediction is off
   */
  constructor(
    private readonly planOptionsFor: (uri: string) => PlanOptions = () => ({}),
    private readonly sizeReadersFor: (uri: string) => SizeReaders | undefined = () => undefined,
  ) {}

  /** The syntax of the document's current version: parsed (and kept for `get`) without planning. */
  syntaxOf(document: TextDocument): DockerfileSyntax {
    const cached = this.models.get(document.uri);
    if (cached && cached.model.version === document.version) return cached.model.syntax;
    if (this.parsed?.uri === document.uri && this.parsed.version === document.version) return this.parsed.syntax;
    const text = document.getText();
    const previous = cached?.model;
    const syntax = parseDockerfile(text, { previous: previous && { text: previous.text, syntax: previous.syntax } });
    this.parsed = { uri: document.uri, version: document.version, text, syntax };
    return syntax;
  }

  /** Whether `get` would plan (the cached model is missing, stale or of another version). */
  needsPlan(document: TextDocument): boolean {
    const cached = this.models.get(document.uri);
    return !cached || cached.stale || cached.model.version !== document.version;
  }

  get(document: TextDocument): DocumentModel {
    const cached = this.models.get(document.uri);
    if (cached && !cached.stale && cached.model.version === document.version) {
      return cached.sizesStale ? this.modelOf(document, cached.model.text, cached.model.syntax, cached.planned, cached.sizedPlan()) : cached.model;
    }
    // The previous parse and plan let the parser and planner reuse what did not change.
    const previous = cached?.model;
    const parsed = this.parsed?.uri === document.uri && this.parsed.version === document.version ? this.parsed : undefined;
    this.parsed = undefined;
    const text = parsed?.text ?? document.getText();
    const syntax = parsed?.syntax ?? (cached && !cached.stale && cached.model.version === document.version
      ? cached.model.syntax
      : parseDockerfile(text, { previous: previous && { text: previous.text, syntax: previous.syntax } }));
    const planned = planDockerfile(syntax, { ...this.planOptionsFor(document.uri), previous: cached?.stale ? undefined : cached?.planned });
    return this.modelOf(document, text, syntax, planned, cached?.sizedPlan());
  }

  /**
   * A model of a parsed and planned version; its sizes are predicted on first read of `plan`.
   * `previousSizes`: the sized plan of the model this one replaces, for size prediction to reuse.
   */
  private modelOf(document: TextDocument, text: string, syntax: DockerfileSyntax, planned: LayerPlan, previousSizes?: LayerPlan): DocumentModel {
    const readers = this.sizeReadersFor(document.uri);
    let sized: LayerPlan | undefined = readers ? undefined : planned;
    let running: Promise<LayerPlan | undefined> | undefined;
    /** The `current` of every caller waiting for `running`. */
    const waiting = new Set<() => boolean>();
    const model: DocumentModel = {
      uri: document.uri, version: document.version, text, syntax, planned,
      get plan(): LayerPlan {
        if (sized === undefined) {
          sized = predictStepSizes(planned, readers, previousSizes);
          previousSizes = undefined; // not retained once these sizes are there
        }
        return sized;
      },
      sizesPending: () => sized === undefined,
      predictSizesInTurns: async (current) => {
        waiting.add(current);
        try {
          while (sized === undefined && readers) {
            // One prediction at a time, going on while any caller still wants it.
            const run = (running ??= predictStepSizesInTurns(planned, readers, previousSizes, () => sized === undefined && [...waiting].some((c) => c())));
            const result = await run;
            if (running === run) running = undefined;
            if (result) {
              sized ??= result;
              previousSizes = undefined;
            } else if (!current()) return false;
          }
          return true;
        } finally {
          waiting.delete(current);
        }
      },
    };
    // Until this model's sizes are predicted, the sizes it started from stay the next one's start.
    this.models.set(document.uri, { model, planned, stale: false, sizesStale: false, sizedPlan: () => (readers ? sized ?? previousSizes : undefined) });
    return model;
  }

  forget(uri: string): void {
    this.models.delete(uri);
    if (this.parsed?.uri === uri) this.parsed = undefined;
  }

  /** Marks every plan stale (settings or build args changed); the parses stay reusable. */
  invalidateAll(): void {
    for (const cached of this.models.values()) cached.stale = true;
  }

  /**
   * Marks the plans of these documents stale: their build context changed under a cache key.
   * Re-planned from scratch, since the planner takes unchanged steps over with their old keys.
   */
  invalidatePlans(uris: Iterable<string>): void {
    for (const uri of uris) {
      const cached = this.models.get(uri);
      if (cached) cached.stale = true;
    }
  }

  /**
   * Size facts changed (package indexes, download, image or measured sizes, context files): the
   * next `get` keeps the parse and the plan and returns a new model whose sizes are predicted again.
   */
  invalidateSizes(uris?: Iterable<string>): void {
    for (const uri of uris ?? this.models.keys()) {
      const cached = this.models.get(uri);
      if (cached) cached.sizesStale = true;
    }
  }
}

/** A document of at least this many instructions is large: requests do not wait for its sizes. */
export const LARGE_DOCUMENT_INSTRUCTIONS = 3000;

/** Whether requests on this model should not wait for work that is cheap only on small files. */
export function isLargeDocument(model: Pick<DocumentModel, 'syntax'>): boolean {
  return model.syntax.instructions.length >= LARGE_DOCUMENT_INSTRUCTIONS;
}

/**
 * The plan a request reads: on a large document whose sizes are still being predicted, the plan
 * without sizes (size figures are left out until the background prediction is done).
 */
export function planWithoutWaiting(model: DocumentModel): LayerPlan {
  return model.planned && model.sizesPending?.() && isLargeDocument(model) ? model.planned : model.plan;
}

/**
 * The model with its sizes predicted: on a large document in turns (requests are served meanwhile),
 * else at once. False when `current()` turned false before the sizes were there.
 */
export async function sizesPredicted(model: DocumentModel, current: () => boolean): Promise<boolean> {
  if (!model.sizesPending?.()) return true;
  if (model.predictSizesInTurns && isLargeDocument(model)) return model.predictSizesInTurns(current);
  void model.plan;
  return true;
}
