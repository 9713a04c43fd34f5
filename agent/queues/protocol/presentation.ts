/**
 * The one presentation of a queue item: its look (codicon, color, state in words),
 * its one-line description, its exit wording and its full record as lines. The Queues view,
 * hovers and the CLI's `queue list`/`show`/`history` all call these, so an item reads the same
 * everywhere. Pure; the extension wraps the ids in ThemeIcon and ThemeColor.
 */
import { formatDuration } from '../../protocol/durations';
import { GREEN, GREY, RED, YELLOW, type Look } from '../../protocol/look';
import type { QueueItem, QueueSummary } from './messages';

/** How an item's state looks (look.ts). */
export type QueueItemLook = Look;

/** The look of one item: queued, running, done, error, killed. */
export function queueItemLook(item: QueueItem): QueueItemLook {
  if (item.state === 0) return { icon: 'clock', color: GREY, label: 'queued' };
  if (item.state === 1) return { icon: 'loading~spin', color: YELLOW, label: 'running' };
  if (item.state === 2) return { icon: 'pass', color: GREEN, label: 'done' };
  if (item.killed) return { icon: 'circle-slash', color: RED, label: 'killed' };
  return { icon: 'error', color: RED, label: 'error' };
}

/** "exit 0", "exit 255", "signal 9", "killed (signal 9)", or the error alone when it never ran. */
export function describeQueueExit(item: QueueItem): string {
  if (item.exit === null) return item.error ?? (item.state === -1 ? 'failed' : '');
  const how = item.exit < 0 ? `signal ${-item.exit}` : `exit ${item.exit}`;
  return item.killed ? `killed (${how})` : how;
}

/** The command as one line, for a person (arguments with spaces quoted). */
export function queueCommandLine(cmd: readonly string[]): string {
  return cmd.map((arg) => (arg === '' || /[\s"'\\$`]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ');
}

/** "running · pid 1234 · 12s", "queued", "done · exit 0 · 3s", "error · Invalid exit code 1". */
export function queueItemDescription(item: QueueItem, now: number): string {
  const facts: string[] = [queueItemLook(item).label];
  if (item.state === 1) {
    if (item.pid !== null) facts.push(`pid ${item.pid}`);
    if (item.timeStart !== null) facts.push(formatDuration(now - item.timeStart));
  } else if (item.state !== 0) {
    const exit = describeQueueExit(item);
    if (exit) facts.push(exit);
    if (item.error && item.exit !== null && !item.killed) facts.push(item.error);
    if (item.timeStart !== null && item.timeEnd !== null) facts.push(formatDuration(item.timeEnd - item.timeStart));
  }
  return facts.join(' · ');
}

/** "2 running · 5 queued · 10 done · 1 failed · paused". */
export function queueSummaryDescription(queue: QueueSummary): string {
  const facts = [`${queue.running} running`, `${queue.queued} queued`, `${queue.done} done`];
  if (queue.failed > 0) facts.push(`${queue.failed} failed`);
  if (queue.paused) facts.push('paused');
  return facts.join(' · ');
}

function stamp(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

/** The full record, one field a line (`queue show`, `queue wait`, the Queues view's hover). */
export function queueItemDetails(item: QueueItem): string[] {
  const lines = [
    `id:         ${item.id}`,
    `queue:      ${item.queue}`,
    `state:      ${item.state} (${queueItemLook(item).label})`,
    `cmd:        ${queueCommandLine(item.cmd)}`,
    `cwd:        ${item.cwd ?? '(queue workdir)'}`,
  ];
  for (const [key, value] of Object.entries(item.env)) lines.push(`env:        ${key}=${value}`);
  if (item.after.length > 0) lines.push(`after:      ${item.after.join(', ')}`);
  lines.push(
    `pid:        ${item.pid ?? '-'}`,
    `exit:       ${item.exit ?? '-'}`,
    `stderr:     ${item.stderr} lines`,
    `error:      ${item.error ?? '-'}`,
    `killed:     ${item.killed}`,
    `time-queue: ${stamp(item.timeQueue)}`,
    `time-start: ${stamp(item.timeStart)}`,
    `time-end:   ${stamp(item.timeEnd)}`,
  );
  for (const warning of item.warnings) lines.push(`warning:    ${warning}`);
  if (item.final) {
    lines.push(`final cmd:  ${queueCommandLine(item.final.cmd)}`, `final cwd:  ${item.final.cwd}`);
    for (const [key, value] of Object.entries(item.final.env)) lines.push(`final env:  ${key}=${value}`);
  }
  // Not 'stderr:' again: that line is the count of stderr lines.
  if (item.stdoutFile) lines.push(`stdout log: ${item.stdoutFile}`, `stderr log: ${item.stderrFile ?? '-'}`);
  return lines;
}

/** process-queue's record keys (`time-queue`, `final`…), for `--json`. */
export function processQueueRecord(item: QueueItem): Record<string, unknown> {
  return {
    id: item.id,
    queue: item.queue,
    state: item.state,
    cmd: item.cmd,
    cwd: item.cwd,
    env: item.env,
    after: item.after,
    pid: item.pid,
    exit: item.exit,
    stderr: item.stderr,
    error: item.error,
    warnings: item.warnings,
    killed: item.killed,
    'time-queue': item.timeQueue,
    'time-start': item.timeStart,
    'time-end': item.timeEnd,
    final: item.final,
    stdoutFile: item.stdoutFile,
    stderrFile: item.stderrFile,
  };
}
