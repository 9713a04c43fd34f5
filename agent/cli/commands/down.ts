/**
 * `taskwarden down`: stops the workspace's agent and, unless --keep, every
 * process of the workspace. With no agent (it crashed, or was killed) the
 * processes it left are found from the store and the workspace marker and
 * stopped all the same (agent/server/leftovers.ts, loaded from the agent
 * bundle); `down` never starts an agent. Exit 0 only when nothing of the
 * workspace is left running.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { ShutdownAgentRequest } from '../../protocol/agent';
import { processIsAlive } from '../../proc/processIdentity';
import type { LeftoverName, StoppedLeftover } from '../../server/leftovers';
import { connectToAgent, type AgentConnection } from '../agentClient';
import { globalOptions } from '../globalOptions';
import { ok, type Result } from '../../result';
import { fail, printJson, reported, type Reported } from '../output';

/** How long an agent that holds the workspace lock gets to answer (it may be starting). */
const ANSWER_TIMEOUT_MS = 15_000;
/** Agents stopped in one `down` before giving up (an editor may start a new one each time). */
const MAX_AGENTS = 3;

/** The stopped agent's pid, or why it did not stop (already told). */
type Stopped = Result<number, Reported>;

/** Asks a running agent to stop (and its processes, unless kept); resolves once its process is gone. */
async function shutdown(agent: AgentConnection, keepProcesses: boolean): Promise<Stopped> {
  const pid = agent.handshake.pid;
  // The agent may close the socket as it stops: a closed connection also means "taken".
  const closed = new Promise<void>((resolve) => agent.connection.onClose(() => resolve()));
  await Promise.race([agent.connection.sendRequest(ShutdownAgentRequest.type, { keepProcesses }), closed]);
  agent.close();
  const deadline = Date.now() + 30_000;
  while (processIsAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  if (processIsAlive(pid)) return reported(`the agent (pid ${pid}) did not exit within 30 s`);
  return ok(pid);
}

/** Waits until an agent answers on the workspace's socket. */
async function answeringAgent(workspace: string): Promise<AgentConnection | null> {
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const attempt = await connectToAgent(workspace);
    if (attempt.ok) return attempt.value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

function describe(entry: LeftoverName): string {
  return `${entry.kind === 'process' ? 'process group' : entry.kind} ${entry.name}${entry.kind === 'process' ? '' : ` (pid ${entry.pid})`}`;
}

export function registerDownCommand(program: Command): void {
  program
    .command('down')
    .description('stop the agent and every process of the workspace, also those a crashed agent left')
    .option('--keep', 'leave supervised processes running; the next agent adopts them')
    .option('--json', 'print what was stopped (and what is left) as JSON')
    .action(async (options: { keep?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const workspace = fs.existsSync(global.workspace) ? fs.realpathSync(global.workspace) : global.workspace;
      const keep = options.keep === true;
      const agents: number[] = [];
      const stopped: StoppedLeftover[] = [];
      let left: readonly LeftoverName[] = [];
      let next: AgentConnection | null = null;
      for (;;) {
        if (next === null) {
          const attempt = await connectToAgent(workspace);
          if (!attempt.ok && attempt.error.reason === 'handshake-failed') {
            process.exitCode = fail(attempt.error.message);
            return;
          }
          next = attempt.ok ? attempt.value : null;
        }
        if (next !== null) {
          const result = await shutdown(next, keep);
          if (!result.ok) {
            process.exitCode = result.error.exitCode;
            return;
          }
          agents.push(result.value);
          next = null;
        }
        // --keep: the processes stay for the next agent.
        if (keep) break;
        const { stopLeftovers } = await import('../../server/main');
        const swept = await stopLeftovers({ workspace, configFile: global.config, rolesFile: global.roles });
        if (swept.ok) {
          stopped.push(...swept.value.stopped);
          left = swept.value.left;
          break;
        }
        // An agent holds the lock: one is starting (an `up`, an editor reconnecting), or it hangs.
        next = agents.length < MAX_AGENTS ? await answeringAgent(workspace) : null;
        if (next === null) {
          process.exitCode = fail(
            agents.length < MAX_AGENTS
              ? `${swept.error.message}, but it does not answer on its socket; nothing was stopped`
              : `a new agent started for ${workspace} after each of ${MAX_AGENTS} stops (an editor reconnecting?); it runs`,
          );
          return;
        }
      }

      if (global.json) printJson({ workspace, agents, stopped, left });
      else {
        const lines = agents.map((pid) => `agent stopped (pid ${pid})`);
        if (agents.length === 0) lines.push(`no agent runs for ${workspace}`);
        if (stopped.length > 0) {
          lines.push(agents.length > 0 ? 'also stopped what no agent supervised:' : 'stopped what the last agent left running:');
          lines.push(...stopped.map((entry) => `  ${describe(entry)}${entry.how === 'killed' ? ', killed after its stop timeout' : ''}`));
        } else if (agents.length === 0 && !keep) lines.push('nothing of it was running');
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (left.length > 0) process.exitCode = fail(`still running in ${workspace}: ${left.map(describe).join(', ')}`);
    });
}
