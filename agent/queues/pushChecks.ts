/**
 * What a push must not let in, beyond the shape of its items: an id that cannot be typed on a
 * command line, an `--after` that names nothing (it would fail the item later, or wait for ever),
 * a dependency that already failed, and an id pushed again while items wait for it such that
 * they would wait behind it in their own queue or in a cycle across queues (each for ever).
 * Pure: the part's live items and history come in through {@link PushView}.
 */

/** An item as these checks see it: the batch's new ones and the live (queued or running) ones. */
export interface Dependent {
  readonly id: string;
  readonly queue: string;
  readonly after: readonly string[];
}

interface LiveDependent extends Dependent {
  /** 0 queued, 1 running: a running item waits for nothing any more. */
  readonly state: number;
}

export interface PushView {
  live(id: string): LiveDependent | undefined;
  /** The live items that wait for others (those with a non-empty `after`). */
  waiting(): Iterable<LiveDependent>;
  /** The last end of an id in the history, or null when it is not (or no longer) there. */
  ended(id: string): { readonly state: number; readonly error: string | null } | null;
}

/** Why an id cannot be used, or null: `queue show -x` would read `-x` as an option, a control character breaks every listing. */
export function idProblem(id: string): string | null {
  if (id.startsWith('-')) return `the id '${id}' starts with '-': a command line would read it as an option`;
  if (/[\u0000-\u001f\u007f]/.test(id)) return `the id ${JSON.stringify(id)} has a control character (a newline, a tab…)`;
  return null;
}

/**
 * Why one of `item`'s `--after` ids cannot be waited for, or null. `batch` holds the ids given in
 * the same push (ordering.ts words one given after its dependent, or its own id). An id that ended well is satisfied at once; one that is no longer
 * in the history (never pushed, removed, or trimmed by `history_limit`) is unknown: whether it
 * ended well cannot be told, so it is refused rather than guessed.
 */
export function afterProblem(item: Dependent, batch: ReadonlySet<string>, view: PushView): string | null {
  for (const id of item.after) {
    if (batch.has(id) || view.live(id) !== undefined) continue;
    const ended = view.ended(id);
    if (ended === null)
      return (
        `--after '${id}': no item '${id}' is queued, running or in the history ` +
        `(never pushed, removed, or its end was trimmed from the history by history_limit, so whether it ended well is unknown)`
      );
    if (ended.state !== 2) return `--after '${id}': dependency ${id} failed${ended.error === null ? '' : ` (${ended.error})`}`;
  }
  return null;
}

/**
 * When an id of the batch comes back while queued items of earlier pushes wait for it (`--after`
 * names an id's latest run), why that would hold them for ever, or null: a waiting item queued
 * in the same queue would wait behind it, and an item it waits for (through any chain of
 * `--after`) that waits for it closes a cycle, named in order.
 */
export function comebackProblem(batch: readonly Dependent[], view: PushView): string | null {
  const ids = new Map(batch.map((item) => [item.id, item]));
  const dependents = new Map<string, LiveDependent[]>();
  for (const waiting of view.waiting()) {
    if (waiting.state !== 0) continue;
    for (const id of waiting.after) if (ids.has(id)) dependents.set(id, [...(dependents.get(id) ?? []), waiting]);
  }
  for (const [id, waiting] of dependents) {
    const item = ids.get(id)!;
    const behind = waiting.find((other) => other.queue === item.queue);
    if (behind !== undefined)
      return `'${behind.id}' waits for '${id}' (--after) and is queued before it in '${item.queue}': it would wait for ever`;
    const cycle = pathTo(item, new Set(waiting.map((other) => other.id)), ids, view);
    if (cycle !== null) return `'${id}' would close a cycle of --after: ${chainWords([...cycle, id])} (each would wait for ever)`;
  }
  return null;
}

/** `a → b → c`, with the middle of a long chain counted instead of named. */
function chainWords(ids: readonly string[]): string {
  if (ids.length <= 9) return ids.join(' → ');
  return [...ids.slice(0, 4), `… ${ids.length - 7} more …`, ...ids.slice(-3)].join(' → ');
}

/** A chain of waits from `start` to one of `targets` (ids in order, from `start`), through queued and new items; null when none. */
function pathTo(start: Dependent, targets: ReadonlySet<string>, batch: ReadonlyMap<string, Dependent>, view: PushView): string[] | null {
  // Depth-first without recursion (a chain of --after can be thousands long); `from` leads back to `start`.
  const from = new Map<string, string | null>([[start.id, null]]);
  const stack: Dependent[] = [start];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    for (const id of item.after) {
      if (from.has(id)) continue;
      const next = batch.get(id) ?? view.live(id);
      // A running item waits for nothing: it ends, so no chain goes through it.
      if (next === undefined || ('state' in next && next.state !== 0)) continue;
      from.set(id, item.id);
      if (targets.has(id)) {
        const chain: string[] = [];
        for (let at: string | null | undefined = id; at !== null && at !== undefined; at = from.get(at)) chain.unshift(at);
        return chain;
      }
      stack.push(next);
    }
  }
  return null;
}
