/**
 * The one ordering of the views' rows (extension/shared/itemOrder.ts): config
 * order by default, name order, state order (problems first), and the stored
 * choice read back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GREEN, GREY, RED, YELLOW } from '../../../agent/protocol/look';
import { nextOrder, orderDescription, orderItems, parseOrder, type OrderKeys } from '../../../extension/shared/itemOrder';

const ROWS: readonly OrderKeys[] = [
  { name: 'web', configIndex: 3, color: GREEN },
  { name: 'db', configIndex: 1, color: GREY },
  { name: 'worker10', configIndex: null, color: RED },
  { name: 'worker9', configIndex: 7, color: YELLOW },
  { name: 'api', configIndex: 5, color: GREEN },
];

function names(order: 'config' | 'name' | 'state'): string[] {
  return orderItems(ROWS, order, (row) => row).map((row) => row.name);
}

describe('item order', () => {
  test('config order follows the config, rows without a place last', () => {
    assert.deepEqual(names('config'), ['db', 'web', 'api', 'worker9', 'worker10']);
  });

  test('name order compares numbers in names as numbers, ignoring case', () => {
    assert.deepEqual(names('name'), ['api', 'db', 'web', 'worker9', 'worker10']);
    const mixed = orderItems([{ name: 'Beta' }, { name: 'alpha' }], 'name', (row) => ({ ...row, configIndex: null, color: null }));
    assert.deepEqual(
      mixed.map((row) => row.name),
      ['alpha', 'Beta'],
    );
  });

  test('state order puts problems first, then what is changing, then what runs, then what rests; config order within a state', () => {
    assert.deepEqual(names('state'), ['worker10', 'worker9', 'web', 'api', 'db']);
  });

  test('keeps the order rows came in when their keys tie, and leaves the input alone', () => {
    const tied = [
      { name: 'b', configIndex: null, color: GREEN },
      { name: 'a', configIndex: null, color: GREEN },
    ];
    assert.deepEqual(
      orderItems(tied, 'config', (row) => row).map((row) => row.name),
      ['b', 'a'],
    );
    assert.deepEqual(
      ROWS.map((row) => row.name),
      ['web', 'db', 'worker10', 'worker9', 'api'],
    );
  });

  test('the title action steps config → name → state → config; the title line says any order but config', () => {
    assert.deepEqual([nextOrder('config'), nextOrder('name'), nextOrder('state')], ['name', 'state', 'config']);
    assert.equal(orderDescription('config'), undefined);
    assert.equal(orderDescription('state'), 'by state');
  });

  test('a stored choice reads back as itself, anything else as config order', () => {
    assert.equal(parseOrder('name'), 'name');
    assert.equal(parseOrder(undefined), 'config');
    assert.equal(parseOrder('sideways'), 'config');
  });
});
