/**
 * The value of `--since`: a duration back from now ("10m", "1h", "30s",
 * "1h30m", read by the one duration reader of agent/protocol/durations.ts) or
 * an ISO time ("2026-12-05T14:03", "2026-12-05 14:03:12", local unless it says
 * its zone). Anything else is a usage error naming the value.
 */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../protocol/durations';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The time (ms since epoch) `value` names, with `now` for a duration; null when it names none. */
export function parseSince(value: string, now: number): number | null {
  const text = value.trim();
  const ago = parseDuration(text);
  if (ago !== null) return now - ago;
  if (!ISO_TIME.test(text)) return null;
  // A date alone is midnight local time (Date.parse would take it as UTC).
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00` : text.replace(' ', 'T'));
  return Number.isNaN(at) ? null : at;
}

/** Commander's parser for `--since`. */
export function sinceOption(value: string): number {
  const at = parseSince(value, Date.now());
  if (at === null)
    throw new InvalidArgumentError(`'${value}' is neither a duration back from now (10m, 1h, 30s) nor an ISO time (2026-12-05T14:03)`);
  return at;
}
