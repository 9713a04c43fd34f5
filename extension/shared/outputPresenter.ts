/**
 * Followed output for every part: one output channel, or one terminal
 * (outputSinks.ts), per followed source (a daemon NAME, a task), filled with its recent lines and then its live lines
 * (FollowOutputRequest with a subscription id this window picks, so lines
 * that race ahead of the answer are known to be the channel's), with the
 * part's state notes between them. A channel follows until it is closed, its
 * run finishes (a task), or the extension stops; after an agent reconnect it
 * follows again from where it was read to (the agent's byte positions), so
 * the lines written meanwhile are shown too.
 */
import type * as vscode from 'vscode';
import {
  FollowOutputRequest,
  OutputEndNotification,
  OutputLinesNotification,
  UnfollowOutputRequest,
  type OutputLine,
  type OutputPosition,
  type OutputSource,
} from '../../agent/protocol';
import type { AgentApi } from './agentApi';
import { formatNote, historyHeader } from './outputFormat';
import { channelSink, terminalSink, type OutputPlace, type OutputSink } from './outputSinks';

/** Recent lines per run and stream shown before the live ones. */
const HISTORY_LINES = 100;

/** Subscription ids are per connection: every presenter of this window (one per part) takes from one counter. */
let nextSubscription = 1;

/** What a part gives for one channel. */
export interface OutputTarget {
  /** The channel's key among this presenter's, e.g. `web` or `task:7`. */
  readonly key: string;
  /** How notes name it, e.g. `web` or `task 7`. */
  readonly title: string;
  readonly source: OutputSource;
  /** `instance` for a daemon's history header ("per instance"); null for one run. */
  readonly historyPer: string | null;
  /** The part's state notes: every one (`all`) or only those that changed since the last call. */
  stateNotes?(all: boolean): readonly string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One channel or terminal and its stream. */
class FollowedOutput implements vscode.Disposable {
  /** The id of the open stream; null when none is. */
  subscription: number | null = null;
  /** Lines of the stream that came before its answer: printed after the history. */
  private early: OutputLine[] | null = null;
  private following: Promise<void> | null = null;
  /** How far each run and stream was shown: a later follow resumes there. */
  private readonly positions = new Map<string, OutputPosition>();
  finished = false;

  constructor(
    readonly target: OutputTarget,
    readonly place: OutputPlace,
    readonly sink: OutputSink,
  ) {}

  /** Starts the stream (once at a time): `history` recent lines first, then live lines. */
  follow(agent: AgentApi, subscription: number, history: number): Promise<void> {
    this.following ??= this.start(agent, subscription, history).finally(() => (this.following = null));
    return this.following;
  }

  private async start(agent: AgentApi, subscription: number, history: number): Promise<void> {
    this.subscription = subscription;
    this.early = [];
    const resumed = this.positions.size > 0;
    let result;
    try {
      // Never a line lost across a gap (an agent restart, a stop of following): resume from the positions shown.
      const from = resumed ? [...this.positions.values()] : undefined;
      result = await agent.request(FollowOutputRequest.type, {
        source: this.target.source,
        subscription,
        lines: history,
        follow: true,
        from,
      });
    } catch (error: unknown) {
      this.subscription = null;
      this.early = null;
      throw error;
    }
    const early = this.early;
    this.early = null;
    if (history > 0 && !resumed) this.sink.note(historyHeader(this.target.title, history, this.target.historyPer));
    for (const position of result.positions)
      if (position.missedBytes)
        this.sink.note(formatNote(`${position.run} ${position.stream}: ${position.missedBytes} bytes were rotated away meanwhile`));
    this.append(result.lines);
    this.advance(result.positions);
    this.noteStates(true);
    if (!result.following) {
      this.subscription = null;
      this.finished = true;
      this.sink.note(formatNote(`${this.target.title}: finished, nothing more to follow`));
      return;
    }
    this.sink.note(formatNote(`${this.target.title}: live output`));
    this.append(early);
  }

  /** Lines of this channel's stream, and where they leave its streams. */
  received(lines: readonly OutputLine[], positions: readonly OutputPosition[]): void {
    if (this.early) this.early.push(...lines);
    else this.append(lines);
    this.advance(positions);
  }

  /** Positions only grow: a stream's answer may come after lines that were read further. */
  private advance(positions: readonly OutputPosition[]): void {
    for (const position of positions) {
      const key = `${position.run}\0${position.stream}`;
      if ((this.positions.get(key)?.position ?? -1) < position.position)
        this.positions.set(key, { run: position.run, stream: position.stream, position: position.position });
    }
  }

  private append(lines: readonly OutputLine[]): void {
    for (const line of lines) this.sink.output(line);
  }

  /** Writes the part's state notes (every one when `all`). */
  noteStates(all = false): void {
    for (const note of this.target.stateNotes?.(all) ?? []) this.sink.note(note);
  }

  /** The run finished: its last lines came before. */
  ended(): void {
    this.subscription = null;
    this.finished = true;
    this.noteStates();
    this.sink.note(formatNote(`${this.target.title}: finished, output complete`));
  }

  /** The agent went away: the stream is gone with the connection. */
  disconnected(): void {
    if (this.subscription === null) return;
    this.subscription = null;
    this.sink.note(formatNote('disconnected from the Taskwarden agent; following again once it is back'));
  }

  dispose(): void {
    this.sink.dispose();
  }
}

/** The map key of a target's output in a place. */
function entryKey(key: string, place: OutputPlace): string {
  return `${place}\0${key}`;
}

/** The output channels and terminals of this window, by place and key, and the streams behind them. */
export class OutputPresenter implements vscode.Disposable {
  private readonly channels = new Map<string, FollowedOutput>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly agent: AgentApi) {
    this.subscriptions = [
      agent.onNotification(OutputLinesNotification.type, ({ subscription, lines, positions }) =>
        this.bySubscription(subscription)?.received(lines, positions),
      ),
      agent.onNotification(OutputEndNotification.type, ({ subscription, reason }) => {
        if (reason.kind === 'finished') this.bySubscription(subscription)?.ended();
      }),
      agent.onDidChangeState((state) => {
        for (const channel of this.channels.values()) {
          if (state.kind === 'running') {
            if (channel.finished) continue;
            channel.sink.note(formatNote('connected to the Taskwarden agent again'));
            this.follow(channel, 0).catch((error: unknown) => channel.sink.note(formatNote(`cannot follow: ${message(error)}`)));
          } else channel.disconnected();
        }
      }),
    ];
  }

  private bySubscription(subscription: number): FollowedOutput | undefined {
    return [...this.channels.values()].find((channel) => channel.subscription === subscription);
  }

  private follow(channel: FollowedOutput, history: number): Promise<void> {
    return channel.follow(this.agent, nextSubscription++, history);
  }

  /** Makes the channel or terminal of a target. */
  private create(target: OutputTarget, place: OutputPlace): FollowedOutput {
    const name = `Taskwarden: ${target.key}`;
    // A terminal the user closes stops following and goes, like "Close Output".
    const sink = place === 'channel' ? channelSink(name) : terminalSink(name, () => void this.close(target.key, 'terminal'));
    return new FollowedOutput(target, place, sink);
  }

  /**
   * Shows the output of a target in an output channel or a terminal, following
   * it (creating it the first time); both places follow through the same code.
   */
  async show(target: OutputTarget, place: OutputPlace = 'channel'): Promise<void> {
    const key = entryKey(target.key, place);
    let channel = this.channels.get(key);
    if (!channel) {
      // In the map before the request, so a second "Show Output" waits for this one instead of making a twin.
      channel = this.create(target, place);
      this.channels.set(key, channel);
      try {
        await this.follow(channel, HISTORY_LINES);
      } catch (error: unknown) {
        this.channels.delete(key);
        channel.dispose();
        throw error;
      }
    } else if (channel.subscription === null && !channel.finished) {
      await this.follow(channel, 0);
    }
    channel.sink.show();
  }

  /** The keys that have a channel or a terminal, each once. */
  keys(filter: (target: OutputTarget) => boolean = () => true): string[] {
    const keys = [...this.channels.values()].filter((channel) => filter(channel.target)).map((channel) => channel.target.key);
    return [...new Set(keys)];
  }

  private entries(key: string, place?: OutputPlace): [string, FollowedOutput][] {
    return [...this.channels].filter(([, channel]) => channel.target.key === key && (place === undefined || channel.place === place));
  }

  /** Notes state changes in every channel whose target passes `filter`. */
  noteStates(filter: (target: OutputTarget) => boolean): void {
    for (const channel of this.channels.values()) if (filter(channel.target)) channel.noteStates();
  }

  /** Stops following, keeping the channels and terminals and what they show, with a last note. */
  async stopFollowing(key: string, note: string): Promise<void> {
    for (const [, channel] of this.entries(key)) {
      if (channel.subscription === null) continue;
      channel.sink.note(formatNote(note));
      await this.unfollow(channel);
    }
  }

  /** Stops following and closes the channel and terminal of a key (or only the one in `place`). */
  async close(key: string, place?: OutputPlace): Promise<void> {
    for (const [entry, channel] of this.entries(key, place)) {
      this.channels.delete(entry);
      await this.unfollow(channel);
      channel.dispose();
    }
  }

  private async unfollow(channel: FollowedOutput): Promise<void> {
    const subscription = channel.subscription;
    channel.subscription = null;
    if (subscription === null || this.agent.state.kind !== 'running') return;
    await this.agent.request(UnfollowOutputRequest.type, { subscription }).catch(() => undefined);
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
