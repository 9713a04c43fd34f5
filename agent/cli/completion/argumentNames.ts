/**
 * Which names complete a command's argument in the shell: a part marks its
 * commander arguments with the lister of the names they take (daemons, task
 * ids, queues…), and `taskwarden __complete` asks the running agent for them.
 * The mark hangs on commander's own Argument, so the completion walks the
 * program as commander built it.
 */
import { Argument } from 'commander';
import type { NameLister } from '../../core/part';

const listers = new WeakMap<Argument, NameLister>();

/** A commander argument whose values complete with `lister`'s names (add it with `.addArgument`). */
export function namesArgument(name: string, description: string, lister: NameLister): Argument {
  const argument = new Argument(name, description);
  listers.set(argument, lister);
  return argument;
}

/** The lister an argument was marked with, if any. */
export function listerOf(argument: Argument): NameLister | undefined {
  return listers.get(argument);
}
