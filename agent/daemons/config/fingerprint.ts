/**
 * The fingerprint of a daemon instance: a hash of exactly what its running
 * process was made from. Two specs with the same fingerprint never need a
 * restart; a different one does (for `wait` tasks, see reconfigure.ts).
 *
 * taskforce (`task._command_change`) restarts when any task key other than
 * control, pidfile, onexit, requires and start_delay changes, or when the
 * context changes. Hashing the resolved process inputs is that rule made
 * precise: the context reaches the process as its environment, and keys that
 * taskforce compares as text but that do not shape the process (events, count,
 * roles, time_limit, and our restart/ready/logs/stop_* additions) are left out,
 * so editing them re-arms watchers or timers without killing anything. A
 * `pidfile` edit does restart, as in taskforce, because it reaches the child as
 * Task_pidfile.
 *
 * Task_ppid is left out: it is the agent's pid, which changes on every agent
 * start, and adopting a process after an agent restart must not count as a change.
 */
import { createHash } from 'node:crypto';

/** The parts of a spec that shape the running process. */
export interface FingerprintInput {
  readonly argv: readonly string[];
  readonly argv0: string | null;
  readonly cwd: string | null;
  readonly user: string | null;
  readonly group: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly envFile: { readonly path: string; readonly loaded: boolean } | null;
}

/** Context names excluded from the fingerprint (see the file comment). */
export const UNFINGERPRINTED_ENV: readonly string[] = ['Task_ppid'];

/** JSON with object keys sorted, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `sha256:<hex>` of the process inputs. */
export function fingerprintOf(input: FingerprintInput): string {
  const env = Object.fromEntries(Object.entries(input.env).filter(([name]) => !UNFINGERPRINTED_ENV.includes(name)));
  // Pick the fields one by one: a caller may pass a whole DaemonSpec.
  const { argv, argv0, cwd, user, group } = input;
  const text = canonicalJson({ argv, argv0, cwd, user, group, env, envFile: input.envFile?.path ?? null });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
