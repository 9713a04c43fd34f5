/**
 * Watches the files a resolved config was made from besides taskwarden.yaml:
 * the roles file (`-r FILE`, else `settings.roles_file`) and each task's
 * `env_file`. Their folders are watched, so replacing a file by rename,
 * creating it or deleting it is seen (a missing roles file means "no role
 * filtering", so deleting it changes scope too). When one changes the part
 * asks the core for a reload (the loader reads and checks them with
 * taskwarden.yaml): scope follows the roles file live, and a daemon whose
 * env_file changed restarts with its new environment.
 */
import type { FileWatchHub } from './events/fileWatch';

export class InputFilesWatcher {
  private readonly watched = new Map<string, () => void>();

  constructor(
    private readonly hub: FileWatchHub,
    private readonly onChange: (file: string) => void,
  ) {}

  /** Watches exactly these files (absolute paths) from now on. */
  watch(files: Iterable<string>): void {
    const wanted = new Set(files);
    for (const [file, unwatch] of this.watched) {
      if (wanted.has(file)) continue;
      unwatch();
      this.watched.delete(file);
    }
    for (const file of wanted) {
      if (!this.watched.has(file))
        this.watched.set(
          file,
          this.hub.watch(file, () => this.onChange(file)),
        );
    }
  }

  close(): void {
    this.watch([]);
  }
}
