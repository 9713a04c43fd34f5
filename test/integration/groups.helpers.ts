/**
 * Helpers of the groups integration tests: a workspace whose groups root holds
 * the given tasklet files, its agent started, and the groups requests over a
 * real connection (status, history, params, a wait for the N-th round).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach } from 'node:test';
import type { AgentConnection } from '../../agent/cli/agentClient';
import { processIsAlive } from '../../agent/proc/processIdentity';
import {
  GroupHistoryRequest,
  GroupParamsRequest,
  GroupStatusRequest,
  type GroupParams,
  type GroupRound,
  type GroupStatus,
} from '../../agent/protocol';
import { waitFor } from './support/waitFor';
import { createWorkspace, type TestWorkspace } from './support/workspace';
import { Workspaces } from './tasks.helpers';

/** Files by path relative to the workspace (`processhandler/chain/10_a.js`), written before the agent starts. */
export type Files = Readonly<Record<string, string>>;

/** Creates the workspace, writes the files (folders included), then starts the agent. */
export async function groupsWorkspace(config: string, files: Files): Promise<{ ws: TestWorkspace; agent: AgentConnection }> {
  const ws = createWorkspace(config);
  for (const [name, text] of Object.entries(files)) writeFile(ws, name, text);
  const up = await ws.cli(['up']);
  if (up.code !== 0) throw new Error(`up failed: ${up.stderr}`);
  return { ws, agent: await ws.connect() };
}

/**
 * A test file's `start`: groupsWorkspace, each workspace cleaned up after its test and the
 * file's processes checked for leaks at its end (hooks registered by this call).
 */
export function groupsTestFile(): (config: string, files: Files) => Promise<{ ws: TestWorkspace; agent: AgentConnection }> {
  const created: TestWorkspace[] = [];
  const leakCheck = new Workspaces();
  afterEach(async () => {
    for (const ws of created.splice(0)) {
      leakCheck.dirs.push(ws.dir);
      await ws.cleanup();
    }
  });
  after(() => assert.deepEqual(leakCheck.leaks(), [], 'processes left behind'));
  return async (config, files) => {
    const started = await groupsWorkspace(config, files);
    created.push(started.ws);
    return started;
  };
}

/** SIGKILLs the workspace's agent (closing `agent` first), starts another and connects to it. */
export async function killAgentAndStartAnother(ws: TestWorkspace, agent: AgentConnection): Promise<AgentConnection> {
  const agentPid = (await ws.agentPid())!;
  agent.close();
  process.kill(agentPid, 'SIGKILL');
  await waitFor(() => !processIsAlive(agentPid), { what: 'the agent to die' });
  const up = await ws.cli(['up']);
  assert.equal(up.code, 0, up.stderr);
  return ws.connect();
}

export function writeFile(ws: TestWorkspace, name: string, text: string): void {
  const file = path.join(ws.dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and renamed over, as editors save: the runner never loads half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

export async function groupStatus(agent: AgentConnection, group: string): Promise<GroupStatus> {
  const result = await agent.connection.sendRequest(GroupStatusRequest.type, { group });
  return result.groups[0]!;
}

export async function history(agent: AgentConnection, group: string, limit = 100): Promise<GroupRound[]> {
  return [...(await agent.connection.sendRequest(GroupHistoryRequest.type, { group, limit })).rounds];
}

export async function params(agent: AgentConnection, group: string): Promise<GroupParams> {
  return (await agent.connection.sendRequest(GroupParamsRequest.type, { group })).params;
}

/** Waits until the group has recorded `count` rounds (or more); returns its history, oldest first. */
export async function waitForRounds(agent: AgentConnection, group: string, count: number, timeoutMs = 20_000): Promise<GroupRound[]> {
  const rounds = await waitFor(
    async () => {
      const list = await history(agent, group, 1000);
      return list.length >= count ? list : null;
    },
    { what: `${count} rounds of group ${group}`, timeoutMs },
  );
  return [...rounds].reverse();
}
