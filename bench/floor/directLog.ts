/**
 * The `cmd > file` floor of the log benchmark: the producer gets the file as its stdout, no
 * supervisor in between (what Taskwarden's design does too: it hands children their log files).
 */
import { fileSize } from '../proc';
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawnDetached } from '../exec';
import type { BenchContext, LogTarget } from '../subject';
import { pollUntil } from '../wait';

export function directLogTarget(context: BenchContext, argv: readonly string[]): LogTarget {
  const out = join(context.tempRoot, 'c-floor-log.out');
  let child: ChildProcess | undefined;
  const kill = (): void => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const dropCleanup = context.cleanup.add('cmd > file producer', kill);
  return {
    pid: null,
    async start() {
      const fd = openSync(out, 'w');
      try {
        child = spawnDetached(argv, { env: context.env, stdio: ['ignore', fd, 'inherit'] });
      } finally {
        closeSync(fd);
      }
    },
    logBytes: () => fileSize(out),
    async finish() {
      const running = child;
      if (running) {
        running.kill('SIGTERM');
        await pollUntil(() => running.exitCode !== null || running.signalCode !== null, {
          intervalMs: 10,
          timeoutMs: 10_000,
          what: 'the producer to stop',
        });
      }
      rmSync(out, { force: true });
    },
    async close() {
      kill();
      dropCleanup();
      rmSync(out, { force: true });
    },
  };
}
