/**
 * `taskwarden group …` (the seed's q.kernel.processhandler.*: list, status,
 * start, stop, params, run, history) and `taskwarden uptime`.
 */
import type { Command } from 'commander';
import { registerGroupControlCommands } from './groupControl';
import { registerGroupReadCommands } from './groupRead';

export function registerGroupCommands(program: Command): void {
  const group = program.command('group').description('process groups: tasklet loops, one runner process per group folder');
  registerGroupReadCommands(group);
  registerGroupControlCommands(group, program);
}
