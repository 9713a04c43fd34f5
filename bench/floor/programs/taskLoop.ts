/**
 * Node floor of the task-launch benchmark, run as `node taskLoop.mjs N WARMUP CMD [ARGS...]`:
 * WARMUP untimed runs, then N runs strictly one after another (`spawn` with stdio ignored,
 * await 'exit'), and prints `{"wallNs": ..., "latenciesNs": [...]}` on stdout.
 */
import { spawn } from 'node:child_process';

const [countText, warmupText, command, ...args] = process.argv.slice(2);
const count = Number(countText);
const warmup = Number(warmupText);
if (command === undefined || !(count > 0)) throw new Error('usage: taskLoop.mjs N WARMUP CMD [ARGS...]');

function runOnce(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < warmup; i++) await runOnce();
  const latenciesNs: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const launched = process.hrtime.bigint();
    await runOnce();
    latenciesNs.push(Number(process.hrtime.bigint() - launched));
  }
  const wallNs = Number(process.hrtime.bigint() - started);
  process.stdout.write(`${JSON.stringify({ wallNs, latenciesNs })}\n`);
}

void main();
