/**
 * The one ordering of every view's top rows: config order (the order the
 * items have in taskwarden.yaml, or the agent's order where the config says
 * none), name order, or state order (problems first, then what is changing,
 * then what runs, then what rests, by the theme color of the row's look, the
 * same in every view). Pure; unit-tested. extension/shared/viewOrdering.ts
 * keeps each view's choice.
 */
import { BLUE, GREEN, GREY, RED, YELLOW } from '../../agent/protocol/look';

/** How a view orders its top rows. */
export type ItemOrder = 'config' | 'name' | 'state';

/** The orders in the sequence the view's title action steps through. */
export const ITEM_ORDERS: readonly ItemOrder[] = ['config', 'name', 'state'];

/** What the ordering reads of one row. */
export interface OrderKeys {
  readonly name: string;
  /** Its place in the config (a line number, an index); null when unknown: after the known ones. */
  readonly configIndex: number | null;
  /** The theme color of its look: the state order ranks by it. */
  readonly color: string | null | undefined;
}

/** Problems first, then rows in transition, then running ones, then the rest. */
const COLOR_RANK: ReadonlyMap<string, number> = new Map([
  [RED, 0],
  ['charts.orange', 1],
  [YELLOW, 2],
  [GREEN, 3],
  [BLUE, 4],
  [GREY, 5],
]);

function colorRank(color: string | null | undefined): number {
  return COLOR_RANK.get(color ?? '') ?? COLOR_RANK.size;
}

const NAMES = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function byConfig(a: OrderKeys, b: OrderKeys): number {
  if (a.configIndex === b.configIndex) return 0;
  if (a.configIndex === null) return 1;
  if (b.configIndex === null) return -1;
  return a.configIndex - b.configIndex;
}

/** The comparison of an order; ties keep the order the rows came in (Array.prototype.sort is stable). */
function comparison(order: ItemOrder): (a: OrderKeys, b: OrderKeys) => number {
  switch (order) {
    case 'config':
      return byConfig;
    case 'name':
      return (a, b) => NAMES.compare(a.name, b.name) || byConfig(a, b);
    case 'state':
      return (a, b) => colorRank(a.color) - colorRank(b.color) || byConfig(a, b);
  }
}

/** `items` in `order`; a new array, the input is left as it is. */
export function orderItems<T>(items: readonly T[], order: ItemOrder, keys: (item: T) => OrderKeys): T[] {
  const keyed = items.map((item) => ({ item, keys: keys(item) }));
  const compare = comparison(order);
  return keyed.sort((a, b) => compare(a.keys, b.keys)).map(({ item }) => item);
}

/** The order after `order` when the title action is clicked. */
export function nextOrder(order: ItemOrder): ItemOrder {
  return ITEM_ORDERS[(ITEM_ORDERS.indexOf(order) + 1) % ITEM_ORDERS.length] ?? 'config';
}

/** A stored value read back: an order, or config order for anything else. */
export function parseOrder(value: unknown): ItemOrder {
  return ITEM_ORDERS.find((order) => order === value) ?? 'config';
}

/** What the view's title line says of an order (nothing for the default). */
export function orderDescription(order: ItemOrder): string | undefined {
  return order === 'config' ? undefined : `by ${order}`;
}
