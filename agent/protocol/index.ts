/**
 * The JSON-RPC contract between the agent and its clients (CLI, VS Code, tests).
 * The only part of agent/ that extension/ may import.
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
export * from './groups';
export * from './groupsPresentation';
export * from './preEncoded';
export * from './stats';
export * from './statsPresentation';
export * from './resources';
export * from './resourcePresentation';
