/**
 * Helpers shared by the tasks integration tests: the `task` CLI in a test
 * workspace, the live `tasks` deltas of a subscribed connection, and a leak
 * check limited to the processes these tests started (other suites may run
 * fixture programs at the same time on this machine).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentConnection } from '../../agent/cli/agentClient';
import { isSameProcessAlive, processIsAlive, readProcStat } from '../../agent/proc/processIdentity';
import { StateChangedNotification, SubscribeRequest, type StateChangedParams } from '../../agent/protocol';
import { ListTasksRequest, TaskHistoryRequest, type TaskHistoryEntry, type TaskInfo, type TasksDelta } from '../../agent/tasks/protocol';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { createWorkspace, FIXTURES, runCli, type CliResult, type TestWorkspace } from './support/workspace';

/** A fixture program's absolute path. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** Workspaces of the current file, cleaned up after each test. */
export class Workspaces {
  private readonly created: TestWorkspace[] = [];
  /** Every workspace folder this file used, for the leak check. */
  readonly dirs: string[] = [];

  /** A workspace; by default reservations last a minute, so slow CLI calls on a busy machine never see one expire. */
  create(config = 'tasks: {}\nwatcher:\n  reservation_ttl: 60\n'): TestWorkspace {
    const workspace = createWorkspace(config);
    this.created.push(workspace);
    this.dirs.push(workspace.dir);
    return workspace;
  }

  async cleanup(): Promise<void> {
    for (const workspace of this.created.splice(0)) await workspace.cleanup();
  }

  /** Processes still running from these workspaces: launched there (cwd) or naming them. */
  leaks(): { pid: number; command: string }[] {
    return leakedProcesses().filter(({ pid, command }) => {
      let cwd = '';
      try {
        cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        return false;
      }
      return this.dirs.some((dir) => cwd.startsWith(dir) || command.includes(dir));
    });
  }
}

/** Runs `taskwarden -w DIR task ARGS…` in the workspace (global options first: argv after `--` stays the command's). */
export function task(workspace: TestWorkspace, args: readonly string[], env?: Record<string, string>): Promise<CliResult> {
  return runCli(['-w', workspace.dir, 'task', ...args], { cwd: workspace.dir, env });
}

/** Like `task`, expecting exit 0 and returning the parsed JSON stdout. */
export async function taskJson<T>(workspace: TestWorkspace, args: readonly string[]): Promise<T> {
  // Options go before `--`: what follows it is the launched command's.
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const result = await task(workspace, [...args.slice(0, end), '--json', ...args.slice(end)]);
  if (result.code !== 0) throw new Error(`task ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A connection subscribed to the `tasks` topic, recording every delta. */
export async function watchTasks(workspace: TestWorkspace): Promise<{ agent: AgentConnection; deltas: TasksDelta[] }> {
  const up = await workspace.cli(['up']);
  if (up.code !== 0) throw new Error(`taskwarden up failed: ${up.stderr}`);
  const agent = await workspace.connect();
  const deltas: TasksDelta[] = [];
  agent.connection.onNotification(StateChangedNotification.method, (params: StateChangedParams) => {
    if (params.topic === 'tasks') deltas.push(params.delta as TasksDelta);
  });
  await agent.connection.sendRequest(SubscribeRequest.type, { topics: ['tasks'] });
  return { agent, deltas };
}

export async function liveTasks(agent: AgentConnection): Promise<readonly TaskInfo[]> {
  return (await agent.connection.sendRequest(ListTasksRequest.type, {})).tasks;
}

/** The history row of task `id`, once it is there. */
export async function waitForHistory(agent: AgentConnection, id: number, timeoutMs = 15_000): Promise<TaskHistoryEntry> {
  return waitFor(async () => (await agent.connection.sendRequest(TaskHistoryRequest.type, {})).entries.find((entry) => entry.id === id), {
    what: `task ${id} in the history`,
    timeoutMs,
  });
}

/** The states a task went through, from the deltas. */
export function statesOf(deltas: readonly TasksDelta[], id: number): string[] {
  const states: string[] = [];
  for (const delta of deltas) {
    if (delta.kind === 'upsert' && delta.task.id === id && states.at(-1) !== delta.task.state) states.push(delta.task.state);
  }
  return states;
}

/** Reads a pid a fixture wrote into a file. */
export async function pidFrom(file: string): Promise<number> {
  return waitFor(() => (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) || null : null), { what: `a pid in ${file}` });
}

/** True while this process (pid + start time read now) lives and is not a zombie. */
export function alive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && processIsAlive(pid) && isSameProcessAlive({ pid, startTime: stat.startTime });
}
