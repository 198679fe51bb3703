// The shape every LSP feature file exports: the capabilities it adds and how it registers handlers.
import type { ClientCapabilities, Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentModels } from '../documentModels';
import type { ServerSettings } from '../settings';

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  models: DocumentModels;
  /** The current `layerlens.*` settings (updated on workspace/didChangeConfiguration). */
  settings(): ServerSettings;
  /**
   * Calls `listener` when cached models were invalidated: the settings changed, or background inputs
   * (build-context scan, package indexes, measured sizes) brought news. Models re-plan on next `get`.
   */
  onDidInvalidateModels(listener: (settings: ServerSettings) => void): void;
}

export interface Feature {
  name: string;
  capabilities(client: ClientCapabilities): ServerCapabilities;
  register(context: FeatureContext): void;
}
