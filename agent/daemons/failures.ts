/**
 * Unexpected failures inside the daemons runtime (a bug, a store that went
 * away) must never take the agent down with an unhandled rejection: the
 * promises the runtime starts without awaiting end in `.catch(reportTo(…))`,
 * which logs the error with its stack.
 */
import type { Logger } from '../log';

/** A rejection handler that logs `what` failed, with the error's stack. */
export function reportTo(log: Logger, what: string): (error: unknown) => void {
  return (error: unknown) => log.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
