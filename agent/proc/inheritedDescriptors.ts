/**
 * Closes the file descriptors this process inherited from whoever started it
 * (`bash -c 'exec 200>/tmp/x; taskwarden up'`). Node's spawn (libuv) hands
 * every descriptor that is not close-on-exec to the child, so the CLI passes
 * its caller's descriptors to the detached agent, and the agent would pass
 * them on to the spawn helper and every process it starts: a pipe held open
 * that way keeps `ssh host taskwarden up` or a CI step waiting for an end
 * that never comes. Everything Node, libuv and SQLite open is close-on-exec,
 * so a descriptor above 2 without the flag came from outside.
 */
import * as fs from 'node:fs';

const O_CLOEXEC = 0o2000000;

function flagsOf(fd: number): number | null {
  try {
    const flags = /^flags:\s*([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))?.[1];
    return flags === undefined ? null : parseInt(flags, 8);
  } catch {
    return null;
  }
}

/** Closes every inherited descriptor above stderr; returns the ones closed. Call before opening anything. */
export function closeInheritedDescriptors(): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  // Node's own IPC channel, when a parent forked us with one, is not the caller's to lose.
  const ipcChannel = Number(process.env.NODE_CHANNEL_FD ?? -1);
  const closed: number[] = [];
  for (const fd of entries.map(Number)) {
    if (!(fd > 2) || fd === ipcChannel) continue;
    const flags = flagsOf(fd);
    // null: the descriptor readdir itself used, closed by now.
    if (flags === null || (flags & O_CLOEXEC) !== 0) continue;
    try {
      fs.closeSync(fd);
      closed.push(fd);
    } catch {
      // Already gone.
    }
  }
  return closed;
}
