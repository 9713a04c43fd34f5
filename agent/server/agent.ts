/**
 * The agent: one per workspace. Takes the lock, opens the store, starts the
 * parts (which adopt what a previous agent left running), loads the config,
 * then serves clients on the socket until asked to stop.
 */
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import type { Diagnostic } from '../config/diagnostic';
import { diagnosticsOf } from '../config/loadResult';
import { createLogger, type Logger } from '../log';
import {
  ConfigStateNotification,
  HealthNotification,
  HealthRequest,
  StateChangedNotification,
  StatusRequest,
  SubscribeRequest,
  UnsubscribeRequest,
  ShutdownAgentRequest,
  CheckConfigRequest,
  ReloadConfigRequest,
  type AgentStatus,
  type HealthParams,
  type PartName,
  type Topic,
} from '../protocol';
import { AGENT_VERSION, PROTOCOL_VERSION } from '../protocol/version';
import { ErrorCodes } from '../protocol/errors';
import type { ReloadConfigParams } from '../protocol/config';
import type { ConfigFiles } from '../config/configFiles';
import { socketPathFor } from '../protocol/socketPath';
import { openDatabase, type Db } from '../store/database';
import { closeInheritedDescriptors } from '../proc/inheritedDescriptors';
import { keepOwnFilesPrivate, PRIVATE_FILE_MODE } from '../proc/umask';
import { ensureStateDirectory, makeStatePrivate, type StatePaths } from '../store/stateDirectory';
import { acquireAgentLock } from './agentLock';
import { ClientSession } from './clientSession';
import { ConfigService, type ConfigSnapshot } from './configService';
import { computeHealth, sameHealth } from './health';
import { startIdleCompaction } from './idleCompaction';
import { attachLanguageFeatures } from './languageFeatures';
import type { LanguageContributions } from '../core/languageContributions';
import { failed, ok, type Failure, type Result } from '../result';
import { appliedConfigFor, type AgentContext, type Part, type PartModule } from '../core/part';
import { failure, RpcRegistry } from '../core/rpc';
import { PARTS as PART_MODULES } from '../parts';
import { OutputFollows } from '../core/outputFollows';
import type { OutputSources } from '../core/outputSources';
import { listenOnSocket } from './socketListener';
import { StatsRecorder } from '../core/stats/statsRecorder';
import { StatsPusher } from '../core/stats/statsPusher';
import { ReadStatsRequest, StatsPointsNotification } from '../protocol/stats';
import { sampleAgentResources } from './agentResources';
import { ResourceWatches } from './resourceWatches';
import { sharedResourceSampler } from '../proc/resources/resourceSampler';
import { StatsResources } from './statsResources';

export interface AgentOptions {
  readonly workspace: string;
  readonly configFile?: string | undefined;
  readonly rolesFile?: string | undefined;
  /** Also echo the agent log to this sink (foreground runs). */
  readonly echo?: ((line: string) => void) | undefined;
  readonly logLevel?: 'debug' | 'info' | undefined;
}

/** Why an agent did not start: another holds the workspace, or its socket could not be listened on. */
export type StartAgentFailure = Failure<'already-running' | 'socket'>;
export type StartAgentResult = Result<Agent, StartAgentFailure>;

const CORE_TOPICS: ReadonlySet<string> = new Set(['config', 'health', 'stats']);

const LENS_REFRESH_MS = 250;

export class Agent {
  readonly startedAt = Date.now();
  private readonly sessions = new Set<ClientSession>();
  private readonly subscriptions = new Map<ClientSession, Set<Topic>>();
  private readonly parts: Part[] = [];
  /** Each part beside its module, which says which section of a loaded config is its own. */
  private readonly modules: { readonly module: PartModule; readonly part: Part }[] = [];
  private outputs: OutputFollows | null = null;
  private readonly resourceWatches = new ResourceWatches(sharedResourceSampler());
  private readonly rpc = new RpcRegistry();
  private readonly languageContributions: LanguageContributions[] = [];
  private server: net.Server | undefined;
  private sequence = 0;
  private nextSessionId = 1;
  private lastHealth: HealthParams | undefined;
  private stopping: Promise<void> | undefined;
  private stopIdleCompaction: () => void = () => undefined;
  private stopResourceSampling: () => void = () => undefined;
  private readonly stats = new StatsRecorder();
  private readonly statsResources = new StatsResources(sharedResourceSampler(), this.stats, runSubject);
  private readonly statsPusher = new StatsPusher(this.stats, (batch) =>
    this.broadcast('stats', (session) => session.sendNotification(StatsPointsNotification.type, batch)),
  );
  private readonly config: ConfigService;
  private readonly runId: number;

  constructor(
    readonly workspace: string,
    configFile: string,
    readonly socketPath: string,
    readonly paths: StatePaths,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly releaseLock: () => void,
    rolesFile: string | undefined,
  ) {
    this.runId = Number(
      db.prepare('INSERT INTO agent_runs (pid, started_at, version) VALUES (?, ?, ?)').run(process.pid, this.startedAt, AGENT_VERSION)
        .lastInsertRowid,
    );
    this.config = new ConfigService({
      workspace,
      configFile,
      rolesFile,
      agentPid: process.pid,
      log: log.tag('config'),
      apply: async (config) => {
        for (const { module, part } of this.modules) await part.applyConfig(appliedConfigFor(module, config, workspace));
      },
      loaded: (snapshot) => this.configLoaded(snapshot),
    });
    this.registerCoreHandlers();
    this.resourceWatches.register(this.rpc);
  }

  /** The config file followed now (a client can switch it). */
  get configFile(): string {
    return this.config.configFile;
  }

  async start(): Promise<Result<void, Failure<'socket'>>> {
    const config = this.config;
    const context: AgentContext = {
      workspace: this.workspace,
      // Read at each use: a reload may switch them.
      get configFile() {
        return config.configFile;
      },
      get rolesFile() {
        return config.rolesFile;
      },
      paths: this.paths,
      db: this.db,
      log: this.log,
      stats: this.stats,
      publish: (topic, delta) => this.publish(topic, delta),
      subscribed: (topic) => [...this.subscriptions.values()].some((topics) => topics.has(topic)),
      healthChanged: () => this.pushHealth(),
      reloadConfig: (reason) => {
        this.log.tag('config').info(`${reason}: reloading the config`);
        void this.config.reload();
      },
      request: (type, params) => this.rpc.request(type, params),
    };
    const outputSources = new Map<PartName, OutputSources>();
    for (const module of PART_MODULES) {
      const part = module.create(context);
      module.handlers(this.rpc, part);
      if (module.language) this.languageContributions.push(module.language(part));
      if (module.outputs) outputSources.set(module.name, module.outputs(part));
      this.parts.push(part);
      this.modules.push({ module, part });
    }
    this.stopResourceSampling = sampleAgentResources(this.stats);
    this.outputs = new OutputFollows(outputSources);
    this.outputs.register(this.rpc);
    for (const part of this.parts) await part.start();
    await this.config.reload();
    this.config.watch();
    const listening = await listenOnSocket(this.socketPath, (socket) => this.accept(socket));
    if (!listening.ok) return failed({ reason: 'socket', message: listening.error.message });
    this.server = listening.value;
    this.stopIdleCompaction = startIdleCompaction({
      compacted: (before, after) => this.log.info(`idle: memory compacted, resident ${megabytes(before)} -> ${megabytes(after)} MB`),
    });
    this.log.info(`agent ${AGENT_VERSION} (pid ${process.pid}) listening on ${this.socketPath} for ${this.workspace}`);
    return ok(undefined);
  }

  private accept(socket: net.Socket): void {
    const session = new ClientSession({
      id: this.nextSessionId++,
      socket,
      rpc: this.rpc,
      log: this.log.tag('rpc'),
      handshakeResult: () => ({
        agentVersion: AGENT_VERSION,
        pid: process.pid,
        workspace: this.workspace,
        configFile: this.configFile,
        rolesFile: this.config.rolesFileInUse(),
      }),
      attachLanguageFeatures: (connection, client) =>
        attachLanguageFeatures(connection, {
          configFile: () => this.configFile,
          check: (text) => this.config.check(text),
          contributions: () => this.languageContributions,
          yamlSchemaSupport: () => client.yamlSchemaSupport,
        }),
      onClose: (closed) => {
        this.sessions.delete(closed);
        this.subscriptions.delete(closed);
        this.subscriptionsChanged();
      },
    });
    this.sessions.add(session);
  }

  private registerCoreHandlers(): void {
    this.rpc.on(StatusRequest.type, () => this.status());
    this.rpc.on(HealthRequest.type, () => this.health());
    this.rpc.on(SubscribeRequest.type, (params, client) => {
      const unknown = params.topics.filter((topic) => !this.knowsTopic(topic));
      if (unknown.length > 0) return failure(ErrorCodes.InvalidParams, `unknown topic: ${unknown.join(', ')}`);
      const session = [...this.sessions].find((candidate) => candidate.id === client.id);
      if (!session) return undefined;
      const topics = this.subscriptions.get(session) ?? new Set<Topic>();
      for (const topic of params.topics) topics.add(topic);
      this.subscriptions.set(session, topics);
      // A new subscriber gets the current health and config state at once.
      if (topics.has('health')) session.sendNotification(HealthNotification.type, this.health());
      if (topics.has('config')) session.sendNotification(ConfigStateNotification.type, this.configState(this.config.snapshot()));
      this.subscriptionsChanged();
      return undefined;
    });
    this.rpc.on(UnsubscribeRequest.type, (params, client) => {
      const topics = [...this.subscriptions].find(([session]) => session.id === client.id)?.[1];
      for (const topic of params.topics) topics?.delete(topic);
      this.subscriptionsChanged();
    });
    this.rpc.on(ReadStatsRequest.type, (params) => this.stats.read(typeof params?.since === 'number' ? params.since : 0));
    this.rpc.on(CheckConfigRequest.type, (params) => ({
      file: this.configFile,
      diagnostics: diagnosticsOf(this.config.check(params.text)),
    }));
    this.rpc.on(ReloadConfigRequest.type, async (params) => {
      const request = checkReloadParams(params);
      if (!request.ok) return failure(ErrorCodes.InvalidParams, request.error.message);
      const outcome = await this.config.reload(request.value);
      return { ...outcome, configFile: this.configFile, rolesFile: this.config.rolesFileInUse() };
    });
    this.rpc.on(ShutdownAgentRequest.type, (params) => {
      // Answer first, then stop: give the response time to reach the client.
      setTimeout(() => void this.stop({ keepProcesses: params.keepProcesses === true }).then(() => process.exit(0)), 50);
    });
  }

  private knowsTopic(topic: string): boolean {
    return CORE_TOPICS.has(topic) || PART_MODULES.some((module) => module.name === topic);
  }

  status(): AgentStatus {
    const counts = Object.fromEntries(this.parts.map((part) => [part.name, part.counts()]));
    return {
      pid: process.pid,
      agentVersion: AGENT_VERSION,
      protocolVersion: PROTOCOL_VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      startedAt: this.startedAt,
      socketPath: this.socketPath,
      workspace: this.workspace,
      configFile: this.configFile,
      rolesFile: this.config.rolesFileInUse(),
      configErrors: this.configErrorCount(this.config.snapshot().diagnostics),
      clients: this.sessions.size,
      counts,
    };
  }

  private configErrorCount(diagnostics: readonly Diagnostic[]): number {
    return diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  }

  health(): HealthParams {
    const config = this.config.snapshot();
    return computeHealth(this.parts, this.configErrorCount(config.diagnostics), config.current !== null);
  }

  private pushHealth(): void {
    const health = this.health();
    if (sameHealth(this.lastHealth, health)) return;
    this.lastHealth = health;
    this.broadcast('health', (session) => session.sendNotification(HealthNotification.type, health));
  }

  private configState(snapshot: ConfigSnapshot): { file: string; diagnostics: readonly Diagnostic[]; appliedAt: number } {
    return { file: snapshot.file, diagnostics: snapshot.diagnostics, appliedAt: snapshot.appliedAt };
  }

  private configLoaded(snapshot: ConfigSnapshot): void {
    this.broadcast('config', (session) => session.sendNotification(ConfigStateNotification.type, this.configState(snapshot)));
    this.pushHealth();
  }

  private publish(topic: PartName, delta: unknown): void {
    const params = { topic, sequence: ++this.sequence, delta };
    this.broadcast(topic, (session) => session.sendNotification(StateChangedNotification.type, params));
    this.scheduleCodeLensRefresh();
  }

  private lensRefreshTimer: NodeJS.Timeout | undefined;

  /** Code lenses show live state: editors re-ask for them shortly after a burst of changes. */
  private scheduleCodeLensRefresh(): void {
    if (this.lensRefreshTimer) return;
    this.lensRefreshTimer = setTimeout(() => {
      this.lensRefreshTimer = undefined;
      for (const session of this.sessions) session.refreshCodeLenses();
    }, LENS_REFRESH_MS);
    this.lensRefreshTimer.unref();
  }

  /** Stats batches are kept and sent only while a client subscribed to them; parts may do likewise. */
  private subscriptionsChanged(): void {
    const listening = [...this.subscriptions.values()].some((topics) => topics.has('stats'));
    this.statsPusher.setListening(listening);
    this.statsResources.setWanted(listening);
    for (const part of this.parts) part.subscriptionsChanged?.();
  }

  private broadcast(topic: Topic, send: (session: ClientSession) => void): void {
    for (const [session, topics] of this.subscriptions) if (topics.has(topic)) send(session);
  }

  /** Stops serving, stops the parts (or leaves their processes for adoption), releases everything. */
  stop(options: { keepProcesses: boolean }): Promise<void> {
    this.stopping ??= this.stopNow(options);
    return this.stopping;
  }

  private async stopNow(options: { keepProcesses: boolean }): Promise<void> {
    this.log.info(`agent stopping (${options.keepProcesses ? 'leaving processes running' : 'stopping processes'})`);
    this.config.close();
    this.stopIdleCompaction();
    this.stopResourceSampling();
    this.statsPusher.close();
    this.server?.close();
    this.outputs?.close(options.keepProcesses);
    this.resourceWatches.close();
    this.statsResources.close();
    // A turn of the event loop, so those notices are written before connections close.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(this.parts.map((part) => part.stop(options)));
    for (const session of [...this.sessions]) session.close();
    this.db.prepare('UPDATE agent_runs SET stopped_at = ? WHERE id = ?').run(Date.now(), this.runId);
    this.db.close();
    fs.rmSync(this.socketPath, { force: true });
    this.releaseLock();
    this.log.info('agent stopped');
  }
}

/** Takes the lock and starts an agent; fails as a value when another one runs. */
export async function startAgent(options: AgentOptions): Promise<StartAgentResult> {
  // Before anything is opened or started: nothing of the caller's reaches a child, nothing of ours is readable by others.
  const inherited = closeInheritedDescriptors();
  keepOwnFilesPrivate();
  const workspace = fs.realpathSync(path.resolve(options.workspace));
  const configFile = path.resolve(workspace, options.configFile ?? 'taskwarden.yaml');
  const paths = ensureStateDirectory(workspace);
  const corrected = makeStatePrivate(paths.root);
  const logFile = fs.openSync(paths.agentLog, 'a', PRIVATE_FILE_MODE);
  const sink = (line: string): void => {
    fs.writeSync(logFile, line);
    options.echo?.(line);
  };
  const log = createLogger(sink, options.logLevel ?? 'info');
  if (inherited.length > 0) log.info(`closed descriptors inherited from the caller: ${inherited.join(', ')}`);
  if (corrected.length > 0) log.info(`made ${corrected.length} entries of ${paths.root} private (0700 folders, 0600 files)`);
  const lock = acquireAgentLock(paths.lock);
  if (!lock.ok) return failed({ reason: 'already-running', message: lock.error.message });
  const db = openDatabase(paths.database, { migrations: PART_MODULES.flatMap((module) => module.migrations) });
  const socketPath = socketPathFor({ workspace });
  const rolesFile = options.rolesFile === undefined ? undefined : path.resolve(workspace, options.rolesFile);
  const agent = new Agent(workspace, configFile, socketPath, paths, db, log, lock.value, rolesFile);
  const started = await agent.start();
  if (!started.ok) {
    await agent.stop({ keepProcesses: true });
    return started;
  }
  return ok(agent);
}

/** A reload request as sent (any client may send any JSON): absolute paths, if any. */
function checkReloadParams(params: ReloadConfigParams | null | undefined): Result<Partial<ConfigFiles>, Failure<'not-absolute'>> {
  const files: { configFile?: string; rolesFile?: string } = {};
  for (const key of ['configFile', 'rolesFile'] as const) {
    const value: unknown = params?.[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !path.isAbsolute(value))
      return failed({ reason: 'not-absolute', message: `${key} must be an absolute path` });
    files[key] = path.normalize(value);
  }
  return ok(files);
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** A run as a user writes it (`web:0`, `task:7`): the subject of its stats series. */
function runSubject(part: string, id: string): string {
  const naming = PART_MODULES.find((module) => module.name === part)?.runs?.logs;
  return naming?.bare ? id : `${naming?.prefix ?? part}:${id}`;
}
