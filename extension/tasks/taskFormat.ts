/**
 * How the Tasks view words and draws a task: the text progress bar,
 * the numeric `progress` read from feedback, how a finished task ended, and
 * which codicon and theme color stand for each state. Pure (no 'vscode'), so it
 * is unit-tested on its own. Durations are worded by agent/protocol/durations.ts,
 * like everywhere else.
 */
import type { TaskHistoryEntry, TaskState } from '../../agent/tasks/protocol';

/** Cells of the text progress bar: short, so the percentage still shows in a narrow side bar. */
export const PROGRESS_CELLS = 8;

/** A codicon id and a theme color id, as plain strings (the view makes ThemeIcon/ThemeColor of them). */
export interface IconLook {
  readonly icon: string;
  readonly color: string;
}

/** Read from the feedback by the one function the agent's stats use too. */
export { feedbackProgress } from '../../agent/tasks/protocol';

/** A text progress bar, e.g. `▰▰▰▰▰▰▱▱▱▱ 60%` (TreeItem has no native one). */
export function progressBar(percent: number, cells = PROGRESS_CELLS): string {
  const clamped = Math.min(100, Math.max(0, percent));
  const filled = Math.round((clamped / 100) * cells);
  const label = Number.isInteger(clamped) ? String(clamped) : clamped.toFixed(1);
  return `${'▰'.repeat(filled)}${'▱'.repeat(cells - filled)} ${label}%`;
}

/** How a finished task ended, in a few words: `exit 0`, `exit 3`, `killed (SIGTERM)`, `timeout`, `signal SIGSEGV`. */
export function describeEnd(entry: Pick<TaskHistoryEntry, 'outcome' | 'exitCode' | 'signal'>): string {
  switch (entry.outcome) {
    case 'exited':
      return `exit ${entry.exitCode ?? '?'}`;
    case 'signaled':
      return `signal ${entry.signal ?? '?'}`;
    case 'killed':
      return entry.signal ? `killed (${entry.signal})` : 'killed';
    case 'timeout':
      return 'timeout';
    case 'unknown':
      return 'ended unobserved';
    default:
      return assertNever(entry.outcome);
  }
}

/** True for a run that ended well: it exited by itself with code 0. */
export function endedWell(entry: Pick<TaskHistoryEntry, 'outcome' | 'exitCode'>): boolean {
  return entry.outcome === 'exited' && entry.exitCode === 0;
}

/** The icon of a live task: RUNNING green, SILENT yellow, STALLED orange, RESERVED grey. */
export function stateLook(state: TaskState): IconLook {
  switch (state) {
    case 'RUNNING':
      return { icon: 'play-circle', color: 'charts.green' };
    case 'SILENT':
      return { icon: 'watch', color: 'charts.yellow' };
    case 'STALLED':
      return { icon: 'warning', color: 'charts.orange' };
    case 'RESERVED':
      return { icon: 'circle-large-outline', color: 'disabledForeground' };
    default:
      return assertNever(state);
  }
}

/** The icon of a finished run: passed, failed, killed on request, timed out. */
export function historyLook(entry: Pick<TaskHistoryEntry, 'outcome' | 'exitCode'>): IconLook {
  if (endedWell(entry)) return { icon: 'pass', color: 'charts.green' };
  switch (entry.outcome) {
    case 'killed':
      return { icon: 'circle-slash', color: 'disabledForeground' };
    case 'timeout':
      return { icon: 'clock', color: 'charts.red' };
    case 'unknown':
      return { icon: 'question', color: 'disabledForeground' };
    case 'exited':
    case 'signaled':
      return { icon: 'error', color: 'charts.red' };
    default:
      return assertNever(entry.outcome);
  }
}

/** The info fields that are set, joined for a description. */
export function infoText(task: { readonly info1: string | null; readonly info2: string | null; readonly info3: string | null }): string {
  return [task.info1, task.info2, task.info3].filter((info): info is string => info !== null && info !== '').join(' · ');
}

/** A task's label: its name, else `task <id>`. */
export function taskLabel(task: { readonly id: number; readonly name: string | null }): string {
  return task.name !== null && task.name !== '' ? task.name : `task ${task.id}`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}
