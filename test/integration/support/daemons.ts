/**
 * Helpers for the daemons integration tests: a workspace whose agent is up,
 * the daemon list over the socket, waiting for an instance to reach a state,
 * and the processes that still carry a workspace's daemon marker (a leak
 * check that also sees grandchildren, which inherit the marker).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ListDaemonsRequest, type DaemonInstanceInfo, type ListDaemonsResult } from '../../../agent/daemons/protocol';
import type { AgentConnection } from '../../../agent/cli/agentClient';
import { waitFor } from './waitFor';
import { createWorkspace, FIXTURES, type TestWorkspace } from './workspace';

export { FIXTURES };

/** The daemon list as the agent sees it now. */
export function listDaemons(agent: AgentConnection): Promise<ListDaemonsResult> {
  return agent.connection.sendRequest(ListDaemonsRequest.type, {});
}

/** One instance of the list, by `task:instance`. */
export function instanceIn(list: ListDaemonsResult, id: string): DaemonInstanceInfo | undefined {
  return list.tasks.flatMap((task) => task.instances).find((instance) => instance.id === id);
}

/** Waits until the instance satisfies `accept`; returns it. */
export async function waitForInstance(
  agent: AgentConnection,
  id: string,
  accept: (instance: DaemonInstanceInfo) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<DaemonInstanceInfo> {
  let last: DaemonInstanceInfo | undefined;
  try {
    return await waitFor(
      async () => {
        last = instanceIn(await listDaemons(agent), id);
        return last && accept(last) ? last : null;
      },
      { what: `${id} ${what}`, timeoutMs, intervalMs: 20 },
    );
  } catch (error: unknown) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}

/** Pids of live processes carrying TASKWARDEN_WORKSPACE=<dir> (daemons and everything they started). */
export function markedPids(dir: string): number[] {
  const marker = `TASKWARDEN_WORKSPACE=${dir}`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (environ.includes(marker) && !/\) Z /.test(stat)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** A workspace with this config (and these files, by relative path), its agent started; `agent` is a connection to it. */
export async function startedWorkspace(
  config: string,
  files: Readonly<Record<string, string>> = {},
): Promise<{ ws: TestWorkspace; agent: AgentConnection }> {
  const ws = createWorkspace(config);
  // Scripts (*.sh) are made executable.
  for (const [name, text] of Object.entries(files))
    fs.writeFileSync(path.join(ws.dir, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  const up = await ws.cli(['up']);
  if (up.code !== 0) throw new Error(`up failed: ${up.stderr}`);
  return { ws, agent: await ws.connect() };
}

/** Stops the agent and its daemons, then checks that no daemon process of the workspace survived. */
export async function cleanupWorkspace(ws: TestWorkspace): Promise<void> {
  const dir = ws.dir;
  await ws.cleanup();
  await waitFor(() => markedPids(dir).length === 0, { what: `no process of ${dir} left`, timeoutMs: 15_000 });
}

/** Reads a file's lines (empty when it does not exist). */
export function fileLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Writes taskwarden.yaml the way editors save (a temporary file renamed over it), so
 * the agent never reads a half-written file on a loaded machine.
 */
export function replaceConfig(ws: TestWorkspace, yaml: string): void {
  const file = path.join(ws.dir, 'taskwarden.yaml');
  fs.writeFileSync(`${file}.tmp`, yaml);
  fs.renameSync(`${file}.tmp`, file);
}
