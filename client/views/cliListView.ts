// A flat tree view whose rows come from a `layerlens <list> --json` command (images, containers).
import * as vscode from 'vscode';
import type { LayerlensCli } from '../cli';

export interface ListRow {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue: string;
  icon: string;
}

export class CliListView<T> implements vscode.TreeDataProvider<ListRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: ListRow[] = [];
  private entries: T[] = [];
  private failure: string | undefined;

  constructor(
    private readonly cli: LayerlensCli,
    private readonly listArgs: string[],
    private readonly toRow: (entry: T) => ListRow,
  ) {}

  async refresh(): Promise<void> {
    try {
      this.entries = await this.cli.list<T>(this.listArgs);
      this.rows = this.entries.map(this.toRow);
      this.failure = undefined;
    } catch (err) {
      this.rows = [];
      this.entries = [];
      this.failure = err instanceof Error ? err.message : String(err);
    }
    this.changed.fire();
  }

  get currentRows(): readonly ListRow[] {
    return this.rows;
  }

  /** The entries as the CLI listed them at the last refresh. */
  get currentEntries(): readonly T[] {
    return this.entries;
  }

  getChildren(row?: ListRow): ListRow[] {
    if (row) return [];
    if (this.failure) {
      return [{ id: 'error', label: 'The runner cannot list this', description: this.failure, tooltip: this.failure, contextValue: 'error', icon: 'warning' }];
    }
    return this.rows;
  }

  getTreeItem(row: ListRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.contextValue = row.contextValue;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
