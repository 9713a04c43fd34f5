/**
 * The contract between the agent core and each of its parts (agent/parts.ts
 * lists them). A part is one folder whose index.ts exports one
 * `PartModule`: everything the server, the store and the command line need of
 * it. agent/parts.ts lists the modules; nothing below that list imports a part.
 */
import type { Command } from 'commander';
import type { MessageConnection, RequestType } from 'vscode-jsonrpc';
import type { ConfigSection } from '../config/checks';
import { sectionOf, type LoadedConfig } from '../config/loader';
import type { Logger } from '../log';
import type { ProcessIdentity } from '../proc/processIdentity';
import type { PartName } from '../protocol/agent';
import type { Db } from '../store/database';
import type { StatePaths } from '../store/stateDirectory';
import type { LanguageContributions } from './languageContributions';
import type { Migration } from '../store/migration';
import type { OutputSources } from './outputSources';
import type { RpcFailure, RpcRegistry } from './rpc';
import type { StatsSink } from './stats/statsRecorder';

export interface AgentContext {
  readonly workspace: string;
  readonly configFile: string;
  /** A roles file given on the command line (`-r FILE`), overriding `settings.roles_file`. */
  readonly rolesFile: string | undefined;
  readonly paths: StatePaths;
  readonly db: Db;
  readonly log: Logger;
  /** Sends a StateChanged notification on this part's topic to subscribed clients. */
  publish(topic: PartName, delta: unknown): void;
  /** Whether a client is subscribed to this topic now (a part may skip making deltas no one gets). */
  subscribed(topic: PartName): boolean;
  /** The recent values behind the dashboard and `taskwarden stats` (core/stats/): record points, never per-point pushes. */
  readonly stats: StatsSink;
  /** Asks the core to recompute and push the health notification. */
  healthChanged(): void;
  /**
   * Asks the core to load the config again, as an edit of taskwarden.yaml
   * would: for a part whose section read other files (`AppliedConfig.inputs`)
   * when one of them changed.
   */
  reloadConfig(reason: string): void;
  /**
   * Makes a request of the agent's registry from inside the agent: how a part
   * uses another part (through agent/protocol/, never by importing it).
   * Resolves with the result or the failure a client would have got.
   */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R | RpcFailure>;
}

/** What a part receives with each good config: its own typed section and where it came from. */
export interface AppliedConfig<T> {
  /** The value the part's `config.read` returned for this config. */
  readonly section: T;
  /** The config file (absolute). */
  readonly file: string;
  /** The text that was checked (line numbers for clients come from it). */
  readonly text: string;
  readonly workspace: string;
  /** The roles file in use (absolute), or null. */
  readonly rolesFile: string | null;
  /** The files the section read besides taskwarden.yaml (roles file, env files), absolute: a change to one should reload. */
  readonly inputs: readonly string[];
}

/** The part's own section of a loaded config, with what it came from. */
export function appliedConfigFor<T>(module: PartModule<Part<T>, T>, config: LoadedConfig, workspace: string): AppliedConfig<T> {
  const loaded = sectionOf(config, module.config);
  return {
    section: loaded.value,
    file: config.file,
    text: config.text,
    workspace,
    rolesFile: config.rolesFile,
    inputs: loaded.inputs,
  };
}

export interface PartHealth {
  /** Counters for the status bar, e.g. { running: 3, failed: 1 }. */
  readonly summary: Record<string, number>;
  /** Problems worth a warning or an error in the status bar. */
  readonly problems: readonly { readonly level: 'warning' | 'error'; readonly message: string }[];
}

export interface Part<T = unknown> {
  readonly name: PartName;
  /** Called once after the store is open and before clients connect: adopt, resume. */
  start(): Promise<void>;
  /** Called with every good config (first load, each change, each change of its inputs). */
  applyConfig(config: AppliedConfig<T>): Promise<void>;
  /** Counts for `taskwarden status`, e.g. { running: 2, stopped: 1 }. */
  counts(): Record<string, number>;
  health(): PartHealth;
  /** Optional: a client subscribed to or left a topic (`AgentContext.subscribed` may answer otherwise now). */
  subscriptionsChanged?(): void;
  /**
   * Stops the part. With `keepProcesses`, supervised processes are left running
   * for the next agent to adopt; otherwise they are stopped.
   */
  stop(options: { readonly keepProcesses: boolean }): Promise<void>;
}

/** A part's section of `taskwarden watch`: read once per redraw, shown as lines, and as data for `watch --json`. */
export interface LiveSection {
  /** The key of its data in `watch --json`. */
  readonly name: string;
  read(connection: MessageConnection): Promise<{ readonly lines: string[]; readonly data: unknown }>;
}

/**
 * Everything a part declares. `commands` and `live` come from the part's
 * `cli/` folder and run in the command line, `config` from its `config/`
 * folder and runs wherever the config is checked (the agent, the editor
 * through the agent, `taskwarden check`); the other members run in the agent.
 * Each bundle carries only the faces it runs (esbuild.mjs).
 */
export interface PartModule<P extends Part<T> = Part, T = unknown> {
  readonly name: PartName;
  /** The part's config section(s): their keys, the check beyond the JSON Schema, the typed value. */
  readonly config: ConfigSection<T>;
  /** The part's store tables, appended to the foundation's. */
  readonly migrations: readonly Migration[];
  /** Builds the running part; called once per agent, after the store is open. */
  create(context: AgentContext): P;
  /** Registers the part's requests (`taskwarden/<part>/*`, declared in agent/protocol/). */
  handlers(rpc: RpcRegistry, part: P): void;
  /** Code lenses and hovers for the part's entries in taskwarden.yaml. */
  language?(part: P): LanguageContributions;
  /** Its runs' output by id (`web:0`, `7`), followed through the one core request `taskwarden/output/follow`. */
  outputs?(part: P): OutputSources;
  /** How its runs are named outside the agent; a part that starts processes of its own declares it. */
  readonly runs?: RunNaming;
  /** What the part knows of the processes a crashed agent left (`taskwarden down` with no agent). */
  readonly leftovers?: LeftoverFinder;
  /** The part's `taskwarden` commands. */
  commands?(program: Command): void;
  /** The part's section of `taskwarden watch`. */
  readonly live?: LiveSection;
  /** The ids its runs have now (as `runs.logs` spells them after the prefix), for shell completion of `logs`. */
  readonly runIds?: NameLister;
}

/** Names a running agent knows (daemons, task ids, queues…), for shell completion; asked of a connected agent. */
export type NameLister = (connection: MessageConnection) => Promise<readonly string[]>;

/**
 * How a part's runs are named outside the agent. Their processes carry the
 * mark `TASKWARDEN_RUN=<part>:<id>` (proc/workspaceMarker.ts) with the ids its
 * `outputs` take.
 */
export interface RunNaming {
  /** The word for one run in messages and in `down`'s report: 'daemon', 'task', 'queue item'. */
  readonly kind: string;
  /** `taskwarden logs PREFIX:ID` names one of its runs. */
  readonly logs: {
    readonly prefix: string;
    /** How a user writes it, for messages: `task:ID (see taskwarden task list)`. */
    readonly spelling: string;
    /** Whether an id can name a run (checked before asking the agent). */
    readonly valid?: (id: string) => boolean;
    /** An argument with no known prefix names one of this part's runs (one part at most: daemons). */
    readonly bare?: boolean;
  };
}

/** A process an agent that is gone left running, and how to stop it. */
export interface LeftoverProcess {
  /** The process leading the group to stop. */
  readonly identity: ProcessIdentity;
  /** The part's `runs.kind`, or 'process' for one only its workspace marker names. */
  readonly kind: string;
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
  /** The live group leaders whose mark names one of this part's runs (one started just before the crash, its row never written). */
  readonly leaders: readonly { readonly identity: ProcessIdentity; readonly id: string }[];
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
