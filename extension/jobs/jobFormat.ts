/**
 * The words of the Jobs view's rows, from the shared job wording
 * (agent/jobs/protocol/presentation.ts) so a row reads like the code lens and
 * `taskwarden job list`: a job's description and hover, an event's time,
 * description and hover (with its performance data). Pure (no 'vscode'), so
 * it is unit-tested; jobTreeItems.ts wraps it in TreeItems.
 */
import {
  CHECK_STATE_NAMES,
  formatExecutionTime,
  formatFireTime,
  jobSummaryText,
  lastRunText,
  nextRunText,
  perfDatumText,
  type CheckEvent,
  type JobSummary,
} from '../../agent/jobs/protocol';

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * A job row's description: "next in 4m (14:05) · last OK 12 ms", as the lens says it; not
 * `counting` (the row is expanded), "next at 14:05 · last OK 12 ms": a text that moves each second
 * would draw the row again each second, and VS Code then drops and fetches its event rows, under the
 * pointer of whoever hovers or clicks them.
 */
export function jobDescription(job: JobSummary, now: number, counting = true): string {
  if (counting) return jobSummaryText(job, now);
  const skipped = job.skipped > 0 ? ` · ${job.skipped} skipped` : '';
  const idle = job.runningSince === null && job.enabled && !job.paused && job.nextRun !== null;
  const next = job.runningSince !== null ? 'running' : idle ? `next at ${formatFireTime(job.nextRun!, now)}` : nextRunText(job, now);
  return `${next} · ${lastRunText(job.last)}${skipped}`;
}

/**
 * Which of the job's actions its row offers, for package.json's `when` clauses:
 * `job.{idle|running}.{active|paused}[.output]`.
 */
export function jobContext(job: JobSummary): string {
  const run = job.runningSince !== null ? 'running' : 'idle';
  const pause = job.paused ? 'paused' : 'active';
  // Only a command job's runs have an output to follow (agent/jobs/outputSources.ts).
  return `job.${run}.${pause}${job.handler === 'command' ? '.output' : ''}`;
}

/** A job's hover, in Markdown lines. */
export function jobHoverLines(job: JobSummary, now: number): string[] {
  const lines = [
    `**${job.name}** — handler \`${job.handler}\`, ${job.scheduleText}`,
    '',
    `${nextRunText(job, now)} · ${lastRunText(job.last)}`,
  ];
  if (job.last !== null) lines.push('', `last run ${eventTime(job.last, now)}: ${job.last.output || '(no output)'}`);
  if (job.skipped > 0) lines.push('', `${job.skipped} occurrences skipped while a run still ran`);
  if (!job.configured) lines.push('', 'no longer in taskwarden.yaml');
  return lines;
}

/** "14:05:09", with the date in front when the event is not from today (on the viewer's clock). */
export function eventTime(event: CheckEvent, now: number): string {
  const at = new Date(event.timestamp * 1000);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  if (at.toDateString() === new Date(now).toDateString()) return time;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/** An event row's description: "OK · disk 42% free · 12 ms". */
export function eventDescription(event: CheckEvent): string {
  const output = event.output.split('\n')[0] ?? '';
  return [CHECK_STATE_NAMES[event.state], output, formatExecutionTime(event.execution_time)].filter((part) => part !== '').join(' · ');
}

/** An event's hover, in Markdown lines: the whole output and every perf datum. */
export function eventHoverLines(event: CheckEvent): string[] {
  const at = new Date(event.timestamp * 1000);
  const lines = [
    `**${event.resource}** ${CHECK_STATE_NAMES[event.state]} in ${formatExecutionTime(event.execution_time)} (handler \`${event.connector_name}\`)`,
    '',
    `ended ${at.toLocaleString()}`,
  ];
  if (event.output !== '') lines.push('', '```', event.output, '```');
  if (event.perf_data && event.perf_data.length > 0) {
    lines.push('', 'Performance data:', '');
    for (const datum of event.perf_data) lines.push(`- \`${perfDatumText(datum)}\``);
  }
  return lines;
}
