/**
 * A bench workspace for Taskwarden: a temporary folder, its taskwarden.yaml and
 * the agent serving it, driven through the real CLI (used by the Taskwarden
 * subject and its queue runner).
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { describeFailure, killPid, runCommand, type CommandResult } from '../exec';
import { isAlive } from '../proc';
import type { BenchContext } from '../subject';
import { errorMessage, Unavailable } from '../subject';
import { sleep } from '../wait';

export type Control = 'wait' | 'once' | 'off';

export interface TaskSpec {
  control: Control;
  commands: { start: string[] };
  restart?: { initial_delay: number; reset_after: number; crash_loop: false };
  logs?: { max_bytes: number; keep: number };
}

/** One workspace folder and the agent serving it. */
export class Workspace {
  readonly dir: string;
  private agentPid: number | null = null;
  private watcherOnly = false;
  private dropCleanup: () => void = () => undefined;

  constructor(
    private readonly context: BenchContext,
    private readonly cliPath: string,
    label: string,
  ) {
    this.dir = mkdtempSync(join(context.tempRoot, `tw-${label}-`));
  }

  /** Writes taskwarden.yaml: the tasks, plus other top-level sections (e.g. `queues`). */
  writeConfig(tasks: Record<string, TaskSpec>, sections: Record<string, unknown> = {}): void {
    writeFileSync(join(this.dir, 'taskwarden.yaml'), stringify({ tasks, ...sections }));
  }

  /** Runs `taskwarden <args>`; a failure becomes Unavailable naming the command. */
  async cli(args: readonly string[], timeoutMs = 60_000): Promise<CommandResult> {
    const result = await runCommand([process.execPath, this.cliPath, ...args], {
      env: this.context.env,
      cwd: this.dir,
      timeoutMs,
    });
    if (result.code !== 0) throw new Unavailable(describeFailure(result));
    return result;
  }

  async up(tasks: Record<string, TaskSpec>, sections: Record<string, unknown> = {}): Promise<number> {
    this.writeConfig(tasks, sections);
    this.dropCleanup = this.context.cleanup.add(`taskwarden agent in ${this.dir}`, () => this.down());
    await this.cli(['up', '-w', this.dir]);
    const status = await this.cli(['status', '--json', '--no-start', '-w', this.dir]);
    const pid = (JSON.parse(status.stdout) as { pid?: unknown }).pid;
    if (typeof pid !== 'number') throw new Unavailable('taskwarden status --json: no numeric "pid"');
    this.agentPid = pid;
    return pid;
  }

  /**
   * Writes the config and asks for a reload. Without a `reload` command the agent's file watcher
   * (edits apply live) is relied on, and the figure then includes its debounce.
   */
  async reload(tasks: Record<string, TaskSpec>): Promise<void> {
    this.writeConfig(tasks);
    if (this.watcherOnly) return;
    try {
      await this.cli(['reload', '--no-start', '-w', this.dir]);
    } catch (error: unknown) {
      if (!/unknown command/i.test(errorMessage(error))) throw error;
      this.watcherOnly = true;
      this.context.log('  taskwarden has no `reload` command: relying on its file watcher');
    }
  }

  /** `taskwarden down`, then by pid if the agent is still there. */
  async down(): Promise<void> {
    this.dropCleanup();
    try {
      await this.cli(['down', '-w', this.dir], 30_000);
    } catch (error: unknown) {
      this.context.log(`taskwarden down: ${error instanceof Error ? error.message : String(error)}`);
    }
    const pid = this.agentPid;
    if (pid === null) return;
    for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 50) await sleep(50);
    if (isAlive(pid)) killPid(pid, 'SIGKILL');
  }

  /** Stdout log files of a task: paths under .taskwarden/logs/ naming it, not stderr ones. */
  logFiles(task: string): string[] {
    const root = join(this.dir, '.taskwarden', 'logs');
    if (!existsSync(root)) return [];
    const found: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else {
          const words = relative(root, path).split(/[^A-Za-z0-9]+/);
          if (words.includes(task) && !words.some((word) => /^(err|stderr)$/i.test(word))) found.push(path);
        }
      }
    };
    walk(root);
    return found;
  }
}
