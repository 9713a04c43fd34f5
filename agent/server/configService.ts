/**
 * Watches taskwarden.yaml, loads it with the shared loader, and hands each good
 * config to the parts. A bad edit never replaces a running config: the last
 * good one stays and the problems are reported to clients.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemCheckContext } from '../config/checkContext';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import type { LoadedConfig, LoadResult } from '../config/loader';
import { loadConfig } from '../workspaceConfig';
import type { Logger } from '../log';

export interface ConfigSnapshot {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly appliedAt: number;
  readonly current: LoadedConfig | null;
}

export interface ConfigServiceOptions {
  readonly workspace: string;
  readonly configFile: string;
  readonly rolesFile?: string | undefined;
  readonly log: Logger;
  /** Applies a good config; resolves when every part took it. */
  readonly apply: (config: LoadedConfig) => Promise<void>;
  /** Called after every load, good or bad. */
  readonly loaded: (snapshot: ConfigSnapshot) => void;
}

const DEBOUNCE_MS = 100;
/** How long an emptied config file must stay empty before it counts. */
const SETTLE_EMPTY_MS = 500;
/** The agent's log lists a load's problems up to this many, then says how many more. */
const LOGGED_PROBLEMS = 20;

export class ConfigService {
  private current: LoadedConfig | null = null;
  private diagnostics: readonly Diagnostic[] = [];
  private appliedAt = 0;
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ConfigServiceOptions) {}

  snapshot(): ConfigSnapshot {
    return { file: this.options.configFile, diagnostics: this.diagnostics, appliedAt: this.appliedAt, current: this.current };
  }

  /** Loads text (an editor buffer, or the file when omitted) without applying it. */
  check(text?: string): LoadResult {
    const source = text ?? this.readConfigText();
    if (source === null) {
      // No file yet: run with nothing configured (tasks and queues work without one).
      return { ok: true, config: { file: this.options.configFile, data: {} }, diagnostics: [this.missingFileDiagnostic()] };
    }
    return loadConfig({
      file: this.options.configFile,
      text: source,
      context: systemCheckContext(this.options.workspace, this.options.rolesFile),
    });
  }

  /** Reads, checks and (when good) applies the file; serialised so reloads never overlap. */
  reload(): Promise<{ applied: boolean; diagnostics: readonly Diagnostic[] }> {
    const run = this.chain.then(() => this.reloadNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<{ applied: boolean; diagnostics: readonly Diagnostic[] }> {
    const result = this.check(await this.readSettledText());
    this.diagnostics = result.diagnostics;
    if (result.ok) {
      this.current = result.config;
      this.appliedAt = Date.now();
      await this.options.apply(result.config);
      this.options.log.info(`config applied (${result.diagnostics.length} warnings)`);
      this.logProblems(result.diagnostics, (line) => this.options.log.info(line));
    } else {
      const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
      this.options.log.warn(
        `config not applied: ${errors} error${errors === 1 ? '' : 's'}; ${this.current ? 'the last good config keeps running' : 'no config applied yet'}`,
      );
      this.logProblems(result.diagnostics, (line) => this.options.log.warn(line));
    }
    this.options.loaded(this.snapshot());
    return { applied: result.ok, diagnostics: result.diagnostics };
  }

  /** The log says why a file was not applied (or what its warnings are), one problem a line as `check` prints them. */
  private logProblems(diagnostics: readonly Diagnostic[], write: (line: string) => void): void {
    for (const diagnostic of diagnostics.slice(0, LOGGED_PROBLEMS)) write(`  ${formatDiagnostic(diagnostic)}`);
    if (diagnostics.length > LOGGED_PROBLEMS)
      write(`  … and ${diagnostics.length - LOGGED_PROBLEMS} more (taskwarden check lists them all)`);
  }

  /** Watches the folder (not the file) so editors that save by rename-replace are seen. */
  watch(): void {
    const directory = path.dirname(this.options.configFile);
    const name = path.basename(this.options.configFile);
    this.watcher = fs.watch(directory, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), DEBOUNCE_MS);
    });
    this.watcher.on('error', (error) => this.options.log.warn(`config watch failed: ${error.message}`));
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  /**
   * An editor that saves in place truncates the file before writing it: read in
   * that instant, a config that had content looks empty. The loader refuses an
   * empty config (the running one stays), but the log, the status and the
   * editors would report an error that is not there a moment later. An empty
   * read after a non-empty config is taken only if the file is still empty then.
   */
  private async readSettledText(): Promise<string | undefined> {
    const text = this.readConfigText();
    const hadContent = this.current !== null && Object.keys(this.current.data).length > 0;
    if (text === null || text.trim() !== '' || !hadContent) return text ?? undefined;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_EMPTY_MS));
    return this.readConfigText() ?? undefined;
  }

  private readConfigText(): string | null {
    try {
      return fs.readFileSync(this.options.configFile, 'utf8');
    } catch {
      return null;
    }
  }

  private missingFileDiagnostic(): Diagnostic {
    return {
      file: this.options.configFile,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      severity: 'warning',
      message: `no config file at ${this.options.configFile}; running with an empty config`,
    };
  }
}
