/**
 * task-spooler (`tsp`, Debian's task-spooler) as a queue peer: a private server per drain
 * (`TS_SOCKET` and `TMPDIR` in a fresh folder, so its output files land there too), one slot,
 * one `tsp CMD` per item from a bash loop, `tsp -w` to wait for the last; `tsp -K` stops it.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../exec';
import type { BenchContext, QueueRunner, Subject } from '../subject';
import { drainThroughShell, type ShellQueue } from './shellQueue';

export const TSP = '/usr/bin/tsp';
export const TSP_INSTALL_HINT = 'task-spooler not installed: apt-get install -y task-spooler';

function spooler(maxFinished: number): ShellQueue {
  return {
    push: TSP,
    waitAll: `${TSP} -w`,
    env: (folder) => ({ TS_SOCKET: join(folder, 'socket'), TMPDIR: folder, TS_SLOTS: '1', TS_MAXFINISHED: String(maxFinished) }),
  };
}

export function taskSpoolerPeer(context: BenchContext): Subject {
  return {
    id: 'tsp',
    label: 'task-spooler',
    role: 'peer',

    async queue(): Promise<QueueRunner> {
      if (!existsSync(TSP)) throw new Error(TSP_INSTALL_HINT);
      const folders: string[] = [];
      const stop = async (): Promise<void> => {
        for (const folder of folders) {
          await runCommand([TSP, '-K'], { env: { ...context.env, ...spooler(0).env(folder) }, timeoutMs: 10_000 });
        }
        folders.length = 0;
      };
      const drop = context.cleanup.add('task-spooler servers', stop);
      return {
        pid: null,
        async drain(count, argv, _path, queuedAhead) {
          const folder = mkdtempSync(join(context.tempRoot, 'tsp-'));
          folders.push(folder);
          const queue = spooler(count + 10);
          const env = (dir: string): NodeJS.ProcessEnv => ({ ...context.env, ...queue.env(dir) });
          try {
            return await drainThroughShell({ ...queue, env }, folder, count, argv, queuedAhead);
          } finally {
            await stop();
          }
        },
        async close() {
          drop();
          await stop();
        },
      };
    },
  };
}
