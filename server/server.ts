// The language server process: wiring only. Features live in features/, the model in parser/ and plan/.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type ServerCapabilities } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels } from './documentModels';
import { features } from './features';
import { imageResolverOf, sharedImageCatalog } from './images';
import type { FeatureContext } from './features/feature';
import { defaultSettings, readSettings, type ServerSettings } from './settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: ServerSettings = defaultSettings;
const images = imageResolverOf(sharedImageCatalog());
const models = new DocumentModels(() => ({
  buildArgs: settings.build.args,
  target: settings.build.target || undefined,
  images,
}));
const settingsListeners: ((settings: ServerSettings) => void)[] = [];
const context: FeatureContext = {
  connection, documents, models,
  settings: () => settings,
  onDidChangeSettings: (listener) => { settingsListeners.push(listener); },
};

connection.onInitialize((params) => {
  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
  for (const feature of features) Object.assign(capabilities, feature.capabilities(params.capabilities));
  return { capabilities, serverInfo: { name: 'layerlens', version: '0.1.0' } };
});

connection.onDidChangeConfiguration((change) => {
  const section: unknown = (change.settings as { layerlens?: unknown } | null)?.layerlens;
  settings = readSettings(section);
  models.invalidateAll();
  for (const listener of settingsListeners) listener(settings);
});

documents.onDidClose(({ document }) => models.forget(document.uri));
for (const feature of features) feature.register(context);
documents.listen(connection);
connection.listen();
