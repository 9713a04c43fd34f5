/**
 * `user` and `group` of a task as numeric ids for spawn. As in taskforce, a
 * number is taken as an id, a name is looked up (here in /etc/passwd and
 * /etc/group; Node has no getpwnam), and a user without a group runs with
 * that user's primary group. An unknown name fails the start: never run a
 * process with more privilege than the config asked for.
 */
import * as fs from 'node:fs';
import { failed, ok, type Failure, type Result } from '../result';

/** The ids to run as; undefined: as the agent. */
export interface Account {
  readonly uid: number | undefined;
  readonly gid: number | undefined;
}

export type Identity = Result<Account, Failure<'unknown-user' | 'unknown-group'>>;

function readTable(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

/** Resolves a task's user and group; both undefined means "as the agent". */
export function resolveIdentity(user: string | null, group: string | null): Identity {
  let uid: number | undefined;
  let gid: number | undefined;
  if (user !== null && user !== '') {
    const entry = readTable('/etc/passwd').find((fields) => fields[0] === user || (/^\d+$/.test(user) && fields[2] === user));
    if (entry) {
      uid = Number(entry[2]);
      gid = Number(entry[3]);
    } else if (/^\d+$/.test(user)) {
      uid = Number(user);
    } else {
      return failed({ reason: 'unknown-user', message: `unknown user '${user}'` });
    }
  }
  if (group !== null && group !== '') {
    const entry = readTable('/etc/group').find((fields) => fields[0] === group || (/^\d+$/.test(group) && fields[2] === group));
    if (entry) gid = Number(entry[2]);
    else if (/^\d+$/.test(group)) gid = Number(group);
    else return failed({ reason: 'unknown-group', message: `unknown group '${group}'` });
  }
  // Asking for our own ids is a no-op; passing them would still need privileges on some systems.
  if (uid === process.getuid?.()) uid = undefined;
  if (gid === process.getgid?.()) gid = undefined;
  return ok({ uid, gid });
}
