/**
 * nq (Debian's nq) as a queue peer: a private `NQDIR` per drain, one `nq CMD` per item from a
 * bash loop (each job is a process that waits, with flock, for the jobs queued before it), and
 * `nq -w` to wait for all. It has no server; leftover jobs carry the run's marker and are swept.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, QueueRunner, Subject } from '../subject';
import { drainThroughShell } from './shellQueue';

export const NQ = '/usr/bin/nq';
export const NQ_INSTALL_HINT = 'nq not installed: apt-get install -y nq';

export function nqPeer(context: BenchContext): Subject {
  return {
    id: 'nq',
    label: 'nq',
    role: 'peer',

    async queue(): Promise<QueueRunner> {
      if (!existsSync(NQ)) throw new Error(NQ_INSTALL_HINT);
      return {
        pid: null,
        async drain(count, argv, _path, queuedAhead) {
          const folder = mkdtempSync(join(context.tempRoot, 'nq-'));
          const queue = { push: NQ, waitAll: `${NQ} -w`, env: (dir: string) => ({ ...context.env, NQDIR: dir }) };
          return drainThroughShell(queue, folder, count, argv, queuedAhead);
        },
        async close() {},
      };
    },
  };
}
