/**
 * The `watcher` section of taskwarden.yaml, read with its defaults: the Tasks
 * part's config section (`tasksModule.config`). The schema
 * (schemas/taskwarden.schema.json) checks the types; this only converts
 * seconds to milliseconds and fills in what is missing or wrong.
 */
import type { ConfigSection } from '../../config/checks';
import { DEFAULT_ROTATION_POLICY, type RotationPolicy } from '../../proc/logRotation';

/** How the tasks part behaves; times in milliseconds. */
export interface WatcherSettings {
  /** How long a reserved id stays valid before launch. */
  readonly reservationTtlMs: number;
  /** The timeout of tasks launched without one; null for none. */
  readonly defaultTimeoutMs: number | null;
  /** Keep at most this many history rows (oldest dropped); null for all. */
  readonly historyLimit: number | null;
  /** Rotation of each task's `.out`/`.err` (`logs: {max_bytes, keep}`, the daemons' defaults). */
  readonly logs: RotationPolicy;
}

export const DEFAULT_WATCHER_SETTINGS: WatcherSettings = {
  reservationTtlMs: 5000,
  defaultTimeoutMs: null,
  historyLimit: null,
  logs: DEFAULT_ROTATION_POLICY,
};

function rotationPolicy(value: unknown): RotationPolicy {
  if (typeof value !== 'object' || value === null) return DEFAULT_ROTATION_POLICY;
  const logs = value as Record<string, unknown>;
  const maxBytes = positive(logs['max_bytes']);
  const keep = logs['keep'];
  return {
    maxBytes: maxBytes === null ? DEFAULT_ROTATION_POLICY.maxBytes : Math.floor(maxBytes),
    keep: typeof keep === 'number' && Number.isInteger(keep) && keep >= 0 ? keep : DEFAULT_ROTATION_POLICY.keep,
  };
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** Reads `watcher` from a loaded config's data (anything missing or odd takes the default). */
export function watcherSettings(data: Readonly<Record<string, unknown>>): WatcherSettings {
  const section = data['watcher'];
  if (typeof section !== 'object' || section === null) return DEFAULT_WATCHER_SETTINGS;
  const watcher = section as Record<string, unknown>;
  const ttl = positive(watcher['reservation_ttl']);
  const timeout = positive(watcher['default_timeout']);
  const limit = positive(watcher['history_limit']);
  return {
    reservationTtlMs: ttl === null ? DEFAULT_WATCHER_SETTINGS.reservationTtlMs : Math.round(ttl * 1000),
    defaultTimeoutMs: timeout === null ? null : Math.round(timeout * 1000),
    historyLimit: limit === null ? null : Math.floor(limit),
    logs: rotationPolicy(watcher['logs']),
  };
}

/** The Tasks part module's `config` (agent/tasks/index.ts): the schema says all there is to say of `watcher`. */
export const tasksSection: ConfigSection<WatcherSettings> = {
  name: 'tasks',
  keys: ['watcher'],
  read: (data) => ({ diagnostics: [], value: watcherSettings(data) }),
};
