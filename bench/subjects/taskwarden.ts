/**
 * Taskwarden as the subject, driven only through its CLI (`node dist/taskwarden.js`, built by
 * `npm run build`), so this file is the one place to change when the CLI changes. Commands it
 * assumes, all with `-w DIR` (a workspace folder holding `taskwarden.yaml`), and all but `up` and
 * `down` with `--no-start`, so an agent that died mid-run is an error, not silently replaced:
 *   up                       start the agent, return once it answers
 *   down                     stop the agent
 *   status --json            prints `{ "pid": <agent pid>, ... }` (CPU and RSS are charged to it)
 *   reload                   apply an edited taskwarden.yaml now
 *   task launch -- CMD...    run CMD as a task, print "... task ID"
 *   task history --json --limit N   finished tasks: `{entries: [{id, end (epoch ms)}]}`
 *   queue push q -- CMD / queue push q --stdin / queue list q --json   (see taskwardenQueues.ts)
 * Daemons are declared in taskforce format: `tasks: {NAME: {control: wait|once|off, commands:
 * {start: [argv]}, restart: {...}}}`; "start all" / "stop all" flip every task's control between
 * `wait` and `off` and reload. The restart policy mirrors what the peers are given (PM2
 * `min_uptime: 100`, `max_restarts: 1e6`): no backoff, a run of 0.1 s counts as healthy, no
 * crash-loop limit; the log producer's output is not rotated (supervisord gets
 * `stdout_logfile_maxbytes=0`). A daemon's stdout goes to a file under `.taskwarden/logs/` whose
 * path names the task. Any command that is missing or fails turns that benchmark row into
 * "n/a (…)"; nothing here crashes the run.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, Fleet, LogTarget, QueueRunner, Running, Subject, TaskBatch } from '../subject';
import { errorMessage, Unavailable } from '../subject';
import { sleep } from '../wait';
import { connectToAgent, type AgentConnection } from '../../agent/cli/agentClient';
import { StateChangedNotification, SubscribeRequest } from '../../agent/protocol/agent';
import { KillAllTasksRequest, LaunchTaskRequest, ReserveTaskRequest, type TasksDelta } from '../../agent/tasks/protocol';
import { queueRunner } from './taskwardenQueues';
import { Workspace, type Control, type TaskSpec } from './taskwardenWorkspace';

const RESTART_AT_ONCE = { initial_delay: 0, reset_after: 0.1, crash_loop: false } as const;
/** Far above any benchmark's output: no rotation while measuring. */
const NO_ROTATION = { max_bytes: 1e12, keep: 0 };

function daemon(argv: readonly string[], control: Control): TaskSpec {
  return { control, commands: { start: [...argv] }, restart: RESTART_AT_ONCE };
}

/** A protocol connection to the workspace's agent, for launching tasks without the CLI. */
async function connectForTasks(workspaceDir: string): Promise<AgentConnection> {
  const attempt = await connectToAgent(workspaceDir, 'bench');
  if (!attempt.ok) throw new Unavailable(`no agent to launch tasks through: ${attempt.error.message}`);
  return attempt.value;
}

/**
 * Launches `count` runs of argv through the agent's socket directly (one `taskwarden/tasks/launch`
 * request per task, awaiting each task's end notification), timing launch -> finished per task
 * without the CLI's Node start-up.
 */
export async function launchViaProtocol(count: number, argv: readonly string[], workspaceDir: string): Promise<TaskBatch> {
  const agent = await connectForTasks(workspaceDir);
  const { connection } = agent;
  try {
    // One lane, like the floor: launch, wait for the history row (the `ended` delta), next.
    const ended = new Set<number>();
    let wake: (() => void) | null = null;
    connection.onNotification(StateChangedNotification.type, (params) => {
      const delta = params.delta as TasksDelta;
      if (params.topic !== 'tasks' || delta.kind !== 'ended') return;
      ended.add(delta.id);
      wake?.();
    });
    await connection.sendRequest(SubscribeRequest.type, { topics: ['tasks'] });
    const latenciesMs: number[] = [];
    const first = process.hrtime.bigint();
    for (let index = 0; index < count; index++) {
      const at = process.hrtime.bigint();
      const { id } = await connection.sendRequest(LaunchTaskRequest.type, { argv });
      while (!ended.has(id)) await new Promise<void>((resolve) => (wake = resolve));
      ended.delete(id);
      latenciesMs.push(Number(process.hrtime.bigint() - at) / 1e6);
    }
    return { wallNs: Number(process.hrtime.bigint() - first), latenciesMs, note: 'one lane: launch, wait for the history row, next' };
  } finally {
    agent.close();
  }
}

/**
 * `count` tasks of `sleep 3600` launched through the protocol with a feedback folder and a
 * one-hour heartbeat timeout, each feedback file written once by the bench; killed by name on
 * close.
 */
async function startFeedbackTasks(count: number, workspaceDir: string): Promise<() => Promise<void>> {
  const agent = await connectForTasks(workspaceDir);
  const { connection } = agent;
  const feedpath = mkdtempSync(join(workspaceDir, 'feedback-'));
  const name = 'bench-feedback';
  const kill = async (): Promise<void> => {
    await connection.sendRequest(KillAllTasksRequest.type, { name });
    agent.close();
  };
  try {
    for (let index = 0; index < count; index++) {
      const { id } = await connection.sendRequest(ReserveTaskRequest.type, { name });
      const launched = await connection.sendRequest(LaunchTaskRequest.type, {
        argv: ['sleep', '3600'],
        taskId: id,
        name,
        feedpath,
        timeoutMs: 3_600_000,
      });
      if (launched.feedbackFile === null) throw new Unavailable(`task ${id} has no feedback file`);
      writeFileSync(launched.feedbackFile, `[progress]0\n[step]${index}\n`);
    }
  } catch (error: unknown) {
    await kill().catch(() => undefined);
    throw error;
  }
  return kill;
}

/** Epoch ms from a history field: epoch s, epoch ms, or an ISO string. */
function epochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e12 ? value : value * 1000;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/** A history entry's task id, whatever the field is called. */
function idOf(entry: Record<string, unknown>): string | null {
  const id = entry.id ?? entry.taskid ?? entry.task_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function historyEntries(json: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(json)) return json as Array<Record<string, unknown>>;
  if (json !== null && typeof json === 'object') {
    const list = Object.values(json).find(Array.isArray);
    if (list) return list as Array<Record<string, unknown>>;
  }
  return [];
}

async function launchViaCli(workspace: Workspace, count: number, argv: readonly string[], concurrency: number): Promise<TaskBatch> {
  const launchedAt = new Map<string, number>();
  let next = 0;
  let failure: Error | undefined;
  const firstLaunch = Date.now();
  const lane = async (): Promise<void> => {
    while (next < count && failure === undefined) {
      next++;
      const at = Date.now();
      try {
        const result = await workspace.cli(['task', 'launch', '--no-start', '-w', workspace.dir, '--', ...argv]);
        // "launched pid P as task ID"; else take the last word.
        const id = (/\btask (\S+)/.exec(result.stdout) ?? /(\S+)\s*$/.exec(result.stdout))?.[1];
        if (id === undefined) {
          const said = JSON.stringify({ stdout: result.stdout, stderr: result.stderr.slice(0, 200) });
          throw new Unavailable(`taskwarden task launch (exit 0) printed no id after ${launchedAt.size} launches: ${said}`);
        }
        launchedAt.set(id, at);
      } catch (error: unknown) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  // Every lane ends before this returns, so no launch runs on after a failure.
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (failure !== undefined) throw failure;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const limit = String(count + 100);
    const history = await workspace.cli(['task', 'history', '--json', '--limit', limit, '--no-start', '-w', workspace.dir]);
    const seenAt = Date.now();
    const ends = new Map<string, number | null>();
    for (const entry of historyEntries(JSON.parse(history.stdout))) {
      const id = idOf(entry);
      if (id === null || !launchedAt.has(id)) continue;
      ends.set(id, epochMs(entry.end ?? entry.ended ?? entry.end_time ?? entry.endTime ?? entry.finishedAt));
    }
    if (ends.size === launchedAt.size) {
      const latenciesMs: number[] = [];
      let lastEnd = 0;
      for (const [id, end] of ends) {
        if (end === null) continue;
        latenciesMs.push(end - (launchedAt.get(id) ?? end));
        lastEnd = Math.max(lastEnd, end);
      }
      const complete = latenciesMs.length === count;
      return {
        wallNs: ((complete ? lastEnd : seenAt) - firstLaunch) * 1e6,
        latenciesMs: complete ? latenciesMs : [],
        note: complete ? `CLI, ${concurrency} at a time` : 'history has no parseable end times',
      };
    }
    if (Date.now() > deadline) throw new Error(`only ${ends.size}/${count} tasks in history after 120 s`);
    await sleep(200);
  }
}

export function taskwardenSubject(context: BenchContext, cliConcurrency: number): Subject {
  const cliPath = join(context.repoRoot, 'dist', 'taskwarden.js');
  const workspace = (label: string): Workspace => {
    if (!existsSync(cliPath)) throw new Unavailable('dist/taskwarden.js missing (npm run build)');
    return new Workspace(context, cliPath, label);
  };
  const placeholder = { idle: daemon(['/bin/true'], 'off') };
  return {
    id: 'taskwarden',
    label: 'Taskwarden',
    role: 'subject',

    async keepAlive(argv): Promise<Running> {
      const ws = workspace('restart');
      const pid = await ws.up({ s1: daemon(argv, 'wait') });
      return { pid, close: () => ws.down() };
    },

    async fleet(count, argv): Promise<Fleet> {
      const ws = workspace('fleet');
      const all = (control: Control): Record<string, TaskSpec> =>
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`s${i + 1}`, daemon(argv, control)]));
      const pid = await ws.up(all('off'));
      return {
        pid,
        startAll: () => ws.reload(all('wait')),
        stopAll: () => ws.reload(all('off')),
        close: () => ws.down(),
      };
    },

    async logTarget(argv): Promise<LogTarget> {
      const ws = workspace('log');
      const pid = await ws.up(placeholder);
      let run = 0;
      const name = (): string => `logrun${run}`;
      return {
        pid,
        async start() {
          run++;
          await ws.reload({ [name()]: { ...daemon(argv, 'once'), logs: NO_ROTATION } });
        },
        logBytes: () => ws.logFiles(name()).reduce((sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0),
        async finish() {
          await ws.reload({ [name()]: { ...daemon(argv, 'off'), logs: NO_ROTATION } });
          for (const file of ws.logFiles(name())) rmSync(file, { force: true });
        },
        close: () => ws.down(),
      };
    },

    async feedbackTasks(count): Promise<Running> {
      const ws = workspace('feedback');
      const pid = await ws.up(placeholder);
      try {
        const stop = await startFeedbackTasks(count, ws.dir);
        return {
          pid,
          close: async () => {
            await stop().catch((error: unknown) => context.log(`  killall: ${errorMessage(error)}`));
            await ws.down();
          },
        };
      } catch (error: unknown) {
        await ws.down();
        throw error;
      }
    },

    async queue(): Promise<QueueRunner> {
      const ws = workspace('queues');
      await ws.up(placeholder, { queues: { q: {} } });
      return queueRunner(context, ws, cliPath);
    },

    async launchTasks(count, argv, path): Promise<TaskBatch> {
      const ws = workspace(`tasks-${path}`);
      await ws.up(placeholder);
      try {
        if (path === 'protocol') {
          return await launchViaProtocol(count, argv, ws.dir);
        }
        return await launchViaCli(ws, count, argv, cliConcurrency);
      } finally {
        await ws.down();
      }
    },
  };
}
