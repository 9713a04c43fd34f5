/**
 * The rows of the Queues view: a queue (counts, paused), its running and
 * queued items in order, a "Recent" node with its history and "Show more".
 * Each row's text comes from the shared queue presentation
 * (agent/queues/protocol/presentation.ts), so it reads like the CLI.
 */
import * as vscode from 'vscode';
import {
  queueCommandLine,
  queueItemDescription,
  queueItemDetails,
  queueItemLook,
  queueSummaryDescription,
  type QueueItem,
  type QueueSummary,
} from '../../agent/queues/protocol';
import { BLUE, GREEN, GREY, RED } from '../../agent/protocol/look';
import { itemNode, queueNodeId } from './queueNodes';

/**
 * The codicon of an item's state. Queued is an empty circle, not the shared
 * presentation's clock: a clock reads as history in VS Code.
 */
function itemIcon(item: QueueItem): vscode.ThemeIcon {
  const look = queueItemLook(item);
  const icon = item.state === 0 ? 'circle-large-outline' : look.icon;
  return new vscode.ThemeIcon(icon, look.color === null ? undefined : new vscode.ThemeColor(look.color));
}

/** viewItem of an item row: which inline actions it gets. */
function itemContext(item: QueueItem): string {
  if (item.state === 0) return 'queueItem.queued';
  if (item.state === 1) return 'queueItem.running';
  return 'queueItem.finished';
}

/** The hover: the item's state and command, then its full record as `taskwarden queue show` prints it. */
function itemHover(item: QueueItem): vscode.MarkdownString {
  const hover = new vscode.MarkdownString();
  hover.appendMarkdown(`**${item.id}** in queue \`${item.queue}\` — ${queueItemLook(item).label}\n\n`);
  hover.appendCodeblock(queueCommandLine(item.cmd), 'sh');
  hover.appendCodeblock(queueItemDetails(item).join('\n'), 'text');
  return hover;
}

export function itemTreeItem(item: QueueItem, now: number): vscode.TreeItem {
  const row = new vscode.TreeItem(`${item.id}  ${queueCommandLine(item.cmd)}`, vscode.TreeItemCollapsibleState.None);
  row.id = queueNodeId(itemNode(item));
  row.description = queueItemDescription(item, now);
  row.iconPath = itemIcon(item);
  row.contextValue = itemContext(item);
  row.tooltip = itemHover(item);
  return row;
}

/** A queue's state as the state order ranks it: failures, then work under way, then idle or paused. */
export function queueColor(queue: QueueSummary): string {
  if (queue.failed > 0) return RED;
  if (queue.running > 0) return GREEN;
  return queue.paused ? GREY : BLUE;
}

export function queueTreeItem(queue: QueueSummary): vscode.TreeItem {
  const row = new vscode.TreeItem(queue.name, vscode.TreeItemCollapsibleState.Expanded);
  row.id = queueNodeId({ kind: 'queue', queue: queue.name });
  row.description = queueSummaryDescription(queue);
  row.iconPath = new vscode.ThemeIcon(queue.paused ? 'debug-pause' : 'list-ordered');
  row.contextValue = queue.paused ? 'queue.paused' : 'queue.active';
  row.tooltip = `${queue.name}: ${queueSummaryDescription(queue)}\nworkdir ${queue.workdir}, concurrency ${queue.concurrency}${queue.auto ? ', created automatically' : ''}`;
  return row;
}

export function recentTreeItem(queue: string, count: number): vscode.TreeItem {
  const row = new vscode.TreeItem('Recent', vscode.TreeItemCollapsibleState.Collapsed);
  row.id = queueNodeId({ kind: 'recent', queue });
  row.description = `${count} shown`;
  row.iconPath = new vscode.ThemeIcon('history');
  row.contextValue = 'queueRecent';
  return row;
}

export function showMoreTreeItem(queue: string): vscode.TreeItem {
  const row = new vscode.TreeItem('Show more…', vscode.TreeItemCollapsibleState.None);
  row.id = queueNodeId({ kind: 'showMore', queue });
  row.iconPath = new vscode.ThemeIcon('ellipsis');
  row.contextValue = 'queueShowMore';
  row.command = { command: 'taskwarden.showMoreQueueHistory', title: 'Show more', arguments: [queue] };
  return row;
}
