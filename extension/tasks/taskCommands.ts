/**
 * The task commands (category "Taskwarden"): Launch Task, Kill Task, Kill All
 * Tasks by Name, Show Task Feedback, Show Task Output, Clear Task History and
 * the view's "Load more…". From the Tasks view they act on the clicked row;
 * from the palette they ask with a quick pick.
 */
import * as vscode from 'vscode';
import { confirmAction } from '../shared/confirmAction';
import type { OutputPlace } from '../shared/outputSinks';
import { ClearTaskHistoryRequest, KillAllTasksRequest, KillTaskRequest } from '../../agent/tasks/protocol';
import type { AgentApi } from '../shared/agentApi';
import { reporting } from '../shared/reporting';
import type { FeedbackDocuments } from './feedbackDocument';
import { taskLabel } from './taskFormat';
import { isTaskNode } from './taskTreeItems';
import type { TasksModel } from './tasksModel';
import type { TasksSync } from './tasksSync';
import { launchTaskCommand } from './taskLaunch';
import type { TaskOutputs } from './taskOutput';
import { pickTask, pickTaskName, type PickedTask } from './taskPickers';

export interface TaskCommandDeps {
  readonly agent: AgentApi;
  readonly model: TasksModel;
  readonly sync: TasksSync;
  readonly feedback: FeedbackDocuments;
  readonly outputs: TaskOutputs;
  /** Where Launch Task remembers the last command line. */
  readonly state: vscode.Memento;
}

/** The task a command was run on from the view, if it was. */
function fromView(model: TasksModel, argument: unknown): PickedTask | undefined {
  if (!isTaskNode(argument)) return undefined;
  if (argument.kind === 'task' || (argument.kind === 'feedbackKey' && argument.source === 'live')) {
    const task = model.task(argument.id);
    if (task) return { kind: 'live', task };
  }
  if (argument.kind === 'historyEntry' || (argument.kind === 'feedbackKey' && argument.source === 'history')) {
    const entry = model.historyEntry(argument.id);
    if (entry) return { kind: 'history', entry };
  }
  return undefined;
}

function idOf(picked: PickedTask): number {
  return picked.kind === 'live' ? picked.task.id : picked.entry.id;
}

/** Runs a command body and shows what went wrong, in the words of the agent. */
export function registerTaskCommands(deps: TaskCommandDeps): vscode.Disposable[] {
  const { agent, model } = deps;
  const showOutput = (place: OutputPlace) => (argument?: unknown) =>
    reporting('show the output', async () => {
      const picked =
        fromView(model, argument) ??
        (await pickTask(model, {
          title: place === 'channel' ? 'Show Task Output' : 'Show Task Output in Terminal',
          placeHolder: 'The output of which task?',
          live: (task) => task.stdoutFile !== null,
          history: () => true,
          nothing: 'No task is running and the loaded history is empty.',
        }));
      if (picked) await deps.outputs.show(picked.kind === 'live' ? picked.task.id : picked.entry.id, place);
    });
  return [
    vscode.commands.registerCommand('taskwarden.launchTask', () => launchTaskCommand(agent, deps.state)),

    vscode.commands.registerCommand('taskwarden.killTask', (argument?: unknown) =>
      reporting('kill the task', async () => {
        const picked =
          fromView(model, argument) ??
          (await pickTask(model, {
            title: 'Kill Task',
            placeHolder: 'Kill a running task or release a reservation',
            live: () => true,
            nothing: 'No task is running or reserved.',
          }));
        if (picked?.kind !== 'live') return;
        const question =
          picked.task.state === 'RESERVED'
            ? `Release the reservation of task ${picked.task.id} (${taskLabel(picked.task)})?`
            : `Kill task ${picked.task.id} (${taskLabel(picked.task)}) and its whole process group?`;
        if (!(await confirmAction('Kill', question))) return;
        const result = await agent.request(KillTaskRequest.type, { id: picked.task.id });
        const done = result.was === 'reserved' ? 'released the reservation of' : 'killed';
        vscode.window.setStatusBarMessage(`Taskwarden: ${done} task ${result.id} (${taskLabel(picked.task)})`, 8000);
      }),
    ),

    vscode.commands.registerCommand('taskwarden.killAllTasks', (argument?: unknown) =>
      reporting('kill the tasks', async () => {
        const clicked = fromView(model, argument);
        const name = clicked?.kind === 'live' ? clicked.task.name : await pickTaskName(model, 'Kill All Tasks by Name');
        if (!name) return;
        const count = model.tasks.filter((task) => task.name === name).length;
        if (!(await confirmAction('Kill All', `Kill every task named "${name}" and release its reservations (${count} now)?`))) return;
        const result = await agent.request(KillAllTasksRequest.type, { name });
        vscode.window.setStatusBarMessage(
          `Taskwarden: "${name}": ${result.killed.length} killed, ${result.released.length} reservations released`,
          8000,
        );
      }),
    ),

    vscode.commands.registerCommand('taskwarden.showTaskFeedback', (argument?: unknown) =>
      reporting('show the feedback', async () => {
        const picked =
          fromView(model, argument) ??
          (await pickTask(model, {
            title: 'Show Task Feedback',
            placeHolder: 'The feedback of which task?',
            live: (task) => task.feedbackFile !== null,
            history: (entry) => entry.feedback !== null,
            nothing: 'No task with a feedback file is running or in the loaded history.',
          }));
        if (picked) await deps.feedback.show(idOf(picked));
      }),
    ),

    vscode.commands.registerCommand('taskwarden.showTaskOutput', showOutput('channel')),
    vscode.commands.registerCommand('taskwarden.showTaskOutputInTerminal', showOutput('terminal')),

    vscode.commands.registerCommand('taskwarden.clearTaskHistory', () =>
      reporting('clear the history', async () => {
        const total = model.historyTotal;
        const question = `Delete the history of ${total} finished ${total === 1 ? 'task' : 'tasks'} and their output files?`;
        if (!(await confirmAction('Clear History', question))) return;
        const result = await agent.request(ClearTaskHistoryRequest.type, {});
        vscode.window.setStatusBarMessage(`Taskwarden: ${result.removed} history rows deleted`, 8000);
      }),
    ),

    vscode.commands.registerCommand('taskwarden.loadMoreTaskHistory', () => deps.sync.loadMoreHistory()),
  ];
}
