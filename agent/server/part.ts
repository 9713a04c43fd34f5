/**
 * The contract between the agent core and each of its five parts (daemons,
 * tasks, groups, jobs, queues). A part owns its folder, its protocol messages,
 * its store migration and its CLI commands; the core only calls these hooks.
 */
import type { LoadedConfig } from '../config/loader';
import type { Logger } from '../log';
import type { ProcessIdentity } from '../proc/processIdentity';
import type { MarkedProcess } from '../proc/workspaceMarker';
import type { PartName } from '../protocol/agent';
import type { Db } from '../store/database';
import type { StatePaths } from '../store/stateDirectory';
import type { LanguageContributions } from './languageFeatures';
import type { RpcRegistry } from './rpc';

export interface AgentContext {
  readonly workspace: string;
  readonly configFile: string;
  /** A roles file given on the command line (`-r FILE`), overriding `settings.roles_file`. */
  readonly rolesFile: string | undefined;
  readonly paths: StatePaths;
  readonly db: Db;
  readonly log: Logger;
  readonly rpc: RpcRegistry;
  /** Sends a StateChanged notification on this part's topic to subscribed clients. */
  publish(topic: PartName, delta: unknown): void;
  /** Asks the core to recompute and push the health notification. */
  healthChanged(): void;
  /** Adds code lenses and hovers for taskwarden.yaml (see languageFeatures.ts). */
  addLanguageContribution(contribution: LanguageContributions): void;
}

export interface PartHealth {
  /** Counters for the status bar, e.g. { running: 3, failed: 1 }. */
  readonly summary: Record<string, number>;
  /** Problems worth a warning or an error in the status bar. */
  readonly problems: readonly { readonly level: 'warning' | 'error'; readonly message: string }[];
}

export interface Part {
  readonly name: PartName;
  /** Called once after the store is open and before clients connect: adopt, resume. */
  start(): Promise<void>;
  /** Called with every good config (first load and each change). */
  applyConfig(config: LoadedConfig): Promise<void>;
  /** Counts for `taskwarden status`, e.g. { running: 2, stopped: 1 }. */
  counts(): Record<string, number>;
  health(): PartHealth;
  /**
   * Stops the part. With `keepProcesses`, supervised processes are left running
   * for the next agent to adopt; otherwise they are stopped.
   */
  stop(options: { readonly keepProcesses: boolean }): Promise<void>;
}

export type PartFactory = (context: AgentContext) => Part;

/** A process an agent that is gone left running, and how to stop it. */
export interface LeftoverProcess {
  /** The process leading the group to stop. */
  readonly identity: ProcessIdentity;
  readonly kind: 'daemon' | 'task' | 'process';
  /** `web:0`, a task's `7 (backup)`, or the pid of a process only its marker names. */
  readonly name: string;
  readonly signal: NodeJS.Signals;
  readonly timeoutMs: number;
}

export interface LeftoverInput {
  readonly workspace: string;
  readonly configFile: string;
  readonly rolesFile: string | undefined;
  /** The store, or null when the workspace never had one. */
  readonly db: Db | null;
  /** Every live process carrying the workspace marker. */
  readonly marked: readonly MarkedProcess[];
}

/**
 * What a part knows of the processes a crashed agent left: `taskwarden down`
 * with no agent stops them. A part names the processes its rows record (alive,
 * same pid and start time) and the group leaders whose marker says they are
 * its own; after the stop, `forget` makes its rows say so, as a normal stop
 * would have. Called with the workspace lock held, so no agent runs meanwhile.
 */
export type LeftoverFinder = (input: LeftoverInput) => {
  readonly processes: readonly LeftoverProcess[];
  forget(stopped: readonly LeftoverProcess[]): void;
};
