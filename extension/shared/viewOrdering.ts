/**
 * A view's choice of order for its top rows (itemOrder.ts), remembered per
 * view in the workspace state, and the view title action that steps through
 * config → name → state order (command `taskwarden.order<View>`, e.g.
 * `taskwarden.orderDaemons`). The view's title line says the order when it is
 * not config order.
 */
import * as vscode from 'vscode';
import { nextOrder, orderDescription, orderItems, parseOrder, type ItemOrder, type OrderKeys } from './itemOrder';

/** What a view gives to be ordered. */
export interface OrderedView {
  /** The view's id, e.g. `taskwarden.daemons`: the key of its stored choice. */
  readonly viewId: string;
  /** The command of its title action, e.g. `taskwarden.orderDaemons` (package.json `view/title`). */
  readonly command: string;
}

/** One view's order: read it in getChildren, redraw on `onDidChange`. */
export class ViewOrdering implements vscode.Disposable {
  private current: ItemOrder;
  private readonly changed = new vscode.EventEmitter<ItemOrder>();
  /** Fired after the order changed: the view redraws its rows. */
  readonly onDidChange = this.changed.event;
  private readonly command: vscode.Disposable;
  private view: Pick<vscode.TreeView<unknown>, 'description'> | undefined;

  constructor(
    private readonly target: OrderedView,
    private readonly state: vscode.Memento,
  ) {
    this.current = parseOrder(state.get(this.key));
    this.command = vscode.commands.registerCommand(target.command, () => this.set(nextOrder(this.current)));
  }

  private get key(): string {
    return `${this.target.viewId}.order`;
  }

  get order(): ItemOrder {
    return this.current;
  }

  /** `items` in this view's order. */
  apply<T>(items: readonly T[], keys: (item: T) => OrderKeys): T[] {
    return orderItems(items, this.current, keys);
  }

  /** Whether a row's state change may move rows (state order): the view then redraws whole. */
  get movesOnStateChange(): boolean {
    return this.current === 'state';
  }

  async set(order: ItemOrder): Promise<void> {
    this.current = order;
    this.describe();
    await this.state.update(this.key, order);
    this.changed.fire(order);
  }

  /** Says the order on the view's title line from now on (the tree is made after its provider, which reads the order). */
  showIn(view: Pick<vscode.TreeView<unknown>, 'description'>): void {
    this.view = view;
    this.describe();
  }

  private describe(): void {
    if (this.view) this.view.description = orderDescription(this.current);
  }

  dispose(): void {
    this.command.dispose();
    this.changed.dispose();
  }
}
