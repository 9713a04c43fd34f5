/**
 * `taskwarden queue …`: the Queues part's commands (process-queue's push, list,
 * show, remove, kill, wait, wait-empty, plus pause, resume, clear, history,
 * retry and move).
 */
import type { Command } from 'commander';
import { registerQueueControlCommands } from './queueControl';
import { registerQueuePushCommand } from './queuePush';
import { registerQueueReadCommands } from './queueRead';

export function registerQueueCommands(program: Command): void {
  const queue = program
    .command('queue')
    .description('FIFO command queues: push, list, show, wait, wait-empty, kill, remove, retry, move, pause, resume, clear, history');
  registerQueuePushCommand(queue);
  registerQueueReadCommands(queue);
  registerQueueControlCommands(queue);
}
