/**
 * Binds the agent's Unix socket: a private 0700 folder, a 0600 socket, and a
 * stale socket file from a crashed agent replaced. Only the holder of the agent
 * lock calls this, so any socket file already there is stale by construction.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { failed, ok, type Failure, type Result } from '../result';

export type ListenResult = Result<net.Server, Failure<'unsafe-directory' | 'listen-failed'>>;

/** Creates the socket folder 0700, or tightens one we own; refuses a folder someone else owns. */
export function ensurePrivateDirectory(directory: string): Result<void, Failure<'unsafe-directory'>> {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(directory);
  if (!stat.isDirectory()) return failed({ reason: 'unsafe-directory', message: `${directory} is not a directory` });
  if (stat.uid !== process.getuid?.())
    return failed({
      reason: 'unsafe-directory',
      message: `${directory} belongs to uid ${stat.uid}, not to us; refusing to put a socket there`,
    });
  if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(directory, 0o700);
  return ok(undefined);
}

export async function listenOnSocket(socketPath: string, onConnection: (socket: net.Socket) => void): Promise<ListenResult> {
  const directory = ensurePrivateDirectory(path.dirname(socketPath));
  if (!directory.ok) return directory;
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer({ pauseOnConnect: false }, onConnection);
  // The umask makes the socket 0600 from its first instant; chmod confirms it.
  const previousUmask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error: unknown) {
    return failed({ reason: 'listen-failed', message: `cannot listen on ${socketPath}: ${(error as Error).message}` });
  } finally {
    process.umask(previousUmask);
  }
  fs.chmodSync(socketPath, 0o600);
  return ok(server);
}
