/**
 * `taskwarden job …`: list, run (exit status = the state), next, pause,
 * resume and events (with --follow, one line or one JSON event per line as
 * they come).
 */
import type { Command } from 'commander';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson, printTable } from '../../cli/output';
import { StateChangedNotification, SubscribeRequest } from '../../protocol/agent';
import { formatFireTime } from '../protocol';
import {
  JobEventsRequest,
  ListJobsRequest,
  NextJobRunsRequest,
  PauseJobRequest,
  ResumeJobRequest,
  RunJobRequest,
  type CheckEvent,
  type JobsDelta,
} from '../protocol';
import { jobSummaryText } from '../protocol';
import { eventLine, JOB_HEADER, jobRow } from './jobFormat';
import { namesArgument } from '../../cli/completion/argumentNames';
import { jobNames } from './jobNames';

function positiveInteger(value: string, name: string): number | null {
  const number = Number(value);
  return Number.isInteger(number) && number > 0
    ? number
    : (fail(`${name} must be a positive integer, not '${value}'`, ExitCode.Usage), null);
}

export function registerJobCommands(program: Command): void {
  const job = program.command('job').description('scheduled jobs: list, run, next, pause, resume, events');

  job
    .command('list')
    .description('every job: handler, schedule, next run, last state and output, last run, skipped count')
    .option('--json', 'the jobs as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(ListJobsRequest.type, {});
        if (options.json) printJson(result.jobs);
        else if (result.jobs.length === 0) process.stdout.write('no jobs (declare them under jobs: in taskwarden.yaml)\n');
        else
          printTable(
            JOB_HEADER,
            result.jobs.map((summary) => jobRow(summary, result.now)),
          );
        return ExitCode.Ok;
      });
    });

  job
    .command('run')
    .description('run a job now, ignoring its schedule; prints its check event; the exit status is its state (0 OK … 3 UNKNOWN)')
    .addArgument(namesArgument('<name>', 'the job', jobNames))
    .option('--json', 'the event as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const event = await agent.connection.sendRequest(RunJobRequest.type, { name });
        if (options.json) printJson(event);
        else process.stdout.write(`${eventLine(event)}\n`);
        return event.state;
      });
    });

  job
    .command('next')
    .description('the next fire times of one job or of every job')
    .addArgument(namesArgument('[name]', 'the job (default: all)', jobNames))
    .option('--count <n>', 'how many per job (default 5)')
    .option('--json', 'as JSON (times in ms since the epoch)')
    .action(async (name: string | undefined, options: { count?: string; json?: boolean }, command: Command) => {
      const count = options.count === undefined ? 5 : positiveInteger(options.count, '--count');
      if (count === null) {
        process.exitCode = ExitCode.Usage;
        return;
      }
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(NextJobRunsRequest.type, { count, ...(name === undefined ? {} : { name }) });
        if (options.json) printJson(result.jobs);
        else
          for (const entry of result.jobs) {
            process.stdout.write(`${entry.name}: ${entry.scheduleText}\n`);
            if (entry.times.length === 0) process.stdout.write('  no further occurrence\n');
            for (const time of entry.times)
              process.stdout.write(`  ${new Date(time).toISOString()}  (${formatFireTime(time, result.now)})\n`);
          }
        return ExitCode.Ok;
      });
    });

  for (const [verb, type, words] of [
    ['pause', PauseJobRequest.type, 'no occurrence fires until resumed (a run in progress goes on)'],
    ['resume', ResumeJobRequest.type, 'fire again from the next occurrence (missed ones are not caught up)'],
  ] as const)
    job
      .command(verb)
      .description(words)
      .addArgument(namesArgument('<name>', 'the job', jobNames))
      .action(async (name: string, _options: unknown, command: Command) => {
        process.exitCode = await withAgent(globalOptions(command), async (agent) => {
          const summary = await agent.connection.sendRequest(type, { name });
          process.stdout.write(`${name}: ${jobSummaryText(summary, Date.now())}\n`);
          return ExitCode.Ok;
        });
      });

  job
    .command('events')
    .description('stored check events, most recent last; --follow prints new ones as they come')
    .addArgument(namesArgument('[name]', 'one job (default: all)', jobNames))
    .option('--limit <n>', 'how many stored events (default 20)')
    .option('-f, --follow', 'then wait for new events (Ctrl-C to stop)')
    .option('--json', 'one JSON event per line (Canopsis check events)')
    .action(async (name: string | undefined, options: { limit?: string; follow?: boolean; json?: boolean }, command: Command) => {
      const limit = options.limit === undefined ? 20 : positiveInteger(options.limit, '--limit');
      if (limit === null) {
        process.exitCode = ExitCode.Usage;
        return;
      }
      const print = (event: CheckEvent) => process.stdout.write(`${options.json ? JSON.stringify(event) : eventLine(event)}\n`);
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        if (options.follow) {
          agent.connection.onNotification(StateChangedNotification.type, (params) => {
            if (params.topic !== 'jobs') return;
            const delta = params.delta as JobsDelta;
            if (delta.kind === 'events') for (const event of delta.events) if (name === undefined || event.resource === name) print(event);
          });
          await agent.connection.sendRequest(SubscribeRequest.type, { topics: ['jobs'] });
        }
        const page = await agent.connection.sendRequest(JobEventsRequest.type, {
          limit: Math.min(limit, 1000),
          ...(name === undefined ? {} : { name }),
        });
        for (const event of [...page.events].reverse()) print(event);
        if (!options.follow) return ExitCode.Ok;
        await new Promise<void>((resolve) => agent.connection.onClose(() => resolve()));
        return ExitCode.Ok;
      });
    });
}
