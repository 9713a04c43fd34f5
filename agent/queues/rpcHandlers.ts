/**
 * The queues requests of agent/queues/protocol/messages.ts, answered by the part.
 */
import type { RpcRegistry } from '../core/rpc';
import {
  ClearQueueRequest,
  KillQueueItemRequest,
  ListQueuesRequest,
  MoveQueueItemRequest,
  PauseQueueRequest,
  PushItemsRequest,
  QueueHistoryRequest,
  QueueItemsJsonRequest,
  QueueItemsRequest,
  RemoveQueueItemRequest,
  ResumeQueueRequest,
  RetryQueueItemRequest,
  ShowQueueItemRequest,
  WaitQueueEmptyRequest,
  WaitQueueItemRequest,
} from './protocol';
import * as controls from './controls';
import type { QueuesPart } from './queuesPart';

export function registerQueueHandlers(rpc: RpcRegistry, part: QueuesPart): void {
  // What changes a queue's head or its running settles its chained start first (queuesPart.ts):
  // an item handed to the spawn helper is then either queued again or running.
  const settled =
    <P, R>(handler: (params: P) => R | Promise<R>) =>
    (params: P): Promise<R> =>
      part.withChainsSettled(() => handler(params));
  rpc.on(ListQueuesRequest.type, () => controls.list(part));
  rpc.on(QueueItemsRequest.type, (params) => controls.items(part, params));
  rpc.on(QueueItemsJsonRequest.type, (params) => controls.itemsJson(part, params));
  rpc.on(QueueHistoryRequest.type, (params) => controls.history(part, params));
  rpc.on(ShowQueueItemRequest.type, (params) => controls.show(part, params.id));
  rpc.on(PushItemsRequest.type, (params) => controls.push(part, params));
  rpc.on(
    RemoveQueueItemRequest.type,
    settled((params) => controls.remove(part, params.id)),
  );
  rpc.on(
    KillQueueItemRequest.type,
    settled((params) => controls.kill(part, params.id)),
  );
  rpc.on(RetryQueueItemRequest.type, (params) => controls.retry(part, params));
  rpc.on(
    MoveQueueItemRequest.type,
    settled((params) => controls.move(part, params)),
  );
  rpc.on(
    PauseQueueRequest.type,
    settled((params) => controls.setPaused(part, params.queue, true)),
  );
  rpc.on(ResumeQueueRequest.type, (params) => controls.setPaused(part, params.queue, false));
  rpc.on(
    ClearQueueRequest.type,
    settled((params) => controls.clear(part, params.queue)),
  );
  rpc.on(WaitQueueItemRequest.type, (params) => controls.wait(part, params));
  rpc.on(WaitQueueEmptyRequest.type, (params) => controls.waitEmpty(part, params.queue));
}
