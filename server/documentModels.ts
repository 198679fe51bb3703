// Parses and plans each open document once per version; every feature reads the cached model.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile, type DockerfileSyntax } from './parser';
import { planDockerfile, type LayerPlan, type PlanOptions } from './plan';

export interface DocumentModel {
  uri: string;
  version: number;
  syntax: DockerfileSyntax;
  plan: LayerPlan;
}

export class DocumentModels {
  private readonly models = new Map<string, DocumentModel>();

  constructor(private readonly planOptionsFor: (uri: string) => PlanOptions = () => ({})) {}

  get(document: TextDocument): DocumentModel {
    const cached = this.models.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const syntax = parseDockerfile(document.getText());
    // The previous plan lets the planner reuse unchanged stages and steps (fast re-plan per keystroke).
    const plan = planDockerfile(syntax, { ...this.planOptionsFor(document.uri), previous: cached?.plan });
    const model = { uri: document.uri, version: document.version, syntax, plan };
    this.models.set(document.uri, model);
    return model;
  }

  forget(uri: string): void {
    this.models.delete(uri);
  }

  /** Drops every cached plan (for example when settings or build args change). */
  invalidateAll(): void {
    this.models.clear();
  }
}
