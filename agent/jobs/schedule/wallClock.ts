/**
 * Wall-clock times in a time zone, as "floating" dates: a Date whose UTC
 * fields are the local fields (rrule's convention for rules without a zone).
 * A rule is expanded on the wall clock, where days and hours never jump, and
 * each occurrence is turned into an instant here: a local time that a DST
 * change skips is moved forward by the gap, one that it repeats is the first.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

let local: { readonly tz: string | undefined; readonly zone: string } | null = null;

/** The agent's own time zone (TZ, else the system's); resolved once per TZ (resolving costs ~60 µs). */
export function localZone(): string {
  if (local === null || local.tz !== process.env.TZ) local = { tz: process.env.TZ, zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  return local.zone;
}

/** Whether `zone` is an IANA time zone this Node knows ("Europe/Paris", "UTC"). */
export function isKnownZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The floating wall-clock time (ms) of instant `at` in `zone`. */
export function toWallClock(at: number, zone: string): number {
  const wholeSeconds = Math.floor(at / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(wholeSeconds))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return local + (at - wholeSeconds);
}

/** The zone's offset from UTC (ms) at instant `at`. */
function offsetAt(at: number, zone: string): number {
  return toWallClock(at, zone) - at;
}

/** The instant (ms) at which `zone`'s wall clock shows `wall` (floating ms). */
export function fromWallClock(wall: number, zone: string): number {
  // Two offsets around the guess cover a DST change on either side of it.
  const early = offsetAt(wall - 86_400_000, zone);
  const late = offsetAt(wall + 86_400_000, zone);
  const candidates = [wall - early, wall - late].sort((a, b) => a - b);
  for (const candidate of candidates) if (toWallClock(candidate, zone) === wall) return candidate;
  // In a DST gap: the wall time does not exist; move it forward by the gap.
  return wall - Math.min(early, late);
}
