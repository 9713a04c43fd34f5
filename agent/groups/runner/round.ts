/**
 * One round of a group's tasklets, in run order: `match`, then `main` if it
 * matched, each with the group's params (one object, shared along the chain
 * and kept across rounds), a `ctx` and a time limit over match + main. A
 * tasklet that throws, rejects or passes its limit is recorded and the round
 * goes on; one that sets `params.break` ends it (the flag is removed when the
 * next round starts). A synchronous tasklet that never returns cannot be
 * stopped from here: the watchdog is told which one runs (watchdog.ts).
 */
import type { GroupParams, JsonValue, TaskletError, TaskletResult } from '../protocol';

/** What a tasklet's functions receive besides the params. */
export interface TaskletContext {
  /** The last start of this tasklet's `main` (ms since epoch; 0 before the first). */
  readonly lastRun: number;
  readonly round: number;
  readonly group: string;
  /** Fires when the tasklet's time limit is reached. */
  readonly signal: AbortSignal;
  /** Writes lines into the group's output, marked with the tasklet. */
  log(...values: unknown[]): void;
  /** The host's client of the agent (userAgentApi.ts), unknown to the round itself. */
  readonly agent: unknown;
}

export type TaskletFunction = (params: Record<string, JsonValue>, ctx: TaskletContext) => unknown;

export interface RunnableTasklet {
  readonly name: string;
  readonly main: TaskletFunction;
  readonly match: TaskletFunction | null;
}

/** Told which tasklet runs, so that a synchronous one that never returns can be caught from outside. */
export interface RoundWatch {
  enter(name: string, startedAt: number, results: readonly TaskletResult[]): void;
  leave(): void;
}

export interface RoundInput {
  readonly group: string;
  readonly round: number;
  /** In run order. */
  readonly tasklets: readonly RunnableTasklet[];
  /** Mutated in place: what a tasklet sets, the next one sees. */
  readonly params: Record<string, JsonValue>;
  /** Each tasklet's last `main` start by name; updated in place. */
  readonly lastRuns: Map<string, number>;
  readonly timeLimitMs: number;
  readonly agent: unknown;
  log(tasklet: string, line: string): void;
  readonly watch?: RoundWatch;
  readonly now?: () => number;
}

export interface RoundOutcome {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly endedBy: 'done' | 'break';
  readonly results: readonly TaskletResult[];
}

const STACK_LINES = 4;

export function taskletError(error: unknown): TaskletError {
  if (error instanceof Error) {
    const stack = (error.stack ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      // The runner's own frames (this bundle, Node's internals) say nothing about the tasklet.
      .filter((line) => line.startsWith('at ') && !line.includes(__filename) && !line.includes('node:internal'))
      .slice(0, STACK_LINES);
    return { message: error.message === '' ? error.name : `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`, stack };
  }
  return { message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)), stack: [] };
}

class TimedOut {
  constructor(readonly limitMs: number) {}
}

/** Awaits `value` (a promise or not) until `deadline`; the controller is aborted when the time is up. */
async function settle(value: unknown, deadline: number, now: () => number, controller: AbortController): Promise<unknown> {
  if (
    !(value instanceof Promise) &&
    !(typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')
  )
    return value;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TimedOut>((resolve) => {
    timer = setTimeout(() => resolve(new TimedOut(0)), Math.max(0, deadline - now()));
  });
  try {
    const result = await Promise.race([Promise.resolve(value), timeout]);
    if (result instanceof TimedOut) controller.abort(new Error('time limit reached'));
    return result;
  } finally {
    clearTimeout(timer);
  }
}

export function clearBreak(params: Record<string, JsonValue>): void {
  delete params.break;
}

function breakSet(params: GroupParams): boolean {
  const value = params.break;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

export async function runRound(input: RoundInput): Promise<RoundOutcome> {
  const now = input.now ?? Date.now;
  const startedAt = now();
  clearBreak(input.params);
  const results: TaskletResult[] = [];
  let broke = false;
  for (const tasklet of input.tasklets) {
    if (broke) {
      results.push({ name: tasklet.name, outcome: 'skipped', matched: null, startedAt: null, durationMs: 0, error: null });
      continue;
    }
    results.push(await runTasklet(input, tasklet, now, results));
    if (breakSet(input.params)) broke = true;
  }
  return { startedAt, endedAt: now(), endedBy: broke ? 'break' : 'done', results };
}

async function runTasklet(
  input: RoundInput,
  tasklet: RunnableTasklet,
  now: () => number,
  before: readonly TaskletResult[],
): Promise<TaskletResult> {
  const begin = now();
  const deadline = begin + input.timeLimitMs;
  const controller = new AbortController();
  const ctx: TaskletContext = {
    lastRun: input.lastRuns.get(tasklet.name) ?? 0,
    round: input.round,
    group: input.group,
    signal: controller.signal,
    agent: input.agent,
    log: (...values) =>
      input.log(tasklet.name, values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' ')),
  };
  const base = { name: tasklet.name };
  let matched: boolean | null = null;
  let mainStart: number | null = null;
  input.watch?.enter(tasklet.name, begin, before);
  try {
    if (tasklet.match !== null) {
      const answer = await settle(tasklet.match(input.params, ctx), deadline, now, controller);
      if (answer instanceof TimedOut)
        return {
          ...base,
          outcome: 'timeout',
          matched: null,
          startedAt: null,
          durationMs: now() - begin,
          error: timeoutError(input.timeLimitMs, 'match'),
        };
      matched = Boolean(answer);
      if (!matched) return { ...base, outcome: 'not-matched', matched, startedAt: null, durationMs: now() - begin, error: null };
    } else matched = true;
    mainStart = now();
    input.lastRuns.set(tasklet.name, mainStart);
    const result = await settle(tasklet.main(input.params, ctx), deadline, now, controller);
    if (result instanceof TimedOut)
      return {
        ...base,
        outcome: 'timeout',
        matched,
        startedAt: mainStart,
        durationMs: now() - begin,
        error: timeoutError(input.timeLimitMs, 'main'),
      };
    if (now() > deadline)
      return {
        ...base,
        outcome: 'timeout',
        matched,
        startedAt: mainStart,
        durationMs: now() - begin,
        error: timeoutError(input.timeLimitMs, 'main'),
      };
    return { ...base, outcome: 'ok', matched, startedAt: mainStart, durationMs: now() - begin, error: null };
  } catch (error: unknown) {
    return {
      ...base,
      outcome: 'error',
      matched: mainStart === null ? null : matched,
      startedAt: mainStart,
      durationMs: now() - begin,
      error: taskletError(error),
    };
  } finally {
    input.watch?.leave();
  }
}

function timeoutError(limitMs: number, where: 'match' | 'main'): TaskletError {
  return { message: `${where} did not finish within its time limit (${limitMs / 1000} s)`, stack: [] };
}
