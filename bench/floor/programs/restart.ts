/**
 * Node floor of the restart benchmark, run as `node restart.mjs CMD [ARGS...]` (bundled by
 * bench/build.ts): spawn CMD with stdio ignored and spawn it again on 'exit', nothing else.
 * SIGTERM stops the child, then this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) throw new Error('usage: restart.mjs CMD [ARGS...]');

let stopping = false;
let child: ChildProcess | undefined;

function run(): void {
  child = spawn(command as string, args, { stdio: 'ignore' });
  child.on('exit', () => {
    if (stopping) process.exit(0);
    run();
  });
}

process.on('SIGTERM', () => {
  stopping = true;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) process.exit(0);
  else child.kill('SIGTERM');
});

run();
