/**
 * The groups requests of agent/protocol/groups.ts: the clients' (list, status,
 * start, stop, run a round, params, history) and the runners' own (hello,
 * loaded, hung; round started/ended as notifications). A client's read of
 * rounds first asks the runners for the round reports they hold (collectHeld).
 */
import { failure, RpcFailure, type RpcRegistry } from '../core/rpc';
import { ErrorCodes } from '../protocol/errors';
import {
  GroupHistoryRequest,
  GroupParamsRequest,
  GroupStatusRequest,
  ListGroupsRequest,
  RunnerHelloRequest,
  RunnerHungRequest,
  RunnerLoadedRequest,
  RunnerRoundsEndedNotification,
  RunnerRoundStartedNotification,
  RunRoundRequest,
  StartGroupRequest,
  StopGroupRequest,
  type GroupControlResult,
} from '../protocol/groups';
import type { GroupsPart } from './groupsPart';
import type { LiveGroup } from './liveGroup';
import { GRACE_MS } from './runner/watchdog';

const DEFAULT_HISTORY_LIMIT = 20;

function groupNamed(part: GroupsPart, name: string): LiveGroup | RpcFailure {
  const group = part.groups.get(name);
  if (group) return group;
  const known = [...part.groups.keys()];
  const root = part.config?.configured === true ? part.config.root : null;
  if (root === null) return failure(ErrorCodes.NotFound, `no group '${name}': the config has no groups section`);
  return failure(ErrorCodes.NotFound, `no group '${name}' in ${root} (groups: ${known.length > 0 ? known.join(', ') : 'none'})`);
}

function targets(part: GroupsPart, name: string | undefined): LiveGroup[] | RpcFailure {
  if (name === undefined) return [...part.groups.values()];
  const group = groupNamed(part, name);
  return group instanceof RpcFailure ? group : [group];
}

function control(part: GroupsPart, name: string | undefined, stopped: boolean): GroupControlResult | RpcFailure {
  const groups = targets(part, name);
  if (!Array.isArray(groups)) return groups;
  const changed = groups.filter((group) => group.setStopped(stopped)).map((group) => group.name);
  return { changed, groups: groups.map((group) => group.summary()) };
}

export function registerGroupHandlers(rpc: RpcRegistry, part: GroupsPart): void {
  rpc.on(ListGroupsRequest.type, async () => {
    await part.collectHeld([...part.groups.values()]);
    return { now: Date.now(), root: part.config?.root ?? '', paramsRoot: part.config?.paramsRoot ?? '', groups: part.summaries() };
  });
  rpc.on(GroupStatusRequest.type, async (params) => {
    const groups = targets(part, params.group);
    if (!Array.isArray(groups)) return groups;
    await part.collectHeld(groups);
    return { now: Date.now(), agentStartedAt: part.startedAt, groups: groups.map((group) => group.status()) };
  });
  rpc.on(StartGroupRequest.type, (params) => control(part, params.group, false));
  rpc.on(StopGroupRequest.type, (params) => control(part, params.group, true));
  rpc.on(RunRoundRequest.type, async (params) => {
    const group = groupNamed(part, params.group);
    if (group instanceof RpcFailure) return group;
    if (group.state() === 'broken')
      return failure(ErrorCodes.Conflict, `group ${group.name} cannot run: ${group.settings.broken ?? 'broken'}`);
    if (!group.settings.enabled) return failure(ErrorCodes.Conflict, `group ${group.name} is disabled (groups.each.${group.name}.enabled)`);
    // The round's number follows the rounds the runner holds.
    await part.collectHeld([group]);
    const askedAt = Date.now();
    const round = group.runNow();
    if (params.wait !== true) return { round, record: null };
    // Each tasklet may take its time limit; a hung one is caught by the watchdog past it.
    const timeout = Math.max(60_000, group.status().taskletStatus.length * (group.settings.timeLimitMs + GRACE_MS) + 10_000);
    const record = await group.waitForRound(round, askedAt, timeout);
    if (record === null)
      return failure(ErrorCodes.Conflict, `round ${round} of group ${group.name} did not end within ${Math.round(timeout / 1000)} s`);
    return { round: record.round, record };
  });
  rpc.on(GroupParamsRequest.type, (params) => {
    const group = groupNamed(part, params.group);
    if (group instanceof RpcFailure) return group;
    return {
      group: group.name,
      params: group.params,
      updatedAt: group.paramsAt,
      paramsFile: group.paramsFile,
      problems: group.paramsProblems,
    };
  });
  rpc.on(GroupHistoryRequest.type, async (params) => {
    const group = groupNamed(part, params.group);
    if (group instanceof RpcFailure) return group;
    const limit = params.limit ?? DEFAULT_HISTORY_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      return failure(ErrorCodes.InvalidParams, `limit must be a whole number of rounds, at least 1 (got ${limit})`);
    await part.collectHeld([group]);
    return { rounds: part.store.history(group.name, limit) };
  });

  rpc.on(RunnerHelloRequest.type, (params, client) => {
    const group = groupNamed(part, params.group);
    if (group instanceof RpcFailure) return group;
    const result = group.hello(params, client);
    return typeof result === 'string' ? failure(ErrorCodes.Conflict, result) : result;
  });
  rpc.on(RunnerLoadedRequest.type, (params) => {
    part.groups.get(params.group)?.loaded(params);
  });
  rpc.onNotification(RunnerRoundStartedNotification.type, (params) => {
    part.groups.get(params.group)?.roundStarted(params.round, params.startedAt);
  });
  rpc.onNotification(RunnerRoundsEndedNotification.type, (params) => {
    part.groups.get(params.group)?.roundsEnded(params.rounds);
  });
  rpc.on(RunnerHungRequest.type, (params) => {
    part.groups.get(params.group)?.hungReport(params);
  });
}
