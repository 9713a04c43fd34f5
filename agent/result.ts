/**
 * Expected failures inside the agent are values, not exceptions (wireit's
 * `Result`): a function that can fail in a way a caller must handle returns a
 * `Result`, whose failure names its `reason` with a literal so that callers can
 * `switch` over it exhaustively. The RPC boundary turns failures into typed
 * error codes (agent/core/rpc.ts).
 */

/** A failure a user can act on: why (a literal) and what to tell them. */
export interface Failure<Reason extends string = string> {
  readonly reason: Reason;
  readonly message: string;
}

export type Result<T, F extends Failure = Failure> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: F };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function failed<F extends Failure>(error: F): { readonly ok: false; readonly error: F } {
  return { ok: false, error };
}
