// The language server process: wiring only. Features live in features/, the model in parser/ and plan/.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels } from './documentModels';
import { computeDiagnostics } from './features/diagnostics';
import { computeHover } from './features/hover';
import { layerPlanMethod, type LayerPlanParams, type LayerPlanResult } from './protocol';
import { runSafely } from './requestRunner';

const DIAGNOSTICS_DEBOUNCE_MS = 80;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const models = new DocumentModels();
const pendingValidation = new Map<string, NodeJS.Timeout>();

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
  },
  serverInfo: { name: 'layerlens', version: '0.1.0' },
}));

function validate(uri: string): void {
  const document = documents.get(uri);
  if (!document) return;
  const diagnostics = runSafely(connection, 'diagnostics', [], undefined, () => computeDiagnostics(models.get(document)));
  if (Array.isArray(diagnostics)) void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
}

documents.onDidChangeContent(({ document }) => {
  clearTimeout(pendingValidation.get(document.uri));
  pendingValidation.set(document.uri, setTimeout(() => validate(document.uri), DIAGNOSTICS_DEBOUNCE_MS));
});

documents.onDidClose(({ document }) => {
  clearTimeout(pendingValidation.get(document.uri));
  pendingValidation.delete(document.uri);
  models.forget(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onHover((params, token) => runSafely(connection, 'hover', null, token, () => {
  const document = documents.get(params.textDocument.uri);
  return document ? computeHover(models.get(document), params.position) : null;
}));

connection.onRequest(layerPlanMethod, (params: LayerPlanParams, token) => runSafely(connection, 'layer plan', null, token, (): LayerPlanResult | null => {
  const document = documents.get(params.uri);
  if (!document) return null;
  const model = models.get(document);
  return { uri: model.uri, version: model.version, plan: model.plan };
}));

documents.listen(connection);
connection.listen();
