/**
 * The queue commands (category "Taskwarden"): on an item Kill, Remove, Retry,
 * Move to Front and Show Output; on a queue Push Command…, Pause and Resume;
 * and "Show more" of a queue's history. From the view they act on the clicked
 * row (a node); from a code lens they get the queue name; from the palette
 * they ask with a quick pick.
 */
import * as vscode from 'vscode';
import {
  KillQueueItemRequest,
  MoveQueueItemRequest,
  PauseQueueRequest,
  queueCommandLine,
  RemoveQueueItemRequest,
  ResumeQueueRequest,
  RetryQueueItemRequest,
  type QueueItem,
} from '../../agent/queues/protocol';
import type { AgentApi } from '../shared/agentApi';
import { confirmAction } from '../shared/confirmAction';
import { reporting } from '../shared/reporting';
import type { QueueOutputs } from './queueOutput';
import { pushCommandTo } from './queuePush';
import type { QueuesModel } from './queuesModel';
import type { QueueNode } from './queueNodes';

export interface QueueCommandDeps {
  readonly agent: AgentApi;
  readonly model: QueuesModel;
  readonly outputs: QueueOutputs;
}

function isQueueNode(value: unknown): value is QueueNode {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** The item a command was run on: the clicked row, an id, or one picked among `which`. */
async function itemOf(model: QueuesModel, argument: unknown, which: (item: QueueItem) => boolean): Promise<QueueItem | undefined> {
  if (isQueueNode(argument) && (argument.kind === 'item' || argument.kind === 'ended')) return model.itemOf(argument);
  if (typeof argument === 'string') return model.item(argument);
  const candidates = [...model.items.values(), ...[...model.history.values()].map((pages) => pages.items)].flat().filter(which);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No queue item fits.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((item) => ({ label: item.id, description: `${item.queue} · ${queueCommandLine(item.cmd)}`, item })),
    { placeHolder: 'Queue item' },
  );
  return picked?.item;
}

/** The queue a command was run on: the clicked row, a name (code lens), or one picked. */
async function queueOf(model: QueuesModel, argument: unknown): Promise<string | undefined> {
  if (isQueueNode(argument) && argument.kind !== 'item' && argument.kind !== 'ended') return argument.queue;
  if (typeof argument === 'string') return argument;
  if (model.queues.length === 1) return model.queues[0]!.name;
  return vscode.window.showQuickPick(
    model.queues.map((queue) => queue.name),
    { placeHolder: 'Queue' },
  );
}

const isLive = (item: QueueItem): boolean => item.state === 0 || item.state === 1;
const isQueued = (item: QueueItem): boolean => item.state === 0;
const isFinished = (item: QueueItem): boolean => !isLive(item);

export function registerQueueCommands(deps: QueueCommandDeps): vscode.Disposable[] {
  const { agent, model } = deps;
  const onItem = (name: string, what: string, which: (item: QueueItem) => boolean, act: (item: QueueItem) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, (argument: unknown) =>
      reporting(what, async () => {
        const item = await itemOf(model, argument, which);
        if (item) await act(item);
      }),
    );
  const onQueue = (name: string, what: string, act: (queue: string) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, (argument: unknown) =>
      reporting(what, async () => {
        const queue = await queueOf(model, argument);
        if (queue) await act(queue);
      }),
    );
  return [
    onItem('taskwarden.killQueueItem', 'kill the item', isLive, async (item) => {
      const action = item.state === 1 ? 'Kill' : 'Remove';
      if (await confirmAction(action, `${action} queue item ${item.id} (${queueCommandLine(item.cmd)})?`))
        await agent.request(KillQueueItemRequest.type, { id: item.id });
    }),
    onItem('taskwarden.removeQueueItem', 'remove the item', isQueued, async (item) => {
      const question = `Remove queue item ${item.id} (${queueCommandLine(item.cmd)}) from ${item.queue}?`;
      if (await confirmAction('Remove', question)) await agent.request(RemoveQueueItemRequest.type, { id: item.id });
    }),
    onItem('taskwarden.retryQueueItem', 'retry the item', isFinished, (item) => agent.request(RetryQueueItemRequest.type, { id: item.id })),
    onItem('taskwarden.moveQueueItemToFront', 'move the item', isQueued, (item) =>
      agent.request(MoveQueueItemRequest.type, { id: item.id, first: true }),
    ),
    onItem(
      'taskwarden.showQueueItemOutput',
      'show the output',
      () => true,
      (item) => deps.outputs.show(item.id),
    ),
    onItem(
      'taskwarden.showQueueItemOutputInTerminal',
      'show the output',
      () => true,
      (item) => deps.outputs.show(item.id, 'terminal'),
    ),
    onQueue('taskwarden.pushQueueCommand', 'push the command', (queue) => pushCommandTo(agent, queue)),
    onQueue('taskwarden.pauseQueue', 'pause the queue', (queue) => agent.request(PauseQueueRequest.type, { queue })),
    onQueue('taskwarden.resumeQueue', 'resume the queue', (queue) => agent.request(ResumeQueueRequest.type, { queue })),
    vscode.commands.registerCommand('taskwarden.showMoreQueueHistory', (queue: unknown) =>
      reporting('read more history', async () => {
        if (typeof queue === 'string') await model.showMoreHistory(queue);
      }),
    ),
  ];
}
