/**
 * The daemons requests of agent/daemons/protocol/messages.ts, answered by the part.
 * A NAME is a task (all its instances) or `task:instance`; an unknown one is a
 * NotFound failure that lists the known names.
 */
import { ErrorCodes } from '../protocol/errors';
import {
  ListDaemonsRequest,
  ResetDaemonRequest,
  RestartDaemonRequest,
  StartDaemonRequest,
  StopDaemonRequest,
  type DaemonControlResult,
  type DaemonTarget,
} from './protocol';
import { failure, type RpcFailure, type RpcRegistry } from '../core/rpc';
import type { DaemonsPart } from './daemonsPart';
import type { DaemonInstance } from './instanceSupervisor';

/** The instances NAME designates, or a failure a user can act on. */
export function lookup(part: DaemonsPart, name: unknown): DaemonInstance[] | RpcFailure {
  if (typeof name !== 'string' || name.trim() === '')
    return failure(ErrorCodes.InvalidParams, 'give a daemon name: a task, or task:instance');
  const found = part.supervisor.find(name);
  if (found.length > 0) return found;
  const known = part.supervisor.taskNames();
  const separator = name.lastIndexOf(':');
  const task = separator > 0 ? name.slice(0, separator) : name;
  if (separator > 0 && known.includes(task)) {
    const ids = part.supervisor.find(task).map((instance) => instance.id);
    return failure(ErrorCodes.NotFound, `no instance '${name}' (${task} has ${ids.join(', ')})`);
  }
  const skipped = part.skippedTask(task);
  if (skipped) {
    const why =
      skipped.reason === 'off'
        ? "its control is 'off'"
        : skipped.reason === 'out_of_scope'
          ? 'it is out of role scope on this host'
          : 'its definition has errors';
    return failure(ErrorCodes.NotFound, `daemon '${task}' does not run here: ${why}`);
  }
  return failure(ErrorCodes.NotFound, `no daemon named '${name}' (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
}

type Operation = (instance: DaemonInstance) => Promise<void>;

/**
 * taskforce's `suspend` keeps a task defined but not running until its config
 * says otherwise: a start would be undone by the next reconcile, so a start or
 * restart of a suspended task is refused, saying how to run it.
 */
function refuseSuspended(instances: readonly DaemonInstance[], verb: string): RpcFailure | null {
  const suspended = [...new Set(instances.filter((instance) => instance.spec.control === 'suspend').map((instance) => instance.spec.name))];
  if (suspended.length === 0) return null;
  const which = suspended.map((task) => `'${task}'`).join(', ');
  return failure(
    ErrorCodes.Conflict,
    `daemon ${which} is suspended by its config (control: suspend), so it was not ${verb}; to run it, set its control to wait, once or event in the config`,
  );
}

/** The word that names every daemon in a request's `names`. */
const ALL = 'all';

/**
 * The instances a request's `name` or `names` designate, each once, in the
 * order named; every name is looked up before anything is done, and the
 * unknown ones fail together. `all` leaves out suspended tasks, which it
 * could not start.
 */
function lookupTarget(part: DaemonsPart, target: DaemonTarget | undefined): DaemonInstance[] | RpcFailure {
  if (!Array.isArray(target?.names)) return lookup(part, target?.name);
  const names: unknown[] = target.names;
  if (names.length === 0) return failure(ErrorCodes.InvalidParams, 'give at least one daemon name, or all');
  const found = new Map<string, DaemonInstance>();
  const problems: RpcFailure[] = [];
  for (const name of names) {
    const instances =
      name === ALL
        ? part.supervisor
            .taskNames()
            .flatMap((task) => part.supervisor.find(task))
            .filter((instance) => instance.spec.control !== 'suspend')
        : lookup(part, name);
    if (Array.isArray(instances)) for (const instance of instances) found.set(instance.id, instance);
    else problems.push(instances);
  }
  if (problems.length > 0) return failure(problems[0]!.code, `${problems.map((problem) => problem.message).join('; ')}; nothing was done`);
  return [...found.values()];
}

async function control(
  part: DaemonsPart,
  target: DaemonTarget | undefined,
  operation: Operation,
  refuseIfSuspended?: string,
): Promise<DaemonControlResult | RpcFailure> {
  if (part.supervisor.closing) return failure(ErrorCodes.ShuttingDown, 'the agent is shutting down');
  const instances = lookupTarget(part, target);
  if (!Array.isArray(instances)) return instances;
  const refused = refuseIfSuspended === undefined ? null : refuseSuspended(instances, refuseIfSuspended);
  if (refused !== null) return refused;
  await Promise.all(instances.map(operation));
  return { instances: instances.map((instance) => instance.info()) };
}

export function registerDaemonHandlers(rpc: RpcRegistry, part: DaemonsPart): void {
  rpc.on(ListDaemonsRequest.type, () => part.list());
  rpc.on(StartDaemonRequest.type, (params) => control(part, params, (instance) => instance.start(), 'started'));
  rpc.on(StopDaemonRequest.type, (params) => control(part, params, (instance) => instance.stop()));
  rpc.on(RestartDaemonRequest.type, (params) => control(part, params, (instance) => instance.restart(), 'restarted'));
  rpc.on(ResetDaemonRequest.type, (params) => control(part, params, (instance) => instance.reset()));
}
