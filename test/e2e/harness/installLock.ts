/**
 * A cross-process lock made of one directory: `mkdir` is atomic, so only one test process at a time
 * installs code-server into the shared cache. A lock left by a process that died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './waitFor';

/** True when a process with this id exists (signal 0 only checks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries once to take the lock; removes it first when its owner is gone. */
function tryAcquire(lockDir: string): boolean {
  try {
    mkdirSync(lockDir);
    writeFileSync(join(lockDir, 'owner'), String(process.pid));
    return true;
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let owner = Number.NaN;
  try {
    owner = Number(readFileSync(join(lockDir, 'owner'), 'utf8'));
  } catch {
    // The owner may be between mkdir and writing its pid: treat it as alive this round.
    return false;
  }
  if (Number.isInteger(owner) && !isAlive(owner)) {
    rmSync(lockDir, { recursive: true, force: true });
    return tryAcquire(lockDir);
  }
  return false;
}

/**
 * Runs `body` while holding the lock directory `lockDir`, waiting up to `timeoutMs` for another
 * holder to finish. The lock is released even when `body` throws.
 */
export async function withDirectoryLock<T>(lockDir: string, timeoutMs: number, onWait: () => void, body: () => Promise<T>): Promise<T> {
  if (!tryAcquire(lockDir)) {
    onWait();
    await waitFor(() => tryAcquire(lockDir), {
      timeoutMs,
      intervalMs: 1000,
      description: `the install lock ${lockDir} to be released`,
    });
  }
  try {
    return await body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
