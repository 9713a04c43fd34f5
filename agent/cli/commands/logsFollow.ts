/**
 * `taskwarden logs`'s conversation with the agent: one request for the recent
 * lines (and, with -f, a stream of new ones) and, when the agent goes away
 * while following, a new agent (started as the next client would, unless
 * --no-start) asked for every line after the positions already printed, so
 * nothing is repeated or lost. An agent stopped on purpose says so first:
 * then following ends, or (`down --keep`: its processes run on) goes on with the
 * next agent too.
 */
import * as fs from 'node:fs';
import { connectToAgent, type AgentConnection } from '../agentClient';
import {
  FollowOutputRequest,
  OutputEndNotification,
  OutputLinesNotification,
  UnfollowOutputRequest,
  type OutputLine,
  type OutputPosition,
  type OutputSource,
  type OutputStream,
} from '../../protocol/output';
import { connect, type Connected, type GlobalOptions } from '../globalOptions';
import { ok } from '../../result';
import { ExitCode, fail, reported } from '../output';

export interface LogsRequest {
  readonly source: OutputSource;
  /** Recent lines per run and stream; with `since` a cap (none when undefined). */
  readonly lines?: number;
  readonly streams: readonly OutputStream[];
  readonly follow: boolean;
  /** Only lines written from then on (ms since epoch). */
  readonly since?: number;
  readonly timestamps: boolean;
  /** Marked lines where a daemon's process restarted. */
  readonly markers: boolean;
}

/** Where printed lines go: told once per answer which runs there are. */
export interface LogSink {
  /** The runs read (a daemon has one per instance). */
  begin(runs: readonly string[]): void;
  print(line: OutputLine): void;
}

/** Lines and where their streams are read to, as they arrive. */
interface Batch {
  readonly lines: readonly OutputLine[];
  readonly positions: readonly OutputPosition[];
}

type SessionEnd =
  | { readonly kind: 'done' }
  | { readonly kind: 'lost' }
  | { readonly kind: 'stopped'; readonly processesKept: boolean }
  | { readonly kind: 'failed'; readonly message: string };

/** With --no-start, how long to wait for another client to start an agent. */
const NO_START_WAIT_MS = 10_000;
/** Agents that go away this many times within RELOST_WINDOW_MS end the following. */
const MAX_QUICK_RECONNECTS = 5;
const RELOST_WINDOW_MS = 30_000;

/** How long an interrupted follower waits for the agent to confirm the unfollow before it ends anyway. */
const UNFOLLOW_WAIT_MS = 1_000;

/** The id this client gives its stream: one per connection, so always the same. */
const SUBSCRIPTION = 1;

function positionKey(position: Pick<OutputPosition, 'run' | 'stream'>): string {
  return `${position.run}\0${position.stream}`;
}

/** One connection's request, and (when following) its stream until it ends one way or another. */
async function session(
  agent: AgentConnection,
  request: LogsRequest,
  from: readonly OutputPosition[] | undefined,
  sink: LogSink,
  positions: Map<string, OutputPosition>,
): Promise<SessionEnd> {
  const { connection } = agent;
  const take = (batch: Batch): void => {
    for (const line of batch.lines) sink.print(line);
    for (const position of batch.positions) positions.set(positionKey(position), position);
  };
  // Lines streamed before the answer (which says how to print them) wait here.
  const early: Batch[] = [];
  let deliver: ((batch: Batch) => void) | null = null;
  let stopped: { processesKept: boolean } | null = null;
  let finished = false;
  let closed = false;
  const closeListeners: (() => void)[] = [];
  connection.onClose(() => {
    closed = true;
    for (const listener of closeListeners.splice(0)) listener();
  });
  // A request the agent can no longer answer never settles: the close settles it.
  const closedBeforeAnswer = new Promise<null>((resolve) => closeListeners.push(() => resolve(null)));
  const ended: (() => void)[] = [];
  connection.onNotification(OutputLinesNotification.type, (params) => {
    if (params.subscription !== SUBSCRIPTION) return;
    const batch = { lines: params.lines, positions: params.positions ?? [] };
    if (deliver) deliver(batch);
    else early.push(batch);
  });
  connection.onNotification(OutputEndNotification.type, (params) => {
    if (params.subscription !== SUBSCRIPTION) return;
    switch (params.reason.kind) {
      case 'agentStopping':
        stopped = { processesKept: params.reason.processesKept };
        break;
      case 'finished':
        finished = true;
        for (const listener of ended.splice(0)) listener();
        break;
      default: {
        const unknown: never = params.reason;
        return unknown;
      }
    }
  });
  let result;
  try {
    result = await Promise.race([
      connection.sendRequest(FollowOutputRequest.type, {
        ...request,
        subscription: SUBSCRIPTION,
        ...(from ? { from } : {}),
      }),
      closedBeforeAnswer,
    ]);
  } catch (error: unknown) {
    return closed ? { kind: 'lost' } : { kind: 'failed', message: (error as Error).message };
  }
  if (result === null) return { kind: 'lost' };
  sink.begin(result.runs);
  for (const position of result.positions ?? []) {
    if (position.missedBytes)
      process.stderr.write(`taskwarden: ${position.run} ${position.stream}: ${position.missedBytes} bytes were rotated away meanwhile\n`);
  }
  take({ lines: result.lines, positions: result.positions ?? [] });
  deliver = take;
  for (const batch of early.splice(0)) take(batch);
  if (!result.following || finished) return { kind: 'done' };
  return new Promise<SessionEnd>((resolve) => {
    const whenEnded = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve({ kind: 'done' });
    };
    ended.push(whenEnded);
    // Ctrl-C ends the command whatever the agent does: it is told, but not waited for past a deadline.
    const finish = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      const unfollowed = Promise.resolve()
        .then(() => connection.sendRequest(UnfollowOutputRequest.type, { subscription: SUBSCRIPTION }))
        .catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((settle) => (timer = setTimeout(settle, UNFOLLOW_WAIT_MS)));
      void Promise.race([unfollowed, givenUp]).then(() => {
        clearTimeout(timer);
        resolve({ kind: 'done' });
      });
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
    const onClose = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve(stopped ? { kind: 'stopped', processesKept: stopped.processesKept } : { kind: 'lost' });
    };
    if (closed) onClose();
    else closeListeners.push(onClose);
  });
}

/** The next agent: started as any client would start one, or with --no-start, one that someone else starts soon. */
async function reconnect(global: GlobalOptions): Promise<Connected> {
  if (global.start) return connect(global);
  const workspace = fs.realpathSync(global.workspace);
  const deadline = Date.now() + NO_START_WAIT_MS;
  for (;;) {
    const attempt = await connectToAgent(workspace);
    if (attempt.ok) return ok({ agent: attempt.value, started: false });
    if (Date.now() > deadline) return reported(`no agent runs for ${workspace} any more (and --no-start was given)`, ExitCode.NotRunning);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Prints what was asked, following across agents; returns the exit code. */
export async function runLogs(global: GlobalOptions, request: LogsRequest, sink: LogSink): Promise<number> {
  const first = await connect(global);
  if (!first.ok) return first.error.exitCode;
  let agent = first.value.agent;
  const positions = new Map<string, OutputPosition>();
  let from: OutputPosition[] | undefined;
  const losses: number[] = [];
  for (;;) {
    const end = await session(agent, request, from, sink, positions);
    agent.close();
    switch (end.kind) {
      case 'done':
        return ExitCode.Ok;
      case 'failed':
        return fail(end.message);
      case 'stopped':
        if (!end.processesKept) {
          process.stderr.write('taskwarden: the agent was stopped, and its processes with it; nothing more to follow\n');
          return ExitCode.Ok;
        }
        process.stderr.write('taskwarden: the agent was stopped and left its processes running; reconnecting\n');
        break;
      case 'lost':
        if (!request.follow) return fail('the agent went away before answering');
        process.stderr.write('taskwarden: the agent went away; reconnecting\n');
        break;
      default: {
        const unreachable: never = end;
        return unreachable;
      }
    }
    const now = Date.now();
    losses.push(now);
    while (losses.length > 0 && now - losses[0]! > RELOST_WINDOW_MS) losses.shift();
    if (losses.length > MAX_QUICK_RECONNECTS)
      return fail(
        `the agent went away ${losses.length} times within ${RELOST_WINDOW_MS / 1000} s; giving up (see .taskwarden/logs/agent.log)`,
      );
    const next = await reconnect(global);
    if (!next.ok) return next.error.exitCode;
    agent = next.value.agent;
    process.stderr.write(`taskwarden: following again with agent pid ${agent.handshake.pid}\n`);
    from = [...positions.values()];
  }
}
