// Every LSP feature the server offers, in registration order. One file per feature.
import { diagnosticsFeature } from './diagnostics';
import { codeActionsFeature } from './codeActions';
import type { Feature } from './feature';
import { hoverFeature } from './hover';
import { completionFeature } from './completion';
import { signatureHelpFeature } from './signatureHelp';
import { documentLinksFeature } from './documentLinks';
import { codeLensFeature } from './codeLens';
import { inlayHintsFeature } from './inlayHints';
import { layerPlanFeature } from './layerPlanRequest';
import { documentSymbolsFeature } from './documentSymbols';
import { workspaceSymbolsFeature } from './workspaceSymbols';
import { definitionFeature } from './definition';
import { referencesFeature } from './references';
import { documentHighlightFeature } from './documentHighlight';
import { renameFeature } from './rename';
import { foldingFeature } from './folding';
import { formattingFeature } from './formatting';
import { semanticTokensFeature } from './semanticTokens';
import { settledFeature } from './settledRequest';

export const features: Feature[] = [
  diagnosticsFeature,
  codeActionsFeature,
  hoverFeature,
  completionFeature,
  signatureHelpFeature,
  documentLinksFeature,
  codeLensFeature,
  inlayHintsFeature,
  layerPlanFeature,
  documentSymbolsFeature,
  workspaceSymbolsFeature,
  definitionFeature,
  referencesFeature,
  documentHighlightFeature,
  renameFeature,
  foldingFeature,
  formattingFeature,
  semanticTokensFeature,
  settledFeature,
];
