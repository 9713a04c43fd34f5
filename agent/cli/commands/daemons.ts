/**
 * The daemons part's commands: ps, start, stop, restart, reset, reload, logs.
 */
import type { Command } from 'commander';
import { registerDaemonControlCommands } from './daemonControl';
import { registerLogsCommand } from './logs';
import { registerPsCommand } from './ps';
import { registerReloadCommand } from './reload';

export function registerDaemonCommands(program: Command): void {
  registerPsCommand(program);
  registerDaemonControlCommands(program);
  registerReloadCommand(program);
  registerLogsCommand(program);
}
