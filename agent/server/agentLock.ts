/**
 * Exactly one agent per workspace: a kernel-held lock, not a hope.
 *
 * The lock is an exclusive SQLite lock (a POSIX fcntl lock underneath) on
 * `.taskwarden/agent.lock`, held for the agent's whole life. The kernel drops it
 * when the process dies, even by SIGKILL, so a crashed agent never leaves a stale
 * lock, and fcntl locks are not inherited by forked children, so supervised
 * processes never hold it.
 */
import { openSqlite } from '../store/sqlite';

export type LockResult =
  { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly reason: 'held'; readonly message: string };

export function acquireAgentLock(file: string): LockResult {
  const db = openSqlite(file);
  db.pragma('busy_timeout = 0');
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error: unknown) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      return { ok: false, reason: 'held', message: `another agent already runs for this workspace (lock ${file})` };
    }
    throw error;
  }
  return {
    ok: true,
    release: () => {
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
