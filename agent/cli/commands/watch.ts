/**
 * `taskwarden watch`: a live status screen of the workspace's agent, redrawn
 * whenever the agent pushes a change (no polling), until Ctrl-C.
 */
import type { Command } from 'commander';
import {
  HealthNotification,
  PARTS,
  StateChangedNotification,
  StatusRequest,
  SubscribeRequest,
  type AgentStatus,
  type HealthParams,
} from '../../protocol/agent';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode } from '../output';
import { formatDuration } from '../../protocol/durations';
import type { AgentConnection } from '../agentClient';
import type { LiveSection } from '../../core/part';

const REDRAW_MS = 200;

async function render(agent: AgentConnection, sections: readonly LiveSection[], health: HealthParams | undefined): Promise<string> {
  const status: AgentStatus = await agent.connection.sendRequest(StatusRequest.type);
  const lines = [
    `Taskwarden — ${status.workspace}`,
    `agent pid ${status.pid}, version ${status.agentVersion}, up ${formatDuration(status.uptimeSeconds * 1000)}, ${status.clients} client(s)`,
    `health: ${health ? `${health.level} — ${health.message}` : 'unknown'}`,
    status.configErrors > 0
      ? `config: ${status.configErrors} error(s) in ${status.configFile}; the last good config runs`
      : `config: ${status.configFile}`,
    '',
  ];
  for (const section of sections) lines.push(...(await section(agent.connection)), '');
  for (const part of PARTS) {
    const counts = Object.entries(status.counts[part]).filter(([, count]) => count > 0);
    if (counts.length > 0) lines.push(`${part}: ${counts.map(([key, count]) => `${count} ${key}`).join(', ')}`);
  }
  lines.push('', 'Ctrl-C to quit.');
  return lines.join('\n');
}

/** `sections`: the parts' lines, in the order of agent/parts.ts. */
export function registerWatchCommand(program: Command, sections: readonly LiveSection[]): void {
  program
    .command('watch')
    .description('show a live status of the agent, redrawn on every change, until Ctrl-C')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        let health: HealthParams | undefined;
        let timer: NodeJS.Timeout | undefined;
        const redraw = (): void => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            void render(agent, sections, health)
              .then((screen) => process.stdout.write(`\x1b[2J\x1b[H${screen}\n`))
              .catch(() => undefined);
          }, REDRAW_MS);
        };
        agent.connection.onNotification(HealthNotification.type, (params) => {
          health = params;
          redraw();
        });
        agent.connection.onNotification(StateChangedNotification.type, redraw);
        await agent.connection.sendRequest(SubscribeRequest.type, { topics: [...PARTS, 'health', 'config'] });
        // Uptimes move even when nothing else does.
        const tick = setInterval(redraw, 1000);
        redraw();
        await new Promise<void>((resolve) => {
          agent.connection.onClose(() => resolve());
          process.once('SIGINT', () => resolve());
        });
        clearInterval(tick);
        clearTimeout(timer);
        return ExitCode.Ok;
      });
    });
}
