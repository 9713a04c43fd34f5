/**
 * "Show Output" for daemons: one output channel per daemon NAME (a task or
 * `task:instance`), filled with its recent lines and then its live lines
 * (DaemonLogsRequest with `follow`), with state changes as notes between them.
 * A channel follows until it is closed ("Close Daemon Output") or the
 * extension stops; after an agent reconnect it resumes following.
 */
import * as vscode from 'vscode';
import { DaemonLogNotification, DaemonLogsRequest, UnfollowDaemonLogsRequest, type DaemonLogLine } from '../../agent/protocol';
import type { AgentApi } from '../shared/agentApi';
import type { DaemonsSync } from './daemonsSync';
import { DAEMON_OUTPUT_LANGUAGE, formatLogLine, formatNote, formatStateLine, historyHeader, stateKey } from './daemonOutputFormat';

/** Recent lines per instance and stream shown before the live ones. */
const HISTORY_LINES = 100;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One channel and its log stream. */
class DaemonOutputChannel implements vscode.Disposable {
  readonly channel: vscode.OutputChannel;
  subscription: number | null = null;
  private readonly states = new Map<string, string>();
  private following: Promise<void> | null = null;

  constructor(
    readonly target: string,
    private readonly outputs: DaemonOutputs,
  ) {
    this.channel = vscode.window.createOutputChannel(`Taskwarden: ${target}`, DAEMON_OUTPUT_LANGUAGE);
  }

  /** Starts the stream (once at a time): `history` recent lines first, then live lines. */
  follow(history: number): Promise<void> {
    this.following ??= this.outputs.startStream(this, history).finally(() => (this.following = null));
    return this.following;
  }

  /** Prints the history, then the lines that raced ahead of the answer. */
  started(subscription: number, history: readonly DaemonLogLine[], lines: number, early: readonly DaemonLogLine[]): void {
    this.subscription = subscription;
    if (lines > 0) {
      this.channel.appendLine(historyHeader(this.target, lines));
      for (const line of history) this.channel.appendLine(formatLogLine(line));
    }
    this.noteStates(true);
    this.channel.appendLine(formatNote(`${this.target}: live output`));
    this.append(early);
  }

  append(lines: readonly DaemonLogLine[]): void {
    for (const line of lines) this.channel.appendLine(formatLogLine(line));
  }

  /** Writes a note for each instance whose state or pid changed (or every instance, when `all`). */
  noteStates(all = false): void {
    for (const instance of this.outputs.sync.model.instancesOf(this.target)) {
      const key = stateKey(instance);
      if (!all && this.states.get(instance.id) === key) continue;
      this.states.set(instance.id, key);
      this.channel.appendLine(formatStateLine(instance));
    }
  }

  /** The agent went away: the stream is gone with the connection. */
  disconnected(): void {
    if (this.subscription === null) return;
    this.subscription = null;
    this.channel.appendLine(formatNote('disconnected from the Taskwarden agent; following again once it is back'));
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** The daemon output channels of this window, by daemon NAME, and the log streams behind them. */
export class DaemonOutputs implements vscode.Disposable {
  private readonly channels = new Map<string, DaemonOutputChannel>();
  /** Lines of streams whose request has not been answered yet, by subscription. */
  private readonly early = new Map<number, DaemonLogLine[]>();
  private requestsInFlight = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly agent: AgentApi,
    readonly sync: DaemonsSync,
  ) {
    this.subscriptions = [
      agent.onNotification(DaemonLogNotification.type, ({ subscription, lines }) => {
        const owner = [...this.channels.values()].find((channel) => channel.subscription === subscription);
        if (owner) owner.append(lines);
        else if (this.requestsInFlight > 0) this.early.set(subscription, [...(this.early.get(subscription) ?? []), ...lines]);
      }),
      sync.onDidChange(() => {
        for (const channel of this.channels.values()) {
          // A task removed from the config: its channel keeps what it has and stops following.
          if (sync.model.loaded && sync.model.instancesOf(channel.target).length === 0 && channel.subscription !== null) {
            channel.channel.appendLine(formatNote(`${channel.target} is no longer configured; output stopped`));
            void this.unfollow(channel);
          } else channel.noteStates();
        }
      }),
      agent.onDidChangeState((state) => {
        for (const channel of this.channels.values()) {
          if (state.kind === 'running') {
            channel.channel.appendLine(formatNote('connected to the Taskwarden agent again'));
            channel.follow(0).catch((error: unknown) => channel.channel.appendLine(formatNote(`cannot follow: ${message(error)}`)));
          } else channel.disconnected();
        }
      }),
    ];
  }

  /** Shows the channel of a daemon NAME, following its output (creating it the first time). */
  async show(target: string): Promise<void> {
    let channel = this.channels.get(target);
    if (!channel) {
      // In the map before the request, so a second "Show Output" waits for this one instead of making a twin.
      channel = new DaemonOutputChannel(target, this);
      this.channels.set(target, channel);
      try {
        await channel.follow(HISTORY_LINES);
      } catch (error: unknown) {
        this.channels.delete(target);
        channel.dispose();
        throw error;
      }
    } else if (channel.subscription === null) {
      await channel.follow(0);
    }
    channel.channel.show(true);
  }

  /** The NAMEs that have a channel. */
  get targets(): string[] {
    return [...this.channels.keys()];
  }

  /** Stops following a daemon NAME and closes its channel. */
  async close(target: string): Promise<void> {
    const channel = this.channels.get(target);
    if (!channel) return;
    this.channels.delete(target);
    await this.unfollow(channel);
    channel.dispose();
  }

  /** Asks the agent for history and a live stream, and hands both to the channel. */
  async startStream(channel: DaemonOutputChannel, history: number): Promise<void> {
    this.requestsInFlight++;
    try {
      const result = await this.agent.request(DaemonLogsRequest.type, { name: channel.target, lines: history, follow: true });
      const subscription = result.subscription;
      if (subscription === null) throw new Error('the agent did not start a log stream');
      const early = this.early.get(subscription) ?? [];
      this.early.delete(subscription);
      channel.started(subscription, result.lines, history, early);
    } finally {
      if (--this.requestsInFlight === 0) this.early.clear();
    }
  }

  private async unfollow(channel: DaemonOutputChannel): Promise<void> {
    const subscription = channel.subscription;
    channel.subscription = null;
    if (subscription === null || this.agent.state.kind !== 'running') return;
    await this.agent.request(UnfollowDaemonLogsRequest.type, { subscription }).catch(() => undefined);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const channel of this.channels.values()) {
      void this.unfollow(channel);
      channel.dispose();
    }
    this.channels.clear();
  }
}
