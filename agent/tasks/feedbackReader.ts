/**
 * Reads one task's feedback file as it changes: asks `planFeedbackRead` what
 * happened since the last look, reads only the new bytes (asynchronously) into a
 * `FeedbackAccumulator`, and keeps the mark that lets a restarted agent resume
 * at the same offset. Reads are serialised, and a burst of requests while one
 * runs collapses into a single follow-up read.
 */
import * as fsp from 'node:fs/promises';
import { FeedbackAccumulator, type FeedbackValues } from './feedbackParser';
import { planFeedbackRead, type FeedbackFileMark } from './feedbackPath';
import type { FeedbackProgress } from './taskStore';

/** What one look at the file found. */
export interface FeedbackLook {
  /** The file changed (touched, written, created, replaced): a sign of life. */
  readonly updated: boolean;
  /** The parsed values changed. */
  readonly changed: boolean;
  /** The file's mtime when updated, else null. */
  readonly mtimeMs: number | null;
}

const NOTHING: FeedbackLook = { updated: false, changed: false, mtimeMs: null };
const CHUNK_BYTES = 1 << 20;

export class FeedbackReader {
  private readonly accumulator: FeedbackAccumulator;
  private mark: FeedbackFileMark | null;
  private running: Promise<unknown> = Promise.resolve();
  private queued: Promise<FeedbackLook> | null = null;

  /** `resume` is the progress a previous agent saved (null for a new task). */
  constructor(
    readonly file: string,
    resume: FeedbackProgress | null = null,
  ) {
    if (resume === null || resume.inode === null || !/^\d+$/.test(resume.inode)) {
      this.accumulator = new FeedbackAccumulator();
      this.mark = null;
    } else {
      this.accumulator = new FeedbackAccumulator({ resumeFrom: { values: resume.values, offset: resume.offset } });
      // Inodes may exceed 2^53: the store keeps them as text, compared as text by the plan.
      this.mark = { ino: BigInt(resume.inode), offset: resume.offset, mtimeMs: resume.mtimeMs ?? 0 };
    }
  }

  /** Looks at the file now (after any read in progress). */
  read(): Promise<FeedbackLook> {
    if (this.queued !== null) return this.queued;
    const next = this.running.then(() => {
      this.queued = null;
      return this.readNow();
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Applies an unterminated last line: the task has ended, the file is complete. */
  finish(): boolean {
    return this.accumulator.finish();
  }

  values(): FeedbackValues {
    return this.accumulator.values();
  }

  /** What to save so a new agent can resume here (complete lines only). */
  progress(lastUpdateAt: number | null): FeedbackProgress {
    return {
      lastUpdateAt,
      values: this.accumulator.values(),
      offset: this.accumulator.committedOffset,
      inode: this.mark === null ? null : String(this.mark.ino),
      mtimeMs: this.mark?.mtimeMs ?? null,
    };
  }

  private async readNow(): Promise<FeedbackLook> {
    const stat = await fsp.stat(this.file).catch(() => null);
    const plan = planFeedbackRead(this.mark, stat);
    if (stat === null) return NOTHING;
    switch (plan.kind) {
      case 'unchanged':
      case 'missing':
        return NOTHING;
      case 'touched':
        this.mark = { ino: stat.ino, offset: this.accumulator.offset, mtimeMs: stat.mtimeMs };
        return { updated: true, changed: false, mtimeMs: stat.mtimeMs };
      case 'rewrite':
      case 'append': {
        const versionBefore = this.accumulator.version;
        if (plan.kind === 'rewrite') this.accumulator.reset();
        await this.readRange(plan.start, plan.end);
        this.mark = { ino: stat.ino, offset: this.accumulator.offset, mtimeMs: stat.mtimeMs };
        return { updated: true, changed: this.accumulator.version !== versionBefore, mtimeMs: stat.mtimeMs };
      }
      default: {
        const unreachable: never = plan;
        return unreachable;
      }
    }
  }

  private async readRange(start: number, end: number): Promise<void> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.file, 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, end - start)));
      let position = start;
      while (position < end) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
        if (bytesRead === 0) break;
        this.accumulator.push(buffer.subarray(0, bytesRead));
        position += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }
}
