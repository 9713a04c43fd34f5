/**
 * `taskwarden task …`: the Tasks part's commands (taskwatcher's launch.py,
 * control.py and parse.py under one roof).
 */
import type { Command } from 'commander';
import { registerTaskClearCommand, registerTaskHistoryCommand } from './taskHistory';
import { registerTaskKillCommands } from './taskKill';
import { registerTaskLaunchCommand } from './taskLaunch';
import { registerTaskFeedbackCommand, registerTaskListCommand } from './taskList';
import { registerTaskMaintenanceCommands } from './taskMaintenance';
import { registerTaskLogsCommand } from './taskLogs';
import { registerTaskParseCommand } from './taskParse';
import { registerTaskReserveCommand } from './taskReserve';

export function registerTaskCommands(program: Command): void {
  const task = program
    .command('task')
    .description('tracked tasks: reserve an id, launch a command under it, watch its feedback, list, kill, history');
  registerTaskReserveCommand(task);
  registerTaskLaunchCommand(task);
  registerTaskListCommand(task);
  registerTaskFeedbackCommand(task);
  registerTaskLogsCommand(task);
  registerTaskHistoryCommand(task);
  registerTaskClearCommand(task);
  registerTaskKillCommands(task);
  registerTaskMaintenanceCommands(task);
  registerTaskParseCommand(task);
}
