/**
 * Exactly one agent per workspace: a kernel-held lock, not a hope.
 *
 * The lock is an exclusive SQLite lock (a POSIX fcntl lock underneath) on
 * `.taskwarden/agent.lock`, held for the agent's whole life. The kernel drops it
 * when the process dies, even by SIGKILL, so a crashed agent never leaves a stale
 * lock, and fcntl locks are not inherited by forked children, so supervised
 * processes never hold it.
 */
import { failed, ok, type Failure, type Result } from '../result';
import { openSqlite } from '../store/sqlite';

/** Holds the lock until called. */
export type ReleaseLock = () => void;

export function acquireAgentLock(file: string): Result<ReleaseLock, Failure<'held'>> {
  const db = openSqlite(file);
  db.pragma('busy_timeout = 0');
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error: unknown) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      return failed({ reason: 'held', message: `another agent already runs for this workspace (lock ${file})` });
    }
    throw error;
  }
  return ok(() => {
    try {
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
  });
}
