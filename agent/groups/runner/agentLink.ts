/**
 * The runner's connection to its agent: a client over the agent's socket (not
 * a pipe from the agent, so the runner outlives an agent restart). It says
 * hello after every (re)connect, sends reports while connected and keeps the
 * latest ones while the agent is away (the last `loaded`, the round ends, at
 * most MAX_PENDING), and retries the connection every RETRY_MS until an agent
 * answers again. Round reports are notifications: no answer to wait for or read.
 * A round's report leaves out the tasklet names and the params when they are
 * the ones the previous report on this connection carried (most rounds).
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import { connectToAgent } from '../../cli/agentClient';
import {
  RunnerHelloRequest,
  RunnerLoadedRequest,
  RunnerParamsNotification,
  RunnerRoundEndedNotification,
  RunnerRoundStartedNotification,
  RunnerRunRoundNotification,
  RunnerSetupNotification,
  type GroupParams,
  type RunnerHelloResult,
  type RunnerLoadedParams,
  type RunnerRoundEndedParams,
  type RunnerSetup,
} from '../../protocol/groups';

const RETRY_MS = 500;
const MAX_PENDING = 100;

/** A round's end as the runner knows it: its tasklets' names and its params (as JSON text) always. */
export interface RoundReport extends Omit<RunnerRoundEndedParams, 'names' | 'params'> {
  readonly names: readonly string[];
  readonly paramsText: string;
}

export interface LinkEvents {
  /** After each hello: the agent's setup and params (null params: keep the runner's own). */
  onHello(result: RunnerHelloResult): void;
  onSetup(setup: RunnerSetup): void;
  onRunRound(): void;
  onParams(params: GroupParams, file: string): void;
  /** A line for the group's output (connection news). */
  note(line: string): void;
}

export class AgentLink {
  private connection: MessageConnection | null = null;
  private helloDone = false;
  private closed = false;
  private ranRounds = false;
  private lastLoaded: RunnerLoadedParams | null = null;
  private readonly pendingEnds: RoundReport[] = [];
  private retry: NodeJS.Timeout | undefined;
  /** What the last round report on this connection carried (null: nothing yet, send them). */
  private sentNames: readonly string[] | null = null;
  private sentParamsText: string | null = null;

  constructor(
    private readonly workspace: string,
    private readonly group: string,
    private readonly events: LinkEvents,
  ) {}

  /** The live connection (for ctx.agent), or null while the agent is away. */
  get current(): MessageConnection | null {
    return this.helloDone ? this.connection : null;
  }

  async connect(): Promise<boolean> {
    if (this.closed) return false;
    const result = await connectToAgent(this.workspace, 'group-runner');
    if (!result.ok) {
      this.scheduleRetry();
      return false;
    }
    const connection = result.value.connection;
    this.connection = connection;
    this.sentNames = null;
    this.sentParamsText = null;
    connection.onClose(() => this.lost(connection));
    connection.onNotification(RunnerSetupNotification.type, (setup) => this.events.onSetup(setup));
    connection.onNotification(RunnerRunRoundNotification.type, () => this.events.onRunRound());
    connection.onNotification(RunnerParamsNotification.type, (message) => this.events.onParams(message.params, message.file));
    try {
      const hello = await connection.sendRequest(RunnerHelloRequest.type, {
        group: this.group,
        pid: process.pid,
        reconnect: this.ranRounds,
      });
      this.helloDone = true;
      this.events.onHello(hello);
      this.flush();
      return true;
    } catch (error: unknown) {
      this.events.note(`the agent refused this runner: ${(error as Error).message}`);
      result.value.close();
      this.connection = null;
      this.scheduleRetry();
      return false;
    }
  }

  private lost(connection: MessageConnection): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.helloDone = false;
    if (this.closed) return;
    this.events.note('lost the agent; rounds go on, reports wait for it');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, RETRY_MS);
  }

  private flush(): void {
    const connection = this.current;
    if (connection === null) return;
    if (this.lastLoaded !== null) void connection.sendRequest(RunnerLoadedRequest.type, this.lastLoaded).catch(() => undefined);
    for (const ended of this.pendingEnds.splice(0)) this.sendEnd(connection, ended);
  }

  private sendEnd(connection: MessageConnection, report: RoundReport): void {
    const { names, paramsText, ...rest } = report;
    const sameNames = this.sentNames !== null && sameList(names, this.sentNames);
    const sameParams = paramsText === this.sentParamsText;
    this.sentNames = names;
    this.sentParamsText = paramsText;
    const ended: RunnerRoundEndedParams = {
      ...rest,
      ...(sameNames ? {} : { names }),
      ...(sameParams ? {} : { params: JSON.parse(paramsText) as GroupParams }),
    };
    void connection.sendNotification(RunnerRoundEndedNotification.type, ended).catch(() => undefined);
  }

  /** The agent replaced the params: the next report carries them, whatever they are. */
  paramsReplaced(): void {
    this.sentParamsText = null;
  }

  loaded(report: RunnerLoadedParams): void {
    this.lastLoaded = report;
    void this.current?.sendRequest(RunnerLoadedRequest.type, report).catch(() => undefined);
  }

  roundStarted(round: number, startedAt: number): void {
    this.ranRounds = true;
    void this.current
      ?.sendNotification(RunnerRoundStartedNotification.type, { group: this.group, round, startedAt })
      .catch(() => undefined);
  }

  roundEnded(report: RoundReport): void {
    this.ranRounds = true;
    const connection = this.current;
    if (connection !== null) {
      this.sendEnd(connection, report);
      return;
    }
    this.pendingEnds.push(report);
    if (this.pendingEnds.length > MAX_PENDING) this.pendingEnds.shift();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.connection?.dispose();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((name, index) => name === b[index]));
}
