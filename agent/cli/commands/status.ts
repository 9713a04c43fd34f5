/**
 * `taskwarden status`: the agent's pid, version, uptime, socket, workspace, the
 * config and roles files it follows, and counts per part.
 */
import type { Command } from 'commander';
import { StatusRequest } from '../../protocol/agent';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode, printJson } from '../output';
import { formatDuration } from '../../protocol/durations';
import { counted } from '../../protocol/counts';

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, value]) => value > 0);
  return entries.length === 0 ? '-' : entries.map(([key, value]) => `${key} ${value}`).join(', ');
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the agent: pid, version, uptime, socket, workspace, config and roles files, counts per part')
    .option('--json', 'print as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const status = await agent.connection.sendRequest(StatusRequest.type);
        if (global.json) {
          printJson(status);
          return ExitCode.Ok;
        }
        const config =
          status.configErrors > 0
            ? `${status.configFile} (${counted(status.configErrors, 'error')}; the last good config runs)`
            : status.configFile;
        const rows: [string, string][] = [
          ['agent', `running (pid ${status.pid}, version ${status.agentVersion}, protocol ${status.protocolVersion})`],
          ['uptime', formatDuration(status.uptimeSeconds * 1000)],
          ['workspace', status.workspace],
          ['config', config],
          ['roles', status.rolesFile ?? 'none (no role filtering)'],
          ['socket', status.socketPath],
          ['clients', String(status.clients)],
          ...Object.entries(status.counts).map(([part, counts]): [string, string] => [part, describeCounts(counts)]),
        ];
        for (const [label, value] of rows) process.stdout.write(`${label.padEnd(10)} ${value}\n`);
        return ExitCode.Ok;
      });
    });
}
