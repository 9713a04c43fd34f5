/**
 * One group's runner (the seed's "a separate process per schedulegroup"): it
 * loads the group's tasklets, runs a round at once and then every interval
 * (roundClock.ts), and reports to the agent (agentLink.ts). It keeps going when
 * the agent goes away (an agent restart adopts it), reloads its tasklets when a
 * file of its folder changed (looked at before each round and on a folder
 * event), and takes new params from the agent when the params file changed.
 */
import * as fs from 'node:fs';
import type { GroupParams, JsonValue, RunnerHelloResult, RunnerSetup, TaskletInfo } from '../protocol';
import { packResults } from '../protocol';
import { createUserAgentApi, type AgentRequester } from '../../userAgentApi';
import { AgentLink } from './agentLink';
import { clearBreak, runRound, type RunnableTasklet } from './round';
import { delayUntilNextRound } from './roundClock';
import { isNews, type RoundGist } from './roundNews';
import { folderFingerprint, loadTasklets } from './taskletLoader';
import type { Watchdog } from './watchdog';

const RELOAD_DEBOUNCE_MS = 100;
/** A round still running after this is announced to the agent (the view's "round N running"). */
const STARTED_NOTICE_MS = 50;

export class GroupRunner {
  private setup: RunnerSetup | null = null;
  private params: Record<string, JsonValue> = {};
  private pendingParams: { params: GroupParams; file: string } | null = null;
  private readonly lastRuns = new Map<string, number>();
  private tasklets: readonly RunnableTasklet[] = [];
  private infos: readonly TaskletInfo[] = [];
  private names: readonly string[] = [];
  private fingerprint: string | null = null;
  private lastStart: number | null = null;
  private lastEnd: number | null = null;
  private running = false;
  private runNowAsked = false;
  /** The last round's report, what the next one is compared with (roundNews.ts). */
  private lastGist: RoundGist | null = null;
  private timer: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> = Promise.resolve();
  private readonly link: AgentLink;
  private readonly agentApi = createUserAgentApi(() => this.requester());

  constructor(
    workspace: string,
    private readonly group: string,
    private readonly watchdog: Watchdog | null,
  ) {
    this.link = new AgentLink(workspace, group, {
      onHello: (hello) => this.hello(hello),
      onSetup: (setup) => this.configure(setup),
      onRunRound: () => this.runNow(),
      onParams: (params, file) => this.newParams(params, file),
      note: (line) => this.note(line),
      unsentChanged: (reports) => this.watchdog?.holding(reports),
    });
  }

  async start(): Promise<void> {
    // A stop (the agent's SIGTERM) sends the held round reports first.
    process.once('SIGTERM', () => void this.link.closeAfterSending().finally(() => process.exit(0)));
    await this.link.connect();
  }

  private requester(): AgentRequester {
    const connection = this.link.current;
    if (connection === null) throw new Error('the agent is not reachable right now (it may be restarting)');
    return connection;
  }

  private note(line: string): void {
    process.stdout.write(`[runner] ${line}\n`);
  }

  private hello(hello: RunnerHelloResult): void {
    if (hello.params !== null) this.params = structuredClone(hello.params) as Record<string, JsonValue>;
    for (const [name, at] of Object.entries(hello.setup.lastRuns)) this.lastRuns.set(name, Math.max(at, this.lastRuns.get(name) ?? 0));
    const first = this.setup === null;
    this.configure(hello.setup);
    if (first) {
      this.watchFolder(hello.setup.folder);
      void this.reloadIfChanged();
    }
  }

  private configure(setup: RunnerSetup): void {
    const previous = this.setup;
    this.setup = previous === null ? setup : { ...setup, nextRound: Math.max(setup.nextRound, previous.nextRound) };
    this.link.holdFor(setup.holdMs);
    if (previous !== null && previous.active !== setup.active) {
      this.note(setup.active ? 'started' : 'stopped: no more rounds until started');
      // A started group's first round runs at once.
      if (setup.active) this.runNowAsked = true;
    }
    this.schedule();
  }

  private watchFolder(folder: string): void {
    try {
      this.watcher = fs.watch(folder, () => {
        clearTimeout(this.reloadTimer);
        // During a round the look before the next one sees the edit.
        this.reloadTimer = setTimeout(() => void (this.running ? undefined : this.reloadIfChanged()), RELOAD_DEBOUNCE_MS);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // No events: the look before each round still sees edits.
    }
  }

  /** Loads run one after the other: a round waits for a load in flight instead of running with none. */
  private reloadIfChanged(): Promise<void> {
    this.loading = this.loading.then(() => this.reloadNow());
    return this.loading;
  }

  private async reloadNow(): Promise<void> {
    const setup = this.setup;
    if (setup === null) return;
    const fingerprint = folderFingerprint(setup.folder);
    if (fingerprint === this.fingerprint) return;
    const reload = this.fingerprint !== null;
    this.fingerprint = fingerprint;
    const loaded = await loadTasklets(setup.folder);
    this.tasklets = loaded.runnable;
    this.infos = loaded.infos;
    this.names = loaded.infos.map((info) => info.name);
    if (reload) this.note(`tasklets reloaded: ${this.names.join(', ') || 'none'}`);
    for (const problem of loaded.problems) this.note(`${problem.file}:${problem.line}: ${problem.message}`);
    this.link.loaded({ group: this.group, tasklets: loaded.infos, problems: loaded.problems });
  }

  private newParams(params: GroupParams, file: string): void {
    this.pendingParams = { params, file };
    if (!this.running) this.applyPendingParams();
  }

  private applyPendingParams(): void {
    if (this.pendingParams === null) return;
    this.params = structuredClone(this.pendingParams.params) as Record<string, JsonValue>;
    this.link.paramsReplaced();
    this.note(`params reloaded from ${this.pendingParams.file}`);
    this.pendingParams = null;
  }

  private runNow(): void {
    this.runNowAsked = true;
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const setup = this.setup;
    if (setup === null || this.running) return;
    if (!setup.active && !this.runNowAsked) return;
    const delay = this.runNowAsked
      ? 0
      : delayUntilNextRound({ lastStart: this.lastStart, lastEnd: this.lastEnd }, setup.intervalMs, Date.now(), setup.notBefore);
    if (delay === null) return;
    this.timer = setTimeout(() => void this.round(), delay);
  }

  private async round(): Promise<void> {
    const setup = this.setup;
    if (setup === null || this.running) return;
    this.running = true;
    const asked = this.runNowAsked;
    this.runNowAsked = false;
    await this.reloadIfChanged();
    this.applyPendingParams();
    const round = setup.nextRound;
    this.setup = { ...setup, nextRound: round + 1 };
    const startedAt = Date.now();
    this.lastStart = startedAt;
    this.lastEnd = null;
    // Most rounds end sooner than this: their end tells the agent all (one message a round, not two).
    // A tasklet that blocks the thread meanwhile is reported by the watchdog, with its round.
    const startNotice = setTimeout(() => this.link.roundStarted(round, startedAt), STARTED_NOTICE_MS);
    // The report names the tasklets this round ran, whatever a reload does meanwhile.
    const names = this.names;
    this.watchdog?.beginRound(round, names, setup.timeLimitMs);
    const outcome = await runRound({
      group: this.group,
      round,
      tasklets: this.tasklets,
      params: this.params,
      lastRuns: this.lastRuns,
      timeLimitMs: this.setup.timeLimitMs,
      agent: this.agentApi,
      log: (tasklet, line) => process.stdout.write(`[${tasklet}] ${line}\n`),
      ...(this.watchdog ? { watch: this.watchdog } : {}),
    });
    for (const result of outcome.results)
      if (result.error !== null)
        process.stderr.write(
          `[${result.name}] ${result.outcome}: ${result.error.message}\n${result.error.stack.map((line) => `    ${line}\n`).join('')}`,
        );
    // What the next round and a restarted runner start from: `break` does not outlive its round.
    clearBreak(this.params);
    clearTimeout(startNotice);
    this.lastEnd = outcome.endedAt;
    this.running = false;
    const report = {
      group: this.group,
      round,
      startedAt: outcome.startedAt,
      endedAt: outcome.endedAt,
      endedBy: outcome.endedBy,
      names,
      results: packResults(outcome.results, outcome.startedAt),
      paramsText: JSON.stringify(this.params),
    };
    // A round someone asked for (`group run`, a start) is told at once, like one with news.
    this.link.roundEnded(report, asked || isNews(this.lastGist, report));
    this.lastGist = report;
    this.applyPendingParams();
    this.schedule();
  }
}
