/**
 * "Taskwarden: Launch Task": asks for the command line (split into argv with
 * quotes honoured, no shell), then an optional name, timeout and feedback
 * folder, and launches it through the agent. A task with a feedback folder
 * needs a reserved id, so the command reserves one first. The last command line
 * is offered again next time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  KillTaskRequest,
  LaunchTaskRequest,
  ReserveTaskRequest,
  type LaunchTaskParams,
  type LaunchTaskResult,
} from '../../agent/tasks/protocol';
import type { AgentApi } from '../shared/agentApi';
import { splitCommandLine } from './taskCommandLine';

const LAST_COMMAND_KEY = 'taskwarden.tasks.lastCommandLine';
const STEPS = 4;

/** What the user answered; undefined fields take the agent's defaults. */
export interface LaunchAnswers {
  readonly argv: readonly string[];
  readonly name: string | undefined;
  readonly timeoutSeconds: number | undefined;
  /** Absolute feedback folder. */
  readonly feedpath: string | undefined;
}

function title(step: number): string {
  return `Launch Task (${step}/${STEPS})`;
}

/** A seconds value typed by the user, or an error message (empty: no timeout given). */
function parseSeconds(text: string): number | undefined | string {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const seconds = Number(trimmed);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 'give a number of seconds above 0, or leave it empty';
}

/** An existing folder typed by the user (relative to the workspace), or an error message (empty: none). */
function resolveFolder(text: string, workspace: string): string | undefined | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const folder = path.resolve(workspace, trimmed);
  try {
    return fs.statSync(folder).isDirectory() ? folder : { error: `not a folder: ${folder}` };
  } catch {
    return { error: `no such folder: ${folder}` };
  }
}

/** Asks the four questions; undefined when the user pressed Escape. */
export async function askLaunchAnswers(workspace: string, state: vscode.Memento): Promise<LaunchAnswers | undefined> {
  const line = await vscode.window.showInputBox({
    title: title(1),
    prompt: 'The command line. Quotes group words; there is no shell, so use /bin/sh -c "…" for pipes or variables.',
    placeHolder: 'e.g. ./build.sh --target web "release notes.md"',
    value: state.get<string>(LAST_COMMAND_KEY, ''),
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return { message: 'Type the command to run as a task.', severity: vscode.InputBoxValidationSeverity.Info };
      const split = splitCommandLine(value);
      return split.ok ? null : split.message;
    },
  });
  if (line === undefined) return undefined;
  const split = splitCommandLine(line);
  if (!split.ok) return undefined;
  await state.update(LAST_COMMAND_KEY, line);

  const defaultName = path.basename(split.argv[0] ?? 'task');
  const name = await vscode.window.showInputBox({
    title: title(2),
    prompt: `The task name (history and Kill All by Name use it). Empty: ${defaultName}.`,
    placeHolder: defaultName,
    ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;

  const timeout = await vscode.window.showInputBox({
    title: title(3),
    prompt:
      'Timeout in seconds. With a feedback file, the task is killed after this long without an update; without one, after this long in all. Empty: none (or the config’s watcher.default_timeout).',
    placeHolder: 'no timeout',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const seconds = parseSeconds(value);
      return typeof seconds === 'string' ? seconds : null;
    },
  });
  if (timeout === undefined) return undefined;

  const folder = await vscode.window.showInputBox({
    title: title(4),
    prompt:
      'Feedback folder: the task writes [key]value lines to feedback_<id>.log there ($TASKWARDEN_FEEDBACK_FILE, or {feedback} in the command). Relative to the workspace. Empty: no feedback file.',
    placeHolder: 'no feedback file',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const resolved = resolveFolder(value, workspace);
      return typeof resolved === 'object' ? resolved.error : null;
    },
  });
  if (folder === undefined) return undefined;
  const feedpath = resolveFolder(folder, workspace);
  const seconds = parseSeconds(timeout);
  return {
    argv: split.argv,
    name: name.trim() === '' ? undefined : name.trim(),
    timeoutSeconds: typeof seconds === 'number' ? seconds : undefined,
    feedpath: typeof feedpath === 'string' ? feedpath : undefined,
  };
}

/** Launches the answers: reserves an id first when there is a feedback folder (the agent requires it). */
export async function launchAnswers(agent: AgentApi, answers: LaunchAnswers): Promise<LaunchTaskResult> {
  const params: LaunchTaskParams = {
    argv: answers.argv,
    ...(answers.name !== undefined ? { name: answers.name } : {}),
    ...(answers.timeoutSeconds !== undefined ? { timeoutMs: Math.round(answers.timeoutSeconds * 1000) } : {}),
  };
  if (answers.feedpath === undefined) return agent.request(LaunchTaskRequest.type, params);
  const reservation = await agent.request(ReserveTaskRequest.type, answers.name !== undefined ? { name: answers.name } : {});
  try {
    return await agent.request(LaunchTaskRequest.type, { ...params, taskId: reservation.id, feedpath: answers.feedpath });
  } catch (error: unknown) {
    // A launch refused before it took the id would leave the reservation until it expires.
    await agent.request(KillTaskRequest.type, { id: reservation.id }).catch(() => undefined);
    throw error;
  }
}

/** The whole command: ask, launch, tell. */
export async function launchTaskCommand(agent: AgentApi, state: vscode.Memento): Promise<void> {
  const answers = await askLaunchAnswers(agent.workspaceFolder, state);
  if (answers === undefined) return;
  try {
    const launched = await launchAnswers(agent, answers);
    vscode.window.setStatusBarMessage(`$(play) Taskwarden: task ${launched.id} (${launched.name}) started, pid ${launched.pid}`, 8000);
  } catch (error: unknown) {
    void vscode.window.showErrorMessage(`Taskwarden could not launch the task: ${error instanceof Error ? error.message : String(error)}`);
  }
}
