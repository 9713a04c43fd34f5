/**
 * The agent's request registry. Parts register handlers once; every client
 * connection gets all of them. Handlers return a value or an `RpcFailure`
 * (errors are values inside the agent); the boundary turns a failure into a
 * JSON-RPC error with a typed code.
 */
import { ResponseError, type NotificationType, type RequestType, type RequestType0 } from 'vscode-jsonrpc';
import { ErrorCodes, type ErrorCode } from '../protocol/errors';
import { PreEncodedJson } from '../protocol/preEncoded';

/** An expected failure of a request, carried as a value until the RPC boundary. */
export class RpcFailure {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly data?: unknown,
  ) {}
}

export function failure(code: ErrorCode, message: string, data?: unknown): RpcFailure {
  return new RpcFailure(code, message, data);
}

/** Who sent a request: lets handlers stream notifications back to that client only. */
export interface ClientHandle {
  readonly id: number;
  readonly name: string;
  sendNotification<P>(type: NotificationType<P>, params: P): void;
  /** Called once when the client disconnects. */
  onClose(listener: () => void): void;
}

/**
 * A handler's answer: the result, or its JSON text already encoded (sent as it is, see
 * protocol/preEncoded.ts), or an expected failure.
 */
export type Answer<R> = R | PreEncodedJson | RpcFailure;

export type Handler<P, R> = (params: P, client: ClientHandle) => Answer<R> | Promise<Answer<R>>;

interface Registration {
  readonly method: string;
  readonly handler: Handler<unknown, unknown>;
}

/** A handler of a notification: nothing is answered, so a report costs its sender no reply to read. */
export type NotificationHandler<P> = (params: P, client: ClientHandle) => void;

interface NotificationRegistration {
  readonly method: string;
  readonly handler: NotificationHandler<unknown>;
}

export class RpcRegistry {
  private readonly registrations = new Map<string, Registration>();
  private readonly notificationRegistrations = new Map<string, NotificationRegistration>();

  on<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, handler: Handler<P, R>): void {
    if (this.registrations.has(type.method)) throw new Error(`duplicate handler for ${type.method}`);
    this.registrations.set(type.method, { method: type.method, handler: handler as Handler<unknown, unknown> });
  }

  /** A notification a client sends (a group runner's round reports): handled, never answered. */
  onNotification<P>(type: NotificationType<P>, handler: NotificationHandler<P>): void {
    if (this.notificationRegistrations.has(type.method)) throw new Error(`duplicate handler for ${type.method}`);
    this.notificationRegistrations.set(type.method, { method: type.method, handler: handler as NotificationHandler<unknown> });
  }

  methods(): Iterable<Registration> {
    return this.registrations.values();
  }

  notifications(): Iterable<NotificationRegistration> {
    return this.notificationRegistrations.values();
  }

  /**
   * Answers a request from inside the agent, as a client would get it: one
   * part asking another through its protocol (a job pushing into a queue)
   * without importing it. Notifications meant for the caller go nowhere.
   */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R | RpcFailure> {
    const registration = this.registrations.get(type.method);
    if (!registration) return failure(ErrorCodes.NotFound, `no request ${type.method} in this agent`);
    const answer = await registration.handler(params, INSIDE_AGENT);
    return (answer instanceof PreEncodedJson ? answer.parse() : answer) as R | RpcFailure;
  }
}

/** The caller of a request made from inside the agent (RpcRegistry.request). */
const INSIDE_AGENT: ClientHandle = {
  id: 0,
  name: 'agent',
  sendNotification: () => undefined,
  onClose: () => undefined,
};

/** Runs a handler and converts failures and unexpected exceptions to ResponseErrors. */
export async function invoke(
  handler: Handler<unknown, unknown>,
  params: unknown,
  client: ClientHandle,
  onCrash: (error: unknown) => void,
): Promise<unknown> {
  let result: unknown;
  try {
    result = await handler(params, client);
  } catch (error: unknown) {
    onCrash(error);
    return new ResponseError(ErrorCodes.Internal, `internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (result instanceof RpcFailure) return new ResponseError(result.code, result.message, result.data);
  return result ?? null;
}
