/**
 * `command`: a Nagios-style plugin, run as its argv says (no shell unless the
 * user writes `sh -c`) through the one supervised run, marked as this job's
 * run, its output in the job's files (`taskwarden logs job:NAME -f`). Exit
 * 0–3 is the state; any other exit, or a signal, is UNKNOWN. The first line
 * of stdout is the output, perfdata after `|` is parsed (pluginOutput.ts). At
 * the time limit the whole process group is killed and the state is CRITICAL
 * "timed out after S s" (Nagios 4's default).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckState } from '../protocol';
import { SupervisedRun, type RunEnd, type RunOptions } from '../../proc/supervisedRun';
import type { JobConfig } from '../config/jobsConfig';
import { COMMAND_SCHEMA } from './builtinSchemas';
import { timedOut, whenAborted, type HandlerHost, type HandlerOutcome, type JobHandler } from './handler';
import { parsePluginOutput } from './pluginOutput';

/** Plugins write a line or a few; more than this of stdout is not read for the verdict. */
const STDOUT_READ_LIMIT = 64 * 1024;

interface CommandParams {
  readonly cmd: readonly string[];
  readonly cwd?: string;
  readonly env?: Record<string, string | number | boolean>;
}

export interface JobFiles {
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandHost extends HandlerHost {
  /** The job's output files (one pair per job, emptied at each run). */
  filesOf(job: string): JobFiles;
  readonly runOptions: RunOptions;
  /** The process started: the part records it for adoption and for `logs job:NAME`. */
  started(job: string, run: SupervisedRun): void;
}

/** The first part of a file. */
export function readHead(file: string): string {
  let handle: number | undefined;
  try {
    handle = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(STDOUT_READ_LIMIT);
    const read = fs.readSync(handle, buffer, 0, STDOUT_READ_LIMIT, 0);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (handle !== undefined) fs.closeSync(handle);
  }
}

/** The verdict of a plugin that ended: its exit status and stdout. */
export function pluginVerdict(end: Pick<RunEnd, 'code' | 'signal'>, stdout: string): HandlerOutcome {
  const parsed = parsePluginOutput(stdout);
  const output = parsed.output === '' ? '(No output returned from plugin)' : parsed.output;
  const perf = parsed.perfData.length > 0 ? { perfData: parsed.perfData } : {};
  if (end.code !== null && end.code >= 0 && end.code <= 3) return { state: end.code as CheckState, output, ...perf };
  const why = end.code !== null ? `exit code ${end.code} is out of bounds (0-3)` : `killed by ${end.signal ?? 'a signal'}`;
  return { state: 3, output: parsed.output === '' ? `(${why})` : `${parsed.output} (${why})`, ...perf };
}

export function commandHandler(host: CommandHost): JobHandler {
  return {
    name: 'command',
    schema: COMMAND_SCHEMA,
    async run({ job, signal }) {
      const params = job.params as unknown as CommandParams;
      const files = host.filesOf(job.name);
      fs.mkdirSync(path.dirname(files.stdout), { recursive: true, mode: 0o700 });
      fs.writeFileSync(files.stdout, '');
      fs.writeFileSync(files.stderr, '');
      const run = new SupervisedRun(
        {
          id: `job:${job.name}`,
          argv: params.cmd,
          cwd: path.resolve(host.workspace, params.cwd ?? '.'),
          env: environment(params.env),
          mark: { workspace: host.workspace, run: { part: 'jobs', id: job.name } },
          files,
        },
        host.runOptions,
      );
      const started = await run.start();
      if (!started.ok) return { state: 3, output: `could not start ${params.cmd[0]}: ${started.error.message}` };
      host.started(job.name, run);
      return finishRun(job, run, signal, files);
    },
  };
}

/** Waits for a started (or adopted) run's end, killing its group at the time limit. */
export async function finishRun(job: JobConfig, run: SupervisedRun, signal: AbortSignal, files: JobFiles): Promise<HandlerOutcome> {
  const end = await Promise.race([run.ended, whenAborted(signal).then(() => null)]);
  if (end === null) {
    await run.stop('time limit', { kind: 'signal', signal: 'SIGKILL' });
    return timedOut(job);
  }
  if (run.adopted) {
    const verdict = parsePluginOutput(readHead(files.stdout));
    return { state: 3, output: `${verdict.output || '(no output)'} (exit status unknown: the agent restarted during the run)` };
  }
  return pluginVerdict(end, readHead(files.stdout));
}

function environment(extra: CommandParams['env']): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(extra ?? {})) env[key] = String(value);
  return env;
}
