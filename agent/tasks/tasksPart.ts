/**
 * The Tasks part: taskwatcher's reserved, heartbeat-watched tasks run by the
 * agent. It wires the registry (reservations), the launcher, the supervisor
 * (feedback, health, kill, end) and the store, adopts what a previous agent
 * left running, and pushes every change on the `tasks` topic.
 */
import { LogRotator } from '../proc/logRotator';
import { sharedSpawnHelper } from '../proc/spawnHelper';
import { sharedResourceSampler, type RunSample } from '../proc/resources/resourceSampler';
import { resourcesLine } from '../protocol/resourcePresentation';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';
import { ErrorCodes } from '../protocol/errors';
import type { LaunchTaskParams, LaunchTaskResult, TaskHistoryEntry, TasksDelta } from './protocol';
import type { AgentContext, AppliedConfig, Part, PartHealth } from '../core/part';
import { failure, type RpcFailure } from '../core/rpc';
import { adoptPreviousTasks } from './adoption';
import { FeedbackFolders } from './feedbackFolders';
import { launchTask, type LauncherDeps } from './launcher';
import { taskInfo, type LiveTask } from './liveTask';
import { DEFAULT_WATCHER_SETTINGS, type WatcherSettings } from './config/watcherSettings';
import { TaskRegistry } from './taskRegistry';
import { TaskStore } from './taskStore';
import { TaskSupervisor } from './taskSupervisor';
import { recordTaskDelta } from './statsFeed';

/** How long health changes are gathered before the part's health is looked at. */
const HEALTH_DEBOUNCE_MS = 100;

export class TasksPart implements Part<WatcherSettings> {
  readonly name = 'tasks' as const;
  readonly store: TaskStore;
  readonly registry: TaskRegistry;
  readonly supervisor: TaskSupervisor;
  readonly logsDir: string;
  readonly log: Logger;
  settings: WatcherSettings = DEFAULT_WATCHER_SETTINGS;
  /** Set once the agent stops: no new reservation or launch. */
  closing = false;
  private readonly folders: FeedbackFolders;
  private lastHealthKey = '';
  /** Who waits for a task's end (its output's followers), by id. */
  private readonly endListeners = new Map<number, Set<() => void>>();
  private healthTimer: NodeJS.Timeout | null = null;
  /** Keeps every running task's output within `watcher.logs` (and, through the spawn helper, while no agent runs). */
  private readonly rotator: LogRotator;
  /** Each sample of a running task goes to clients with its info (CPU and memory). */
  private readonly stopSampling: () => void;
  /** Each running task's figures as last published. */
  private readonly shownFigures = new Map<number, string>();

  constructor(private readonly context: AgentContext) {
    this.log = context.log.tag('tasks');
    this.logsDir = path.join(context.paths.logs, 'tasks');
    this.store = new TaskStore(context.db);
    this.folders = new FeedbackFolders(this.log);
    const helper = sharedSpawnHelper();
    this.rotator = new LogRotator((message) => this.log.warn(message), {
      linger: helper ? { helper, agentLock: context.paths.lock } : null,
    });
    this.registry = new TaskRegistry(this.store, this.log, {
      reserved: (task) => this.publish({ kind: 'upsert', task: taskInfo(task) }),
      released: (task, reason) => {
        this.publish({ kind: 'removed', id: task.id, reason });
        this.healthMayHaveChanged();
      },
    });
    this.supervisor = new TaskSupervisor(
      this.store,
      this.folders,
      this.log,
      {
        changed: (task) => {
          this.publish({ kind: 'upsert', task: taskInfo(task) });
          this.healthMayHaveChanged();
        },
        ended: (task, entry) => this.ended(task, entry),
        historyLimit: () => this.settings.historyLimit,
      },
      { rotator: this.rotator, policy: () => this.settings.logs },
    );
    this.launcher = this.makeLauncher();
    this.stopSampling = sharedResourceSampler().onSample((samples) => this.sampled(samples));
  }

  /** What the launcher needs from the part (built once). */
  private readonly launcher: LauncherDeps;

  /** Handles `taskwarden/tasks/launch`. */
  launch(params: LaunchTaskParams): Promise<LaunchTaskResult | RpcFailure> {
    if (this.closing) return Promise.resolve(failure(ErrorCodes.ShuttingDown, 'the agent is stopping; no new task is launched'));
    return launchTask(this.launcher, params);
  }

  private makeLauncher(): LauncherDeps {
    return {
      registry: this.registry,
      store: this.store,
      supervisor: this.supervisor,
      log: this.log,
      workspace: this.context.workspace,
      logsDir: this.logsDir,
      settings: () => this.settings,
      started: (task) => {
        this.publish({ kind: 'upsert', task: taskInfo(task) });
        this.healthMayHaveChanged();
      },
    };
  }

  async start(): Promise<void> {
    // Once, at start: the launch path then never creates folders.
    fs.mkdirSync(this.logsDir, { recursive: true, mode: 0o700 });
    this.registry.resumeIds();
    const report = await adoptPreviousTasks({
      store: this.store,
      registry: this.registry,
      supervisor: this.supervisor,
      log: this.log,
      workspace: this.context.workspace,
    });
    if (report.adopted + report.ended + report.reservations > 0) {
      this.log.info(
        `previous tasks: ${report.adopted} adopted, ${report.ended} ended while down, ${report.reservations} reservations kept`,
      );
    }
  }

  applyConfig(config: AppliedConfig<WatcherSettings>): Promise<void> {
    this.settings = config.section;
    return Promise.resolve();
  }

  /** Live tasks by state, e.g. { running: 2, stalled: 1, reserved: 1 }. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = { reserved: 0, running: 0, silent: 0, stalled: 0 };
    for (const task of this.registry.all()) {
      if (task.phase === 'reserved' || task.phase === 'running')
        counts[task.state.toLowerCase()] = (counts[task.state.toLowerCase()] ?? 0) + 1;
    }
    return counts;
  }

  health(): PartHealth {
    const running = this.registry.all().filter((task) => task.phase === 'running');
    const stalled = running.filter((task) => task.state === 'STALLED');
    return {
      summary: { tasks: running.length },
      problems: stalled.map((task) => ({
        level: 'warning' as const,
        message: `task ${task.id} (${task.name ?? '-'}) is stalled: no feedback for over half its timeout`,
      })),
    };
  }

  async stop(options: { readonly keepProcesses: boolean }): Promise<void> {
    this.closing = true;
    this.stopSampling();
    if (this.healthTimer !== null) clearTimeout(this.healthTimer);
    this.registry.disarmAll();
    const live = this.registry.all().filter((task) => task.phase !== 'reserved');
    if (options.keepProcesses) {
      this.supervisor.leaveRunning(live);
    } else {
      for (const task of live) this.supervisor.stop(task, { kind: 'killed', error: 'killed: the agent stopped' });
      await Promise.all(live.map((task) => task.gone));
    }
    this.folders.close();
    this.rotator.close();
  }

  /** A running task's figures go to clients with its info, when their wording moved. */
  private sampled(samples: readonly RunSample[]): void {
    for (const sample of samples) {
      const task = sample.part === 'tasks' ? this.registry.get(Number(sample.id)) : undefined;
      if (task?.phase !== 'running') continue;
      const shown = resourcesLine(sample) ?? '';
      if (this.shownFigures.get(task.id) === shown) continue;
      this.shownFigures.set(task.id, shown);
      this.publish({ kind: 'upsert', task: taskInfo(task) });
    }
  }

  /** Pushes a delta to subscribers of the `tasks` topic. */
  publish(delta: TasksDelta): void {
    this.context.publish('tasks', delta);
    recordTaskDelta(this.context.stats, delta);
  }

  /** Calls `listener` once task `id` has ended; returns the way to stop listening. */
  whenEnded(id: number, listener: () => void): () => void {
    const listeners = this.endListeners.get(id) ?? new Set();
    listeners.add(listener);
    this.endListeners.set(id, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.endListeners.get(id) === listeners) this.endListeners.delete(id);
    };
  }

  private ended(task: LiveTask, entry: TaskHistoryEntry): void {
    this.registry.delete(task);
    this.shownFigures.delete(task.id);
    this.publish({ kind: 'ended', id: task.id, entry });
    const listeners = this.endListeners.get(task.id);
    this.endListeners.delete(task.id);
    for (const listener of listeners ?? []) listener();
    this.healthMayHaveChanged();
  }

  /**
   * Asks the core for a health push when the part's health really changed,
   * looked at once per burst (a launch storm would otherwise recompute it twice per task).
   */
  healthMayHaveChanged(): void {
    if (this.healthTimer !== null || this.closing) return;
    this.healthTimer = setTimeout(() => {
      this.healthTimer = null;
      const key = JSON.stringify(this.health());
      if (key === this.lastHealthKey) return;
      this.lastHealthKey = key;
      this.context.healthChanged();
    }, HEALTH_DEBOUNCE_MS);
  }
}
