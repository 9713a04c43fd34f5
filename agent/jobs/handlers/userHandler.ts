/**
 * A user handler (`handlers/NAME.{js,mjs,ts}`), run in a handler runner
 * process for each run (agent/jobs/runner/main.ts), never in the agent: on
 * the one supervised run, marked as the job's run, its `ctx.log` lines in the
 * job's output. At the time limit the runner's group is killed (a hung
 * handler) and the state is CRITICAL "timed out after S s".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SupervisedRun } from '../../proc/supervisedRun';
import type { RunnerRequest, RunnerResult } from '../runner/runnerFiles';
import type { CommandHost } from './commandHandler';
import { timedOut, whenAborted, type HandlerOutcome, type JobHandler } from './handler';

/** The runner bundle, beside the agent's. */
export const HANDLER_RUNNER = path.join(__dirname, 'jobHandlerRunner.js');

export interface UserHandlerHost extends CommandHost {
  /** The job's last event's timestamp (s), or 0. */
  lastRun(job: string): number;
}

export function userHandler(name: string, file: string, host: UserHandlerHost): JobHandler {
  return {
    name,
    schema: {},
    async run({ job, signal }): Promise<HandlerOutcome> {
      const files = host.filesOf(job.name);
      fs.mkdirSync(path.dirname(files.stdout), { recursive: true, mode: 0o700 });
      fs.writeFileSync(files.stdout, '');
      fs.writeFileSync(files.stderr, '');
      const requestFile = `${files.stdout}.request.json`;
      const resultFile = `${files.stdout}.result.json`;
      fs.rmSync(resultFile, { force: true });
      const request: RunnerRequest = {
        job: {
          id: job.name,
          params: job.params,
          schedule: { spec: job.schedule.spec, text: job.schedule.text },
          lastRun: host.lastRun(job.name),
        },
        timeLimitMs: job.timeLimitMs,
      };
      fs.writeFileSync(requestFile, JSON.stringify(request), { mode: 0o600 });
      const run = new SupervisedRun(
        {
          id: `job:${job.name}`,
          argv: [process.execPath, HANDLER_RUNNER, host.workspace, file, requestFile, resultFile],
          cwd: host.workspace,
          env: Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
          mark: { workspace: host.workspace, run: { part: 'jobs', id: job.name } },
          files,
        },
        host.runOptions,
      );
      const started = await run.start();
      if (!started.ok) return { state: 3, output: `could not start the handler runner: ${started.error.message}` };
      host.started(job.name, run);
      const end = await Promise.race([run.ended, whenAborted(signal).then(() => null)]);
      if (end === null) {
        await run.stop('time limit', { kind: 'signal', signal: 'SIGKILL' });
        return timedOut(job);
      }
      let result: RunnerResult;
      try {
        result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as RunnerResult;
      } catch {
        const how = end.code !== null ? `exit ${end.code}` : `killed by ${end.signal ?? 'a signal'}`;
        return { state: 3, output: `the handler runner ended without a result (${how})` };
      }
      if ('returned' in result) return result.returned as HandlerOutcome;
      return result;
    },
  };
}
