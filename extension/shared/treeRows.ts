/**
 * How the part views redraw (Queues, Process Groups, Jobs): VS Code forgets a
 * node's children when the node is refreshed, and a refreshed row can move
 * under the pointer, so a redraw refreshes as little as it can. It compares
 * every row as the model stands (its id, its parent, its text) with what was
 * drawn: the whole tree when top-level rows came, went or moved; else each row
 * whose children came, went or moved (with them), and each row whose own text
 * changed (unless its parent is refreshed anyway). While the view is visible
 * and a row shows a clock (an elapsed time, a countdown), it redraws once a
 * second the same way, so only the rows whose clock moved are touched. No
 * runtime import of 'vscode': the provider owns the event, so this is
 * unit-tested as it is.
 */

/** One row as the model stands: its id (the node's), its parent row's id (null at the top) and what it shows. */
export interface RowLook {
  readonly id: string;
  readonly parent: string | null;
  readonly text: string;
}

export interface TreeRowsSource {
  /** Every row, in tree order, including rows of collapsed parents. */
  rows(): Iterable<RowLook>;
  /** True while some row shows a clock that moves each second. */
  ticking(): boolean;
}

const TICK_MS = 1000;

/** Tells VS Code which rows to draw again: these nodes, or (undefined) the whole tree. */
export type RefreshRows<N> = (nodes: N[] | undefined) => void;

export class TreeRows<N> {
  /** One object per node id: VS Code finds a node to refresh by identity. */
  private readonly nodes = new Map<string, N>();
  private drawnTop: string | null = null;
  private drawnChildren = new Map<string, string>();
  private drawnText = new Map<string, string>();
  private tickTimer: NodeJS.Timeout | undefined;
  private visible = false;

  constructor(
    private readonly idOf: (node: N) => string,
    private readonly source: TreeRowsSource,
    private readonly refresh: RefreshRows<N>,
  ) {}

  /** The one object of a node (the first one asked for with its id). */
  node(node: N): N {
    const id = this.idOf(node);
    const known = this.nodes.get(id);
    if (known) return known;
    this.nodes.set(id, node);
    return node;
  }

  /** Redraws what changed since the last draw. */
  redraw(): void {
    let top = '';
    const children = new Map<string, string>();
    const text = new Map<string, string>();
    const parentOf = new Map<string, string | null>();
    for (const row of this.source.rows()) {
      if (row.parent === null) top += `${row.id}\n`;
      else children.set(row.parent, `${children.get(row.parent) ?? ''}${row.id}\n`);
      text.set(row.id, row.text);
      parentOf.set(row.id, row.parent);
    }
    if (top !== this.drawnTop) {
      // Fresh node objects too, so the cache never outgrows the tree.
      this.nodes.clear();
      this.refresh(undefined);
    } else {
      const refreshed = new Set<string>();
      for (const id of new Set([...children.keys(), ...this.drawnChildren.keys()]))
        if (children.get(id) !== this.drawnChildren.get(id)) refreshed.add(id);
      const underRefreshed = (id: string): boolean => {
        for (let parent = parentOf.get(id) ?? null; parent !== null; parent = parentOf.get(parent) ?? null)
          if (refreshed.has(parent)) return true;
        return false;
      };
      const moved = [...text].filter(([id, words]) => this.drawnText.get(id) !== words && !underRefreshed(id)).map(([id]) => id);
      for (const id of moved) refreshed.add(id);
      const nodes = [...refreshed].filter((id) => !underRefreshed(id)).flatMap((id) => this.nodes.get(id) ?? []);
      if (nodes.length > 0) this.refresh(nodes);
    }
    this.drawnTop = top;
    this.drawnChildren = children;
    this.drawnText = text;
    this.updateTicker();
  }

  /** Redraws every row (e.g. the order changed). */
  redrawAll(): void {
    this.drawnTop = null;
    this.redraw();
  }

  /** The view was shown or hidden: clocks tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  private updateTicker(): void {
    const wanted = this.visible && this.source.ticking();
    if (wanted && this.tickTimer === undefined) {
      this.tickTimer = setInterval(() => this.redraw(), TICK_MS);
    } else if (!wanted && this.tickTimer !== undefined) {
      clearInterval(this.tickTimer);
      this.tickTimer = undefined;
    }
  }

  dispose(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }
}
