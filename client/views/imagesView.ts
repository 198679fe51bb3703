// The "Images" view: images in the local store; each expands to its layers with size and the
// instruction that created them (from the image config's history).
import * as vscode from 'vscode';
import type { LayerlensCli } from '../cli';
import { formatBytes } from '../../server/plan/size/formatBytes';
import { imageRow, type ImageEntry } from './rows';

/** Scheme of the layer rows that waste space: a FileDecorationProvider gives them a badge. */
export const WASTE_SCHEME = 'layerlens-waste';

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
  /** Bytes of its files a later layer deletes or overwrites (undefined when not known). */
  wastedBytes?: number;
  wastedPaths?: { path: string; bytes: number }[];
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
    const listed = this.images.find((i) => (i.name ?? i.id) === ref || i.name === ref || i.id === ref)?.layerDetails;
    if (listed) {
      return listed.map((layer, i) => ({
        kind: 'layer', id: `${ref}/${i}/${layer.diffId}`, image: ref, diffId: layer.diffId, size: layer.size,
        createdBy: layer.createdBy, wastedBytes: layer.wastedBytes ?? undefined, wastedPaths: layer.wastedPaths,
      }));
    }
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
      const waste = wasteLine(node);
      item.description = formatBytes(node.size) + (waste ? ` · ${formatBytes(node.wastedBytes ?? 0)} wasted` : '');
      item.tooltip = [node.createdBy, waste, node.diffId].filter(Boolean).join('\n\n');
      item.iconPath = waste ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('database');
      if (waste) item.resourceUri = vscode.Uri.from({ scheme: WASTE_SCHEME, path: `/${node.id}` });
      item.contextValue = waste ? 'wastingLayer' : 'layer';
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

/** "2.1 MB of this layer is deleted later: /var/cache/apt (2.0 MB), ..." or '' when nothing is wasted. */
export function wasteLine(layer: Pick<LayerRow, 'wastedBytes' | 'wastedPaths'>): string {
  if (!layer.wastedBytes) return '';
  const paths = (layer.wastedPaths ?? []).map((w) => `${w.path} (${formatBytes(w.bytes)})`).join(', ');
  return `${formatBytes(layer.wastedBytes)} of this layer is deleted or overwritten later${paths ? `: ${paths}` : ''}`;
}

/** The badge on layers that waste space (tree items whose resourceUri has WASTE_SCHEME). */
export const wasteDecorations: vscode.FileDecorationProvider = {
  provideFileDecoration(uri) {
    if (uri.scheme !== WASTE_SCHEME) return undefined;
    return new vscode.FileDecoration('W', 'Part of this layer is deleted or overwritten by a later layer', new vscode.ThemeColor('list.warningForeground'));
  },
};

/** `/bin/sh -c #(nop) COPY file:... in /app` and similar, shortened to the instruction. */
function shortCreator(createdBy: string): string {
  return createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ').trim().slice(0, 80);
}
