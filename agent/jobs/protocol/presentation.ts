/**
 * The one wording of jobs for the CLI, the code lenses and hovers, and the
 * Jobs view: a state's name, a run's duration, the countdown to the next run
 * and the one-line summary of a job ("next in 4m (14:05) · last OK 12 ms").
 */
import { formatDuration } from '../../protocol/durations';
import { CHECK_STATE_NAMES, type CheckEvent, type CheckState, type JobSummary, type PerfDatum } from './messages';
import { BLUE, GREEN, GREY, RED, YELLOW, type Look } from '../../protocol/look';

const STATE_LOOKS: Readonly<Record<CheckState, Look>> = {
  0: { icon: 'pass', color: GREEN, label: 'OK' },
  1: { icon: 'warning', color: YELLOW, label: 'WARNING' },
  2: { icon: 'error', color: RED, label: 'CRITICAL' },
  3: { icon: 'question', color: GREY, label: 'UNKNOWN' },
};

/** How a verdict looks (look.ts); null: never run. */
export function checkStateLook(state: CheckState | null): Look {
  return state === null ? { icon: 'circle-large-outline', color: GREY, label: 'never run' } : STATE_LOOKS[state];
}

/** How a job looks: running, else its last verdict (paused and disabled are said by nextRunText). */
export function jobLook(job: JobSummary): Look {
  if (job.runningSince !== null) return { icon: 'loading~spin', color: BLUE, label: 'running' };
  return checkStateLook(job.last?.state ?? null);
}

/** A performance datum as the plugin wrote it: "time=0.12s;1;2;0;10" (U for an unknown value). */
export function perfDatumText(datum: PerfDatum): string {
  const tail = [datum.warn, datum.crit, datum.min, datum.max].map((field) => (field === null ? '' : String(field)));
  while (tail.length > 0 && tail.at(-1) === '') tail.pop();
  return `${datum.label}=${datum.value ?? 'U'}${datum.uom}${tail.map((field) => `;${field}`).join('')}`;
}

/** "12 ms", "1.4 s", then the shared wording ("3m 5s"). */
export function formatExecutionTime(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  return formatDuration(seconds * 1000);
}

/** "14:05" (or "Tue 14:05", "2026-12-24 14:05" further away), on the clock of whoever words it. */
export function formatFireTime(at: number, now: number): string {
  const date = new Date(at);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  const seconds = at - now < 120_000 ? `:${String(date.getSeconds()).padStart(2, '0')}` : '';
  if (at - now < 86_400_000) return time + seconds;
  if (at - now < 7 * 86_400_000) return `${date.toLocaleDateString('en-US', { weekday: 'short' })} ${time}`;
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return `${day} ${time}`;
}

/** "next in 4m (14:05)", "paused", "disabled", "not scheduled", "running for 3s". */
export function nextRunText(job: JobSummary, now: number): string {
  if (job.runningSince !== null) return `running for ${formatDuration(now - job.runningSince)}`;
  if (!job.enabled) return 'disabled';
  if (job.paused) return 'paused';
  if (job.nextRun === null) return 'not scheduled';
  return `next in ${formatDuration(job.nextRun - now)} (${formatFireTime(job.nextRun, now)})`;
}

/** "last OK 12 ms", "never run". */
export function lastRunText(last: CheckEvent | null): string {
  if (last === null) return 'never run';
  return `last ${CHECK_STATE_NAMES[last.state]} ${formatExecutionTime(last.execution_time)}`;
}

/** The one line of a job: "next in 4m (14:05) · last OK 12 ms", with the skipped count when there is one. */
export function jobSummaryText(job: JobSummary, now: number): string {
  const skipped = job.skipped > 0 ? ` · ${job.skipped} skipped` : '';
  return `${nextRunText(job, now)} · ${lastRunText(job.last)}${skipped}`;
}
