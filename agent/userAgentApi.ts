/**
 * What user code (a tasklet, a job handler) receives as `ctx.agent`: a small
 * client of this workspace's agent over the connection its host process
 * already has. A thin wrapper over the protocol's own requests (daemon status
 * and control, task launch, queue push), in words a user's script reads well:
 * `await ctx.agent.daemons.isRunning('zookeeper')`. A failed request rejects
 * with the agent's message.
 *
 * It gathers three parts' requests, so it stands beside agent/parts.ts, at the
 * level of the part list, not in agent/userCode/ (which loads user code and
 * knows no part).
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import {
  ListDaemonsRequest,
  RestartDaemonRequest,
  StartDaemonRequest,
  StopDaemonRequest,
  type DaemonInstanceInfo,
  type DaemonState,
} from './daemons/protocol';
import { PushItemsRequest } from './queues/protocol';
import { LaunchTaskRequest, type LaunchTaskParams, type LaunchTaskResult } from './tasks/protocol';

/** A daemon as user code sees it: its instances' states, and whether one runs. */
export interface UserDaemonStatus {
  readonly name: string;
  /** Known in the config (on this host). */
  readonly known: boolean;
  /** At least one instance is `running` (started and ready). */
  readonly running: boolean;
  readonly states: readonly DaemonState[];
  readonly instances: readonly DaemonInstanceInfo[];
}

export interface UserAgentApi {
  readonly daemons: {
    /** `web` (all instances) or `web:0`. */
    status(name: string): Promise<UserDaemonStatus>;
    isRunning(name: string): Promise<boolean>;
    start(name: string): Promise<readonly DaemonInstanceInfo[]>;
    stop(name: string): Promise<readonly DaemonInstanceInfo[]>;
    restart(name: string): Promise<readonly DaemonInstanceInfo[]>;
  };
  readonly tasks: {
    /** Runs `argv` as a tracked task (no shell); resolves once it has spawned. */
    launch(argv: readonly string[], options?: Omit<LaunchTaskParams, 'argv'>): Promise<LaunchTaskResult>;
  };
  readonly queues: {
    /** Pushes one command at the end of a queue; resolves with its item id. */
    push(
      queue: string,
      cmd: readonly string[],
      options?: { readonly id?: string; readonly cwd?: string; readonly env?: Record<string, string> },
    ): Promise<string>;
  };
}

/** The requests user code may send; a MessageConnection is one. */
export type AgentRequester = Pick<MessageConnection, 'sendRequest'>;

/** `ctx.agent` over `connection` (called each time, so a reconnected host hands the new one). */
export function createUserAgentApi(connection: () => AgentRequester): UserAgentApi {
  const status = async (name: string): Promise<UserDaemonStatus> => {
    const list = await connection().sendRequest(ListDaemonsRequest.type, {});
    const [task, instance] = name.split(':');
    const daemon = list.tasks.find((candidate) => candidate.name === task);
    const instances = (daemon?.instances ?? []).filter((candidate) => instance === undefined || candidate.id === name);
    return {
      name,
      known: daemon !== undefined,
      running: instances.some((candidate) => candidate.state === 'running'),
      states: instances.map((candidate) => candidate.state),
      instances,
    };
  };
  return {
    daemons: {
      status,
      isRunning: async (name) => (await status(name)).running,
      start: async (name) => (await connection().sendRequest(StartDaemonRequest.type, { name })).instances,
      stop: async (name) => (await connection().sendRequest(StopDaemonRequest.type, { name })).instances,
      restart: async (name) => (await connection().sendRequest(RestartDaemonRequest.type, { name })).instances,
    },
    tasks: {
      launch: (argv, options = {}) => connection().sendRequest(LaunchTaskRequest.type, { ...options, argv }),
    },
    queues: {
      push: async (queue, cmd, options = {}) => {
        const result = await connection().sendRequest(PushItemsRequest.type, { queue, items: [{ ...options, cmd }] });
        return result.ids[0]!;
      },
    },
  };
}
