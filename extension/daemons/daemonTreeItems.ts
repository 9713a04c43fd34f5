/**
 * The TreeItems of the Daemons view: a task row (expanded, its instances
 * below when it has several), an instance row, and a row for a configured task that does not run
 * here. Icons, colors and texts come from the shared presentation in
 * agent/daemons/protocol/presentation.ts (the code lenses and `ps` use it too); the
 * contextValue from daemonActions.ts drives the inline and context menus.
 */
import * as vscode from 'vscode';
import {
  instanceDescription,
  instanceDetails,
  instanceLook,
  skippedDetails,
  skippedLook,
  taskDescription,
  taskDetails,
  taskLook,
  type DaemonInstanceInfo,
  type DaemonLook,
  type DaemonTaskInfo,
  type SkippedDaemonInfo,
} from '../../agent/daemons/protocol';
import type { DaemonNode } from './daemonTargets';
import { actionsFor, contextValue } from './daemonActions';

function themeIcon(look: DaemonLook): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}

function markdown(text: string): vscode.MarkdownString {
  return new vscode.MarkdownString(text);
}

/** A stable id per row, so expansion and selection survive updates. */
export function nodeKey(node: DaemonNode): string {
  return node.kind === 'instance' ? `instance:${node.id}` : `${node.kind}:${node.name}`;
}

/**
 * The instance rows under a task: none for a task with one instance, whose row
 * already says all its instance row would (the same description, actions and
 * output), so the tree has no identical `task:0` child.
 */
export function shownInstances(task: DaemonTaskInfo): readonly DaemonInstanceInfo[] {
  return task.instances.length > 1 ? task.instances : [];
}

/** The row of a task that runs here. */
export function taskItem(node: DaemonNode, task: DaemonTaskInfo, now: number): vscode.TreeItem {
  const collapsible = shownInstances(task).length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(task.name, collapsible);
  item.id = nodeKey(node);
  item.iconPath = themeIcon(taskLook(task));
  item.description = taskDescription(task, now);
  item.tooltip = markdown(taskDetails(task, now));
  item.contextValue = contextValue('daemonTask', actionsFor(task.instances));
  item.accessibilityInformation = { label: `daemon ${task.name}: ${item.description}` };
  return item;
}

/** The row of one instance. */
export function instanceItem(node: DaemonNode, instance: DaemonInstanceInfo, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(instance.id, vscode.TreeItemCollapsibleState.None);
  item.id = nodeKey(node);
  item.iconPath = themeIcon(instanceLook(instance));
  item.description = instanceDescription(instance, now);
  item.tooltip = markdown(instanceDetails(instance, now));
  item.contextValue = contextValue('daemonInstance', actionsFor([instance]));
  item.accessibilityInformation = { label: `instance ${instance.id}: ${item.description}` };
  return item;
}

/** The row of a configured task that does not run here (off, out of role scope, invalid). */
export function skippedItem(node: DaemonNode, skipped: SkippedDaemonInfo): vscode.TreeItem {
  const look = skippedLook(skipped);
  const item = new vscode.TreeItem(skipped.name, vscode.TreeItemCollapsibleState.None);
  item.id = nodeKey(node);
  item.iconPath = themeIcon(look);
  item.description = look.label;
  item.tooltip = markdown(skippedDetails(skipped));
  item.contextValue = contextValue('daemonSkipped', null);
  item.accessibilityInformation = { label: `daemon ${skipped.name}: ${look.label}` };
  item.command = { command: 'taskwarden.goToDaemonConfig', title: 'Go to Config', arguments: [node] };
  return item;
}
