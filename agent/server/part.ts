/**
 * The contract between the agent core and each of its five parts (daemons,
 * tasks, groups, jobs, queues). A part owns its folder, its protocol messages,
 * its store migration and its CLI commands; the core only calls these hooks.
 */
import type { LoadedConfig } from '../config/loader';
import type { Logger } from '../log';
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
