/**
 * Typed error codes crossing the RPC boundary. They sit outside JSON-RPC's
 * reserved range (-32768 to -32000) so clients can tell them from transport errors.
 */

export const ErrorCodes = {
  /** The client speaks another protocol version than the agent. */
  ProtocolMismatch: 1001,
  /** A named thing (task, daemon, job, queue item…) does not exist. */
  NotFound: 1002,
  /** The request's parameters are wrong (a message says which). */
  InvalidParams: 1003,
  /** The request conflicts with the current state (already running, unique name taken…). */
  Conflict: 1004,
  /** The config has errors; the request could not be applied. */
  ConfigInvalid: 1005,
  /** A process could not be started (command not found, not executable…). */
  SpawnFailed: 1006,
  /** The agent is shutting down and takes no more work. */
  ShuttingDown: 1007,
  /** The client skipped the handshake. */
  HandshakeRequired: 1008,
  /** An unexpected failure inside the agent; its log has details. */
  Internal: 1099,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const NAMES = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

/** The symbolic name of a code, e.g. 1002 → "NotFound". */
export function errorCodeName(code: number): string {
  return NAMES.get(code) ?? `Error${code}`;
}
