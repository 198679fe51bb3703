// The "Images" view: images in the local store; each expands to its layers with size and the
// instruction that created them (from the image config's history).
import * as vscode from 'vscode';
import type { LayerlensCli } from '../cli';
import { formatBytes } from '../format';
import { imageRow, type ImageEntry } from './rows';

interface InspectedImage {
  layers: { diffId: string; size: number }[];
  config: { history?: { created_by?: string; empty_layer?: boolean }[] };
}

export interface LayerRow {
  kind: 'layer';
  id: string;
  image: string;
  diffId: string;
  size: number;
  createdBy: string;
}

export type ImageNode = (ReturnType<typeof imageRow> & { kind: 'image' }) | LayerRow | { kind: 'message'; id: string; label: string; detail: string };

export class ImagesView implements vscode.TreeDataProvider<ImageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private images: ImageEntry[] = [];
  private failure: string | undefined;

  constructor(private readonly cli: LayerlensCli) {}

  get currentImages(): readonly ImageEntry[] {
    return this.images;
  }

  async refresh(): Promise<void> {
    try {
      this.images = await this.cli.list<ImageEntry>(['images']);
      this.failure = undefined;
    } catch (err) {
      this.images = [];
      this.failure = err instanceof Error ? err.message : String(err);
    }
    this.changed.fire();
  }

  async getChildren(node?: ImageNode): Promise<ImageNode[]> {
    if (!node) {
      if (this.failure) return [{ kind: 'message', id: 'error', label: 'The runner cannot list images', detail: this.failure }];
      return this.images.map((image) => ({ kind: 'image', ...imageRow(image) }));
    }
    return node.kind === 'image' ? this.layersOf(node.id) : [];
  }

  /** The layers of one image, top layer last, as the view shows them. */
  async layersOf(ref: string): Promise<LayerRow[]> {
    const result = await this.cli.run(['inspect', ref]);
    if (result.code !== 0) return [];
    const [image] = JSON.parse(result.stdout) as InspectedImage[];
    const creators = (image.config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
    return image.layers.map((layer, i) => ({
      kind: 'layer', id: `${ref}/${i}/${layer.diffId}`, image: ref, diffId: layer.diffId, size: layer.size,
      createdBy: creators[i] ?? '',
    }));
  }

  getTreeItem(node: ImageNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label);
      item.description = node.detail;
      item.tooltip = node.detail;
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    if (node.kind === 'layer') {
      const item = new vscode.TreeItem(shortCreator(node.createdBy) || node.diffId.slice(7, 19));
      item.id = node.id;
      item.description = formatBytes(node.size);
      item.tooltip = `${node.createdBy}\n${node.diffId}`;
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = 'layer';
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `/bin/sh -c #(nop) COPY file:... in /app` and similar, shortened to the instruction. */
function shortCreator(createdBy: string): string {
  return createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ').trim().slice(0, 80);
}
