/**
 * The Jobs part of the extension, wired in one place (its entry in
 * extension/parts.ts): one JobsModel kept current by the agent's pushes, the
 * Jobs tree view with a badge of jobs whose last run was CRITICAL, the job
 * output channels, the commands (also those the code lenses above each job
 * name), and the lens clock that keeps the lenses' countdowns moving.
 */
import * as vscode from 'vscode';
import { jobSummaryText } from '../../agent/jobs/protocol';
import type { AgentApi } from '../shared/agentApi';
import { LensClock } from '../shared/lensClock';
import { listedContext } from '../shared/listedContext';
import { createPartTreeView, followModel } from '../shared/partTreeView';
import { registerJobCommands } from './jobCommands';
import { createJobOutputs } from './jobOutput';
import { JobsModel } from './jobsModel';
import { JobsTreeProvider } from './jobsTree';

/** The Jobs view's id (package.json `views`). */
export const JOBS_VIEW_ID = 'taskwarden.jobs';

export function createJobsView(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  const model = new JobsModel(agent, (message) => void vscode.window.showErrorMessage(message));
  const {
    treeView,
    tree,
    disposable: view,
  } = createPartTreeView({
    viewId: JOBS_VIEW_ID,
    orderCommand: 'taskwarden.orderJobs',
    context,
    tree: (ordering) => new JobsTreeProvider(model, ordering),
  });
  const outputs = createJobOutputs(agent, model);

  const setListed = listedContext('taskwarden.jobsListed');
  const update = (): void => {
    const critical = model.jobs.filter((job) => job.last?.state === 2).length;
    treeView.badge =
      critical > 0 ? { value: critical, tooltip: `${critical} ${critical === 1 ? 'job' : 'jobs'} CRITICAL at the last run` } : undefined;
    setListed(model.loaded);
  };
  // ...and its countdown, which moves between changes. The lens words it on the agent's clock: so does this.
  const countdowns = new LensClock(
    agent,
    (now) => model.jobs.map((job) => [job.name, jobSummaryText(job, now)] as const),
    () => model.agentNow(),
  );

  return vscode.Disposable.from(
    view,
    outputs,
    countdowns,
    model,
    followModel(model, update),
    // The code lenses above each job say its last verdict: ask for them again when a job changed.
    new vscode.Disposable(model.onChange(() => agent.refreshCodeLenses())),
    treeView.onDidExpandElement((event) => tree.setExpanded(event.element, true)),
    treeView.onDidCollapseElement((event) => tree.setExpanded(event.element, false)),
    ...registerJobCommands({ agent, model, outputs }),
  );
}
