/**
 * Agent-level messages: the handshake, status, shutdown, subscriptions and health.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';

/**
 * A part's name (`daemons`, `queues`…) as agent/parts.ts lists it; each part owns
 * a topic of state notifications. The protocol does not list the parts: the agent
 * answers `status` with every part's counts, in its list's order.
 */
export type PartName = string;
/** What a client subscribes to: a part's name, or 'config', 'health' or 'stats'. */
export type Topic = string;

export interface HandshakeParams {
  readonly protocolVersion: number;
  /** Who is connecting, for the agent's log: "cli", "vscode", "test"… */
  readonly client: string;
}

/** What a language client (the extension) sends as LSP `initialize`'s initializationOptions. */
export interface LanguageInitializationOptions extends HandshakeParams {
  /**
   * The editor already completes and explains keys from taskwarden.yaml's JSON
   * Schema (Red Hat's YAML extension is installed): the agent then offers no
   * schema key or value completions, key hovers nor outline, so none shows twice.
   */
  readonly yamlSchemaSupport?: boolean;
}

export interface HandshakeResult {
  readonly protocolVersion: number;
  readonly agentVersion: string;
  readonly pid: number;
  readonly workspace: string;
  /** The config file the agent runs (absolute), so a client given another one can say so. */
  readonly configFile: string;
  /** The roles file in use (absolute: `-r`, else `settings.roles_file`), or null for none. */
  readonly rolesFile: string | null;
}

/**
 * Any client → agent, first message on a connection: exchanges versions.
 * Fails with ErrorCodes.ProtocolMismatch naming both versions.
 */
export namespace HandshakeRequest {
  export const method = 'taskwarden/agent/handshake' as const;
  export const type = new RequestType<HandshakeParams, HandshakeResult, void>(method);
}

export interface AgentStatus {
  readonly pid: number;
  readonly agentVersion: string;
  readonly protocolVersion: number;
  /** Seconds since the agent started. */
  readonly uptimeSeconds: number;
  readonly startedAt: number;
  readonly socketPath: string;
  readonly workspace: string;
  readonly configFile: string;
  /** The roles file in use (absolute: `-r`, else `settings.roles_file`), or null for none. */
  readonly rolesFile: string | null;
  /** Whether the config on disk currently has errors (the last good one runs). */
  readonly configErrors: number;
  readonly clients: number;
  /** Every part's counts, in the order of agent/parts.ts. */
  readonly counts: Readonly<Record<PartName, Record<string, number>>>;
}

/** Any client → agent: a snapshot of the agent and counts per part. */
export namespace StatusRequest {
  export const method = 'taskwarden/agent/status' as const;
  export const type = new RequestType0<AgentStatus, void>(method);
}

export interface ShutdownAgentParams {
  /** Leave supervised processes running so the next agent adopts them. */
  readonly keepProcesses?: boolean;
}

/** Any client → agent: stop the agent (and, unless kept, what it supervises); resolves before it exits. */
export namespace ShutdownAgentRequest {
  export const method = 'taskwarden/agent/shutdown' as const;
  export const type = new RequestType<ShutdownAgentParams, void, void>(method);
}

export interface SubscribeParams {
  /** Parts' names, 'config', 'health' or 'stats'; the agent refuses a name it does not know. */
  readonly topics: readonly Topic[];
}

/** Any client → agent: start receiving StateChanged notifications for these topics. */
export namespace SubscribeRequest {
  export const method = 'taskwarden/agent/subscribe' as const;
  export const type = new RequestType<SubscribeParams, void, void>(method);
}

/** Any client → agent: stop receiving notifications for these topics (the dashboard's `stats` when it closes). */
export namespace UnsubscribeRequest {
  export const method = 'taskwarden/agent/unsubscribe' as const;
  export const type = new RequestType<SubscribeParams, void, void>(method);
}

export interface StateChangedParams {
  readonly topic: PartName;
  /** Monotonic per agent, so a client can tell it missed nothing. */
  readonly sequence: number;
  /** The part's own delta type (see that part's protocol file). */
  readonly delta: unknown;
}

/** Agent → subscribed clients: something changed in a part. */
export namespace StateChangedNotification {
  export const method = 'taskwarden/agent/stateChanged' as const;
  export const type = new NotificationType<StateChangedParams>(method);
}

export type HealthLevel = 'ok' | 'warning' | 'error';

export interface HealthParams {
  readonly level: HealthLevel;
  readonly message: string;
  /** Short counters for a status bar, e.g. { running: 3, failed: 1 }. */
  readonly summary: Record<string, number>;
}

/** Agent → subscribed clients: overall health, sent on subscribe and whenever it changes. */
export namespace HealthNotification {
  export const method = 'taskwarden/agent/health' as const;
  export const type = new NotificationType<HealthParams>(method);
}

/** Any client → agent: the current health (same payload as the notification). */
export namespace HealthRequest {
  export const method = 'taskwarden/agent/getHealth' as const;
  export const type = new RequestType0<HealthParams, void>(method);
}
