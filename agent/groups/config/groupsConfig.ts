/**
 * The `groups:` section (`{ root, params_root, interval, time_limit, history,
 * each: { NAME: { interval, time_limit, enabled } } }`) read into a typed value
 * with its diagnostics. Pure: the agent, the editor (through the agent) and
 * `taskwarden check` call it. The folders themselves are read by the part.
 */
import * as path from 'node:path';
import type { CheckContext, ConfigSection } from '../../config/checks';
import type { PathDiagnostic } from '../../config/diagnostic';

/** A group's own overrides (`groups.each.NAME`). */
export interface GroupOverrides {
  readonly intervalSeconds?: number;
  readonly timeLimitSeconds?: number;
  readonly enabled?: boolean;
}

export interface GroupsConfig {
  /** The config has a `groups:` section; without one no group runs. */
  readonly configured: boolean;
  /** Absolute folder whose sub-folders are the groups. */
  readonly root: string;
  /** Absolute folder holding `<group>/params.yaml|ini` (default: root). */
  readonly paramsRoot: string;
  readonly intervalSeconds: number;
  readonly timeLimitSeconds: number;
  /** Rounds kept per group. */
  readonly history: number;
  readonly each: ReadonlyMap<string, GroupOverrides>;
}

export const DEFAULT_ROOT = 'processhandler';
export const DEFAULT_INTERVAL_SECONDS = 10;
export const DEFAULT_TIME_LIMIT_SECONDS = 30;
export const DEFAULT_HISTORY = 100;

const KEYS = ['root', 'params_root', 'interval', 'time_limit', 'history', 'each'];
const EACH_KEYS = ['interval', 'time_limit', 'enabled'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value a workspace without a `groups:` section has. */
export function noGroups(workspace: string): GroupsConfig {
  const root = path.resolve(workspace, DEFAULT_ROOT);
  return {
    configured: false,
    root,
    paramsRoot: root,
    intervalSeconds: DEFAULT_INTERVAL_SECONDS,
    timeLimitSeconds: DEFAULT_TIME_LIMIT_SECONDS,
    history: DEFAULT_HISTORY,
    each: new Map(),
  };
}

function positiveSeconds(value: unknown, at: (string | number)[], name: string, diagnostics: PathDiagnostic[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    diagnostics.push({ path: at, severity: 'error', message: `${name} must be a number of seconds above 0` });
    return undefined;
  }
  return value;
}

function folder(value: unknown, at: (string | number)[], name: string, diagnostics: PathDiagnostic[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    diagnostics.push({ path: at, severity: 'error', message: `${name} must be a folder path (relative to the workspace)` });
    return undefined;
  }
  return value;
}

function unknownKeys(raw: Record<string, unknown>, known: readonly string[], at: (string | number)[], diagnostics: PathDiagnostic[]): void {
  for (const key of Object.keys(raw))
    if (!known.includes(key))
      diagnostics.push({
        path: [...at, key],
        atKey: true,
        severity: 'error',
        message: `unknown key '${key}' (expected ${known.join(', ')})`,
      });
}

function readEach(raw: unknown, diagnostics: PathDiagnostic[]): Map<string, GroupOverrides> {
  const each = new Map<string, GroupOverrides>();
  if (raw === undefined || raw === null) return each;
  if (!isRecord(raw)) {
    diagnostics.push({
      path: ['groups', 'each'],
      severity: 'error',
      message: 'each must be a mapping GROUP: { interval, time_limit, enabled }',
    });
    return each;
  }
  for (const [name, entry] of Object.entries(raw)) {
    const at = ['groups', 'each', name];
    if (entry === null || entry === undefined) {
      each.set(name, {});
      continue;
    }
    if (!isRecord(entry)) {
      diagnostics.push({ path: at, severity: 'error', message: `group '${name}' must be a mapping { interval, time_limit, enabled }` });
      continue;
    }
    unknownKeys(entry, EACH_KEYS, at, diagnostics);
    const overrides: { intervalSeconds?: number; timeLimitSeconds?: number; enabled?: boolean } = {};
    const interval = positiveSeconds(entry.interval, [...at, 'interval'], 'interval', diagnostics);
    if (interval !== undefined) overrides.intervalSeconds = interval;
    const timeLimit = positiveSeconds(entry.time_limit, [...at, 'time_limit'], 'time_limit', diagnostics);
    if (timeLimit !== undefined) overrides.timeLimitSeconds = timeLimit;
    if (entry.enabled !== undefined) {
      if (typeof entry.enabled !== 'boolean')
        diagnostics.push({ path: [...at, 'enabled'], severity: 'error', message: 'enabled must be true or false' });
      else overrides.enabled = entry.enabled;
    }
    each.set(name, overrides);
  }
  return each;
}

export function readGroupsConfig(
  data: Record<string, unknown>,
  context: CheckContext,
): { diagnostics: PathDiagnostic[]; value: GroupsConfig } {
  const diagnostics: PathDiagnostic[] = [];
  const fallback = noGroups(context.workspace);
  const section = data.groups;
  if (section === undefined) return { diagnostics, value: fallback };
  if (section === null) return { diagnostics, value: { ...fallback, configured: true } };
  if (!isRecord(section)) {
    diagnostics.push({
      path: ['groups'],
      severity: 'error',
      message: 'groups must be a mapping { root, params_root, interval, time_limit, history, each }',
    });
    return { diagnostics, value: fallback };
  }
  unknownKeys(section, KEYS, ['groups'], diagnostics);
  const root = path.resolve(context.workspace, folder(section.root, ['groups', 'root'], 'root', diagnostics) ?? DEFAULT_ROOT);
  const paramsRootText = folder(section.params_root, ['groups', 'params_root'], 'params_root', diagnostics);
  let history = DEFAULT_HISTORY;
  if (section.history !== undefined) {
    if (typeof section.history !== 'number' || !Number.isInteger(section.history) || section.history < 1)
      diagnostics.push({ path: ['groups', 'history'], severity: 'error', message: 'history must be a whole number of rounds, at least 1' });
    else history = section.history;
  }
  return {
    diagnostics,
    value: {
      configured: true,
      root,
      paramsRoot: paramsRootText === undefined ? root : path.resolve(context.workspace, paramsRootText),
      intervalSeconds: positiveSeconds(section.interval, ['groups', 'interval'], 'interval', diagnostics) ?? DEFAULT_INTERVAL_SECONDS,
      timeLimitSeconds:
        positiveSeconds(section.time_limit, ['groups', 'time_limit'], 'time_limit', diagnostics) ?? DEFAULT_TIME_LIMIT_SECONDS,
      history,
      each: readEach(section.each, diagnostics),
    },
  };
}

/** The part's typed section: the agent hands `value` to GroupsPart.applyConfig. */
export const groupsSection: ConfigSection<GroupsConfig> = {
  name: 'groups',
  keys: ['groups'],
  read: readGroupsConfig,
};
