/**
 * The runner's connection to its agent: a client over the agent's socket (not
 * a pipe from the agent, so the runner outlives an agent restart). It says
 * hello after every (re)connect, sends reports while connected and keeps the
 * latest ones while the agent is away (the last `loaded`, the round ends, at
 * most MAX_PENDING), and retries the connection every RETRY_MS until an agent
 * answers again. Round reports are notifications: no answer to wait for or read.
 * A round's report leaves out the tasklet names and the params when they are
 * the ones the previous report on this connection carried (most rounds).
 *
 * While no client watches (the setup's `holdMs`), the report of a round that
 * tells nothing new (roundNews.ts) is held and sent with the next ones, one
 * message per `holdMs` instead of one per round: each message costs the agent a
 * wake-up, a read and a parse. A round with news, a round asked for, a client
 * that starts watching or asks (`runner/report`) sends what is held at once.
 * Sent reports are kept KEEP_SENT_MS: an agent that died before writing them
 * (it writes within a second) gets them again from the round after the last one
 * it stored (hello's `recordedRound`).
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import { connectToAgent } from '../../cli/agentClient';
import { HealthRequest } from '../../protocol/agent';
import {
  RunnerHelloRequest,
  RunnerLoadedRequest,
  RunnerParamsNotification,
  RunnerReportNotification,
  RunnerRoundsEndedNotification,
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
/** Held reports sent as soon as there are this many (rounds faster than the hold). */
const MAX_HELD = 50;
/** Well beyond the agent's write delay (groupStore.ts FLUSH_MS). */
const KEEP_SENT_MS = 10_000;
const CLOSE_WAIT_MS = 500;

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
  /** The reports not sent yet changed (the watchdog sends them if a tasklet hangs the runner first). */
  unsentChanged(reports: readonly RoundReport[]): void;
}

export class AgentLink {
  private connection: MessageConnection | null = null;
  private helloDone = false;
  private closed = false;
  private ranRounds = false;
  private lastLoaded: RunnerLoadedParams | null = null;
  /** Round reports not sent yet: held, or waiting for the agent (at most MAX_PENDING). */
  private readonly unsent: RoundReport[] = [];
  private holdMs = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Reports sent in the last KEEP_SENT_MS, oldest first. */
  private readonly sent: { readonly at: number; readonly report: RoundReport }[] = [];
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
    connection.onNotification(RunnerReportNotification.type, () => this.sendUnsent(true));
    try {
      const hello = await connection.sendRequest(RunnerHelloRequest.type, {
        group: this.group,
        pid: process.pid,
        reconnect: this.ranRounds,
      });
      this.helloDone = true;
      this.takeBackSent(hello.recordedRound);
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
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
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
    this.sendUnsent(false);
  }

  /** The reports sent after the agent's last stored round go again (in order, before the unsent ones). */
  private takeBackSent(recordedRound: number): void {
    const again = this.sent.filter(({ report }) => report.round > recordedRound).map(({ report }) => report);
    this.sent.length = 0;
    this.unsent.unshift(...again);
    this.unsent.splice(0, Math.max(0, this.unsent.length - MAX_PENDING));
  }

  /** How long a report without news may wait (the setup's `holdMs`); 0 sends what is held. */
  holdFor(holdMs: number): void {
    this.holdMs = holdMs;
    if (holdMs === 0 && this.unsent.length > 0) this.sendUnsent(false);
  }

  /** Sends the unsent reports in one message (`evenNone`: also when there are none: the agent asked). */
  private sendUnsent(evenNone: boolean): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const connection = this.current;
    if (connection === null || (this.unsent.length === 0 && !evenNone)) return;
    const reports = this.unsent.splice(0);
    this.events.unsentChanged(this.unsent);
    const rounds = reports.map((report) => this.compact(report));
    void connection.sendNotification(RunnerRoundsEndedNotification.type, { group: this.group, rounds }).catch(() => undefined);
    const now = Date.now();
    for (const report of reports) this.sent.push({ at: now, report });
    const stale = this.sent.findIndex(({ at }) => now - at < KEEP_SENT_MS);
    this.sent.splice(0, stale === -1 ? this.sent.length : Math.max(stale, this.sent.length - MAX_PENDING));
  }

  /** A report as sent: without the names and params the previous one on this connection carried. */
  private compact(report: RoundReport): RunnerRoundEndedParams {
    const { names, paramsText, ...rest } = report;
    const sameNames = this.sentNames !== null && sameList(names, this.sentNames);
    const sameParams = paramsText === this.sentParamsText;
    this.sentNames = names;
    this.sentParamsText = paramsText;
    return {
      ...rest,
      ...(sameNames ? {} : { names }),
      ...(sameParams ? {} : { params: JSON.parse(paramsText) as GroupParams }),
    };
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

  /** A round ended; `news`: it tells something the round before did not (roundNews.ts), or it was asked for. */
  roundEnded(report: RoundReport, news: boolean): void {
    this.ranRounds = true;
    this.unsent.push(report);
    if (this.unsent.length > MAX_PENDING) this.unsent.shift();
    // Fast rounds fill a message before the hold ends: it goes then.
    if (this.current !== null && (news || this.holdMs === 0 || this.unsent.length >= MAX_HELD)) {
      this.sendUnsent(false);
      return;
    }
    this.events.unsentChanged(this.unsent);
    if (this.current !== null) this.holdTimer ??= setTimeout(() => this.sendUnsent(false), this.holdMs);
  }

  /** Sends what is held, then closes once it is written (at most CLOSE_WAIT_MS). */
  async closeAfterSending(): Promise<void> {
    this.sendUnsent(false);
    const connection = this.current;
    // A request's answer comes after everything sent before it was read.
    if (connection !== null)
      await Promise.race([
        connection.sendRequest(HealthRequest.type).catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS)),
      ]);
    this.close();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.holdTimer);
    this.connection?.dispose();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((name, index) => name === b[index]));
}
