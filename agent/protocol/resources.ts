/**
 * Resource use of supervised processes: CPU % and resident memory of each
 * run's process tree, sampled by the agent only while a client watches (or a
 * daemon's `limits` need it). A run is named as its mark names it: a part and
 * the run's id (`daemons` + `web:0`, `tasks` + `7`, `queues` + `build-3`).
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';

/** One run's figures at one sample. */
export interface RunResources {
  readonly part: string;
  readonly id: string;
  readonly pid: number;
  /** CPU of the whole tree over the last period, in % of one core (above 100 on several cores); null at its first sample. */
  readonly cpuPercent: number | null;
  /** Resident memory of the whole tree, in bytes. */
  readonly memoryBytes: number;
}

export interface ResourcesSampledParams {
  /** When the sample was taken (ms since epoch). */
  readonly at: number;
  /** Every live run of the workspace. */
  readonly runs: readonly RunResources[];
}

/**
 * Any client → agent: start sampling for this client until it unwatches or
 * disconnects; it then gets ResourcesSampledNotification at each sample, and
 * the daemons' and tasks' answers and deltas carry `cpuPercent`/`memoryBytes`.
 * Resolves once figures exist (about half a second after sampling starts).
 */
export namespace WatchResourcesRequest {
  export const method = 'taskwarden/resources/watch' as const;
  export const type = new RequestType<Record<string, never>, ResourcesSampledParams, void>(method);
}

/** Any client → agent: this client no longer watches (the view was hidden). */
export namespace UnwatchResourcesRequest {
  export const method = 'taskwarden/resources/unwatch' as const;
  export const type = new RequestType<Record<string, never>, void, void>(method);
}

/** Agent → watching clients: the figures of every run, once per sample period (2 s). */
export namespace ResourcesSampledNotification {
  export const method = 'taskwarden/resources/sampled' as const;
  export const type = new NotificationType<ResourcesSampledParams>(method);
}
