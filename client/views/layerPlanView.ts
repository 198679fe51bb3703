// The "Layer plan" view: stages and steps of the active Dockerfile, from the server's plan.
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import { layerPlanMethod, type LayerPlanParams, type LayerPlanResult } from '../../server/protocol';
import type { PlannedStage, PlannedStep } from '../../server/plan';
import { formatBytes } from '../../server/plan/size/formatBytes';

type PlanNode = { kind: 'stage'; stage: PlannedStage } | { kind: 'step'; step: PlannedStep; stage: PlannedStage };

const REFRESH_DEBOUNCE_MS = 150;

export class LayerPlanView implements vscode.TreeDataProvider<PlanNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private result: LayerPlanResult | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The Dockerfile the view follows: the last active one, kept while focus is elsewhere. */
  private document: vscode.TextDocument | undefined;

  constructor(private readonly client: LanguageClient) {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.languageId === 'dockerfile') this.follow(editor.document);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.scheduleRefresh();
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === this.document) this.follow(undefined);
      }),
    );
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'dockerfile') this.follow(active);
  }

  private follow(document: vscode.TextDocument | undefined): void {
    this.document = document;
    this.scheduleRefresh();
  }

  /** The plan the view shows now (for tests and other commands). */
  get current(): LayerPlanResult | null {
    return this.result;
  }

  scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'dockerfile') this.document = active;
    const document = this.document;
    if (!document) {
      if (this.result) { this.result = null; this.changed.fire(); }
      return;
    }
    await this.client.start();
    const params: LayerPlanParams = { uri: document.uri.toString() };
    try {
      this.result = await this.client.sendRequest<LayerPlanResult | null>(layerPlanMethod, params);
    } catch (err) {
      // The document changed while the server planned it: the change schedules the next refresh.
      if (err instanceof ResponseError && err.code === LSPErrorCodes.ContentModified) return;
      throw err;
    }
    this.changed.fire();
  }

  getChildren(node?: PlanNode): PlanNode[] {
    if (!this.result) return [];
    if (!node) return this.result.plan.stages.map((stage) => ({ kind: 'stage', stage }));
    if (node.kind === 'stage') return node.stage.steps.map((step) => ({ kind: 'step', step, stage: node.stage }));
    return [];
  }

  getTreeItem(node: PlanNode): vscode.TreeItem {
    if (node.kind === 'stage') {
      const { stage } = node;
      const item = new vscode.TreeItem(stage.name ?? `stage ${stage.index}`, vscode.TreeItemCollapsibleState.Expanded);
      item.description = describeBase(stage) + (stage.reachable ? '' : ' · not needed for the target');
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = 'stage';
      return item;
    }
    const { step } = node;
    const item = new vscode.TreeItem(step.display, vscode.TreeItemCollapsibleState.None);
    const size = step.measuredBytes ?? step.predictedBytes;
    const figures = this.result?.figures?.[`${node.stage.index}:${step.index}`];
    const total = figures ? `Σ ${figures.cumulativeComplete ? '' : '≥ '}${formatBytes(figures.cumulativeBytes)}` : undefined;
    const reasons = figures?.missReasons ?? [];
    const cache = figures && figures.cache !== 'metadata' ? figures.cache + (reasons.length ? `: ${shorten(reasons[0], 60)}` : '') : undefined;
    item.description = [
      step.createsLayer ? 'layer' : 'metadata',
      step.createsLayer ? (size !== undefined ? formatBytes(size) : 'size unknown') : undefined,
      step.createsLayer ? total : undefined,
      cache,
    ].filter(Boolean).join(' · ');
    const sizeLine = step.measuredBytes !== undefined && step.predictedBytes !== undefined && step.measuredBytes !== step.predictedBytes
      ? `predicted ${formatBytes(step.predictedBytes)}, measured ${formatBytes(step.measuredBytes)}`
      : step.basis ?? '';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown([`cache key \`${step.cacheKey.slice(0, 19)}\``, sizeLine].filter(Boolean).join('\n\n'));
    if (reasons.length) tooltip.appendMarkdown('\n\n**Cache miss:**\n');
    for (const reason of reasons) tooltip.appendMarkdown('\n- ').appendText(reason);
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(step.createsLayer ? 'database' : 'symbol-property');
    item.contextValue = step.createsLayer ? 'layerStep' : 'metadataStep';
    if (this.result) {
      const uri = vscode.Uri.parse(this.result.uri);
      const { start } = step.range;
      item.command = {
        command: 'vscode.open', title: 'Reveal step',
        arguments: [uri, { selection: new vscode.Range(start.line, start.character, start.line, start.character) }],
      };
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describeBase(stage: PlannedStage): string {
  const base = stage.base;
  if (base.kind === 'scratch') return 'FROM scratch';
  if (base.kind === 'stage') return `FROM stage ${base.name}`;
  return `FROM ${base.ref}`;
}
