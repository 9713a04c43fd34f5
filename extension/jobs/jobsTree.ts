/**
 * The TreeDataProvider of the Jobs view. It redraws through the shared
 * TreeRows: the whole tree only when jobs came, went or moved; a job whose
 * events came or went gets that job refreshed (its row and its events), and
 * otherwise only the rows whose text changed are. While the view is visible,
 * once a second the job rows whose countdown text moved are re-rendered, and
 * nothing else; the agent is never asked again for it. A job's events are read when its row is first expanded
 * (getChildren answers at once; the read's change refreshes the job).
 */
import * as vscode from 'vscode';
import { jobLook, type JobSummary } from '../../agent/jobs/protocol';
import { TreeRows, type RowLook } from '../shared/treeRows';
import type { ViewOrdering } from '../shared/viewOrdering';
import { eventDescription, jobContext, jobDescription } from './jobFormat';
import type { JobsModel } from './jobsModel';
import { eventTreeItem, jobNodeId, jobTreeItem, showMoreTreeItem, type JobNode } from './jobTreeItems';

export class JobsTreeProvider implements vscode.TreeDataProvider<JobNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly drawn: TreeRows<JobNode> = new TreeRows(
    jobNodeId,
    {
      rows: () => this.rows(),
      ticking: () => this.model.jobs.length > 0,
    },
    (nodes) => this.changed.fire(nodes),
  );
  private readonly stopListening: () => void;
  /** The jobs whose rows are expanded: their rows stop counting down (jobDescription). */
  private readonly expanded = new Set<string>();

  constructor(
    private readonly model: JobsModel,
    private readonly ordering: Pick<ViewOrdering, 'apply'>,
  ) {
    this.stopListening = model.onChange(() => this.drawn.redraw());
  }

  /** The jobs in the view's order (config order: the agent's). */
  private orderedJobs(): JobSummary[] {
    const configIndex = new Map(this.model.jobs.map((job, index) => [job.name, index]));
    return this.ordering.apply(this.model.jobs, (job) => ({
      name: job.name,
      configIndex: configIndex.get(job.name) ?? null,
      color: jobLook(job).color,
    }));
  }

  /** Redraws every row (the order changed). */
  redrawAll(): void {
    this.drawn.redrawAll();
  }

  getTreeItem(node: JobNode): vscode.TreeItem {
    const now = this.model.agentNow();
    switch (node.kind) {
      case 'job': {
        const job = this.model.job(node.job);
        return job ? jobTreeItem(job, now, this.expanded.has(job.name)) : new vscode.TreeItem(node.job);
      }
      case 'event': {
        const event = this.model.events.get(node.job)?.events.find((candidate) => candidate.timestamp === node.at);
        return event ? eventTreeItem(event, now) : new vscode.TreeItem(node.job);
      }
      case 'showMore':
        return showMoreTreeItem(node.job);
    }
  }

  getChildren(node?: JobNode): JobNode[] {
    if (!this.model.loaded) return [];
    if (node === undefined) return this.orderedJobs().map((job) => this.node({ kind: 'job', job: job.name }));
    if (node.kind !== 'job') return [];
    // Not read yet: read them, and the model's change refreshes this job. Never await here: the
    // refresh would ask for the children again while this answer is on its way, and VS Code
    // refuses the second answer's rows ("Element with id … is already registered").
    if (!this.model.events.has(node.job)) void this.model.loadEvents(node.job);
    return this.childrenOf(node.job);
  }

  getParent(node: JobNode): JobNode | undefined {
    return node.kind === 'job' ? undefined : this.node({ kind: 'job', job: node.job });
  }

  /** A job's row was expanded or collapsed (TreeView.onDidExpandElement / onDidCollapseElement). */
  setExpanded(node: JobNode, expanded: boolean): void {
    if (node.kind !== 'job') return;
    if (expanded) this.expanded.add(node.job);
    else this.expanded.delete(node.job);
    this.drawn.redraw();
  }

  /** The view was shown or hidden: countdowns tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.drawn.setVisible(visible);
  }

  private childrenOf(job: string): JobNode[] {
    const read = this.model.events.get(job);
    const rows: JobNode[] = (read?.events ?? []).map((event) => this.node({ kind: 'event', job, at: event.timestamp }));
    if (read?.more) rows.push(this.node({ kind: 'showMore', job }));
    return rows;
  }

  private node(node: JobNode): JobNode {
    return this.drawn.node(node);
  }

  /** Every row as the model stands: the jobs and the events read of each. */
  private *rows(): Iterable<RowLook> {
    const now = this.model.agentNow();
    for (const job of this.orderedJobs()) {
      const jobId = jobNodeId({ kind: 'job', job: job.name });
      yield {
        id: jobId,
        parent: null,
        text: `${jobDescription(job, now, !this.expanded.has(job.name))}|${jobContext(job)}|${job.last?.output ?? ''}|${job.configured}`,
      };
      const read = this.model.events.get(job.name);
      for (const event of read?.events ?? [])
        yield { id: jobNodeId({ kind: 'event', job: job.name, at: event.timestamp }), parent: jobId, text: eventDescription(event) };
      if (read?.more) yield { id: jobNodeId({ kind: 'showMore', job: job.name }), parent: jobId, text: '' };
    }
  }

  dispose(): void {
    this.stopListening();
    this.drawn.dispose();
    this.changed.dispose();
  }
}
