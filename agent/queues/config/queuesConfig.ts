/**
 * The `queues:` section (`NAME: { workdir, env, concurrency }`) and
 * `settings.queues_auto`, read into typed values with their diagnostics. Pure:
 * the agent, the editor (through the agent) and `taskwarden check` call it.
 */
import * as path from 'node:path';
import type { CheckContext, ConfigSection } from '../../config/checks';
import type { PathDiagnostic } from '../../config/diagnostic';

export interface QueueConfig {
  readonly name: string;
  /** Absolute. */
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly concurrency: number;
  /** Finished items kept in this queue's history (the oldest and their output files go first). */
  readonly historyLimit: number;
}

/** `history_limit` when the queue sets none. */
export const DEFAULT_HISTORY_LIMIT = 1000;

export interface QueuesConfig {
  readonly queues: ReadonlyMap<string, QueueConfig>;
  /** `settings.queues_auto`: a queue named but not configured is created with defaults. */
  readonly auto: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const KEYS = new Set(['workdir', 'env', 'concurrency', 'history_limit']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A queue with the defaults (workdir: the workspace, no env, concurrency 1, history_limit 1000). */
export function defaultQueue(name: string, workspace: string): QueueConfig {
  return { name, workdir: workspace, env: {}, concurrency: 1, historyLimit: DEFAULT_HISTORY_LIMIT };
}

/** The file that stands where the workdir or one of its parents should be a folder; null when none (a missing folder is created). */
function fileInTheWay(workdir: string, context: CheckContext): string | null {
  if (!context.pathKind) return null;
  for (let at = workdir; ; at = path.dirname(at)) {
    const kind = context.pathKind(at);
    if (kind !== null) return kind === 'file' ? at : null;
    if (path.dirname(at) === at) return null;
  }
}

function readQueue(name: string, raw: unknown, context: CheckContext, diagnostics: PathDiagnostic[]): QueueConfig | null {
  const at = ['queues', name];
  if (!NAME.test(name)) {
    diagnostics.push({ path: at, atKey: true, severity: 'error', message: `queue name '${name}': letters, digits, '_', '.', '-' only` });
    return null;
  }
  if (raw === null || raw === undefined) return defaultQueue(name, context.workspace);
  if (!isRecord(raw)) {
    diagnostics.push({
      path: at,
      severity: 'error',
      message: `queue '${name}' must be a mapping { workdir, env, concurrency, history_limit }`,
    });
    return null;
  }
  let ok = true;
  for (const key of Object.keys(raw)) {
    if (!KEYS.has(key)) {
      diagnostics.push({
        path: [...at, key],
        atKey: true,
        severity: 'error',
        message: `unknown key '${key}' (expected workdir, env, concurrency, history_limit)`,
      });
      ok = false;
    }
  }
  let workdir = context.workspace;
  if (raw.workdir !== undefined) {
    if (typeof raw.workdir !== 'string' || raw.workdir === '') {
      diagnostics.push({ path: [...at, 'workdir'], severity: 'error', message: 'workdir must be a non-empty path' });
      ok = false;
    } else {
      workdir = path.resolve(context.workspace, raw.workdir);
      const file = fileInTheWay(workdir, context);
      if (file !== null) {
        const message =
          file === workdir
            ? `workdir ${raw.workdir} is a file, not a folder`
            : `workdir ${raw.workdir}: ${path.relative(context.workspace, file) || file} is a file, not a folder`;
        diagnostics.push({ path: [...at, 'workdir'], severity: 'error', message });
        ok = false;
      }
    }
  }
  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    if (!isRecord(raw.env)) {
      diagnostics.push({ path: [...at, 'env'], severity: 'error', message: 'env must be a mapping NAME: value' });
      ok = false;
    } else {
      for (const [key, value] of Object.entries(raw.env)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') env[key] = String(value);
        else {
          diagnostics.push({ path: [...at, 'env', key], severity: 'error', message: `env ${key} must be a string, a number or a boolean` });
          ok = false;
        }
      }
    }
  }
  let concurrency = 1;
  if (raw.concurrency !== undefined) {
    if (typeof raw.concurrency !== 'number' || !Number.isInteger(raw.concurrency) || raw.concurrency < 1) {
      diagnostics.push({ path: [...at, 'concurrency'], severity: 'error', message: 'concurrency must be an integer of at least 1' });
      ok = false;
    } else concurrency = raw.concurrency;
  }
  let historyLimit = DEFAULT_HISTORY_LIMIT;
  if (raw.history_limit !== undefined) {
    if (typeof raw.history_limit !== 'number' || !Number.isInteger(raw.history_limit) || raw.history_limit < 1) {
      diagnostics.push({ path: [...at, 'history_limit'], severity: 'error', message: 'history_limit must be an integer of at least 1' });
      ok = false;
    } else historyLimit = raw.history_limit;
  }
  return ok ? { name, workdir, env, concurrency, historyLimit } : null;
}

export function readQueuesConfig(
  data: Record<string, unknown>,
  context: CheckContext,
): { diagnostics: PathDiagnostic[]; value: QueuesConfig } {
  const diagnostics: PathDiagnostic[] = [];
  const queues = new Map<string, QueueConfig>();
  const section = data.queues;
  if (section !== undefined && section !== null) {
    if (!isRecord(section))
      diagnostics.push({
        path: ['queues'],
        severity: 'error',
        message: 'queues must be a mapping NAME: { workdir, env, concurrency, history_limit }',
      });
    else
      for (const [name, raw] of Object.entries(section)) {
        const queue = readQueue(name, raw, context, diagnostics);
        if (queue) queues.set(name, queue);
      }
  }
  const settings = data.settings;
  let auto = false;
  if (isRecord(settings) && settings.queues_auto !== undefined) {
    if (typeof settings.queues_auto !== 'boolean')
      diagnostics.push({ path: ['settings', 'queues_auto'], severity: 'error', message: 'queues_auto must be true or false' });
    else auto = settings.queues_auto;
  }
  return { diagnostics, value: { queues, auto } };
}

/** The part's typed section: the agent hands `value` to QueuesPart.applyConfig. */
export const queuesSection: ConfigSection<QueuesConfig> = {
  name: 'queues',
  keys: ['queues'],
  read: readQueuesConfig,
};
