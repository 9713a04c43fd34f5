/**
 * The one way clients read and follow output, for every part
 * (`taskwarden/output/follow`): the recent lines of a run's files (across
 * rotated files), or every line since positions the client was given
 * earlier, then (when following) new lines as they land, sent to the
 * requesting client only under the subscription id it chose. A stream ends
 * when the client unfollows or disconnects, or the agent stops; files are
 * tailed only while someone follows them.
 */
import { followLog, type Follower } from '../proc/logFollower';
import { readTimes } from '../proc/logTimes';
import { linesSince, recentLines } from '../proc/rotatedLog';
import type { PartName } from '../protocol/agent';
import { ErrorCodes } from '../protocol/errors';
import {
  FollowOutputRequest,
  OutputEndNotification,
  OutputLinesNotification,
  UnfollowOutputRequest,
  type FollowOutputParams,
  type FollowOutputResult,
  type OutputLine,
  type OutputPosition,
  type OutputStream,
} from '../protocol/output';
import type { OutputRun, OutputSources } from './outputSources';
import { markerLine, outputLine, positionForSince, withRestarts, withTimes, type ReadLine } from './timedOutput';
import { failure, type ClientHandle, type RpcFailure, type RpcRegistry } from './rpc';

interface Subscription {
  readonly client: ClientHandle;
  readonly subscription: number;
  /** The followers of each run still followed. */
  readonly runs: Map<string, Follower[]>;
  /** Stop listening for the runs' ends. */
  readonly cancels: (() => void)[];
}

const DEFAULT_LINES = 50;
const ALL_STREAMS: readonly OutputStream[] = ['stdout', 'stderr'];

function isPosition(value: unknown): value is OutputPosition {
  const candidate = value as Partial<OutputPosition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.run === 'string' &&
    (candidate.stream === 'stdout' || candidate.stream === 'stderr') &&
    typeof candidate.position === 'number' &&
    Number.isSafeInteger(candidate.position) &&
    candidate.position >= 0
  );
}

function isStream(value: unknown): value is OutputStream {
  return value === 'stdout' || value === 'stderr';
}

/** A client's subscription, keyed by client and its own id (two clients may both pick 1). */
function key(client: ClientHandle, subscription: number): string {
  return `${client.id}\0${subscription}`;
}

export class OutputFollows {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly watchedClients = new Set<number>();

  constructor(private readonly sources: ReadonlyMap<PartName, OutputSources>) {}

  /** Registers `taskwarden/output/follow` and `/unfollow`. */
  register(rpc: RpcRegistry): void {
    rpc.on(FollowOutputRequest.type, (params, client) => this.follow(params, client));
    rpc.on(UnfollowOutputRequest.type, (params, client) => {
      if (!this.unfollow(client, params?.subscription))
        return failure(ErrorCodes.NotFound, `no output stream ${String(params?.subscription)} of this client`);
      return undefined;
    });
  }

  private follow(params: FollowOutputParams | undefined, client: ClientHandle): FollowOutputResult | RpcFailure {
    const source = params?.source;
    if (typeof source?.part !== 'string' || typeof source.id !== 'string' || source.id.trim() === '')
      return failure(ErrorCodes.InvalidParams, 'give a source: {part, id}, e.g. {part: "tasks", id: "7"}');
    const resolve = this.sources.get(source.part);
    if (!resolve) return failure(ErrorCodes.NotFound, `the ${source.part} part has no output to follow`);
    const runs = resolve(source.id);
    if (!Array.isArray(runs)) return runs as RpcFailure;
    const follow = params?.follow === true;
    const subscription = params?.subscription;
    if (follow) {
      if (typeof subscription !== 'number' || !Number.isSafeInteger(subscription))
        return failure(ErrorCodes.InvalidParams, 'following needs a subscription: an integer the client chooses');
      if (this.subscriptions.has(key(client, subscription)))
        return failure(ErrorCodes.Conflict, `output stream ${subscription} is already open on this connection`);
    }
    return this.read(runs, params!, client, follow ? subscription! : null);
  }

  private read(
    runs: readonly OutputRun[],
    params: FollowOutputParams,
    client: ClientHandle,
    subscription: number | null,
  ): FollowOutputResult {
    const since = typeof params.since === 'number' && Number.isFinite(params.since) ? params.since : null;
    const timestamps = params.timestamps === true;
    const markers = params.markers === true;
    const askedLines = typeof params.lines === 'number' ? Math.max(0, Math.floor(params.lines)) : null;
    const count = askedLines ?? (since !== null ? Infinity : DEFAULT_LINES);
    const asked = Array.isArray(params.streams) ? params.streams.filter(isStream) : [];
    const streams = asked.length > 0 ? asked : ALL_STREAMS;
    const resume = new Map(
      (Array.isArray(params.from) ? params.from.filter(isPosition) : []).map((entry) => [`${entry.run}\0${entry.stream}`, entry.position]),
    );
    const lines: OutputLine[] = [];
    const files: string[] = [];
    const positions: OutputPosition[] = [];
    const starts: { run: OutputRun; stream: OutputStream; offset: number; markers: boolean }[] = [];
    for (const run of runs) {
      for (const [index, stream] of streams.entries()) {
        const file = run.files[stream];
        files.push(file);
        const from = resume.get(`${run.id}\0${stream}`);
        const sinceRead = from === undefined && since !== null;
        const read =
          from !== undefined
            ? linesSince(file, from)
            : sinceRead
              ? linesSince(file, positionForSince(file, since))
              : recentLines(file, count);
        const restarts = markers && index === 0 ? run.restarts?.() : undefined;
        const entries = timestamps || since !== null || restarts ? readTimes(file) : null;
        let shown: ReadLine[] = entries ? withTimes(file, read, entries) : read.lines.map((text) => ({ text }));
        if (sinceRead) shown = shown.filter((line) => line.time! >= since).slice(-count);
        if (restarts) shown = withRestarts(shown, restarts, since, entries ?? []);
        for (const line of shown) lines.push(outputLine(run.id, stream, line, timestamps));
        positions.push({
          run: run.id,
          stream,
          position: read.position,
          ...(read.missedBytes > 0 && !sinceRead ? { missedBytes: read.missedBytes } : {}),
        });
        if (!run.finished) starts.push({ run, stream, offset: read.endOffset, markers: markers && index === 0 });
      }
    }
    const result = { lines, runs: runs.map((run) => run.id), files, positions };
    if (subscription === null || starts.length === 0) return { ...result, following: false };

    const entry: Subscription = { client, subscription, runs: new Map(), cancels: [] };
    for (const { run, stream, offset, markers: marked } of starts) {
      // Exits already seen at the read are not marked again: a line after a new one is the next process's first.
      let shownUntil = marked ? Math.max(0, ...(run.restarts?.() ?? []).map((restart) => restart.previousEnd)) : 0;
      const follower = followLog({
        file: run.files[stream],
        offset,
        onLines: (newLines, _endOffset, position) => {
          const time = Date.now();
          let fresh: ReadLine[] = newLines.map((text) => ({ text, time }));
          if (marked && run.restarts) {
            const restarts = run.restarts().filter((restart) => restart.previousEnd > shownUntil);
            shownUntil = Math.max(shownUntil, ...restarts.map((restart) => restart.previousEnd));
            fresh = [...restarts.map((restart) => markerLine(restart, time)), ...fresh];
          }
          client.sendNotification(OutputLinesNotification.type, {
            subscription,
            lines: fresh.map((line) => outputLine(run.id, stream, line, timestamps)),
            positions: [{ run: run.id, stream, position }],
          });
        },
      });
      const followers = entry.runs.get(run.id) ?? [];
      followers.push(follower);
      entry.runs.set(run.id, followers);
    }
    for (const run of runs)
      if (run.onFinished && entry.runs.has(run.id)) entry.cancels.push(run.onFinished(() => this.runFinished(entry, run.id)));
    this.subscriptions.set(key(client, subscription), entry);
    if (!this.watchedClients.has(client.id)) {
      this.watchedClients.add(client.id);
      client.onClose(() => {
        this.watchedClients.delete(client.id);
        for (const entry of [...this.subscriptions.values()]) if (entry.client.id === client.id) this.unfollow(client, entry.subscription);
      });
    }
    return { ...result, following: true };
  }

  /**
   * A followed run ended: its last lines are read and sent, its followers
   * closed; once no run of the stream is left, the client is told it ended.
   */
  private runFinished(entry: Subscription, run: string): void {
    if (this.subscriptions.get(key(entry.client, entry.subscription)) !== entry) return;
    for (const follower of entry.runs.get(run) ?? []) {
      follower.catchUp();
      follower.close();
    }
    entry.runs.delete(run);
    if (entry.runs.size > 0) return;
    this.unfollow(entry.client, entry.subscription);
    entry.client.sendNotification(OutputEndNotification.type, { subscription: entry.subscription, reason: { kind: 'finished' } });
  }

  /** Ends a client's stream; false when it has no such stream. */
  private unfollow(client: ClientHandle, subscription: unknown): boolean {
    if (typeof subscription !== 'number') return false;
    const entry = this.subscriptions.get(key(client, subscription));
    if (!entry) return false;
    for (const followers of entry.runs.values()) for (const follower of followers) follower.close();
    for (const cancel of entry.cancels) cancel();
    this.subscriptions.delete(key(client, subscription));
    return true;
  }

  /** The agent stops: every follower is told (so it does not take it for a crash), then its stream ends. */
  close(processesKept: boolean): void {
    for (const entry of [...this.subscriptions.values()]) {
      entry.client.sendNotification(OutputEndNotification.type, {
        subscription: entry.subscription,
        reason: { kind: 'agentStopping', processesKept },
      });
      this.unfollow(entry.client, entry.subscription);
    }
  }
}
