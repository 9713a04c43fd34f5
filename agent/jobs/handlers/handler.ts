/**
 * What a job handler is to the part: a name, the JSON Schema of its params,
 * and `run`, which returns the check's verdict. A handler honours `signal`
 * (aborted at the job's time limit) by ending its work and answering
 * `timedOut`; any throw becomes UNKNOWN with the error as output (the part
 * catches it). Handlers receive what they need of the agent through
 * `HandlerHost`, never the part itself.
 */
import type { AgentContext } from '../../core/part';
import type { CheckState, PerfDatum } from '../protocol';
import type { JobConfig } from '../config/jobsConfig';

export interface HandlerOutcome {
  readonly state: CheckState;
  readonly output: string;
  readonly perfData?: readonly PerfDatum[];
}

export interface HandlerRun {
  readonly job: JobConfig;
  /** Aborted when the job's time limit is reached. */
  readonly signal: AbortSignal;
}

export interface JobHandler {
  readonly name: string;
  readonly schema: object;
  run(run: HandlerRun): Promise<HandlerOutcome>;
}

/** What the agent lends the handlers. */
export interface HandlerHost {
  readonly workspace: string;
  /** Another part's request, through the protocol (AgentContext.request). */
  readonly request: AgentContext['request'];
}

/** Nagios' wording of a check that hit its time limit (its default timeout state is CRITICAL). */
export function timedOut(job: JobConfig): HandlerOutcome {
  return { state: 2, output: `timed out after ${formatSeconds(job.timeLimitMs)} s` };
}

export function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Resolves when `signal` aborts (never, if it does not). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
