/**
 * `queue`: pushes the job's command into a queue of the Queues part, through
 * the queues' protocol (AgentContext.request: a part never imports another).
 * Without `wait` the job is OK once the item is queued; with it, the state
 * follows the item's end (done → OK, error → CRITICAL). At the time limit the
 * job stops waiting and the item is killed (or removed, if still queued).
 */
import { RpcFailure } from '../../core/rpc';
import { KillQueueItemRequest, PushItemsRequest, WaitQueueItemRequest, type QueueItem } from '../../queues/protocol';
import { QUEUE_SCHEMA } from './builtinSchemas';
import { timedOut, whenAborted, type HandlerHost, type JobHandler } from './handler';

interface QueueParams {
  readonly queue: string;
  readonly cmd: readonly string[];
  readonly cwd?: string;
  readonly env?: Record<string, string | number | boolean>;
  readonly wait?: boolean;
}

function itemOutput(item: QueueItem): string {
  if (item.state === 2) return `queue item ${item.id} done (exit 0)`;
  return `queue item ${item.id} failed: ${item.error ?? `exit ${item.exit ?? '?'}`}`;
}

export function queueHandler(host: HandlerHost): JobHandler {
  return {
    name: 'queue',
    schema: QUEUE_SCHEMA,
    async run({ job, signal }) {
      const params = job.params as unknown as QueueParams;
      const env = Object.fromEntries(Object.entries(params.env ?? {}).map(([key, value]) => [key, String(value)]));
      const pushed = await host.request(PushItemsRequest.type, {
        queue: params.queue,
        items: [{ cmd: params.cmd, env, ...(params.cwd === undefined ? {} : { cwd: params.cwd }) }],
      });
      if (pushed instanceof RpcFailure) return { state: 2, output: `could not push into queue '${params.queue}': ${pushed.message}` };
      const id = pushed.ids[0]!;
      if (params.wait !== true) return { state: 0, output: `pushed queue item ${id} into ${params.queue}` };
      const ended = await Promise.race([host.request(WaitQueueItemRequest.type, { id }), whenAborted(signal).then(() => null)]);
      if (ended === null) {
        await host.request(KillQueueItemRequest.type, { id });
        return timedOut(job);
      }
      if (ended instanceof RpcFailure) return { state: 3, output: `waiting for queue item ${id}: ${ended.message}` };
      return { state: ended.state === 2 ? 0 : 2, output: itemOutput(ended) };
    },
  };
}
