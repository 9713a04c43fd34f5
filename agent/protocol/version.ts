/**
 * Versions exchanged in the handshake. The protocol version changes whenever a
 * message in this folder changes shape; the agent version is the package version.
 */

/** Bumped on every incompatible change of a message in agent/protocol/. */
export const PROTOCOL_VERSION = 5;

declare const __TASKWARDEN_VERSION__: string | undefined;

/** The package version, injected by esbuild; "dev" when run from sources. */
export const AGENT_VERSION: string = typeof __TASKWARDEN_VERSION__ === 'string' ? __TASKWARDEN_VERSION__ : 'dev';
