/**
 * Config messages: checking text, reloading, and the diagnostics of the file on disk.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { Diagnostic } from './diagnostics';

export interface CheckConfigParams {
  /** Text to check instead of the file on disk (e.g. an unsaved editor buffer). */
  readonly text?: string;
}

export interface CheckConfigResult {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Any client → agent: run the config loader on the file (or on given text). */
export namespace CheckConfigRequest {
  export const method = 'taskwarden/config/check' as const;
  export const type = new RequestType<CheckConfigParams, CheckConfigResult, void>(method);
}

export interface ReloadConfigParams {
  /** Switch to this config file (absolute); omitted: the one in use. */
  readonly configFile?: string;
  /** Switch to this roles file (absolute), overriding `settings.roles_file`; omitted: the one in use. */
  readonly rolesFile?: string;
}

export interface ReloadResult {
  readonly applied: boolean;
  /** Problems of the file asked for; with errors nothing changed (not even which file the agent follows). */
  readonly diagnostics: readonly Diagnostic[];
  /** The agent now follows another config or roles file than before the request. */
  readonly switched: boolean;
  /** The files in use after the request (see HandshakeResult). */
  readonly configFile: string;
  readonly rolesFile: string | null;
}

/**
 * Any client → agent: re-read the config now, or switch to another config or
 * roles file (the agent then watches that one). A config with errors is not
 * applied, and a switch to it does not happen.
 */
export namespace ReloadConfigRequest {
  export const method = 'taskwarden/config/reload' as const;
  export const type = new RequestType<ReloadConfigParams, ReloadResult, void>(method);
}

export interface ConfigStateParams {
  readonly file: string;
  /** Problems of the file on disk; with errors, the last good config keeps running. */
  readonly diagnostics: readonly Diagnostic[];
  /** When the running config was loaded (ms since epoch), 0 if none ever loaded. */
  readonly appliedAt: number;
}

/** Agent → subscribed clients: the config file was (re)loaded, with its problems. */
export namespace ConfigStateNotification {
  export const method = 'taskwarden/config/state' as const;
  export const type = new NotificationType<ConfigStateParams>(method);
}
