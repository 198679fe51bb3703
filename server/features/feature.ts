// The shape every LSP feature file exports: the capabilities it adds and how it registers handlers.
import type { ClientCapabilities, Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentModels } from '../documentModels';
import type { ServerSettings } from '../settings';

/** What an invalidation changed: the plans of some documents (or all), and whether predicted sizes moved. */
export interface ModelChange {
  plans: readonly string[] | 'all';
  sizes: boolean;
}

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  models: DocumentModels;
  /** The current `layerlens.*` settings (updated on workspace/didChangeConfiguration). */
  settings(): ServerSettings;
  /**
   * Calls `listener` when cached models were invalidated: the settings changed (every plan), the
   * build context changed under a document's cache keys (its plan), or size facts arrived (package
   * indexes, download, image and measured sizes: plans kept, sizes predicted again on next `get`).
   */
  onDidInvalidateModels(listener: (settings: ServerSettings, change: ModelChange) => void): void;
  /** Resolves when the background reads a plan of `uri` started (build context, lookups) have finished. */
  inputsSettled?(uri: string): Promise<void>;
}

export interface Feature {
  name: string;
  capabilities(client: ClientCapabilities): ServerCapabilities;
  register(context: FeatureContext): void;
}
