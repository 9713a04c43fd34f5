/**
 * The one order rule `--after` adds to a queue: an item never waits behind an item it depends on.
 * A head that waits for an item queued after it would hold its queue for ever, so a push or a move
 * that would make such an order is refused with this message.
 */

interface Ordered {
  readonly id: string;
  readonly after: readonly string[];
}

/** The first item (in run order) that depends on one queued after it, as a message; null when none. */
export function orderProblem(queued: Iterable<Ordered>): string | null {
  const position = new Map<string, number>();
  const items = [...queued];
  items.forEach((item, index) => position.set(item.id, index));
  for (const [index, item] of items.entries()) {
    for (const dependency of item.after) {
      if (dependency === item.id) return `'${item.id}' cannot run after itself (--after)`;
      const at = position.get(dependency);
      if (at !== undefined && at > index) return `'${item.id}' runs after '${dependency}' (--after), so it cannot be queued before it`;
    }
  }
  return null;
}
