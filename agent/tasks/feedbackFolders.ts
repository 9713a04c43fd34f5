/**
 * One `fs.watch` per feedback folder, shared by every task writing there, so 200
 * tasks in one folder cost one inotify watch and nothing at rest. An event names
 * the file that changed; the task owning it is told to look. A folder that cannot
 * be watched is logged and left to the tasks' health timers, which look too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';

interface Folder {
  readonly watcher: fs.FSWatcher | null;
  readonly files: Map<string, () => void>;
}

export class FeedbackFolders {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly log: Logger) {}

  /** Calls `changed` whenever `file` may have changed; returns the function that stops it. */
  watch(file: string, changed: () => void): () => void {
    const directory = path.dirname(file);
    const name = path.basename(file);
    let folder = this.folders.get(directory);
    if (folder === undefined) {
      folder = { watcher: this.open(directory), files: new Map() };
      this.folders.set(directory, folder);
    }
    folder.files.set(name, changed);
    const owner = folder;
    return () => {
      if (owner.files.get(name) !== changed) return;
      owner.files.delete(name);
      if (owner.files.size === 0) {
        owner.watcher?.close();
        this.folders.delete(directory);
      }
    };
  }

  /** Stops every watch. */
  close(): void {
    for (const folder of this.folders.values()) folder.watcher?.close();
    this.folders.clear();
  }

  private open(directory: string): fs.FSWatcher | null {
    try {
      const watcher = fs.watch(directory, { persistent: false }, (_event, fileName) => this.notify(directory, fileName));
      watcher.on('error', (error) => {
        this.log.warn(`stopped watching feedback folder ${directory}: ${error.message}; health timers still check the files`);
        watcher.close();
      });
      return watcher;
    } catch (error: unknown) {
      this.log.warn(`cannot watch feedback folder ${directory}: ${(error as Error).message}; health timers still check the files`);
      return null;
    }
  }

  private notify(directory: string, fileName: string | Buffer | null): void {
    const folder = this.folders.get(directory);
    if (folder === undefined) return;
    if (fileName === null) {
      // Some platforms omit the name: every file of the folder takes a look.
      for (const changed of folder.files.values()) changed();
      return;
    }
    folder.files.get(String(fileName))?.();
  }
}
