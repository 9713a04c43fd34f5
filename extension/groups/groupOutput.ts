/**
 * "Show Group Output": a channel per group through the shared run output
 * channels (extension/shared/runOutputs.ts), following `group:NAME` through
 * the one `taskwarden/output/follow`: the runner's recent lines (what the
 * tasklets logged with `ctx.log`, marked with the tasklet, and their errors),
 * then its live lines, with a note when the group starts or stops.
 */
import type { AgentApi } from '../shared/agentApi';
import { RunOutputs } from '../shared/runOutputs';
import { groupLook } from './groupFormat';
import type { GroupsModel } from './groupsModel';

function stateWords(model: GroupsModel, name: string): string | null {
  const group = model.group(name);
  if (!group) return null;
  return `group ${name} ${groupLook(group).label}${group.pid === null ? '' : `, runner pid ${group.pid}`}`;
}

/** The group output channels of this window, by group name. */
export type GroupOutputs = RunOutputs<string>;

export function createGroupOutputs(agent: AgentApi, model: GroupsModel): GroupOutputs {
  return new RunOutputs(agent, {
    part: 'groups',
    keyPrefix: 'group',
    title: (name) => `group ${name}`,
    stateWords: (name) => stateWords(model, name),
    onChange: (listener) => model.onChange(listener),
  });
}
