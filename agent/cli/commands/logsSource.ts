/**
 * The argument of `taskwarden logs`: which run's output to read. `task:ID` is
 * a task, `daemon:NAME[:instance]` a daemon spelled out (for a daemon named
 * `task`), `queue:ID` a queue item, anything else a daemon's `NAME[:instance]`.
 */
import type { OutputSource } from '../../protocol/output';

export type SourceArgument = { readonly ok: true; readonly source: OutputSource } | { readonly ok: false; readonly message: string };

export function parseSourceArgument(argument: string): SourceArgument {
  if (argument.startsWith('task:')) {
    const id = argument.slice('task:'.length);
    if (!/^\d+$/.test(id)) return { ok: false, message: `'${argument}': a task is task:ID, ID a number (see taskwarden task list)` };
    return { ok: true, source: { part: 'tasks', id } };
  }
  if (argument.startsWith('queue:')) {
    const id = argument.slice('queue:'.length);
    if (id === '') return { ok: false, message: `'${argument}': a queue item is queue:ID (see taskwarden queue list)` };
    return { ok: true, source: { part: 'queues', id } };
  }
  const name = argument.startsWith('daemon:') ? argument.slice('daemon:'.length) : argument;
  if (name.trim() === '') return { ok: false, message: `'${argument}': give a daemon NAME[:instance], task:ID or queue:ID` };
  return { ok: true, source: { part: 'daemons', id: name } };
}
