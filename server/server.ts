// The language server process: wiring only. Features live in features/, the model in parser/ and plan/.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type ServerCapabilities } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels } from './documentModels';
import { PlanInputs, type InputChange } from './planInputs';
import { features } from './features';
import { imageResolverOf, sharedImageCatalog } from './images';
import type { FeatureContext, ModelChange } from './features/feature';
import { defaultSettings, readSettings, type ServerSettings } from './settings';
import { sharedEncodedResults } from './encodedResults';
import { createStdioConnection } from './stdioConnection';
import { collectGarbageWhenIdle } from './idleCollection';
import { sharedWorkUnderway } from './features/workUnderway';

// Over stdio the writer splices results kept encoded (the outline); other transports read argv as usual.
const connection = process.argv.includes('--stdio') ? createStdioConnection(sharedEncodedResults) : createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: ServerSettings = defaultSettings;
const images = imageResolverOf(sharedImageCatalog());
const inputs = new PlanInputs((change) => inputsChanged(change));
const models = new DocumentModels(
  (uri) => ({ buildArgs: settings.build.args, target: settings.build.target || undefined, images, context: inputs.contextReader(uri) }),
  (uri) => (settings.sizePrediction.enabled ? inputs.sizeReaders(uri) : undefined),
);
const invalidationListeners: ((settings: ServerSettings, change: ModelChange) => void)[] = [];
const context: FeatureContext = {
  connection, documents, models,
  settings: () => settings,
  onDidInvalidateModels: (listener) => { invalidationListeners.push(listener); },
  inputsSettled: (uri) => inputs.settled(uri),
};
let clientRefreshes = { codeLens: false, inlayHint: false };
let inputsTimer: NodeJS.Timeout | undefined;
/** News gathered during the current wait: documents whose cache keys may be stale, and whether sizes moved. */
const replan = new Set<string>();
let sizesMoved = false;
/** Ends the news-gathering wait as work `layerlens/settled` waits for. */
let endInputsWait: (() => void) | undefined;

/**
 * Background inputs changed: a document whose context checksums changed is re-planned; for size
 * facts (package indexes, download, image and measured sizes) plans are kept and sizes predicted again.
 */
function inputsChanged(change: InputChange): void {
  if (change.kind === 'plan') replan.add(change.uri);
  else sizesMoved = true;
  clearTimeout(inputsTimer);
  endInputsWait ??= sharedWorkUnderway().begin('inputs');
  inputsTimer = setTimeout(() => {
    const uris = [...replan];
    const sizes = sizesMoved;
    replan.clear();
    sizesMoved = false;
    models.invalidatePlans(uris);
    if (sizes) models.invalidateSizes();
    const change: ModelChange = { plans: uris, sizes };
    for (const listener of invalidationListeners) listener(settings, change);
    if (clientRefreshes.codeLens) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    if (clientRefreshes.inlayHint) void connection.sendRequest('workspace/inlayHint/refresh').catch(() => undefined);
    endInputsWait?.();
    endInputsWait = undefined;
  }, 200);
}

connection.onInitialize((params) => {
  const workspace = params.capabilities.workspace;
  clientRefreshes = { codeLens: workspace?.codeLens?.refreshSupport === true, inlayHint: workspace?.inlayHint?.refreshSupport === true };
  inputs.setWorkspaceFolders([...(params.workspaceFolders ?? []).map((f) => f.uri), ...(params.rootUri ? [params.rootUri] : [])]);
  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
  for (const feature of features) Object.assign(capabilities, feature.capabilities(params.capabilities));
  return { capabilities, serverInfo: { name: 'layerlens', version: '0.1.0' } };
});

connection.onDidChangeConfiguration((change) => {
  const section: unknown = (change.settings as { layerlens?: unknown } | null)?.layerlens;
  settings = readSettings(section);
  inputs.setInsecureRegistries(settings.registries.insecure);
  models.invalidateAll();
  for (const listener of invalidationListeners) listener(settings, { plans: 'all', sizes: true });
});

documents.onDidClose(({ document }) => { models.forget(document.uri); inputs.close(document.uri); });
for (const feature of features) feature.register(context);
documents.listen(connection);
connection.listen();
// Gives the garbage of a burst of work back once the server goes quiet (see idleCollection.ts).
collectGarbageWhenIdle();
