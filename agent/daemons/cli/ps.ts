/**
 * `taskwarden ps`: every daemon instance with its pid, state, uptime, restarts
 * and last exit; tasks that do not run here are listed after the table. The
 * STATE column says what the Daemons view and the code lenses say ("done",
 * "failed", "waiting for db", "crash loop"): one presentation, in
 * agent/daemons/protocol/presentation.ts; `--json` keeps the protocol's states.
 */
import type { Command } from 'commander';
import { ListDaemonsRequest, type DaemonInstanceInfo, type ListDaemonsResult } from '../protocol';
import { describeExit, instanceLook } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson, printTable } from '../../cli/output';
import { configErrorsNote } from '../../cli/configNote';
import { StatusRequest } from '../../protocol/agent';
import { selectDaemons } from './daemonSelection';
import { formatDuration } from '../../protocol/durations';
import { namesArgument } from '../../cli/completion/argumentNames';
import { daemonNames } from './daemonNames';
import { formatBytes, formatCpu } from '../../protocol/resourcePresentation';
import { WatchResourcesRequest } from '../../protocol/resources';

/** One instance as a `ps` row. */
export function daemonRow(instance: DaemonInstanceInfo, now: number): string[] {
  const state = instanceLook(instance).label;
  return [
    instance.task,
    String(instance.instance),
    instance.pid === null ? '-' : String(instance.pid),
    instance.adopted ? `${state}*` : state,
    instance.startedAt === null ? '-' : formatDuration(now - instance.startedAt),
    instance.pid === null ? '-' : formatCpu(instance.cpuPercent),
    instance.pid === null ? '-' : formatBytes(instance.memoryBytes),
    String(instance.restarts),
    instance.lastExit ? describeExit(instance.lastExit) : '-',
  ];
}

export const DAEMON_COLUMNS = ['TASK', 'INSTANCE', 'PID', 'STATE', 'UPTIME', 'CPU', 'MEM', 'RESTARTS', 'LAST EXIT'];

/** Prints the table `ps` shows (also used after control commands). */
export function printDaemons(list: ListDaemonsResult): void {
  const now = Date.now();
  const instances = list.tasks.flatMap((task) => task.instances);
  if (instances.length === 0) process.stdout.write('no daemons configured here\n');
  else
    printTable(
      DAEMON_COLUMNS,
      instances.map((instance) => daemonRow(instance, now)),
    );
  const notes = instances.filter((instance) => instance.message).map((instance) => `${instance.id}: ${instance.message}`);
  for (const note of notes) process.stdout.write(`  ${note}\n`);
  if (instances.some((instance) => instance.adopted)) process.stdout.write('  * adopted from a previous agent\n');
  for (const reason of ['off', 'out_of_scope', 'invalid'] as const) {
    const names = list.skipped.filter((skipped) => skipped.reason === reason).map((skipped) => skipped.name);
    if (names.length > 0)
      process.stdout.write(
        `${reason === 'off' ? 'off' : reason === 'out_of_scope' ? 'out of role scope' : 'not runnable (config errors)'}: ${names.join(', ')}\n`,
      );
  }
}

export function registerPsCommand(program: Command): void {
  program
    .command('ps')
    .description('list daemon instances: task, instance, pid, state, uptime, CPU, memory (of each process tree), restarts, last exit')
    .addArgument(namesArgument('[names...]', 'only these daemons: a task, or task:instance (default: all)', daemonNames))
    .option('--json', 'print as JSON')
    .action(async (names: string[], _options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        // While this connection watches, the agent samples (two readings ~0.5 s apart) and the list carries the figures.
        await agent.connection.sendRequest(WatchResourcesRequest.type, {});
        const [all, status] = await Promise.all([
          agent.connection.sendRequest(ListDaemonsRequest.type, {}),
          agent.connection.sendRequest(StatusRequest.type),
        ]);
        const list = selectDaemons(all, names);
        if (!list.ok) return fail(list.error.message);
        if (global.json) printJson(list.value);
        else printDaemons(list.value);
        const note = configErrorsNote(status);
        if (note !== null && !global.json) process.stdout.write(`${note}\n`);
        return ExitCode.Ok;
      });
    });
}
