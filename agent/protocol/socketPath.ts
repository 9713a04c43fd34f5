/**
 * Where a workspace's agent listens: a Unix socket named by a hash of the
 * workspace path, in a private 0700 folder. Shared by the agent, the CLI and the
 * extension so all three agree without asking anyone.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';

/** sun_path is 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

export interface SocketLocationInput {
  readonly workspace: string;
  readonly runtimeDir?: string | undefined;
  readonly uid?: number;
  readonly tmpDir?: string;
}

/** The folder holding the sockets: `$XDG_RUNTIME_DIR/taskwarden`, else `/tmp/taskwarden-<uid>`. */
export function socketDirectory(input: Omit<SocketLocationInput, 'workspace'> = {}): string {
  const runtimeDir = 'runtimeDir' in input ? input.runtimeDir : process.env['XDG_RUNTIME_DIR'];
  const fallback = path.join(input.tmpDir ?? '/tmp', `taskwarden-${input.uid ?? os.userInfo().uid}`);
  if (!runtimeDir) return fallback;
  const candidate = path.join(runtimeDir, 'taskwarden');
  // A runtime dir too long to hold our socket name falls back to /tmp.
  return Buffer.byteLength(candidate) + 1 + SOCKET_NAME_LENGTH <= MAX_SOCKET_PATH_BYTES ? candidate : fallback;
}

const HASH_CHARS = 24;
const SOCKET_NAME_LENGTH = HASH_CHARS + '.sock'.length;

/** The socket path for a workspace (an absolute, resolved folder path). */
export function socketPathFor(input: SocketLocationInput): string {
  const hash = createHash('sha256').update(path.resolve(input.workspace)).digest('hex').slice(0, HASH_CHARS);
  return path.join(socketDirectory(input), `${hash}.sock`);
}
