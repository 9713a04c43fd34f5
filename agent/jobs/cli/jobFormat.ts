/**
 * How `taskwarden job …` prints jobs and check events (the wording is
 * agent/jobs/protocol/presentation.ts, shared with the editor).
 */
import { formatExecutionTime, formatFireTime, lastRunText, nextRunText } from '../protocol';
import { CHECK_STATE_NAMES, type CheckEvent, type JobSummary } from '../protocol';

export const JOB_HEADER = ['JOB', 'HANDLER', 'SCHEDULE', 'NEXT', 'LAST', 'OUTPUT', 'LAST RUN', 'SKIPPED'] as const;

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export function jobRow(job: JobSummary, now: number): string[] {
  return [
    job.name,
    job.handler,
    job.scheduleText,
    nextRunText(job, now),
    lastRunText(job.last),
    clip(job.last?.output ?? '', 50),
    job.last === null ? '-' : `${formatFireTime(job.last.timestamp * 1000, now)}`,
    String(job.skipped),
  ];
}

/** "2026-12-05 09:10:03 backup OK (12 ms): output | perfdata". */
export function eventLine(event: CheckEvent): string {
  const at = new Date(event.timestamp * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const perf = event.perf_data?.length
    ? ` | ${event.perf_data.map((datum) => `${datum.label}=${datum.value ?? 'U'}${datum.uom}`).join(' ')}`
    : '';
  return `${stamp} ${event.resource} ${CHECK_STATE_NAMES[event.state]} (${formatExecutionTime(event.execution_time)}): ${event.output}${perf}`;
}
