/**
 * How `queue list`, `history` and `show` print items for a person.
 */
import { describeQueueExit, queueCommandLine, queueItemLook } from '../../protocol/queuePresentation';
import type { QueueItem } from '../../protocol/queues';
import { formatDuration } from '../../protocol/durations';

export const QUEUE_ITEM_HEADER = ['QUEUE', 'ID', 'STATE', 'PID', 'TIME', 'EXIT', 'COMMAND'] as const;

export function queueItemRow(item: QueueItem, now: number): string[] {
  const time = item.timeStart === null ? '-' : formatDuration((item.timeEnd ?? now) - item.timeStart);
  return [
    item.queue,
    item.id,
    queueItemLook(item).label,
    item.pid === null ? '-' : String(item.pid),
    time,
    item.state === 0 || item.state === 1 ? '-' : describeQueueExit(item),
    queueCommandLine(item.cmd),
  ];
}

function stamp(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

/** `queue show`: the full record, one field a line. */
export function itemDetails(item: QueueItem): string[] {
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
  if (item.stdoutFile) lines.push(`stdout:     ${item.stdoutFile}`, `stderr:     ${item.stderrFile ?? '-'}`);
  return lines;
}
