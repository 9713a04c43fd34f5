/**
 * The TreeDataProvider of the Jobs view. VS Code forgets a node's children
 * when the node is refreshed, so a redraw refreshes the whole tree only when
 * jobs came, went or moved; a job whose events came or went gets that job
 * refreshed (its row and its events), and otherwise only the rows whose text
 * changed are. While the view is visible, a one-second tick re-renders the
 * job rows whose countdown text moved, and nothing else; the agent is never
 * asked again for it. A job's events are read when its row is first expanded
 * (getChildren answers at once; the read's change refreshes the job).
 */
import * as vscode from 'vscode';
import { jobLook, type JobSummary } from '../../agent/protocol';
import type { ViewOrdering } from '../shared/viewOrdering';
import { eventDescription, jobContext, jobDescription } from './jobFormat';
import type { JobsModel } from './jobsModel';
import { eventTreeItem, jobNodeId, jobTreeItem, showMoreTreeItem, type JobNode } from './jobTreeItems';

const TICK_MS = 1000;

export class JobsTreeProvider implements vscode.TreeDataProvider<JobNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobNode | JobNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One object per node id: VS Code finds a node to refresh by identity. */
  private readonly nodes = new Map<string, JobNode>();
  /** The jobs drawn last (in order), each job's event rows, and each row's text. */
  private drawnJobs = '';
  private drawnChildren = new Map<string, string>();
  private drawnText = new Map<string, string>();
  private tickTimer: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly model: JobsModel,
    private readonly ordering: Pick<ViewOrdering, 'apply'>,
  ) {
    this.stopListening = model.onChange(() => this.redraw());
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
    this.drawnJobs = '';
    this.redraw();
  }

  getTreeItem(node: JobNode): vscode.TreeItem {
    const now = this.model.agentNow();
    switch (node.kind) {
      case 'job': {
        const job = this.model.job(node.job);
        return job ? jobTreeItem(job, now) : new vscode.TreeItem(node.job);
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

  /** The view was shown or hidden: countdowns tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  private childrenOf(job: string): JobNode[] {
    const read = this.model.events.get(job);
    const rows: JobNode[] = (read?.events ?? []).map((event) => this.node({ kind: 'event', job, at: event.timestamp }));
    if (read?.more) rows.push(this.node({ kind: 'showMore', job }));
    return rows;
  }

  private node(node: JobNode): JobNode {
    const id = jobNodeId(node);
    const known = this.nodes.get(id);
    if (known) return known;
    this.nodes.set(id, node);
    return node;
  }

  /** The jobs in order, each job's child rows, and every row's text, as the model stands. */
  private snapshot(): { jobs: string; children: Map<string, string>; text: Map<string, string> } {
    const now = this.model.agentNow();
    const children = new Map<string, string>();
    const text = new Map<string, string>();
    const jobs = this.orderedJobs();
    for (const job of jobs) {
      const read = this.model.events.get(job.name);
      children.set(job.name, `${(read?.events ?? []).map((event) => event.timestamp).join(',')}|${read?.more === true}`);
      text.set(`job:${job.name}`, `${jobDescription(job, now)}|${jobContext(job)}|${job.last?.output ?? ''}|${job.configured}`);
      for (const event of read?.events ?? []) text.set(`event:${job.name}@${event.timestamp}`, eventDescription(event));
    }
    return { jobs: jobs.map((job) => job.name).join('\n'), children, text };
  }

  private redraw(): void {
    const { jobs, children, text } = this.snapshot();
    if (jobs !== this.drawnJobs) {
      // Jobs came, went or moved: redraw all, with fresh node objects so the cache never outgrows the tree.
      this.nodes.clear();
      this.changed.fire(undefined);
    } else {
      const touched = new Set<JobNode>();
      for (const [job, rows] of children) {
        const node = this.nodes.get(`job:${job}`);
        if (node && this.drawnChildren.get(job) !== rows) touched.add(node);
      }
      for (const [id, words] of text) {
        const node = this.nodes.get(id);
        // A refreshed job redraws its events too.
        if (node && this.drawnText.get(id) !== words && !touched.has(this.getParent(node) ?? node)) touched.add(node);
      }
      if (touched.size > 0) this.changed.fire([...touched]);
    }
    this.drawnJobs = jobs;
    this.drawnChildren = children;
    this.drawnText = text;
    this.updateTicker();
  }

  /** Runs the one-second timer only while the view is visible and shows a job. */
  private updateTicker(): void {
    const wanted = this.visible && this.model.jobs.length > 0;
    if (wanted && this.tickTimer === undefined) {
      this.tickTimer = setInterval(() => this.redraw(), TICK_MS);
    } else if (!wanted && this.tickTimer !== undefined) {
      clearInterval(this.tickTimer);
      this.tickTimer = undefined;
    }
  }

  dispose(): void {
    this.stopListening();
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.changed.dispose();
  }
}
