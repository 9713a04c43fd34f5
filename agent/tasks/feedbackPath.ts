/**
 * Where a task's feedback file is, and which of its bytes to read next. Pure: the
 * caller stats the file and hands the result in.
 *
 * The file is `<feedpath>/feedback_<id>.log`. It normally grows by appends; the
 * agent keeps a mark (inode, offset read so far, mtime) and asks `planFeedbackRead`
 * what changed since: nothing, a touch (a heartbeat without new bytes), appended
 * bytes, or a new file (replaced or truncated) to read again from the start.
 * Limitation: a file truncated in place and regrown past the mark between two looks
 * is indistinguishable from an append.
 */

import { join } from 'node:path';
import { failed, ok, type Failure, type Result } from '../result';

/** The glob of feedback file names (for the editor's language association). */
export const FEEDBACK_FILE_GLOB = 'feedback_*.log';

const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The feedback file of task `taskId` under `feedpath` (joined, not resolved: pass an
 * absolute `feedpath`). A task id is 1–64 letters, digits, `-` or `_`, so it can never
 * escape the folder.
 */
export function feedbackFilePath(feedpath: string, taskId: string): Result<string, Failure<'invalid-task-id'>> {
  if (!TASK_ID.test(taskId))
    return failed({
      reason: 'invalid-task-id',
      message: `invalid task id ${JSON.stringify(taskId)}: use 1 to 64 letters, digits, '-' or '_'.`,
    });
  return ok(join(feedpath, `feedback_${taskId}.log`));
}

/** The task id in a feedback file name (`feedback_12.log` → `12`), or null. */
export function taskIdOfFeedbackFile(fileName: string): string | null {
  const match = /^feedback_([A-Za-z0-9_-]{1,64})\.log$/.exec(fileName);
  return match?.[1] ?? null;
}

/** The parts of `fs.Stats` the plan needs. */
export interface FeedbackFileStat {
  readonly ino: number | bigint;
  readonly size: number;
  readonly mtimeMs: number;
}

/** What the agent knew after its last read. */
export interface FeedbackFileMark {
  readonly ino: number | bigint;
  /** Bytes already pushed to the accumulator (`FeedbackAccumulator.offset`). */
  readonly offset: number;
  readonly mtimeMs: number;
}

/**
 * What to do now. For every kind but `unchanged` and `missing` the file was updated:
 * the task gave a sign of life. Read bytes `[start, end)`; on `rewrite`, reset the
 * accumulator first.
 */
export type FeedbackReadPlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'touched' }
  | { readonly kind: 'append'; readonly start: number; readonly end: number }
  | {
      readonly kind: 'rewrite';
      readonly reason: 'created' | 'replaced' | 'truncated';
      readonly start: 0;
      readonly end: number;
    };

/**
 * Compares the file now (`current`, null when it does not exist) with the mark
 * (null before the first read).
 */
export function planFeedbackRead(mark: FeedbackFileMark | null, current: FeedbackFileStat | null): FeedbackReadPlan {
  if (current === null) return { kind: 'missing' };
  if (mark === null) return { kind: 'rewrite', reason: 'created', start: 0, end: current.size };
  if (!sameInode(current.ino, mark.ino)) return { kind: 'rewrite', reason: 'replaced', start: 0, end: current.size };
  if (current.size < mark.offset)
    return {
      kind: 'rewrite',
      reason: 'truncated',
      start: 0,
      end: current.size,
    };
  if (current.size > mark.offset) return { kind: 'append', start: mark.offset, end: current.size };
  return current.mtimeMs !== mark.mtimeMs ? { kind: 'touched' } : { kind: 'unchanged' };
}

/** Compares inodes whether they come as numbers or bigints (e.g. a mark read back from the store). */
function sameInode(left: number | bigint, right: number | bigint): boolean {
  return String(left) === String(right);
}
