/**
 * `taskwarden task launch [options] -- CMD ARGS...`: runs CMD (argv as given,
 * no shell) as a task under the agent and returns once it has started. The
 * child gets TASKWARDEN_TASK_ID and, with --feedpath, TASKWARDEN_FEEDBACK_FILE
 * (also substituted for `{feedback}` in the command); it runs in the current
 * folder with the current environment.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { LaunchTaskRequest, type LaunchTaskParams } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson } from '../../cli/output';
import { parseTaskId, parseTimeoutSeconds } from './taskFormat';

interface LaunchOptions {
  taskid?: string;
  name?: string;
  info1?: string;
  info2?: string;
  info3?: string;
  feedpath?: string;
  timeout?: string;
  keepFeedback?: boolean;
}

/** The request for these options, or a usage error message. */
function launchParams(argv: readonly string[], options: LaunchOptions): LaunchTaskParams | string {
  const taskId = options.taskid === undefined ? undefined : parseTaskId(options.taskid);
  if (taskId === null) return `invalid --taskid ${JSON.stringify(options.taskid)}: a task id is a positive integer`;
  const timeoutMs = options.timeout === undefined ? undefined : parseTimeoutSeconds(options.timeout);
  if (timeoutMs === null) return `invalid --timeout ${JSON.stringify(options.timeout)}: give seconds above 0`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    argv,
    taskId,
    name: options.name,
    info1: options.info1,
    info2: options.info2,
    info3: options.info3,
    feedpath: options.feedpath === undefined ? undefined : path.resolve(options.feedpath),
    timeoutMs,
    keepFeedback: options.keepFeedback === true,
    cwd: process.cwd(),
    env,
  };
}

export function registerTaskLaunchCommand(task: Command): void {
  task
    .command('launch')
    .description('run a command as a tracked task; returns once it has started (prints its pid and id)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--taskid <id>', 'a reserved task id (required with --feedpath; reserved automatically otherwise)')
    .option('--name <name>', 'the task name (default: the reservation name, else the command name)')
    .option('--info1 <text>', 'free text stored with the task')
    .option('--info2 <text>', 'free text stored with the task')
    .option('--info3 <text>', 'free text stored with the task')
    .option('--feedpath <dir>', 'folder of the feedback file feedback_<id>.log the command writes')
    .option('--timeout <seconds>', 'kill the task after this long without feedback (or in total, without --feedpath)')
    .option('--keep-feedback', 'keep the feedback file when the task ends')
    .option('--json', 'print the started task as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  ID=$(taskwarden task reserve --name build --unique)\n  taskwarden task launch --taskid $ID --feedpath /tmp --timeout 30 -- ./build.sh --feedback {feedback}',
    )
    .action(async (argv: string[], options: LaunchOptions, command: Command) => {
      const global = globalOptions(command);
      const params = launchParams(argv, options);
      if (typeof params === 'string') {
        process.exitCode = fail(params, ExitCode.Usage);
        return;
      }
      process.exitCode = await withAgent(global, async (agent) => {
        const started = await agent.connection.sendRequest(LaunchTaskRequest.type, params);
        if (global.json) printJson(started);
        // The id comes last so scripts can take the last word.
        else process.stdout.write(`launched pid ${started.pid} as task ${started.id}\n`);
        return ExitCode.Ok;
      });
    });
}
