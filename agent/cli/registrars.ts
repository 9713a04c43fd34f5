/**
 * Command groups added by the parts (daemons, tasks, …), each a function that
 * registers its commands on the program.
 */
import type { Command } from 'commander';
import { registerDaemonCommands } from './commands/daemons';
import { registerTaskCommands } from './commands/task';

export const COMMAND_REGISTRARS: readonly ((program: Command) => void)[] = [registerDaemonCommands, registerTaskCommands];
