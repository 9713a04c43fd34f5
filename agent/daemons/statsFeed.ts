/**
 * What the daemons record in the stats: each instance's state at every change,
 * its restarts (the start count at each start after the first) and its crash
 * loops (1 on entry, 0 on leaving), read from the instance rows the part
 * publishes anyway.
 */
import type { StatsSink } from '../core/stats/statsRecorder';
import { DAEMON_STATES, type DaemonInstanceInfo } from './protocol';

interface Seen {
  state: string;
  restarts: number;
  crashLoop: boolean;
}

export class DaemonStatsFeed {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly stats: StatsSink) {}

  instances(instances: readonly DaemonInstanceInfo[]): void {
    for (const instance of instances) {
      const subject = instance.id;
      const before = this.seen.get(subject);
      if (before?.state !== instance.state)
        this.stats.record({ metric: 'daemonState', subject }, DAEMON_STATES.indexOf(instance.state), { levels: DAEMON_STATES });
      if (before !== undefined && instance.restarts > before.restarts) this.stats.record({ metric: 'restart', subject }, instance.restarts);
      if ((before?.crashLoop ?? false) !== instance.crashLoop)
        this.stats.record({ metric: 'crashLoop', subject }, instance.crashLoop ? 1 : 0);
      this.seen.set(subject, { state: instance.state, restarts: instance.restarts, crashLoop: instance.crashLoop });
    }
  }

  /** The instances the config still has; the others' series end. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const subject of this.seen.keys()) {
      if (ids.has(subject)) continue;
      this.seen.delete(subject);
      for (const metric of ['daemonState', 'restart', 'crashLoop', 'cpu', 'memory'] as const) this.stats.end({ metric, subject });
    }
  }
}
