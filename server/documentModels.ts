// Parses and plans each open document once per version; every feature reads the cached model.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile, type DockerfileSyntax } from './parser';
import { planDockerfile, type LayerPlan, type PlanOptions } from './plan';
import { predictStepSizes, type SizeReaders } from './plan/size';

export interface DocumentModel {
  uri: string;
  version: number;
  text: string;
  syntax: DockerfileSyntax;
  plan: LayerPlan;
}

interface CachedModel {
  model: DocumentModel;
  /** The plan before size prediction: the planner recognises its own output as `previous`. */
  planned: LayerPlan;
  /** The plan options changed since this model was planned: re-plan from scratch. */
  stale: boolean;
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

  get(document: TextDocument): DocumentModel {
    const cached = this.models.get(document.uri);
    if (cached && !cached.stale && cached.model.version === document.version) return cached.model;
    const text = document.getText();
    // The previous parse and plan let the parser and planner reuse what did not change.
    const previous = cached?.model;
    const syntax = parseDockerfile(text, { previous: previous && { text: previous.text, syntax: previous.syntax } });
    const planned = planDockerfile(syntax, { ...this.planOptionsFor(document.uri), previous: cached?.stale ? undefined : cached?.planned });
    const readers = this.sizeReadersFor(document.uri);
    const plan = readers ? predictStepSizes(planned, readers) : planned;
    const model = { uri: document.uri, version: document.version, text, syntax, plan };
    this.models.set(document.uri, { model, planned, stale: false });
    return model;
  }

  forget(uri: string): void {
    this.models.delete(uri);
  }

  /** Marks every plan stale (settings or build args changed); the parses stay reusable. */
  invalidateAll(): void {
    for (const cached of this.models.values()) cached.stale = true;
  }
}
