/**
 * Output of daemons for clients: the recent lines of each instance's log
 * files (across rotated files), or every line since positions a client was
 * given earlier, then (when following) new lines as they land, sent to the
 * requesting client only. A stream ends when the client unsubscribes or
 * disconnects; the files are tailed only while someone follows them.
 */
import { followLog, type Follower } from '../proc/logFollower';
import { linesSince, recentLines } from '../proc/rotatedLog';
import {
  DaemonLogEndNotification,
  DaemonLogNotification,
  type DaemonLogLine,
  type DaemonLogPosition,
  type DaemonLogsParams,
  type DaemonLogsResult,
  type DaemonLogStream,
} from '../protocol/daemons';
import type { ClientHandle } from '../core/rpc';
import type { InstanceLogFiles } from './logs';

/** An instance whose output can be read. */
export interface LogSource {
  readonly id: string;
  readonly files: InstanceLogFiles;
}

interface Subscription {
  readonly client: ClientHandle;
  readonly followers: Follower[];
}

const DEFAULT_LINES = 50;
const ALL_STREAMS: readonly DaemonLogStream[] = ['stdout', 'stderr'];

function isPosition(value: unknown): value is DaemonLogPosition {
  const candidate = value as Partial<DaemonLogPosition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.instance === 'string' &&
    (candidate.stream === 'stdout' || candidate.stream === 'stderr') &&
    typeof candidate.position === 'number' &&
    Number.isSafeInteger(candidate.position) &&
    candidate.position >= 0
  );
}

export class LogStreams {
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly watchedClients = new Set<number>();
  private next = 1;

  /** Recent lines of these sources (or the lines since `params.from`), and a live stream when `follow` is set. */
  read(sources: readonly LogSource[], params: DaemonLogsParams, client: ClientHandle): DaemonLogsResult {
    const count = Math.max(0, Math.floor(params.lines ?? DEFAULT_LINES));
    const streams = params.streams && params.streams.length > 0 ? params.streams : ALL_STREAMS;
    const resume = new Map(
      (Array.isArray(params.from) ? params.from.filter(isPosition) : []).map((entry) => [
        `${entry.instance}\0${entry.stream}`,
        entry.position,
      ]),
    );
    const lines: DaemonLogLine[] = [];
    const files: string[] = [];
    const positions: DaemonLogPosition[] = [];
    const starts: { source: LogSource; stream: DaemonLogStream; offset: number }[] = [];
    for (const source of sources) {
      for (const stream of streams) {
        const file = source.files[stream];
        files.push(file);
        const from = resume.get(`${source.id}\0${stream}`);
        const read = from === undefined ? recentLines(file, count) : linesSince(file, from);
        for (const text of read.lines) lines.push({ instance: source.id, stream, text });
        positions.push({
          instance: source.id,
          stream,
          position: read.position,
          ...(read.missedBytes > 0 ? { missedBytes: read.missedBytes } : {}),
        });
        starts.push({ source, stream, offset: read.endOffset });
      }
    }
    if (!params.follow) return { lines, subscription: null, files, positions };

    const id = this.next++;
    const followers = starts.map(({ source, stream, offset }) =>
      followLog({
        file: source.files[stream],
        offset,
        onLines: (newLines, _endOffset, position) => {
          client.sendNotification(DaemonLogNotification.type, {
            subscription: id,
            lines: newLines.map((text) => ({ instance: source.id, stream, text })),
            positions: [{ instance: source.id, stream, position }],
          });
        },
      }),
    );
    this.subscriptions.set(id, { client, followers });
    if (!this.watchedClients.has(client.id)) {
      this.watchedClients.add(client.id);
      client.onClose(() => {
        this.watchedClients.delete(client.id);
        for (const [subscription, entry] of this.subscriptions) if (entry.client.id === client.id) this.unfollow(subscription);
      });
    }
    return { lines, subscription: id, files, positions };
  }

  /** Ends a stream; false when there is no such subscription. */
  unfollow(subscription: number, client?: ClientHandle): boolean {
    const entry = this.subscriptions.get(subscription);
    if (!entry || (client && entry.client.id !== client.id)) return false;
    for (const follower of entry.followers) follower.close();
    this.subscriptions.delete(subscription);
    return true;
  }

  /** The agent stops: every follower is told (so it does not take it for a crash), then its stream ends. */
  close(processesKept: boolean): void {
    for (const [subscription, entry] of [...this.subscriptions]) {
      entry.client.sendNotification(DaemonLogEndNotification.type, { subscription, processesKept });
      this.unfollow(subscription);
    }
  }
}
