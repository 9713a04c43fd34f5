/**
 * A daemon output channel's state notes (`── web:0 running, pid 1234 ──`),
 * the state worded as in the Daemons view (agent/daemons/protocol/presentation.ts);
 * the lines themselves are worded for every part by extension/shared/outputFormat.ts.
 * Pure; unit-tested.
 */
import { describeExit, instanceLook, type DaemonInstanceInfo } from '../../agent/daemons/protocol';
import { formatNote } from '../shared/outputFormat';

/** What a user needs to know about an instance's new state, as a note. */
export function formatStateLine(instance: DaemonInstanceInfo): string {
  const parts = [`${instance.id} ${instanceLook(instance).label}`];
  if (instance.pid !== null) parts.push(`pid ${instance.pid}`);
  if (instance.lastExit && instance.pid === null) parts.push(`last exit: ${describeExit(instance.lastExit)}`);
  if (instance.message) parts.push(instance.message);
  return formatNote(parts.join(', '));
}

/** The part of an instance that a state line reports; a new key means a new state line. */
export function stateKey(instance: DaemonInstanceInfo): string {
  return `${instance.state}/${instance.pid ?? '-'}`;
}
