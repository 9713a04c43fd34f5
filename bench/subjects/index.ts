/** The columns of a run: Taskwarden, the peers that are installed, and the floors. */
import { existsSync } from 'node:fs';
import type { BenchConfig } from '../config';
import { cFloor } from '../floor/cFloor';
import { nodeFloor } from '../floor/nodeFloor';
import { pm2Peer } from '../peers/pm2';
import { INSTALL_HINT, SUPERVISORD, supervisordPeer } from '../peers/supervisord';
import { nqPeer } from '../peers/nq';
import { taskSpoolerPeer } from '../peers/taskSpooler';
import type { BenchContext, Subject } from '../subject';
import { taskwardenSubject } from './taskwarden';

export function makeSubjects(context: BenchContext, config: BenchConfig): Subject[] {
  const subjects: Subject[] = [taskwardenSubject(context, config.cliConcurrency), pm2Peer(context)];
  if (existsSync(SUPERVISORD)) subjects.push(supervisordPeer(context));
  else context.log(INSTALL_HINT);
  // Queue peers: without the binary, their queue figures become "n/a (install hint)".
  subjects.push(taskSpoolerPeer(context), nqPeer(context));
  subjects.push(nodeFloor(context), cFloor(context));
  return subjects.filter((subject) => config.subjects.includes(subject.id));
}
