/**
 * The agent's files are private, the files of what it starts are not its
 * business. The agent runs with umask 077, so everything it (or SQLite, or a
 * log rotation) creates under `.taskwarden/` is 0600 or 0700 whatever umask
 * started it (a shell's 022 under `up`, a service manager's). A process it
 * starts gets the umask the agent was started with, as it would from a shell:
 * a daemon's own files keep the modes its user expects.
 *
 * The umask is inherited at fork and Node's spawn has no option for it, so a
 * start sets it back for the duration of the (synchronous) spawn call only.
 * Nothing the agent writes is created on another thread meanwhile: its files
 * are created by synchronous calls on the main thread, and those that name a
 * mode name 0600 anyway.
 */

/** Folders 0700, files 0600. */
export const PRIVATE_UMASK = 0o077;
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

let startedWith: number | null = null;

/** From now on every file this process creates is private; what it starts keeps the umask it was started with. */
export function keepOwnFilesPrivate(): void {
  startedWith ??= process.umask(PRIVATE_UMASK);
}

/** Runs a synchronous spawn under the umask this process was started with. */
export function withStartingUmask<T>(spawn: () => T): T {
  if (startedWith === null) return spawn();
  const own = process.umask(startedWith);
  try {
    return spawn();
  } finally {
    process.umask(own);
  }
}
