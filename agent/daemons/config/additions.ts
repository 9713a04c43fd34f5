/**
 * Taskwarden's additions to a task, resolved and checked: `restart`,
 * `stop_signal`, `stop_timeout`, `ready` and `logs`. (`env` and `env_file` are
 * in environment.ts.) The YAML says seconds; specs say milliseconds. These keys
 * are plain values: no conditional maps; `{name}` is substituted in `ready.exec`,
 * `ready.http` and `ready.host` but not in `ready.log`, a regular expression
 * whose `{3}` quantifiers must stay as written.
 */
import type { PropertyPath } from '../../config/diagnostic';
import type { FieldReader } from './fieldReader';
import { parseSignal } from './signals';
import {
  DEFAULT_LOG_POLICY,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_RESTART_POLICY,
  DEFAULT_STOP_SIGNAL,
  DEFAULT_STOP_TIMEOUT_MS,
  type LogPolicy,
  type ReadyCheck,
  type RestartPolicy,
} from './spec';
import { isRecord } from './types';

/** A plain number field: the default when absent; reported and defaulted when wrong. */
function plainNumber(
  reader: FieldReader,
  value: unknown,
  path: PropertyPath,
  fallback: number,
  rule: { min: number; integer?: boolean; exclusive?: boolean; what: string },
): number {
  if (value === undefined || value === null) return fallback;
  const fits =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.exclusive ? value > rule.min : value >= rule.min) &&
    (!rule.integer || Number.isInteger(value));
  if (fits) return value;
  reader.report({ path, severity: 'error', message: `must be ${rule.what}` });
  return fallback;
}

function section(reader: FieldReader, value: unknown, path: PropertyPath, example: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value)) return value;
  reader.report({ path, severity: 'error', message: `must be a mapping like ${example}` });
  return undefined;
}

/** `restart`: backoff and crash-loop limit; each missing key takes its default. */
export function resolveRestart(reader: FieldReader, value: unknown, path: PropertyPath): RestartPolicy {
  const raw = section(reader, value, path, '{initial_delay: 0.1, factor: 2, max_delay: 30}');
  if (!raw) return DEFAULT_RESTART_POLICY;
  const seconds = (key: string, fallbackMs: number, exclusive = false): number =>
    plainNumber(reader, raw[key], [...path, key], fallbackMs / 1000, {
      min: 0,
      exclusive,
      what: exclusive ? 'a number of seconds above 0' : 'a number of seconds, 0 or more',
    }) * 1000;
  const initialDelayMs = seconds('initial_delay', DEFAULT_RESTART_POLICY.initialDelayMs);
  const factor = plainNumber(reader, raw['factor'], [...path, 'factor'], DEFAULT_RESTART_POLICY.factor, {
    min: 1,
    what: 'a number, 1 or more (1 = no growth)',
  });
  const maxDelayMs = seconds('max_delay', Math.max(DEFAULT_RESTART_POLICY.maxDelayMs, initialDelayMs));
  if (maxDelayMs < initialDelayMs)
    reader.report({ path: [...path, 'max_delay'], severity: 'error', message: 'must not be below initial_delay' });
  const resetAfterMs = seconds('reset_after', DEFAULT_RESTART_POLICY.resetAfterMs, true);
  let crashLoop = DEFAULT_RESTART_POLICY.crashLoop;
  const rawLoop = raw['crash_loop'];
  if (rawLoop === false) crashLoop = null;
  else if (rawLoop !== undefined && rawLoop !== null) {
    const loop = section(reader, rawLoop, [...path, 'crash_loop'], '{count: 5, window: 60} (or false)');
    const defaults = DEFAULT_RESTART_POLICY.crashLoop!;
    if (loop) {
      crashLoop = {
        count: plainNumber(reader, loop['count'], [...path, 'crash_loop', 'count'], defaults.count, {
          min: 1,
          integer: true,
          what: 'a whole number, 1 or more',
        }),
        windowMs:
          plainNumber(reader, loop['window'], [...path, 'crash_loop', 'window'], defaults.windowMs / 1000, {
            min: 0,
            exclusive: true,
            what: 'a number of seconds above 0',
          }) * 1000,
      };
    }
  }
  return { initialDelayMs, factor, maxDelayMs: Math.max(maxDelayMs, initialDelayMs), resetAfterMs, crashLoop };
}

/** `stop_signal` (default SIGTERM) and `stop_timeout` (default 5 s, taskforce's SIGKILL escalation). */
export function resolveStop(
  reader: FieldReader,
  task: Readonly<Record<string, unknown>>,
  taskPath: PropertyPath,
): { stopSignal: NodeJS.Signals; stopTimeoutMs: number } {
  let stopSignal = DEFAULT_STOP_SIGNAL;
  if (task['stop_signal'] !== undefined && task['stop_signal'] !== null) {
    const parsed = parseSignal(task['stop_signal']);
    if (parsed.ok) stopSignal = parsed.value;
    else reader.report({ path: [...taskPath, 'stop_signal'], severity: 'error', message: parsed.error.message });
  }
  const stopTimeoutMs =
    plainNumber(reader, task['stop_timeout'], [...taskPath, 'stop_timeout'], DEFAULT_STOP_TIMEOUT_MS / 1000, {
      min: 0,
      what: 'a number of seconds, 0 or more',
    }) * 1000;
  return { stopSignal, stopTimeoutMs };
}

const PROBES = ['log', 'exec', 'port', 'http'] as const;

/** `ready`: exactly one probe among log, exec, port, http, plus an optional timeout. */
export function resolveReady(reader: FieldReader, value: unknown, path: PropertyPath): ReadyCheck | null {
  const raw = section(reader, value, path, '{log: "listening on", timeout: 30}');
  if (!raw) return null;
  // A probe written without a value is given (and reported as wrong below), not missing.
  const given = PROBES.filter((probe) => raw[probe] !== undefined);
  if (given.length !== 1) {
    reader.report({
      path,
      severity: 'error',
      message: given.length === 0 ? `needs one probe: ${PROBES.join(', ')}` : `has ${given.join(' and ')}; give exactly one probe`,
    });
    return null;
  }
  const timeoutMs =
    plainNumber(reader, raw['timeout'], [...path, 'timeout'], DEFAULT_READY_TIMEOUT_MS / 1000, {
      min: 0,
      exclusive: true,
      what: 'a number of seconds above 0',
    }) * 1000;
  if (raw['host'] !== undefined && given[0] !== 'port')
    reader.report({ path: [...path, 'host'], atKey: true, severity: 'warning', message: "ignored: 'host' only applies to the port probe" });
  const invalid = (at: PropertyPath, message: string): null => {
    reader.report({ path: at, severity: 'error', message });
    return null;
  };
  const probe = given[0]!;
  switch (probe) {
    case 'log': {
      const pattern = raw['log'];
      if (typeof pattern !== 'string') return invalid([...path, 'log'], 'must be a regular expression (text)');
      try {
        new RegExp(pattern);
      } catch (error: unknown) {
        return invalid([...path, 'log'], `is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { kind: 'log', pattern, timeoutMs };
    }
    case 'exec': {
      const argv = reader.list(raw['exec'], [...path, 'exec']).map((item) => item.text);
      if (argv.length === 0) return invalid([...path, 'exec'], 'needs a command, e.g. [pg_isready, -q]');
      return { kind: 'exec', argv, timeoutMs };
    }
    case 'port': {
      if (raw['port'] === null) return invalid([...path, 'port'], 'must be a port number (1-65535)');
      const port = reader.number(raw['port'], [...path, 'port'], { integer: true, min: 1, what: 'a port number (1-65535)' });
      if (port === undefined) return null;
      if (port > 65535) return invalid([...path, 'port'], 'must be a port number (1-65535)');
      const host = raw['host'] === undefined ? '127.0.0.1' : (reader.text(raw['host'], [...path, 'host']) ?? '127.0.0.1');
      return { kind: 'port', port, host, timeoutMs };
    }
    case 'http': {
      const url = reader.text(raw['http'], [...path, 'http']);
      if (!url || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        return invalid([...path, 'http'], `must be an http:// or https:// URL${url ? `, not '${url}'` : ''}`);
      }
      return { kind: 'http', url, timeoutMs };
    }
    default: {
      const unreachable: never = probe;
      return unreachable;
    }
  }
}

/** `logs`: rotation of the captured output files. */
export function resolveLogs(reader: FieldReader, value: unknown, path: PropertyPath): LogPolicy {
  const raw = section(reader, value, path, '{max_bytes: 10485760, keep: 3}');
  if (!raw) return DEFAULT_LOG_POLICY;
  return {
    maxBytes: plainNumber(reader, raw['max_bytes'], [...path, 'max_bytes'], DEFAULT_LOG_POLICY.maxBytes, {
      min: 1024,
      integer: true,
      what: 'a whole number of bytes, 1024 or more',
    }),
    keep: plainNumber(reader, raw['keep'], [...path, 'keep'], DEFAULT_LOG_POLICY.keep, {
      min: 0,
      integer: true,
      what: 'a whole number, 0 or more',
    }),
  };
}
