/**
 * What the agent and a job handler runner exchange, as files: the request
 * (the job as the handler sees it, the time limit) and the result (the
 * handler's return value, checked by the agent).
 */

/** The job a user handler's `handle(job, ctx)` receives. */
export interface HandlerJob {
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The schedule as the config wrote it, in words too. */
  readonly schedule: { readonly spec: unknown; readonly text: string };
  /** The last run's end (epoch seconds, as the check event's timestamp), or 0 before the first. */
  readonly lastRun: number;
}

export interface RunnerRequest {
  readonly job: HandlerJob;
  readonly timeLimitMs: number;
}

/** The runner's answer: what `handle` returned, or why there is nothing to return. */
export type RunnerResult = { readonly returned: unknown } | { readonly state: 2 | 3; readonly output: string };
