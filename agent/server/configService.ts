/**
 * Watches taskwarden.yaml, loads it with the shared loader, and hands each good
 * config to the parts. A bad edit never replaces a running config: the last
 * good one stays and the problems are reported to clients. A client can switch
 * the agent to another config or roles file; the switch happens only when the
 * new files load without errors, and the watcher then follows the new file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemCheckContext } from '../config/checkContext';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import type { LoadedConfig } from '../config/loader';
import {
  diagnosticsOf,
  rejected,
  type AcceptedConfig,
  type LoadRejection,
  type LoadResult,
  type RejectedConfig,
} from '../config/loadResult';
import { ok, type Result } from '../result';
import { emptyConfig, loadConfig } from '../workspaceConfig';
import type { Logger } from '../log';
import { rolesFileInUse, type ConfigFiles } from '../config/configFiles';

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
  /** The agent's pid, for `{Task_ppid}` in the config. */
  readonly agentPid: number;
  readonly log: Logger;
  /** Applies a good config; resolves when every part took it. */
  readonly apply: (config: LoadedConfig) => Promise<void>;
  /** Called after every load, good or bad. */
  readonly loaded: (snapshot: ConfigSnapshot) => void;
}

/** What a reload did; see ReloadResult in agent/protocol/config.ts. */
export interface ReloadOutcome {
  readonly applied: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly switched: boolean;
}

/** A load of the files: the loader's, or a file a switch asked for that cannot be read, or one that is gone. */
type FilesLoad = Result<AcceptedConfig, RejectedConfig<LoadRejection | 'unreadable' | 'gone'>>;

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
  private files: ConfigFiles;

  constructor(private readonly options: ConfigServiceOptions) {
    this.files = { configFile: options.configFile, rolesFile: options.rolesFile };
  }

  /** The config file followed now. */
  get configFile(): string {
    return this.files.configFile;
  }

  /** The roles file given with `-r` (or by a switch), if any. */
  get rolesFile(): string | undefined {
    return this.files.rolesFile;
  }

  /** The roles file in use: the explicit one, else the running config's `settings.roles_file`. */
  rolesFileInUse(): string | null {
    return rolesFileInUse(this.options.workspace, this.files.rolesFile, this.current?.data ?? null);
  }

  snapshot(): ConfigSnapshot {
    return { file: this.files.configFile, diagnostics: this.diagnostics, appliedAt: this.appliedAt, current: this.current };
  }

  /** Loads text (an editor buffer, or the file when omitted) without applying it. */
  check(text?: string): LoadResult {
    return this.checkFiles(this.files, text ?? this.readConfigText());
  }

  private checkFiles(files: ConfigFiles, text: string | null): LoadResult {
    const context = { ...systemCheckContext(this.options.workspace, files.rolesFile), agentPid: this.options.agentPid };
    if (text === null) {
      // No file yet: run with nothing configured (tasks and queues work without one).
      return ok({ config: emptyConfig(files.configFile, context), diagnostics: [this.missingFileDiagnostic(files.configFile)] });
    }
    return loadConfig({ file: files.configFile, text, context });
  }

  /**
   * Reads, checks and (when good) applies the file, or switches to the files
   * asked for; serialised so reloads never overlap.
   */
  reload(request: Partial<ConfigFiles> = {}): Promise<ReloadOutcome> {
    const run = this.chain.then(() => {
      const target: ConfigFiles = {
        configFile: request.configFile ?? this.files.configFile,
        rolesFile: request.rolesFile ?? this.files.rolesFile,
      };
      const same = target.configFile === this.files.configFile && target.rolesFile === this.files.rolesFile;
      return same ? this.reloadNow() : this.switchTo(target);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Loads other files; only when they load without errors does the agent follow them (and apply their config). */
  private async switchTo(target: ConfigFiles): Promise<ReloadOutcome> {
    const unreadable = [target.configFile, target.rolesFile].find(
      (file) => file !== undefined && file !== this.files.configFile && file !== this.files.rolesFile && !isReadableFile(file),
    );
    const result: FilesLoad =
      unreadable === undefined
        ? this.checkFiles(target, readText(target.configFile))
        : rejected('unreadable', [this.unreadableDiagnostic(unreadable)]);
    if (!result.ok) {
      const { diagnostics } = result.error;
      // The files in use and their state stay as they are: clients are not told of a file the agent does not follow.
      this.options.log.warn(
        `not switching to ${describeFiles(target)}: ${diagnostics.length} problems; keeping ${describeFiles(this.files)}`,
      );
      return { applied: false, diagnostics, switched: false };
    }
    const { config, diagnostics } = result.value;
    const before = `${this.files.configFile}\0${this.rolesFileInUse() ?? ''}`;
    this.files = target;
    this.diagnostics = diagnostics;
    this.current = config;
    this.appliedAt = Date.now();
    if (this.watcher) this.watch();
    await this.options.apply(config);
    this.options.log.info(`now following ${describeFiles(this.files)}; config applied (${diagnostics.length} warnings)`);
    this.options.loaded(this.snapshot());
    return {
      applied: true,
      diagnostics,
      switched: before !== `${this.files.configFile}\0${this.rolesFileInUse() ?? ''}`,
    };
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const text = await this.readSettledText();
    // A file that is gone while a config with content runs (deleted, moved, a branch switch) is refused as an
    // emptied one is: running on an empty config would stop every daemon.
    const result: FilesLoad = text === null && this.hadContent() ? this.goneFileResult() : this.check(text ?? undefined);
    this.diagnostics = diagnosticsOf(result);
    if (result.ok) {
      this.current = result.value.config;
      this.appliedAt = Date.now();
      await this.options.apply(result.value.config);
      this.options.log.info(`config applied (${this.diagnostics.length} warnings)`);
      this.logProblems(this.diagnostics, (line) => this.options.log.info(line));
    } else {
      this.options.log.warn(
        `config not applied: ${result.error.message}; ${this.current ? 'the last good config keeps running' : 'no config applied yet'}`,
      );
      this.logProblems(this.diagnostics, (line) => this.options.log.warn(line));
    }
    this.options.loaded(this.snapshot());
    return { applied: result.ok, diagnostics: this.diagnostics, switched: false };
  }

  /** The log says why a file was not applied (or what its warnings are), one problem a line as `check` prints them. */
  private logProblems(diagnostics: readonly Diagnostic[], write: (line: string) => void): void {
    for (const diagnostic of diagnostics.slice(0, LOGGED_PROBLEMS)) write(`  ${formatDiagnostic(diagnostic)}`);
    if (diagnostics.length > LOGGED_PROBLEMS)
      write(`  … and ${diagnostics.length - LOGGED_PROBLEMS} more (taskwarden check lists them all)`);
  }

  /** Watches the folder (not the file) so editors that save by rename-replace are seen; again after a switch. */
  watch(): void {
    this.close();
    const directory = path.dirname(this.files.configFile);
    const name = path.basename(this.files.configFile);
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
   * read after a non-empty config is taken only if the file is still empty then
   * (a missing file likewise, for editors that save by rename-replace).
   */
  private async readSettledText(): Promise<string | null> {
    const text = this.readConfigText();
    if ((text !== null && text.trim() !== '') || !this.hadContent()) return text;
    // Emptied, or gone in the instant of a rename-replace save: taken only if it still is a moment later.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_EMPTY_MS));
    return this.readConfigText();
  }

  private hadContent(): boolean {
    return this.current !== null && Object.keys(this.current.data).length > 0;
  }

  private goneFileResult(): FilesLoad {
    const file = this.files.configFile;
    const message = `${file} is gone (deleted or moved): the running config stays; restore the file, or write 'tasks: {}' there to run no daemons`;
    return rejected('gone', [atFileStart(file, 'error', message)]);
  }

  private readConfigText(): string | null {
    return readText(this.files.configFile);
  }

  private missingFileDiagnostic(file: string): Diagnostic {
    return atFileStart(file, 'warning', `no config file at ${file}; running with an empty config`);
  }

  /** A file asked for by a switch must exist: "no file, empty config" is for the one an agent starts with. */
  private unreadableDiagnostic(file: string): Diagnostic {
    return atFileStart(file, 'error', `cannot read ${file}; the agent keeps ${describeFiles(this.files)}`);
  }
}

/** A problem of the file as a whole, shown on its first line. */
function atFileStart(file: string, severity: Diagnostic['severity'], message: string): Diagnostic {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity, message };
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function describeFiles(files: ConfigFiles): string {
  return files.rolesFile === undefined ? files.configFile : `${files.configFile} with roles file ${files.rolesFile}`;
}
