/**
 * Output files of queue items that left the history, kept emptied in a folder of spares and
 * given to the next items as their output files. A queue that runs thousands of short items
 * otherwise deletes two files and creates two per item, and on ext4 a file created after many
 * deletions has the inode allocator skip the recently deleted inodes one by one: `perf` of an
 * agent draining /bin/true items put ~45 % of its CPU there. Renaming a kept file costs no inode.
 *
 * A spare is placed with link + unlink, never rename: an output file that exists already (an id
 * that came back) is appended to, as before, and the spare stays for another item.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { timesFileOf } from '../proc/logTimes';

/** Spares kept at most: enough for a queue at steady state (two per item ended), bounded for a burst of trims. */
const MAX_SPARES = 256;

export class SpareFiles {
  private readonly spares: string[] = [];
  private counter = 0;

  /** `folder` must be on the file system of the output files (a sub-folder of theirs). */
  constructor(private readonly folder: string) {}

  /** Takes the spares a previous agent left. */
  load(): void {
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    for (const name of fs.readdirSync(this.folder)) {
      const number = Number(name);
      if (!Number.isSafeInteger(number)) continue;
      this.counter = Math.max(this.counter, number);
      this.spares.push(path.join(this.folder, name));
    }
  }

  /** `file` (an output file no one needs any more) becomes a spare, emptied; deleted when enough are kept. */
  give(file: string): void {
    if (this.spares.length >= MAX_SPARES) {
      fs.unlink(file, () => undefined);
      fs.unlink(timesFileOf(file), () => undefined);
      return;
    }
    const spare = path.join(this.folder, String(++this.counter));
    try {
      const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
      if (size === undefined) return;
      fs.renameSync(file, spare);
      if (size > 0) {
        fs.truncateSync(spare, 0);
        // Only a file that had bytes can have a time index.
        fs.unlink(timesFileOf(file), () => undefined);
      }
    } catch {
      return;
    }
    this.spares.push(spare);
  }

  /** Makes sure `file` exists (an empty spare takes its name, else it is created); an existing file is left as it is. */
  place(file: string): void {
    const spare = this.spares.at(-1);
    if (spare !== undefined) {
      try {
        fs.linkSync(spare, file);
        this.spares.pop();
        fs.unlinkSync(spare);
        return;
      } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
        // A spare that went away: forget it and create the file.
        this.spares.pop();
      }
    }
    try {
      fs.closeSync(fs.openSync(file, 'a', 0o600));
    } catch {
      // The spawn reports a file it cannot open.
    }
  }
}
