/**
 * Following the output of any run, whichever part started it: a daemon's
 * instances (`daemons`, `web` or `web:0`), a task (`tasks`, `7`). One request
 * returns the recent lines (read across rotated files) and, with `follow`,
 * streams new ones under a subscription id the client chose, so a client can
 * route notifications from the first one on, before the answer arrives.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { PartName } from './agent';

export type OutputStream = 'stdout' | 'stderr';

/** What to follow: a part and the id of one of its runs (or of a group of runs, e.g. a daemon's instances). */
export interface OutputSource {
  readonly part: PartName;
  readonly id: string;
}

/** One captured output line. */
export interface OutputLine {
  /** The run it came from: a daemon instance `web:0`, a task `7`. */
  readonly run: string;
  readonly stream: OutputStream;
  readonly text: string;
  /** With `timestamps` (or `since`): when it was written, ms since epoch (from the log's time index: at most a quarter second late). */
  readonly time?: number;
  /** With `markers`: this is no output but a marked line (its `text` worded by outputMarkers.ts), e.g. a restart of the run's process. */
  readonly marker?: OutputMarker;
}

/** A marked line among a run's output: its process started again (a daemon's restart), after the previous one ended so. */
export interface OutputMarker {
  readonly kind: 'restart';
  /** When the new process started, ms since epoch. */
  readonly at: number;
  /** How the previous process ended, worded ("exit 1", "SIGKILL (stopped by user)"), or null when unknown. */
  readonly previousExit: string | null;
}

/**
 * How far one stream of a run was read: a count of the bytes the run has
 * written to it, which rotation does not change (a file offset would), so a
 * client that lost its agent can resume with the next one.
 */
export interface OutputPosition {
  readonly run: string;
  readonly stream: OutputStream;
  readonly position: number;
  /** In a result that resumed from a position: bytes written after it that were rotated away before they could be read. */
  readonly missedBytes?: number;
}

export interface FollowOutputParams {
  readonly source: OutputSource;
  /** Required with `follow`: the client's own id for this stream, unique among its open ones; notifications carry it. */
  readonly subscription?: number;
  /** How many recent lines per run and stream to return first (default 50; 0 for none). */
  readonly lines?: number;
  /** Which streams (default both). */
  readonly streams?: readonly OutputStream[];
  /** Keep streaming new lines as OutputLinesNotification until unfollowed, the run ends, or the client disconnects. */
  readonly follow?: boolean;
  /** Resume: for these runs and streams, every line after the position instead of the recent `lines`. */
  readonly from?: readonly OutputPosition[];
  /** Only lines written at or after this time (ms since epoch); then `lines` caps how many (default: no cap). */
  readonly since?: number;
  /** Give each line its `time`. */
  readonly timestamps?: boolean;
  /** Put a marked line (OutputLine.marker) where a run's process restarted, with the first stream asked for. */
  readonly markers?: boolean;
}

export interface FollowOutputResult {
  /** Recent lines (or those since `from`), oldest first, grouped by run and stream. */
  readonly lines: readonly OutputLine[];
  /** The runs read, in order (a daemon has one per instance). */
  readonly runs: readonly string[];
  /** The files read, for a user who wants to open them. */
  readonly files: readonly string[];
  /** Where each run and stream was read to (a follow goes on from there). */
  readonly positions: readonly OutputPosition[];
  /** True when a stream was opened (`follow` on a run that can still write); false for a finished run. */
  readonly following: boolean;
}

/** Any client → agent: recent output lines of a run, and optionally a live stream of new ones. */
export namespace FollowOutputRequest {
  export const method = 'taskwarden/output/follow' as const;
  export const type = new RequestType<FollowOutputParams, FollowOutputResult, void>(method);
}

/** Any client → agent: end a stream opened with FollowOutputRequest (by the id the client gave it). */
export namespace UnfollowOutputRequest {
  export const method = 'taskwarden/output/unfollow' as const;
  export const type = new RequestType<{ readonly subscription: number }, void, void>(method);
}

export interface OutputLinesParams {
  readonly subscription: number;
  readonly lines: readonly OutputLine[];
  /** Where the streams these lines came from are read to now. */
  readonly positions: readonly OutputPosition[];
}

/** Agent → the client that follows: new output lines. */
export namespace OutputLinesNotification {
  export const method = 'taskwarden/output/lines' as const;
  export const type = new NotificationType<OutputLinesParams>(method);
}

/**
 * Why a stream ended: every run it follows finished (a task ended; its last
 * lines came before this), or the agent stops on purpose (its processes run
 * on for the next agent to adopt, or were stopped too). An agent that dies
 * says nothing: the connection just closes.
 */
export type OutputEndReason = { readonly kind: 'finished' } | { readonly kind: 'agentStopping'; readonly processesKept: boolean };

export interface OutputEndParams {
  readonly subscription: number;
  readonly reason: OutputEndReason;
}

/** Agent → a following client: the stream ends (see OutputEndReason). */
export namespace OutputEndNotification {
  export const method = 'taskwarden/output/end' as const;
  export const type = new NotificationType<OutputEndParams>(method);
}
