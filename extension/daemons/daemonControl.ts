/**
 * Start, Stop, Restart and Reset of daemons: from a tree row (inline or
 * context menu, one row or a multi-selection), from a code lens in
 * taskwarden.yaml (with the task name), or from the palette (a quick pick asks
 * which). The view updates from the agent's pushed deltas, not from the answer.
 */
import * as vscode from 'vscode';
import {
  ResetDaemonRequest,
  RestartDaemonRequest,
  StartDaemonRequest,
  StopDaemonRequest,
  type DaemonControlResult,
  type DaemonTarget,
} from '../../agent/daemons/protocol';
import type { RequestType } from 'vscode-jsonrpc';
import type { AgentApi } from '../shared/agentApi';
import { confirmAction } from '../shared/confirmAction';
import type { DaemonVerb } from './daemonActions';
import type { DaemonsSync } from './daemonsSync';
import { pickTargets } from './daemonPick';

interface VerbSpec {
  readonly command: string;
  readonly request: RequestType<DaemonTarget, DaemonControlResult, void>;
  /** "Stopping", for the progress note. */
  readonly doing: string;
  /** "stop", for errors and the pick's prompt. */
  readonly verb: string;
}

/** The command ids and requests of each verb. */
export const DAEMON_VERBS: Readonly<Record<DaemonVerb, VerbSpec>> = {
  start: { command: 'taskwarden.startDaemon', request: StartDaemonRequest.type, doing: 'Starting', verb: 'start' },
  stop: { command: 'taskwarden.stopDaemon', request: StopDaemonRequest.type, doing: 'Stopping', verb: 'stop' },
  restart: { command: 'taskwarden.restartDaemon', request: RestartDaemonRequest.type, doing: 'Restarting', verb: 'restart' },
  reset: { command: 'taskwarden.resetDaemon', request: ResetDaemonRequest.type, doing: 'Resetting', verb: 'reset' },
};

async function run(agent: AgentApi, sync: DaemonsSync, verb: DaemonVerb, args: readonly unknown[]): Promise<void> {
  const spec = DAEMON_VERBS[verb];
  const targets = await pickTargets(agent, sync, verb, `Which daemon to ${spec.verb}?`, args);
  if (!targets) return;
  if (
    verb === 'stop' &&
    !(await confirmAction(
      'Stop',
      `Stop ${targets.join(', ')}?`,
      'The processes get their stop signal, then SIGKILL after the stop timeout.',
    ))
  )
    return;
  const title = `${spec.doing} ${targets.join(', ')}`;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async () => {
    const failures: string[] = [];
    await Promise.all(
      targets.map((name) =>
        agent.request(spec.request, { name }).catch((error: unknown) => {
          failures.push(error instanceof Error ? error.message : String(error));
        }),
      ),
    );
    if (failures.length > 0)
      void vscode.window.showErrorMessage(`Taskwarden could not ${spec.verb} ${targets.join(', ')}: ${failures.join('; ')}`);
  });
}

/** Registers the four control commands. */
export function registerDaemonControlCommands(agent: AgentApi, sync: DaemonsSync): vscode.Disposable[] {
  return (Object.keys(DAEMON_VERBS) as DaemonVerb[]).map((verb) =>
    vscode.commands.registerCommand(DAEMON_VERBS[verb].command, (...args: unknown[]) => run(agent, sync, verb, args)),
  );
}
