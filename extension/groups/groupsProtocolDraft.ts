/**
 * DRAFT, to be deleted: the groups messages as the extension expects them,
 * until agent/protocol/groups.ts lands from the `groups` branch. Only the
 * model and its readers import it, so the switch touches few files.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { Diagnostic } from '../../agent/protocol';

/** What a tasklet did in the last round. */
export type TaskletOutcome = 'ran' | 'skipped' | 'failed' | 'timedOut' | 'notRun';

export interface TaskletStatus {
  readonly name: string;
  readonly file: string;
  readonly priority: number;
  readonly description: string | null;
  readonly lastMatch: boolean | null;
  readonly lastRun: number;
  readonly lastDuration: number | null;
  readonly lastError: { readonly message: string; readonly stack: string | null } | null;
  readonly outcome: TaskletOutcome;
}

export interface GroupStatus {
  readonly name: string;
  readonly folder: string;
  readonly running: boolean;
  readonly startedAt: number | null;
  readonly rounds: number;
  readonly nextRoundAt: number | null;
  readonly interval: number;
  readonly pid: number | null;
  readonly tasklets: readonly TaskletStatus[];
}

export interface GroupStatusResult {
  readonly now: number;
  readonly groups: readonly GroupStatus[];
  readonly diagnostics: readonly Diagnostic[];
}

export namespace GroupStatusRequest {
  export const method = 'taskwarden/groups/status' as const;
  export const type = new RequestType<{ readonly group?: string }, GroupStatusResult, void>(method);
}

export namespace GroupParamsRequest {
  export const method = 'taskwarden/groups/params' as const;
  export const type = new RequestType<{ readonly group: string }, { readonly params: Readonly<Record<string, unknown>> }, void>(method);
}

export namespace StartGroupRequest {
  export const method = 'taskwarden/groups/start' as const;
  export const type = new RequestType<{ readonly group?: string }, void, void>(method);
}

export namespace StopGroupRequest {
  export const method = 'taskwarden/groups/stop' as const;
  export const type = new RequestType<{ readonly group?: string }, void, void>(method);
}

export namespace RunGroupRoundRequest {
  export const method = 'taskwarden/groups/run' as const;
  export const type = new RequestType<{ readonly group: string }, void, void>(method);
}
