/**
 * The job commands (category "Taskwarden"): Run Job Now, Pause Job, Resume
 * Job, Show Job Output (in an output channel or a terminal), and "Show more" of a job's events. From the view
 * they act on the clicked row (a node); from a code lens they get the job's
 * name (JOB_LENS_COMMANDS of agent/jobs/languageContribution.ts); from the
 * palette they ask with a quick pick among the jobs they fit. The view moves
 * with the agent's pushed deltas, not with the answers.
 */
import * as vscode from 'vscode';
import { PauseJobRequest, ResumeJobRequest, RunJobRequest, type JobSummary } from '../../agent/jobs/protocol';
import type { AgentApi } from '../shared/agentApi';
import { reporting } from '../shared/reporting';
import { jobDescription } from './jobFormat';
import type { JobOutputs } from './jobOutput';
import type { JobsModel } from './jobsModel';
import type { JobNode } from './jobTreeItems';

export interface JobCommandDeps {
  readonly agent: AgentApi;
  readonly model: JobsModel;
  readonly outputs: JobOutputs;
}

function isJobNode(value: unknown): value is JobNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'job' in value;
}

/** The job a command was run on: the clicked row, a name (code lens), or one picked among `which`. */
async function jobOf(model: JobsModel, argument: unknown, which: (job: JobSummary) => boolean): Promise<string | undefined> {
  if (isJobNode(argument)) return argument.job;
  if (typeof argument === 'string') return argument;
  const candidates = model.jobs.filter(which);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(model.jobs.length === 0 ? 'No jobs here.' : 'No job fits.');
    return undefined;
  }
  const now = model.agentNow();
  const picked = await vscode.window.showQuickPick(
    candidates.map((job) => ({ label: job.name, description: `${job.handler} · ${job.scheduleText}`, detail: jobDescription(job, now) })),
    { placeHolder: 'Job', matchOnDescription: true },
  );
  return picked?.label;
}

const idle = (job: JobSummary): boolean => job.runningSince === null;
const active = (job: JobSummary): boolean => !job.paused;
const paused = (job: JobSummary): boolean => job.paused;
const withOutput = (job: JobSummary): boolean => job.handler === 'command';

export function registerJobCommands(deps: JobCommandDeps): vscode.Disposable[] {
  const { agent, model } = deps;
  const onJob = (name: string, what: string, which: (job: JobSummary) => boolean, act: (job: string) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, (argument: unknown) =>
      reporting(what, async () => {
        const job = await jobOf(model, argument, which);
        if (job) await act(job);
      }),
    );
  return [
    // Resolves once the run ended; its event reaches the view as a pushed delta, like a scheduled run's.
    onJob('taskwarden.runJob', 'run the job', idle, (name) => agent.request(RunJobRequest.type, { name })),
    onJob('taskwarden.pauseJob', 'pause the job', active, (name) => agent.request(PauseJobRequest.type, { name })),
    onJob('taskwarden.resumeJob', 'resume the job', paused, (name) => agent.request(ResumeJobRequest.type, { name })),
    onJob('taskwarden.showJobOutput', 'show the output', withOutput, (name) => deps.outputs.show(name)),
    onJob('taskwarden.showJobOutputInTerminal', 'show the output', withOutput, (name) => deps.outputs.show(name, 'terminal')),
    vscode.commands.registerCommand('taskwarden.showMoreJobEvents', (job: unknown) =>
      reporting('read more events', async () => {
        if (typeof job === 'string') await model.showMore(job);
      }),
    ),
  ];
}
