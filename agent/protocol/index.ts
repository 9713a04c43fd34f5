/**
 * The core of the JSON-RPC contract between the agent and its clients (CLI, VS
 * Code, tests): the agent's own messages and the wording all parts share. Each
 * part's messages are in its agent/<part>/protocol/; the extension imports only
 * these and those.
 */
export * from './version';
export * from './errors';
export * from './agent';
export * from './config';
export * from './diagnostics';
export * from './socketPath';
export * from './output';
export * from './outputMarkers';
export * from './durations';
export * from './counts';
export * from './preEncoded';
export * from './stats';
export * from './statsPresentation';
export * from './resources';
export * from './resourcePresentation';
