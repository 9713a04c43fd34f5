/**
 * Watches the roles file (`-r FILE`, else `settings.roles_file`). Its folder is
 * watched, so replacing the file by rename, creating it or deleting it is seen
 * (a missing file means "no role filtering", so deleting it changes scope too).
 * The part re-resolves the running config with the new roles on each change.
 */
import type { FileWatchHub } from './events/fileWatch';

export class RolesWatcher {
  private file: string | null = null;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly hub: FileWatchHub,
    private readonly onChange: (file: string) => void,
  ) {}

  /** The roles file in use (absolute), or null. */
  get current(): string | null {
    return this.file;
  }

  /** Watches `file` (null: none); a no-op when it is already the one watched. */
  watch(file: string | null): void {
    if (file === this.file) return;
    this.unwatch?.();
    this.unwatch = undefined;
    this.file = file;
    if (file !== null) this.unwatch = this.hub.watch(file, () => this.onChange(file));
  }

  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }
}
