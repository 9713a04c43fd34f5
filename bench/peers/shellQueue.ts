/**
 * The queue peers (task-spooler, nq) are driven the way their users drive them: one call of their
 * small C client per item, from a bash loop. For the latency run a gate item (a shell loop waiting
 * for a file) is pushed first, so every measured item is queued before the first one starts.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, runCommand } from '../exec';
import { nowNs } from '../wait';

export interface ShellQueue {
  /** The client command that pushes one item (argv follows). */
  readonly push: string;
  /** The shell command that waits until every pushed item has ended. */
  readonly waitAll: string;
  /** Environment that makes the queue private to this folder. */
  env(folder: string): NodeJS.ProcessEnv;
}

const GATE = 'while [ ! -e "$0" ]; do sleep 0.005; done';

/** Pushes `count` items of argv in one bash loop, waits for the queue to drain; wall ns from the start. */
export async function drainThroughShell(
  queue: ShellQueue,
  folder: string,
  count: number,
  argv: readonly string[],
  queuedAhead: boolean,
): Promise<number> {
  const gate = join(mkdtempSync(join(folder, 'gate-')), 'open');
  const script = [
    'n=$1; gate=$2; ahead=$3; shift 3',
    `if [ "$ahead" = 1 ]; then ${queue.push} bash -c '${GATE}' "$gate" >/dev/null || exit 1; fi`,
    `for ((i = 0; i < n; i++)); do ${queue.push} "$@" >/dev/null || exit 1; done`,
    'touch "$gate"',
    `${queue.waitAll} >/dev/null 2>&1`,
  ].join('\n');
  const started = nowNs();
  const result = await runCommand(['bash', '-c', script, 'bash', String(count), gate, queuedAhead ? '1' : '0', ...argv], {
    env: queue.env(folder),
    cwd: folder,
    timeoutMs: 600_000,
  });
  const wallNs = Number(nowNs() - started);
  if (result.code !== 0) throw new Error(describeFailure(result));
  return wallNs;
}
