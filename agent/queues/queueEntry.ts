/**
 * One queued or running item as the agent holds it, and its protocol record.
 */
import type { SupervisedRun } from '../proc/supervisedRun';
import { processQueueRecord } from './protocol';
import type { QueueItem, QueueItemFinal, QueueItemState } from './protocol';

export interface ItemSpec {
  readonly cmd: readonly string[];
  readonly cwd: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly after: readonly string[];
  /** The name of its output files when its id ran before (`ID~2`…; outputFiles.ts); absent: the id. */
  readonly output?: string;
}

export class QueueEntry implements QueueItem {
  state: QueueItemState = 0;
  pid: number | null = null;
  startTicks: number | null = null;
  exit: number | null = null;
  stderr = 0;
  error: string | null = null;
  warnings: string[] = [];
  killed = false;
  timeStart: number | null = null;
  timeEnd: number | null = null;
  final: QueueItemFinal | null = null;
  stdoutFile: string | null = null;
  stderrFile: string | null = null;
  run: SupervisedRun | null = null;
  /** Its (empty) output files were created ahead of its start. */
  filesPrepared = false;
  /** `queue list --json`'s row, kept while queued: nothing in it changes before the item starts. */
  private queuedJson: string | null = null;
  /** Set by kill while it runs: the end is recorded as killed, exit -9. */
  killRequested = false;

  constructor(
    readonly id: string,
    readonly queue: string,
    public pos: number,
    readonly spec: ItemSpec,
    readonly timeQueue: number,
  ) {}

  get cmd(): readonly string[] {
    return this.spec.cmd;
  }
  get cwd(): string | null {
    return this.spec.cwd;
  }
  get env(): Readonly<Record<string, string>> {
    return this.spec.env;
  }
  get after(): readonly string[] {
    return this.spec.after;
  }

  /** The row kept while queued, if one was made. */
  get queuedRow(): string | null {
    return this.queuedJson;
  }

  /** The item as one `queue list --json` row (process-queue's record). */
  listJson(): string {
    if (this.state !== 0) return JSON.stringify(processQueueRecord(this.record()));
    return (this.queuedJson ??= JSON.stringify(processQueueRecord(this.record())));
  }

  record(): QueueItem {
    return {
      id: this.id,
      queue: this.queue,
      state: this.state,
      cmd: this.cmd,
      cwd: this.cwd,
      env: this.env,
      after: this.after,
      pid: this.pid,
      exit: this.exit,
      stderr: this.stderr,
      error: this.error,
      warnings: this.warnings,
      killed: this.killed,
      timeQueue: this.timeQueue,
      timeStart: this.timeStart,
      timeEnd: this.timeEnd,
      final: this.final,
      stdoutFile: this.stdoutFile,
      stderrFile: this.stderrFile,
    };
  }
}
