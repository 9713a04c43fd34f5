/**
 * `group start [G]`, `group stop [G]` (one or all; stop means no more rounds),
 * `group run G [--wait]` (one round now), and `taskwarden uptime` (the agent's).
 */
import type { Command } from 'commander';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, printJson } from '../../cli/output';
import { StatusRequest } from '../../protocol/agent';
import { formatDuration } from '../../protocol/durations';
import { RunRoundRequest, StartGroupRequest, StopGroupRequest, type GroupControlResult } from '../protocol';
import { roundDescription } from '../protocol';
import { namesArgument } from '../../cli/completion/argumentNames';
import { groupNames } from './groupNames';

function report(result: GroupControlResult, verb: string): void {
  if (result.changed.length === 0)
    process.stdout.write(`nothing to do: ${result.groups.map((g) => `${g.name} is ${g.state}`).join(', ') || 'no groups'}\n`);
  else process.stdout.write(`${verb} ${result.changed.join(', ')}\n`);
}

export function registerGroupControlCommands(group: Command, program: Command): void {
  group
    .command('start')
    .description('start one group (or all): its first round runs at once')
    .addArgument(namesArgument('[group]', 'one group (default: all)', groupNames))
    .action(async (name: string | undefined, _options: unknown, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        report(await agent.connection.sendRequest(StartGroupRequest.type, name === undefined ? {} : { group: name }), 'started');
        return ExitCode.Ok;
      });
    });

  group
    .command('stop')
    .description('stop one group (or all): no more rounds until started (a round in progress finishes)')
    .addArgument(namesArgument('[group]', 'one group (default: all)', groupNames))
    .action(async (name: string | undefined, _options: unknown, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        report(await agent.connection.sendRequest(StopGroupRequest.type, name === undefined ? {} : { group: name }), 'stopped');
        return ExitCode.Ok;
      });
    });

  group
    .command('run')
    .description('run one round now (after the one in progress); also in a stopped group')
    .addArgument(namesArgument('<group>', 'the group', groupNames))
    .option('--wait', 'wait for the round to end and print it')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { wait?: boolean; json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(RunRoundRequest.type, { group: name, wait: options.wait === true });
        if (options.json) printJson(result);
        else process.stdout.write(result.record ? `${roundDescription(result.record)}\n` : `round ${result.round} asked for\n`);
        return ExitCode.Ok;
      });
    });

  program
    .command('uptime')
    .description("the agent's uptime (the seed's getuptime)")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const status = await agent.connection.sendRequest(StatusRequest.type);
        if (options.json) printJson({ uptimeSeconds: status.uptimeSeconds, startedAt: status.startedAt, pid: status.pid });
        else process.stdout.write(`up ${formatDuration(status.uptimeSeconds * 1000)} (agent pid ${status.pid})\n`);
        return ExitCode.Ok;
      });
    });
}
