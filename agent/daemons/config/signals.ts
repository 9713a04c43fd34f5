/**
 * Signal names as a config may write them. taskforce's `utils.signum` accepts
 * a number (1 or "1"), `SIGHUP`, `sighup`, `HUP` and `hup`; so do we, plus any
 * letter case. Names are checked against this platform's signal table (a
 * constant of Node, no I/O), so `SIGUSR1` is 10 on Linux and 30 on macOS.
 */
import { constants } from 'node:os';
import { failed, ok, type Failure, type Result } from '../../result';

/** The outcome of reading a signal: Node's name, or why it is not one. */
export type SignalResult = Result<NodeJS.Signals, Failure<'unknown-signal'>>;

const SIGNALS = constants.signals as Readonly<Record<string, number>>;

function byNumber(number: number): NodeJS.Signals | undefined {
  // Several names can share a number (SIGIOT/SIGABRT, SIGPOLL/SIGIO): prefer the first, POSIX, one.
  for (const [name, value] of Object.entries(SIGNALS)) {
    if (value === number) return name as NodeJS.Signals;
  }
  return undefined;
}

/** Normalize a signal written in the config to Node's name, e.g. `HUP` → `SIGHUP`, `15` → `SIGTERM`. */
export function parseSignal(value: unknown): SignalResult {
  const fail = (): SignalResult =>
    failed({ reason: 'unknown-signal', message: `'${String(value)}' is not a signal on this system (write e.g. HUP, SIGTERM or 15)` });
  if (typeof value === 'number') {
    const name = Number.isInteger(value) ? byNumber(value) : undefined;
    return name ? ok(name) : fail();
  }
  if (typeof value !== 'string') return fail();
  const text = value.trim();
  if (/^\d+$/.test(text)) return parseSignal(Number(text));
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(SIGNALS, name) ? ok(name as NodeJS.Signals) : fail();
}
