// What the diagnostics feature last published per document (its version and diagnostics), for the
// features that explain what the user sees: hover's rule explanations read these instead of
// linting again, so they match the squiggles exactly and cost a scan of one list.
import type { Diagnostic } from 'vscode-languageserver';

export interface Publication {
  version: number;
  diagnostics: readonly Diagnostic[];
}

export class PublishedDiagnostics {
  private readonly byUri = new Map<string, Publication>();

  /** Records what was sent for `uri`. */
  published(uri: string, publication: Publication): void {
    this.byUri.set(uri, publication);
  }

  /** The document was closed: nothing of it is shown any more. */
  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** What is shown for this version of the document; undefined until its diagnostics are out (ranges of another version would be off). */
  of(uri: string, version: number): readonly Diagnostic[] | undefined {
    const publication = this.byUri.get(uri);
    return publication?.version === version ? publication.diagnostics : undefined;
  }
}

let shared: PublishedDiagnostics | undefined;

/** The publications of this server process. */
export function sharedPublishedDiagnostics(): PublishedDiagnostics {
  shared ??= new PublishedDiagnostics();
  return shared;
}
