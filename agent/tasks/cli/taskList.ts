/**
 * `taskwarden task list` (reservations and running tasks, with state and
 * timers) and `taskwarden task feedback ID` (a task's parsed feedback, live or
 * from the history).
 */
import type { Command } from 'commander';
import { ListTasksRequest, TaskFeedbackRequest } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, printJson, printTable } from '../../cli/output';
import { formatTime, taskIdArgument, TASK_LIST_HEADER, taskRow } from './taskFormat';
import { namesArgument } from '../../cli/completion/argumentNames';
import { taskIds } from './taskIds';

export function registerTaskListCommand(task: Command): void {
  task
    .command('list')
    .description('list reserved and running tasks: id, name, info, pid, state, start, duration, feedback, timer, timeout')
    .option('--json', 'print as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const list = await agent.connection.sendRequest(ListTasksRequest.type, {});
        if (global.json) printJson(list);
        else if (list.tasks.length === 0) process.stdout.write('no task is reserved or running\n');
        else
          printTable(
            TASK_LIST_HEADER,
            list.tasks.map((info) => taskRow(info, list.now)),
          );
        return ExitCode.Ok;
      });
    });
}

export function registerTaskFeedbackCommand(task: Command): void {
  task
    .command('feedback')
    .description("print a task's parsed feedback (a running task's latest, or a finished task's final)")
    .addArgument(namesArgument('<id>', 'the task id', taskIds).argParser(taskIdArgument))
    .option('--json', 'print the feedback object as JSON')
    .action(async (id: number, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(TaskFeedbackRequest.type, { id });
        if (global.json) {
          printJson(result.feedback);
          return ExitCode.Ok;
        }
        const origin = result.source === 'running' ? `running, last update ${formatTime(result.lastUpdateAt)}` : 'finished';
        if (result.feedback === null) process.stdout.write(`task ${id} (${origin}) has no feedback file\n`);
        else if (Object.keys(result.feedback).length === 0) process.stdout.write(`task ${id} (${origin}): no feedback yet\n`);
        else {
          process.stdout.write(`task ${id} (${origin}):\n`);
          printTable(['KEY', 'VALUE'], Object.entries(result.feedback));
        }
        return ExitCode.Ok;
      });
    });
}
