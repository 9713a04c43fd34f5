/**
 * What the part models that read their lists from the agent share: the
 * listeners told after each change, and the subscriptions to dispose with the
 * model (a part's deltas, the connection's state). Only type imports from 'vscode'.
 */
export abstract class PartModel {
  private readonly listeners = new Set<() => void>();
  /** What the model follows (pushed onto by the subclass's constructor), disposed with it. */
  protected readonly disposables: { dispose(): unknown }[] = [];

  /** Calls `listener` after each change; returns a function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected emit(): void {
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.listeners.clear();
  }
}
