/**
 * The group commands (category "Taskwarden"): Start Group, Stop Group, Run
 * Round Now and Show Group Output on a group, Open Tasklet on a tasklet. From
 * the view they act on the clicked row (a node); from a code lens they get
 * the group name; from the palette they ask with a quick pick. The view moves
 * with the agent's pushed deltas, not with the answers.
 */
import * as vscode from 'vscode';
import { RunRoundRequest, StartGroupRequest, StopGroupRequest, type GroupSummary } from '../../agent/groups/protocol';
import type { AgentApi } from '../shared/agentApi';
import { confirmAction } from '../shared/confirmAction';
import { reporting } from '../shared/reporting';
import { groupIsActive, groupLook } from './groupFormat';
import type { GroupOutputs } from './groupOutput';
import type { GroupsModel } from './groupsModel';
import type { GroupNode } from './groupTreeItems';

export interface GroupCommandDeps {
  readonly agent: AgentApi;
  readonly model: GroupsModel;
  readonly outputs: GroupOutputs;
}

function isGroupNode(value: unknown): value is GroupNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'group' in value;
}

/** The group a command was run on: the clicked row, a name (code lens), or one picked among `which`. */
async function groupOf(model: GroupsModel, argument: unknown, which: (group: GroupSummary) => boolean): Promise<string | undefined> {
  if (isGroupNode(argument)) return argument.group;
  if (typeof argument === 'string') return argument;
  const candidates = model.groups.filter(which);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(model.groups.length === 0 ? 'No process groups here.' : 'No process group fits.');
    return undefined;
  }
  if (candidates.length === 1) return candidates[0]!.name;
  const picked = await vscode.window.showQuickPick(
    candidates.map((group) => ({ label: group.name, description: groupLook(group).label })),
    { placeHolder: 'Process group' },
  );
  return picked?.label;
}

/** The tasklet file a command was run on: the clicked row, or one picked among all groups'. */
async function taskletFileOf(model: GroupsModel, argument: unknown): Promise<string | undefined> {
  if (isGroupNode(argument) && argument.kind === 'tasklet') {
    return model.group(argument.group)?.taskletStatus.find((tasklet) => tasklet.name === argument.name)?.file;
  }
  const candidates = model.groups.flatMap((group) =>
    group.taskletStatus.map((tasklet) => ({ label: tasklet.name, description: group.name, file: tasklet.file })),
  );
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No tasklets here.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates, { placeHolder: 'Tasklet', matchOnDescription: true });
  return picked?.file;
}

const isStopped = (group: GroupSummary): boolean => group.state === 'stopped';
const canRunRound = (group: GroupSummary): boolean => group.state !== 'broken';
const any = (): boolean => true;

export function registerGroupCommands(deps: GroupCommandDeps): vscode.Disposable[] {
  const { agent, model } = deps;
  const onGroup = (name: string, what: string, which: (group: GroupSummary) => boolean, act: (group: string) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, (argument: unknown) =>
      reporting(what, async () => {
        const group = await groupOf(model, argument, which);
        if (group) await act(group);
      }),
    );
  return [
    onGroup('taskwarden.startGroup', 'start the group', isStopped, (group) => agent.request(StartGroupRequest.type, { group })),
    onGroup('taskwarden.stopGroup', 'stop the group', groupIsActive, async (group) => {
      if (await confirmAction('Stop', `Stop process group ${group}? Its rounds stop until it is started again.`))
        await agent.request(StopGroupRequest.type, { group });
    }),
    onGroup('taskwarden.runGroupRound', 'run a round', canRunRound, (group) => agent.request(RunRoundRequest.type, { group })),
    onGroup('taskwarden.showGroupOutput', 'show the output', any, (group) => deps.outputs.show(group)),
    onGroup('taskwarden.showGroupOutputInTerminal', 'show the output', any, (group) => deps.outputs.show(group, 'terminal')),
    vscode.commands.registerCommand('taskwarden.openTasklet', (argument: unknown) =>
      reporting('open the tasklet', async () => {
        const file = await taskletFileOf(model, argument);
        if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
      }),
    ),
  ];
}
