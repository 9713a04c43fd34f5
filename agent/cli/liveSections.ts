/**
 * Sections of `taskwarden watch` contributed by the parts (e.g. the daemons
 * table): each returns the lines to show.
 */
import type { AgentConnection } from './agentClient';

export type LiveSection = (agent: AgentConnection) => Promise<string[]>;

export const LIVE_SECTIONS: LiveSection[] = [];
