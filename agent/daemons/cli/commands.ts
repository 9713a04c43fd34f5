/**
 * The Daemons part's commands: ps, start, stop, restart, reset.
 */
import type { Command } from 'commander';
import { registerDaemonControlCommands } from './daemonControl';
import { registerPsCommand } from './ps';

export function registerDaemonCommands(program: Command): void {
  registerPsCommand(program);
  registerDaemonControlCommands(program);
}
