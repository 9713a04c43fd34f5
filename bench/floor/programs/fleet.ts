/**
 * Node floor of the start-50 / stop-50 and idle benchmarks, run as
 * `node fleet.mjs N CMD [ARGS...]`: one byte per command on stdin, 's' spawns N copies of CMD in
 * one tick (stdout/stderr piped and consumed, as a supervisor that captures output does), 't'
 * sends each SIGTERM and waits for every 'exit'. Each command is answered with "ok" on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const [countText, command, ...args] = process.argv.slice(2);
const count = Number(countText);
if (command === undefined || !(count > 0)) throw new Error('usage: fleet.mjs N CMD [ARGS...]');

let children: ChildProcess[] = [];

function startAll(): void {
  for (let i = 0; i < count; i++) {
    const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.resume();
    child.stderr?.resume();
    children.push(child);
  }
  process.stdout.write('ok\n');
}

async function stopAll(): Promise<void> {
  const exits = children.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      }),
  );
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(exits);
  children = [];
  process.stdout.write('ok\n');
}

process.stdin.on('data', (chunk: Buffer) => {
  for (const byte of chunk.toString('latin1')) {
    if (byte === 's' && children.length === 0) startAll();
    else if (byte === 't') void stopAll();
  }
});
process.stdin.on('end', () => {
  for (const child of children) child.kill('SIGKILL');
  process.exit(0);
});
