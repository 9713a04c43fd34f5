/**
 * Watches files for `file_change`, `self` and `python` events and for the
 * roles file. Each watched file's folder is watched (not the file), so an
 * editor or installer that replaces the file by rename is seen, and a file
 * that does not exist yet is seen when it appears. A change is reported only
 * when the file's identity or content stamp (inode, size, mtime, ctime)
 * differs from the last one seen, after a short debounce, so a burst of
 * writes or a rename dance gives one event. Folders are shared: one inotify
 * watch per folder, however many daemons watch files in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Listener = () => void;

interface WatchedFile {
  stamp: string;
  readonly listeners: Set<Listener>;
  timer: NodeJS.Timeout | undefined;
}

interface WatchedFolder {
  watcher: fs.FSWatcher | undefined;
  poll: NodeJS.Timeout | undefined;
  readonly files: Map<string, WatchedFile>;
}

const DEBOUNCE_MS = 50;
/** How often a missing folder is looked for. */
const MISSING_FOLDER_POLL_MS = 1000;

/** A file's identity and content stamp; "missing" when absent. */
export function fileStamp(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  } catch {
    return 'missing';
  }
}

export class FileWatchHub {
  private readonly folders = new Map<string, WatchedFolder>();

  constructor(private readonly onError: (message: string) => void = () => undefined) {}

  /** Calls `onChange` whenever `file` changes, appears or disappears. Returns the unsubscribe function. */
  watch(file: string, onChange: Listener): () => void {
    const absolute = path.resolve(file);
    const folderPath = path.dirname(absolute);
    const name = path.basename(absolute);
    let folder = this.folders.get(folderPath);
    if (!folder) {
      folder = { watcher: undefined, poll: undefined, files: new Map() };
      this.folders.set(folderPath, folder);
      this.attach(folderPath, folder);
    }
    let watched = folder.files.get(name);
    if (!watched) {
      watched = { stamp: fileStamp(absolute), listeners: new Set(), timer: undefined };
      folder.files.set(name, watched);
    }
    watched.listeners.add(onChange);
    const entry = watched;
    const owner = folder;
    return () => {
      entry.listeners.delete(onChange);
      if (entry.listeners.size > 0) return;
      clearTimeout(entry.timer);
      owner.files.delete(name);
      if (owner.files.size === 0) this.detach(folderPath, owner);
    };
  }

  /** Stops every watch. */
  close(): void {
    for (const [folderPath, folder] of this.folders) {
      for (const file of folder.files.values()) clearTimeout(file.timer);
      this.detach(folderPath, folder);
    }
  }

  private attach(folderPath: string, folder: WatchedFolder): void {
    try {
      folder.watcher = fs.watch(folderPath, (_event, changed) => {
        if (changed === null) for (const name of folder.files.keys()) this.schedule(folderPath, folder, name);
        else if (folder.files.has(changed)) this.schedule(folderPath, folder, changed);
      });
      folder.watcher.on('error', () => {
        // The folder went away: look for it again, and report what changed meanwhile.
        folder.watcher?.close();
        folder.watcher = undefined;
        this.pollForFolder(folderPath, folder);
      });
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(`cannot watch ${folderPath}: ${(error as Error).message}`);
      this.pollForFolder(folderPath, folder);
    }
  }

  private pollForFolder(folderPath: string, folder: WatchedFolder): void {
    if (folder.poll) return;
    folder.poll = setInterval(() => {
      for (const name of folder.files.keys()) this.check(folderPath, folder, name);
      if (!fs.existsSync(folderPath)) return;
      clearInterval(folder.poll);
      folder.poll = undefined;
      this.attach(folderPath, folder);
    }, MISSING_FOLDER_POLL_MS);
    folder.poll.unref();
  }

  private detach(folderPath: string, folder: WatchedFolder): void {
    folder.watcher?.close();
    clearInterval(folder.poll);
    this.folders.delete(folderPath);
  }

  private schedule(folderPath: string, folder: WatchedFolder, name: string): void {
    const file = folder.files.get(name);
    if (!file) return;
    clearTimeout(file.timer);
    file.timer = setTimeout(() => this.check(folderPath, folder, name), DEBOUNCE_MS);
  }

  private check(folderPath: string, folder: WatchedFolder, name: string): void {
    const file = folder.files.get(name);
    if (!file) return;
    const stamp = fileStamp(path.join(folderPath, name));
    if (stamp === file.stamp) return;
    file.stamp = stamp;
    for (const listener of [...file.listeners]) {
      try {
        listener();
      } catch (error: unknown) {
        this.onError(
          `handling a change of ${path.join(folderPath, name)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  }
}
