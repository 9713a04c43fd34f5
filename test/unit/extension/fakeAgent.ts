/**
 * An AgentApi double for the extension models' unit tests: the connection
 * state and the deltas the test pushes, and the answers a subclass gives to
 * requests (one microtask later, as over a socket; after `gate` when set, to
 * push deltas while an answer is on its way).
 */
import type { ConnectionState } from '../../../extension/shared/agentApi';

export const RUNNING: ConnectionState = { kind: 'running', pid: 1, agentVersion: '0' };

/** Lets every read in flight finish (the double answers at once, so no timer is involved). */
export async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

export abstract class FakeAgent {
  state: ConnectionState = { kind: 'connecting' };
  readonly workspaceFolder = '/ws';
  readonly health = undefined;
  /** While set, every answer waits for it. */
  gate: Promise<void> | null = null;
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly deltaListeners = new Set<(delta: unknown) => void>();

  onDidChangeState = (listener: (state: ConnectionState) => void) => {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  };
  onDidChangeHealth = () => ({ dispose: () => undefined });
  onPartChanged = (_topic: string, listener: (delta: unknown) => void) => {
    this.deltaListeners.add(listener);
    return { dispose: () => this.deltaListeners.delete(listener) };
  };
  onNotification = () => ({ dispose: () => undefined });
  refreshCodeLenses = (): void => undefined;

  /** The answer to one request, taken when it arrives; a throw is the agent's error. */
  protected abstract answer(method: string, params: unknown): unknown;

  async request(type: { method: string }, params?: unknown): Promise<unknown> {
    await Promise.resolve();
    const answer = this.answer(type.method, params);
    if (this.gate) await this.gate;
    return answer;
  }

  setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  push(delta: unknown): void {
    for (const listener of this.deltaListeners) listener(delta);
  }
}
