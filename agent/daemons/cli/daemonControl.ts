/**
 * `taskwarden start|stop|restart|reset NAME…`: control daemons (a task, or one
 * instance as `task:instance`, or `all`) and print the instances as they are
 * after it. The agent checks every name before it does anything.
 */
import type { Command } from 'commander';
import type { RequestType } from 'vscode-jsonrpc';
import {
  ResetDaemonRequest,
  RestartDaemonRequest,
  StartDaemonRequest,
  StopDaemonRequest,
  type DaemonControlResult,
  type DaemonTarget,
} from '../protocol';
import { describeExit } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, printJson } from '../../cli/output';
import { namesArgument } from '../../cli/completion/argumentNames';
import { daemonTargets } from './daemonNames';

interface ControlCommand {
  readonly name: string;
  readonly description: string;
  readonly type: RequestType<DaemonTarget, DaemonControlResult, void>;
}

const COMMANDS: readonly ControlCommand[] = [
  {
    name: 'start',
    description: 'start a daemon (clears a stop or a crash loop; runs a once/event task again)',
    type: StartDaemonRequest.type,
  },
  {
    name: 'stop',
    description: 'stop a daemon and keep it stopped (stop signal to its process group, then SIGKILL)',
    type: StopDaemonRequest.type,
  },
  { name: 'restart', description: 'stop a daemon and start it again at once', type: RestartDaemonRequest.type },
  {
    name: 'reset',
    description: "clear a daemon's crash loop and backoff, and start it again if its control says so",
    type: ResetDaemonRequest.type,
  },
];

function describe(result: DaemonControlResult): string {
  return result.instances
    .map((instance) => {
      const details = [
        instance.pid !== null ? `pid ${instance.pid}` : null,
        instance.waitingFor.length > 0 ? `waiting for ${instance.waitingFor.join(', ')}` : null,
        instance.message,
        instance.pid === null && instance.lastExit ? `last exit: ${describeExit(instance.lastExit)}` : null,
      ].filter((detail): detail is string => detail !== null);
      return `${instance.id} ${instance.state}${details.length > 0 ? ` (${details.join('; ')})` : ''}\n`;
    })
    .join('');
}

export function registerDaemonControlCommands(program: Command): void {
  for (const control of COMMANDS) {
    program
      .command(control.name)
      .description(control.description)
      .addArgument(
        namesArgument(
          '<names...>',
          'daemons: a task, or task:instance, or all (every name is checked before anything is done)',
          daemonTargets,
        ),
      )
      .option('--json', 'print the instances as JSON')
      .action(async (names: string[], _options: unknown, command: Command) => {
        const global = globalOptions(command);
        process.exitCode = await withAgent(global, async (agent) => {
          const result = await agent.connection.sendRequest(control.type, { names });
          if (global.json) printJson(result);
          else process.stdout.write(describe(result));
          return ExitCode.Ok;
        });
      });
  }
}
