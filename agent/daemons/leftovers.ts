/**
 * The daemons a crashed agent left, for `taskwarden down` with no agent: the
 * instances the store records (alive with the same pid and start time) and
 * group leaders carrying a daemon marker. Each is stopped with its configured
 * stop signal and timeout when the config loads, else SIGTERM and 5 s (a
 * `commands.stop` or a `stop` event needs the agent). Afterwards the rows are
 * cleared, as a normal `down` does, so the next agent starts from the config.
 */
import * as fs from 'node:fs';
import { systemCheckContext } from '../config/checkContext';
import { loadConfig, sectionOf } from '../config/loader';
import { isSameProcessAlive } from '../proc/processIdentity';
import type { LeftoverFinder, LeftoverProcess } from '../core/part';
import { daemonsSection } from './config/section';
import { DEFAULT_STOP_SIGNAL, DEFAULT_STOP_TIMEOUT_MS } from './config/spec';
import { instanceIdOf } from './instanceSupervisor';
import { DaemonStore } from './store';

type StopSettings = { readonly signal: NodeJS.Signals; readonly timeoutMs: number };

/** Each configured instance's stop signal and timeout; empty when the config cannot be read or has errors. */
function configuredStops(workspace: string, configFile: string, rolesFile: string | undefined): Map<string, StopSettings> {
  const stops = new Map<string, StopSettings>();
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    return stops;
  }
  const context = systemCheckContext(workspace, rolesFile);
  const loaded = loadConfig({ file: configFile, text, context, sections: [daemonsSection] });
  if (!loaded.ok) return stops;
  for (const spec of sectionOf(loaded.value.config, daemonsSection).value.specs)
    stops.set(instanceIdOf(spec), { signal: spec.stopSignal, timeoutMs: spec.stopTimeoutMs });
  return stops;
}

export const daemonLeftovers: LeftoverFinder = ({ workspace, configFile, rolesFile, db, leaders }) => {
  const stops = configuredStops(workspace, configFile, rolesFile);
  const found = new Map<number, LeftoverProcess>();
  const add = (name: string, pid: number, startTime: number): void => {
    const stop = stops.get(name) ?? { signal: DEFAULT_STOP_SIGNAL, timeoutMs: DEFAULT_STOP_TIMEOUT_MS };
    if (!found.has(pid)) found.set(pid, { identity: { pid, startTime }, kind: 'daemon', name, ...stop });
  };
  const store = db === null ? null : new DaemonStore(db);
  for (const row of store?.load() ?? []) {
    if (row.run === null) continue;
    if (isSameProcessAlive({ pid: row.run.pid, startTime: row.run.startTicks })) add(row.id, row.run.pid, row.run.startTicks);
  }
  // Only the group leader is the daemon; its children go with its group.
  for (const leader of leaders) add(leader.id, leader.identity.pid, leader.identity.startTime);
  return {
    processes: [...found.values()],
    forget: () => store?.clear(),
  };
};
