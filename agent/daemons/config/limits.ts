/**
 * `limits`: a daemon's resource limits (Taskwarden), like PM2's
 * `max_memory_restart` and systemd's `MemoryMax=`: over the limit the daemon
 * is restarted (resourceLimits.ts). `memory` is a size (`512MB`, `1.5G`, or a
 * number of bytes; units of 1024 as PM2 and systemd count them), `cpu` a
 * share of one core held for a while (`90% for 60s`; `90%` alone: at the
 * first sample over it).
 */
import type { PropertyPath } from '../../config/diagnostic';
import type { FieldReader } from './fieldReader';
import type { ResourceLimits } from './spec';
import { isRecord } from './types';

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes of a size as written (`512MB`, `512M`, `512MiB`, `1.5 GB`, `1048576`); null when it is not one. */
export function parseSize(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|(b))?\s*$/i.exec(value);
  if (!match) return null;
  const unit = (match[2] ?? match[3] ?? '').toLowerCase();
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[unit]!);
  return bytes > 0 ? bytes : null;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `90% for 60s` (also `90%`, `150% for 2m`): the share of one core and how long it must last; null when it is not one. */
export function parseCpuLimit(value: unknown): { readonly percent: number; readonly forMs: number } | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*(?:for\s+(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?)?\s*$/i.exec(value);
  if (!match) return null;
  const percent = Number(match[1]);
  if (!(percent > 0)) return null;
  const forMs = match[2] === undefined ? 0 : Number(match[2]) * DURATION_UNITS[(match[3] ?? 's').toLowerCase()]!;
  return { percent, forMs };
}

/** The task's `limits`, or null when it has none (a wrong value is reported and ignored). */
export function resolveLimits(reader: FieldReader, value: unknown, path: PropertyPath): ResourceLimits | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) {
    reader.report({ path, severity: 'error', message: "must be a mapping like {memory: 512MB, cpu: '90% for 60s'}" });
    return null;
  }
  let memoryBytes: number | null = null;
  if (value['memory'] !== undefined && value['memory'] !== null) {
    memoryBytes = parseSize(value['memory']);
    if (memoryBytes === null)
      reader.report({
        path: [...path, 'memory'],
        severity: 'error',
        message: `must be a size like 512MB, 1.5G or a number of bytes, not ${JSON.stringify(value['memory'])}`,
      });
  }
  let cpu: ResourceLimits['cpu'] = null;
  if (value['cpu'] !== undefined && value['cpu'] !== null) {
    cpu = parseCpuLimit(value['cpu']);
    if (cpu === null)
      reader.report({
        path: [...path, 'cpu'],
        severity: 'error',
        message: `must be a share of one core held for a while, like '90% for 60s' (or '90%'), not ${JSON.stringify(value['cpu'])}`,
      });
  }
  return memoryBytes === null && cpu === null ? null : { memoryBytes, cpu };
}
