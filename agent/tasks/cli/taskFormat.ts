/**
 * How the `task` commands print tasks for people: local times, seconds,
 * exits, compact feedback, and the parsing of ids and timeouts on the command
 * line (a bad one is a usage error, exit 2).
 */
import { InvalidArgumentError } from 'commander';
import type { TaskHistoryEntry, TaskInfo } from '../protocol';
import { formatDuration } from '../../protocol/durations';

/** "2026-11-24 01:02:03" in local time; "-" for none. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '-';
  const date = new Date(ms);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Whole seconds, e.g. "12s"; "-" for none. */
export function formatSeconds(ms: number | null): string {
  return ms === null ? '-' : `${Math.max(0, Math.floor(ms / 1000))}s`;
}

/** A compact feedback object, cut to `width` characters. */
export function formatFeedback(values: Record<string, string> | null, width = 60): string {
  if (values === null) return '-';
  const text = JSON.stringify(values);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** The exit column: the code, the signal, or "?" when unknown. */
export function formatExit(entry: TaskHistoryEntry): string {
  if (entry.signal !== null) return entry.signal;
  if (entry.exitCode !== null) return String(entry.exitCode);
  return '?';
}

/** A row of `task list`. */
export function taskRow(task: TaskInfo, now: number): string[] {
  const running = task.startedAt !== null;
  return [
    String(task.id),
    task.name ?? '-',
    task.info1 ?? '-',
    task.info2 ?? '-',
    task.info3 ?? '-',
    task.pid === null ? '-' : String(task.pid),
    task.state,
    formatTime(task.startedAt ?? task.reservedAt),
    running ? formatDuration(now - (task.startedAt ?? now)) : '-',
    task.feedbackFile === null ? 'no' : 'yes',
    running && task.feedbackFile !== null ? formatSeconds(now - Math.max(task.lastUpdateAt ?? 0, task.startedAt ?? 0)) : '-',
    formatSeconds(task.timeoutMs),
  ];
}

export const TASK_LIST_HEADER = [
  'ID',
  'NAME',
  'INFO1',
  'INFO2',
  'INFO3',
  'PID',
  'STATE',
  'START',
  'DURATION',
  'FEEDBACK',
  'TIMER',
  'TIMEOUT',
];

/** A row of `task history`. */
export function historyRow(entry: TaskHistoryEntry): string[] {
  return [
    String(entry.id),
    entry.name ?? '-',
    entry.info1 ?? '-',
    entry.info2 ?? '-',
    entry.info3 ?? '-',
    formatExit(entry),
    entry.error ?? '-',
    formatTime(entry.start),
    formatTime(entry.end),
    formatDuration(entry.durationMs),
    formatFeedback(entry.feedback),
  ];
}

export const HISTORY_HEADER = ['ID', 'NAME', 'INFO1', 'INFO2', 'INFO3', 'EXIT', 'ERROR', 'START', 'END', 'DURATION', 'FEEDBACK'];

/** Parses a task id argument; null when it is not a positive integer. */
export function parseTaskId(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Commander's parser for an `<id>` argument: anything but a positive integer is a usage error (exit 2). */
export function taskIdArgument(text: string): number {
  const id = parseTaskId(text);
  if (id === null) throw new InvalidArgumentError(`invalid task id ${JSON.stringify(text)}: a task id is a positive integer`);
  return id;
}

/** Parses a timeout in seconds (decimals allowed) to milliseconds; null when invalid. */
export function parseTimeoutSeconds(text: string): number | null {
  const seconds = Number(text);
  return text.trim() !== '' && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
}
