/**
 * Entry of the agent bundle (dist/agent.js): what `taskwarden agent` runs, and
 * what `taskwarden down` runs when no agent answers. The
 * CLI bundle loads it only for that command (esbuild.mjs maps this module to the
 * sibling file), so client commands never load the server, the config loader,
 * SQLite or the language server.
 */
export { startAgent, type AgentOptions, type StartAgentResult } from './agent';
export { stopLeftovers, type LeftoverName, type LeftoverResult, type StoppedLeftover } from './leftovers';
