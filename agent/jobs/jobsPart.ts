/**
 * The Jobs part: Canopsis' scheduled jobs on exact timers. Each configured job
 * has at most one due time in the timer queue; at each occurrence its handler
 * runs (never two runs of a job at once: an occurrence that falls during a run
 * is skipped and counted), its verdict becomes a stored check event, and the
 * next occurrence is set. The occurrence a run covers is stored before the run
 * starts, so an agent killed mid-run neither repeats nor loses it; a command
 * still running then is adopted by the next agent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentContext, AppliedConfig, Part, PartHealth } from '../core/part';
import { failure, type RpcFailure } from '../core/rpc';
import type { Logger } from '../log';
import { DEFAULT_ROTATION_POLICY } from '../proc/logRotation';
import { LogRotator } from '../proc/logRotator';
import { sharedSpawnHelper } from '../proc/spawnHelper';
import { SupervisedRun, type RunOptions } from '../proc/supervisedRun';
import { ErrorCodes } from '../protocol/errors';
import type { CheckEvent, JobsDelta, JobSummary } from './protocol';
import { checkedOutcome, checkEvent } from './checkEvent';
import { userHandlerFile, type JobConfig, type JobsConfig } from './config/jobsConfig';
import { dueAfter, firstDue, type Due } from './dueTimes';
import { BUILTIN_SCHEMAS } from './handlers/builtinSchemas';
import { commandHandler, finishRun, type JobFiles } from './handlers/commandHandler';
import type { HandlerOutcome, JobHandler } from './handlers/handler';
import { httpHandler } from './handlers/httpHandler';
import { noopHandler } from './handlers/noopHandler';
import { paramsProblem } from './handlers/paramsValidation';
import { queueHandler } from './handlers/queueHandler';
import { HANDLER_RUNNER, userHandler, type UserHandlerHost } from './handlers/userHandler';
import { UserSchemaCache, useUserSchemas } from './handlers/userSchemas';
import { JobStore, type JobStateRow } from './jobStore';
import { Deadlines, RunDeadline } from './runDeadline';
import { SYSTEM_CLOCK, TimerQueue, type Fired, type TimerClock } from './timerQueue';
import { recordCheckEvent } from './statsFeed';

export interface LiveJob {
  config: JobConfig;
  lastDue: number | null;
  everRan: boolean;
  skipped: number;
  paused: boolean;
  last: CheckEvent | null;
  /** The run in progress: since when, its process (a command), its end. */
  running: { readonly since: number; process: SupervisedRun | null; readonly done: Promise<CheckEvent> } | null;
}

export class JobsPart implements Part<JobsConfig> {
  readonly name = 'jobs' as const;
  readonly store: JobStore;
  readonly log: Logger;
  readonly jobs = new Map<string, LiveJob>();
  private readonly states = new Map<string, JobStateRow>();
  private readonly lastEvents: Map<string, CheckEvent>;
  private readonly timers: TimerQueue;
  private readonly deadlines: Deadlines;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly logsDir: string;
  private readonly rotator: LogRotator;
  private readonly finishListeners = new Map<string, Set<() => void>>();
  private eventsKept = 1000;
  private handlersRoot: string;
  private readonly userHost: UserHandlerHost;
  private closing = false;
  /** The store was flushed for the last time: a run ending later (an agent stop that left it) writes nothing. */
  private stopped = false;
  private readonly pendingSummaries = new Set<string>();
  private readonly pendingEvents: CheckEvent[] = [];
  private publishScheduled = false;
  /** Stops serving user handlers' schemas to the config check. */
  private readonly stopUserSchemas: () => void;
  /** Adopted command runs, waiting for their job's config (its time limit). */
  private readonly adopted = new Map<string, { run: SupervisedRun; startedAt: number }>();

  constructor(
    private readonly context: AgentContext,
    private readonly clock: TimerClock = SYSTEM_CLOCK,
  ) {
    this.log = context.log.tag('jobs');
    this.store = new JobStore(context.db);
    this.lastEvents = this.store.lastEvents();
    this.logsDir = path.join(context.paths.logs, 'jobs');
    const helper = sharedSpawnHelper();
    this.rotator = new LogRotator((message) => this.log.warn(message), {
      linger: helper ? { helper, agentLock: context.paths.lock } : null,
    });
    this.timers = new TimerQueue(clock, (due) => this.onDue(due));
    this.deadlines = new Deadlines(clock);
    // SIGKILL at once: the grace only covers the wait for the group's end (a killed grandchild may linger as a zombie).
    const runOptions: RunOptions = {
      stopMethod: { kind: 'signal', signal: 'SIGKILL' },
      stopTimeoutMs: 200,
      timeLimitMs: null,
      killGroupOnExit: true,
      rotation: { rotator: this.rotator, policy: DEFAULT_ROTATION_POLICY },
    };
    const host = { workspace: context.workspace, request: context.request.bind(context) };
    this.handlersRoot = path.join(context.workspace, 'handlers');
    const commandHost = {
      ...host,
      runOptions,
      filesOf: (job: string) => this.filesOf(job),
      started: (job: string, run: SupervisedRun) => this.started(job, run),
    };
    this.userHost = { ...commandHost, lastRun: (job) => this.jobs.get(job)?.last?.timestamp ?? 0 };
    for (const handler of [commandHandler(commandHost), httpHandler, queueHandler(host), noopHandler])
      this.handlers.set(handler.name, handler);
    // A user handler's schema (read by a runner process) checks its jobs' params as the built-in ones' do.
    this.stopUserSchemas = useUserSchemas(
      new UserSchemaCache(HANDLER_RUNNER, context.workspace, (file, error) => {
        if (error !== null) this.log.warn(`cannot read the schema of ${file}: ${error}`);
        context.reloadConfig(`the schema of ${path.relative(context.workspace, file)}`);
      }),
    );
  }

  filesOf(job: string): JobFiles {
    const stamp = job.replace(/[^A-Za-z0-9_.-]/g, '_');
    return { stdout: path.join(this.logsDir, `${stamp}.out`), stderr: path.join(this.logsDir, `${stamp}.err`) };
  }

  start(): Promise<void> {
    for (const row of this.store.loadStates()) {
      this.states.set(row.name, row);
      if (row.running === null) continue;
      const files = { stdout: row.running.stdoutFile, stderr: row.running.stderrFile };
      const outcome = SupervisedRun.adopt(
        { pid: row.running.pid, startTicks: row.running.startTicks, startedAt: row.running.startedAt, outOffset: 0, errOffset: 0 },
        {
          id: `job:${row.name}`,
          argv: [],
          cwd: this.context.workspace,
          env: {},
          mark: { workspace: this.context.workspace, run: null },
          files,
        },
        {
          stopMethod: { kind: 'signal', signal: 'SIGKILL' },
          stopTimeoutMs: 1000,
          timeLimitMs: null,
          killGroupOnExit: true,
          rotation: null,
        },
      );
      if (outcome.ok) {
        this.log.info(`adopted job ${row.name}'s command (pid ${row.running.pid})`);
        this.adopted.set(row.name, { run: outcome.value, startedAt: row.running.startedAt });
      } else {
        const event = checkEvent(
          row.name,
          'command',
          { state: 3, output: 'ended while the agent was down; exit status unknown' },
          row.running.startedAt,
          this.clock.now(),
        );
        this.store.addEvent(event, this.eventsKept);
        this.lastEvents.set(row.name, event);
        this.store.update(row.name, { running: null });
      }
    }
    return Promise.resolve();
  }

  /** The folder of the user handlers' modules (absolute). */
  userHandlersRoot(): string {
    return this.handlersRoot;
  }

  applyConfig(config: AppliedConfig<JobsConfig>): Promise<void> {
    if (this.closing) return Promise.resolve();
    const section = config.section;
    this.eventsKept = section.eventsKept;
    this.handlersRoot = section.handlersRoot;
    const now = this.clock.now();
    const removed: string[] = [];
    for (const name of this.jobs.keys())
      if (!section.jobs.has(name)) {
        removed.push(name);
        this.jobs.delete(name);
        this.timers.set(name, null);
      }
    for (const [name, jobConfig] of section.jobs) {
      const existing = this.jobs.get(name);
      if (existing) {
        const rescheduled = scheduleKey(existing.config) !== scheduleKey(jobConfig);
        existing.config = jobConfig;
        if (rescheduled) this.timers.set(name, this.dueOf(existing, firstDue(jobConfig.schedule, existing, jobConfig, now)));
        this.queueSummary(name);
        continue;
      }
      const row = this.states.get(name);
      const job: LiveJob = {
        config: jobConfig,
        lastDue: row?.lastDue ?? null,
        everRan: row?.everRan ?? false,
        skipped: row?.skipped ?? 0,
        paused: row?.paused ?? false,
        last: this.lastEvents.get(name) ?? null,
        running: null,
      };
      this.jobs.set(name, job);
      const adopted = this.adopted.get(name);
      if (adopted) {
        this.adopted.delete(name);
        this.watchAdopted(job, adopted.run, adopted.startedAt);
      }
      this.timers.set(name, this.dueOf(job, firstDue(jobConfig.schedule, job, jobConfig, now)));
      this.queueSummary(name);
    }
    if (removed.length > 0) this.publish({ kind: 'jobsRemoved', names: removed });
    for (const name of removed) this.context.stats.end({ metric: 'checkState', subject: name });
    return Promise.resolve();
  }

  /** A due time for the timer queue, or null when the job must not fire (paused, disabled). */
  private dueOf(job: LiveJob, due: Due | null): number | null {
    if (job.paused || !job.config.enabled || due === null) return null;
    return due.at;
  }

  /**
   * The jobs due now: every one starts first, and only then comes the bookkeeping (its state row,
   * its next due time, its summary), so a job's lateness is the starts before it, not their writes.
   * A job whose previous run still runs skips the occurrence (counted; a restart does not catch it up).
   */
  private onDue(due: readonly Fired[]): void {
    if (this.closing) return;
    const fired: { readonly job: LiveJob; readonly at: number; readonly started: boolean }[] = [];
    for (const { key, at } of due) {
      const job = this.jobs.get(key);
      if (!job) continue;
      const started = job.running === null;
      if (started) void this.launch(job);
      fired.push({ job, at, started });
    }
    const now = this.clock.now();
    for (const { job, at, started } of fired) {
      const name = job.config.name;
      job.lastDue = at;
      if (started) {
        job.everRan = true;
        this.store.update(name, { lastDue: at, everRan: true });
      } else {
        job.skipped += 1;
        this.store.update(name, { skipped: job.skipped, lastDue: at });
        this.log.info(`job ${name}: occurrence skipped, the previous run still runs (${job.skipped} skipped)`);
      }
      this.timers.set(name, this.dueOf(job, dueAfter(job.config.schedule, at, now)));
      this.queueSummary(name);
    }
  }

  /** Runs a job now (`job run`), ignoring its schedule; Conflict while it runs. */
  runNow(name: string): Promise<CheckEvent> | RpcFailure {
    const job = this.jobs.get(name);
    if (!job) return this.notFound(name);
    if (job.running !== null)
      return failure(ErrorCodes.Conflict, `job '${name}' is running (since ${new Date(job.running.since).toISOString()})`);
    if (this.closing) return failure(ErrorCodes.ShuttingDown, 'the agent is stopping');
    job.everRan = true;
    this.store.update(name, { everRan: true });
    return this.launch(job);
  }

  notFound(name: string): RpcFailure {
    const known = [...this.jobs.keys()];
    return failure(ErrorCodes.NotFound, `no job '${name}' in the config (${known.length === 0 ? 'no jobs' : `jobs: ${known.join(', ')}`})`);
  }

  private launch(job: LiveJob): Promise<CheckEvent> {
    const since = this.clock.now();
    const done = this.execute(job, since).then((outcome) => this.finish(job, outcome, since));
    job.running = { since, process: null, done };
    this.queueSummary(job.config.name);
    return done;
  }

  private async execute(job: LiveJob, since: number): Promise<HandlerOutcome> {
    const { config } = job;
    const builtin = this.handlers.get(config.handler);
    const file = builtin
      ? null
      : userHandlerFile(this.handlersRoot, config.handler, { readFile: (candidate) => (fs.existsSync(candidate) ? '' : null) });
    const handler = builtin ?? (file === null ? null : userHandler(config.handler, file, this.userHost));
    if (!handler) return { state: 2, output: `Invalid job: no handler '${config.handler}' (built in, or in ${this.handlersRoot})` };
    // A user handler's params are checked by its runner, against the schema it exports.
    const schema = BUILTIN_SCHEMAS[config.handler];
    const problem = schema === undefined ? null : builtinParamsProblem(config, schema);
    if (problem !== null) return { state: 2, output: `Invalid job: ${problem}` };
    const deadline = new RunDeadline();
    const cancelLimit = this.deadlines.add(deadline, since + config.timeLimitMs);
    try {
      return checkedOutcome(
        await handler.run({
          job: config,
          get signal() {
            return deadline.signal;
          },
        }),
      );
    } catch (error: unknown) {
      return { state: 3, output: `the handler failed: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      cancelLimit();
    }
  }

  private finish(job: LiveJob, outcome: HandlerOutcome, since: number): CheckEvent {
    const event = checkEvent(job.config.name, job.config.handler, outcome, since, this.clock.now());
    const hadProcess = job.running?.process != null;
    job.running = null;
    job.last = event;
    if (this.stopped) return event;
    this.store.addEvent(event, this.eventsKept);
    if (hadProcess) this.store.update(job.config.name, { running: null });
    this.pendingEvents.push(event);
    recordCheckEvent(this.context.stats, event);
    this.queueSummary(job.config.name);
    const listeners = this.finishListeners.get(job.config.name);
    this.finishListeners.delete(job.config.name);
    for (const listener of listeners ?? []) listener();
    return event;
  }

  /** A command started: recorded for adoption, and its files for `logs job:NAME`. */
  private started(name: string, run: SupervisedRun): void {
    const job = this.jobs.get(name);
    const record = run.record();
    if (job?.running) job.running.process = run;
    if (record === null) return;
    this.store.update(name, {
      running: { pid: record.pid, startTicks: record.startTicks, startedAt: record.startedAt, ...toRow(run.spec.files) },
    });
  }

  /** A command a previous agent started: its end becomes the run's event (exit status unknown), its time limit still holds. */
  private watchAdopted(job: LiveJob, run: SupervisedRun, startedAt: number): void {
    const controller = new AbortController();
    const limit = setTimeout(() => controller.abort(), Math.max(0, startedAt + job.config.timeLimitMs - this.clock.now()));
    const done = finishRun(job.config, run, controller.signal, run.spec.files)
      .finally(() => clearTimeout(limit))
      .then((outcome) => this.finish(job, outcome, startedAt));
    job.running = { since: startedAt, process: run, done };
  }

  /** Calls `listener` once the job's current run has finished; returns the way to stop listening. */
  whenFinished(name: string, listener: () => void): () => void {
    const set = this.finishListeners.get(name) ?? new Set();
    set.add(listener);
    this.finishListeners.set(name, set);
    return () => set.delete(listener);
  }

  setPaused(name: string, paused: boolean): JobSummary | RpcFailure {
    const job = this.jobs.get(name);
    if (!job) return this.notFound(name);
    job.paused = paused;
    this.store.update(name, { paused });
    const now = this.clock.now();
    this.timers.set(name, this.dueOf(job, paused ? null : dueAfter(job.config.schedule, now, now)));
    this.queueSummary(name);
    return this.summary(job);
  }

  summary(job: LiveJob): JobSummary {
    const { config } = job;
    return {
      name: config.name,
      handler: config.handler,
      schedule: config.schedule.spec,
      scheduleText: config.schedule.text,
      enabled: config.enabled,
      paused: job.paused,
      nextRun: this.timers.dueOf(config.name),
      runningSince: job.running?.since ?? null,
      last: job.last,
      skipped: job.skipped,
      configured: true,
    };
  }

  summaries(): JobSummary[] {
    return [...this.jobs.values()].map((job) => this.summary(job));
  }

  now(): number {
    return this.clock.now();
  }

  private queueSummary(name: string): void {
    this.pendingSummaries.add(name);
    this.schedulePublish();
  }

  /** Deltas go out once per turn of the event loop: a thousand jobs due at once make two notifications, not two thousand. */
  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    setImmediate(() => {
      this.publishScheduled = false;
      const events = this.pendingEvents.splice(0);
      if (events.length > 0) this.publish({ kind: 'events', events });
      const jobs = [...this.pendingSummaries].flatMap((name) => {
        const job = this.jobs.get(name);
        return job ? [this.summary(job)] : [];
      });
      this.pendingSummaries.clear();
      if (jobs.length > 0) this.publish({ kind: 'jobs', jobs });
    });
  }

  counts(): Record<string, number> {
    let running = 0;
    let failing = 0;
    for (const job of this.jobs.values()) {
      if (job.running) running += 1;
      if (job.last !== null && job.last.state !== 0) failing += 1;
    }
    return { jobs: this.jobs.size, running, failing };
  }

  health(): PartHealth {
    return { summary: this.counts(), problems: [] };
  }

  async stop(options: { readonly keepProcesses: boolean }): Promise<void> {
    this.closing = true;
    this.stopUserSchemas();
    this.timers.clear();
    const running = [...this.jobs.values()].filter((job) => job.running !== null);
    if (options.keepProcesses) for (const job of running) job.running?.process?.leave();
    else {
      for (const job of running) void job.running?.process?.stop('the agent stopped', { kind: 'signal', signal: 'SIGKILL' });
      await Promise.race([
        Promise.all(running.flatMap((job) => (job.running ? [job.running.done] : []))),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
    }
    this.store.flush();
    this.stopped = true;
    this.rotator.close();
  }

  publish(delta: JobsDelta): void {
    this.context.publish('jobs', delta);
  }
}

/** A built-in handler's schema never changes, nor does a loaded job's params: one check per loaded config. */
const builtinProblems = new WeakMap<JobConfig, string | null>();

function builtinParamsProblem(config: JobConfig, schema: object): string | null {
  let problem = builtinProblems.get(config);
  if (problem === undefined) {
    problem = paramsProblem(schema, config.params);
    builtinProblems.set(config, problem);
  }
  return problem;
}

function scheduleKey(config: JobConfig): string {
  return JSON.stringify([config.schedule.spec, config.startsAt, config.enabled, config.runOnStart, config.catchUp]);
}

function toRow(files: JobFiles): { stdoutFile: string; stderrFile: string } {
  return { stdoutFile: files.stdout, stderrFile: files.stderr };
}
