/**
 * The rows of the Jobs view: a job (its last verdict's icon and color, or a
 * spinner while it runs; the countdown and last verdict as its description),
 * its recent check events newest first, and "Show more…" when older ones are
 * stored. Words from jobFormat.ts; looks from agent/jobs/protocol/presentation.ts.
 */
import * as vscode from 'vscode';
import { checkStateLook, jobLook, type CheckEvent, type JobSummary } from '../../agent/jobs/protocol';
import type { Look } from '../../agent/protocol/look';
import { eventDescription, eventHoverLines, eventTime, jobContext, jobDescription, jobHoverLines } from './jobFormat';

export type JobNode =
  | { readonly kind: 'job'; readonly job: string }
  /** `at`: the event's timestamp (seconds), unique per job: runs of a job never overlap. */
  | { readonly kind: 'event'; readonly job: string; readonly at: number }
  | { readonly kind: 'showMore'; readonly job: string };

/** A node's stable id (VS Code keeps expansion and selection by it). */
export function jobNodeId(node: JobNode): string {
  switch (node.kind) {
    case 'job':
      return `job:${node.job}`;
    case 'event':
      return `event:${node.job}@${node.at}`;
    case 'showMore':
      return `showMore:${node.job}`;
  }
}

function themeIcon(look: Look): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, look.color === null ? undefined : new vscode.ThemeColor(look.color));
}

function markdown(lines: readonly string[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.join('\n'));
}

export function jobTreeItem(job: JobSummary, now: number, expanded = false): vscode.TreeItem {
  const row = new vscode.TreeItem(
    job.name,
    expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  row.id = jobNodeId({ kind: 'job', job: job.name });
  row.description = jobDescription(job, now, !expanded);
  // The verdict keeps its icon while paused: the description starts with "paused".
  row.iconPath = themeIcon(jobLook(job));
  row.contextValue = jobContext(job);
  row.tooltip = markdown(jobHoverLines(job, now));
  return row;
}

export function eventTreeItem(event: CheckEvent, now: number): vscode.TreeItem {
  const row = new vscode.TreeItem(eventTime(event, now), vscode.TreeItemCollapsibleState.None);
  row.id = jobNodeId({ kind: 'event', job: event.resource, at: event.timestamp });
  row.description = eventDescription(event);
  row.iconPath = themeIcon(checkStateLook(event.state));
  row.contextValue = 'jobEvent';
  row.tooltip = markdown(eventHoverLines(event));
  return row;
}

export function showMoreTreeItem(job: string): vscode.TreeItem {
  const row = new vscode.TreeItem('Show more…', vscode.TreeItemCollapsibleState.None);
  row.id = jobNodeId({ kind: 'showMore', job });
  row.iconPath = new vscode.ThemeIcon('ellipsis');
  row.contextValue = 'jobShowMore';
  row.command = { command: 'taskwarden.showMoreJobEvents', title: 'Show more', arguments: [job] };
  return row;
}
