/**
 * The tasks part's messages between the agent and its clients, and how they read
 * for people; clients import it beside agent/protocol/ (the core's messages).
 */
export * from './messages';
