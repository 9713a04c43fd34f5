/**
 * `taskwarden watch`: a live status screen of the workspace's agent, redrawn
 * whenever the agent pushes a change (no polling), until Ctrl-C. On a
 * terminal each screen replaces the last (and uptimes tick every second);
 * into a pipe or a file each change appends a screen, with no terminal codes;
 * `--json` appends one JSON object per line instead.
 */
import type { Command } from 'commander';
import {
  HealthNotification,
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
import type { LiveSection, PartModule } from '../../core/part';
import { counted } from '../../protocol/counts';

const REDRAW_MS = 200;
/** Clear the screen and go home: only for a terminal. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

interface Snapshot {
  readonly status: AgentStatus;
  readonly health: HealthParams | null;
  readonly sections: readonly { readonly name: string; readonly lines: string[]; readonly data: unknown }[];
}

async function snapshot(agent: AgentConnection, liveSections: readonly LiveSection[], health: HealthParams | undefined): Promise<Snapshot> {
  const status: AgentStatus = await agent.connection.sendRequest(StatusRequest.type);
  const sections = [];
  for (const section of liveSections) sections.push({ name: section.name, ...(await section.read(agent.connection)) });
  return { status, health: health ?? null, sections };
}

function screen({ status, health, sections }: Snapshot, terminal: boolean): string {
  const lines = [
    `Taskwarden — ${status.workspace}`,
    `agent pid ${status.pid}, version ${status.agentVersion}, up ${formatDuration(status.uptimeSeconds * 1000)}, ${counted(status.clients, 'client')}`,
    `health: ${health ? `${health.level} — ${health.message}` : 'unknown'}`,
    status.configErrors > 0
      ? `config: ${counted(status.configErrors, 'error')} in ${status.configFile}; the last good config runs`
      : `config: ${status.configFile}`,
    '',
  ];
  for (const section of sections) lines.push(...section.lines, '');
  for (const [part, partCounts] of Object.entries(status.counts)) {
    const counts = Object.entries(partCounts).filter(([, count]) => count > 0);
    if (counts.length > 0) lines.push(`${part}: ${counts.map(([key, count]) => `${count} ${key}`).join(', ')}`);
  }
  if (terminal) lines.push('', 'Ctrl-C to quit.');
  return lines.join('\n');
}

function json({ status, health, sections }: Snapshot): string {
  return JSON.stringify({ at: Date.now(), status, health, ...Object.fromEntries(sections.map((section) => [section.name, section.data])) });
}

/** `parts`: agent/parts.ts (their topics, and their live sections in that order). */
export function registerWatchCommand(program: Command, parts: readonly Pick<PartModule, 'name' | 'live'>[]): void {
  const liveSections = parts.flatMap((part): LiveSection[] => (part.live ? [part.live] : []));
  program
    .command('watch')
    .description('show a live status of the agent, redrawn on every change, until Ctrl-C')
    .option('--json', 'print one JSON object per line (status, health, daemons) at start and on every change')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const terminal = process.stdout.isTTY && !global.json;
      process.exitCode = await withAgent(global, async (agent) => {
        let health: HealthParams | undefined;
        let timer: NodeJS.Timeout | undefined;
        const redraw = (): void => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            void snapshot(agent, liveSections, health)
              .then((taken) => {
                if (global.json) process.stdout.write(`${json(taken)}\n`);
                else if (terminal) process.stdout.write(`${CLEAR_SCREEN}${screen(taken, true)}\n`);
                else process.stdout.write(`${screen(taken, false)}\n\n`);
              })
              .catch(() => undefined);
          }, REDRAW_MS);
        };
        agent.connection.onNotification(HealthNotification.type, (params) => {
          health = params;
          redraw();
        });
        agent.connection.onNotification(StateChangedNotification.type, redraw);
        await agent.connection.sendRequest(SubscribeRequest.type, { topics: [...parts.map((part) => part.name), 'health', 'config'] });
        // Uptimes move even when nothing else does; a log or a JSON reader wants changes only.
        const tick = terminal ? setInterval(redraw, 1000) : undefined;
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
