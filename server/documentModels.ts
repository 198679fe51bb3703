// Parses each open document once per version and plans it once; every feature reads the cached
// model. The plan is made on first read of `planned` or `plan`, or in turns (`planInTurns`, which
// gives the event loop a turn every few milliseconds, so requests and edits are served while a large
// file is planned). Size prediction (the costly part of a large plan) runs on the first read of
// `plan`; diagnostics read `planned` while sizes are pending, so a keystroke never waits for it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile, type DockerfileSyntax } from './parser';
import { planDockerfileInSteps, type LayerPlan, type PlanOptions } from './plan';
import { predictStepSizes, type SizeReaders } from './plan/size';
import { predictStepSizesInTurns } from './sizesInTurns';
import { settleKeysInSteps } from './plan/settleKeys';
import { runStepsInTurns } from './turns';

export interface DocumentModel {
  uri: string;
  version: number;
  text: string;
  syntax: DockerfileSyntax;
  /** The plan with predicted sizes (planned and predicted on first read). */
  plan: LayerPlan;
  /** The plan without sizes (present on server models; planned on first read). */
  planned?: LayerPlan;
  /** False while reading `planned` would still plan (server models). */
  planReady?(): boolean;
  /**
   * Plans the document, giving the event loop turns in between; resolves false, the work left
   * where it is (a later read goes on from there), when `current()` turned false first.
   */
  planInTurns?(current: () => boolean): Promise<boolean>;
  /**
   * Works the plan's cache keys out (they are worked out when first read; hover, lenses and hints
   * read them), giving the event loop turns in between; resolves false when `current()` turned false first.
   */
  settleKeysInTurns?(current: () => boolean): Promise<boolean>;
  /** True while reading `plan` would still predict sizes. */
  sizesPending?(): boolean;
  /**
   * Predicts the sizes, giving the event loop turns in between (see sizesInTurns.ts) so requests
   * are served meanwhile; resolves false, the work dropped, when `current()` turned false first.
   */
  predictSizesInTurns?(current: () => boolean): Promise<boolean>;
}

interface CachedModel {
  /** The open document it was made for: a document closed and opened again is another object, its versions counted anew. */
  document: TextDocument;
  model: DocumentModel;
  /** The plan without sizes once made: the planner recognises its own output as `previous`. */
  planned(): LayerPlan | undefined;
  /** The plan the next version's plan starts from: this one's once made, else the one it starts from. */
  basePlan(): LayerPlan | undefined;
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

  /**
   * @param planOptionsFor plan options of a document (build args, target, context reader, images)
   * @param sizeReadersFor size-prediction readers, or undefined where prediction is off
   */
  constructor(
    private readonly planOptionsFor: (uri: string) => PlanOptions = () => ({}),
    private readonly sizeReadersFor: (uri: string) => SizeReaders | undefined = () => undefined,
  ) {}

  /** The syntax of the document's current version (parsed; planned only when a feature reads the plan). */
  syntaxOf(document: TextDocument): DockerfileSyntax {
    return this.get(document).syntax;
  }

  /** The model of the document's current version: parsed now, planned on first read of its plan. */
  get(document: TextDocument): DocumentModel {
    const cached = this.models.get(document.uri);
    const own = cached?.document === document;
    if (cached && own && !cached.stale && cached.model.version === document.version) {
      if (!cached.sizesStale) return cached.model;
      const planned = cached.planned();
      // Not planned yet: its sizes are not predicted either, and will read the new facts.
      if (planned === undefined) {
        cached.sizesStale = false;
        return cached.model;
      }
      return this.modelOf(document, cached.model.text, cached.model.syntax, { planned }, cached.sizedPlan());
    }
    // The previous parse and plan let the parser and planner reuse what did not change.
    const previous = cached?.model;
    const sameVersion = previous !== undefined && own && previous.version === document.version;
    const text = sameVersion ? previous.text : document.getText();
    const syntax = sameVersion ? previous.syntax : parseDockerfile(text, { previous: previous && { text: previous.text, syntax: previous.syntax } });
    return this.modelOf(document, text, syntax, { base: cached?.stale ? undefined : cached?.basePlan() }, cached?.sizedPlan());
  }

  /**
   * A model of a parsed version, planned from `plan.base` on first read (or already `plan.planned`);
   * its sizes are predicted on first read of `plan`. `previousSizes`: the sized plan of the model
   * this one replaces, for size prediction to reuse.
   */
  private modelOf(document: TextDocument, text: string, syntax: DockerfileSyntax, plan: { planned?: LayerPlan; base?: LayerPlan }, previousSizes?: LayerPlan): DocumentModel {
    const readers = this.sizeReadersFor(document.uri);
    let planned = plan.planned;
    let base = plan.base;
    const options = planned ? undefined : this.planOptionsFor(document.uri);
    let steps: Generator<void, LayerPlan, void> | undefined;
    /** One step of the plan; true once it is made. */
    const stepPlan = (): boolean => {
      if (planned) return true;
      steps ??= planDockerfileInSteps(syntax, { ...options, previous: base });
      const next = steps.next();
      if (!next.done) return false;
      planned = next.value;
      steps = undefined;
      base = undefined; // not retained once this plan is there
      return true;
    };
    function* planSteps(): Generator<void, boolean> {
      while (!stepPlan()) yield;
      return true;
    }
    const finishPlan = (): LayerPlan => {
      while (!stepPlan());
      return planned as LayerPlan;
    };
    let sized: LayerPlan | undefined;
    let keysSettled = false;
    let running: Promise<LayerPlan | undefined> | undefined;
    /** The `current` of every caller waiting for `running`. */
    const waiting = new Set<() => boolean>();
    const model: DocumentModel = {
      uri: document.uri, version: document.version, text, syntax,
      get planned(): LayerPlan {
        return finishPlan();
      },
      get plan(): LayerPlan {
        if (sized === undefined) {
          sized = readers ? predictStepSizes(finishPlan(), readers, previousSizes) : finishPlan();
          previousSizes = undefined; // not retained once these sizes are there
        }
        return sized;
      },
      planReady: () => planned !== undefined,
      // A read of `planned` meanwhile finishes the same plan; giving up leaves it where it is.
      planInTurns: async (current) => (await runStepsInTurns(planSteps(), current)) ?? planned !== undefined,
      // Keys worked out before (by this model's or an earlier plan sharing its steps) cost nothing again.
      settleKeysInTurns: async (current) => (keysSettled ||= (await runStepsInTurns(settleKeysInSteps(finishPlan()), current)) !== undefined),
      sizesPending: () => readers !== undefined && sized === undefined,
      predictSizesInTurns: async (current) => {
        waiting.add(current);
        const wanted = () => [...waiting].some((c) => c());
        try {
          // The plan first, then its cache keys (worked out when first read: hover, lenses and hints
          // read them), then one prediction at a time, going on while any caller still wants the sizes.
          if (!(await model.planInTurns?.(wanted))) return false;
          if (!(await model.settleKeysInTurns?.(wanted))) return false;
          while (sized === undefined && readers) {
            const run = (running ??= predictStepSizesInTurns(finishPlan(), readers, previousSizes, () => sized === undefined && wanted()));
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
    this.models.set(document.uri, {
      document, model, stale: false, sizesStale: false,
      planned: () => planned,
      basePlan: () => planned ?? base,
      sizedPlan: () => (readers ? sized ?? previousSizes : undefined),
    });
    return model;
  }

  forget(uri: string): void {
    this.models.delete(uri);
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
  return model.sizesPending?.() && isLargeDocument(model) && model.planned ? model.planned : model.plan;
}

/**
 * What a request shows from the plan on a large document: undefined while the plan is still being
 * made in turns (the request answers from the syntax tree meanwhile), else `planWithoutWaiting`.
 */
export function planIfReady(model: DocumentModel): LayerPlan | undefined {
  return isLargeDocument(model) && model.planReady?.() === false ? undefined : planWithoutWaiting(model);
}

/**
 * The model planned: on a large document in turns (requests are served meanwhile), else at once.
 * False when `current()` turned false before the plan was made.
 */
export async function planMade(model: DocumentModel, current: () => boolean): Promise<boolean> {
  if (model.planReady?.() !== false) return true;
  if (model.planInTurns && isLargeDocument(model)) return model.planInTurns(current);
  void model.planned;
  return true;
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
