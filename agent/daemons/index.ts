/**
 * The Daemons part's entry point for the agent core (agent/server/parts.ts):
 * keeps the `tasks` of taskwarden.yaml running, taskforce style.
 */
import type { PartFactory } from '../server/part';
import { DaemonsPart } from './daemonsPart';

/** Builds the Daemons part. */
export const createDaemonsPart: PartFactory = (context) => new DaemonsPart(context);
