/**
 * Node floor of the log-throughput benchmark, run as `node logPipe.mjs`. A JSON line
 * `{"out": FILE, "argv": [...]}` on stdin spawns argv with stdout piped into
 * `fs.createWriteStream(FILE)` (the usual Node way to capture output); a line "stop" sends the
 * child SIGTERM and answers "done" once the stream has finished. Prints "ready" first, so its
 * start-up is not counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

interface Job {
  readonly out: string;
  readonly argv: readonly string[];
}

let child: ChildProcess | undefined;

function runJob(job: Job): void {
  const [command, ...args] = job.argv;
  if (command === undefined) throw new Error('logPipe: empty argv');
  child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const file = createWriteStream(job.out);
  child.stdout?.pipe(file);
  file.on('finish', () => process.stdout.write('done\n'));
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'stop') child?.kill('SIGTERM');
  else if (line.trim() !== '') runJob(JSON.parse(line) as Job);
});
process.stdout.write('ready\n');
