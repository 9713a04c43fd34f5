/**
 * The shared redraw of the part views: what it asks VS Code to draw again when
 * rows come, go, move or change their text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TreeRows, type RowLook } from '../../../extension/shared/treeRows';

type Node = { readonly id: string };

function rig(initial: RowLook[]): { rows: TreeRows<Node>; set: (rows: RowLook[]) => void; drawn: (string[] | 'all')[] } {
  let current = initial;
  const drawn: (string[] | 'all')[] = [];
  const rows = new TreeRows<Node>(
    (node) => node.id,
    { rows: () => current, ticking: () => false },
    (nodes) => drawn.push(nodes === undefined ? 'all' : nodes.map((node) => node.id)),
  );
  rows.redraw();
  // VS Code asked for every row it shows.
  for (const row of current) rows.node({ id: row.id });
  return { rows, set: (next) => (current = next), drawn };
}

const row = (id: string, parent: string | null, text = ''): RowLook => ({ id, parent, text });

describe('the part views redraw', () => {
  it('draws the whole tree first, and again only when top-level rows come, go or move', () => {
    const { rows, set, drawn } = rig([row('a', null), row('b', null)]);
    assert.deepEqual(drawn, ['all']);
    rows.redraw();
    assert.deepEqual(drawn, ['all'], 'nothing changed: nothing drawn');
    set([row('b', null), row('a', null)]);
    rows.redraw();
    assert.deepEqual(drawn, ['all', 'all']);
  });

  it('draws again a row whose children came, went or moved (with them), not its neighbours', () => {
    const { rows, set, drawn } = rig([row('q1', null), row('i1', 'q1'), row('q2', null), row('i2', 'q2')]);
    set([row('q1', null), row('i1', 'q1'), row('i3', 'q1'), row('q2', null), row('i2', 'q2')]);
    rows.redraw();
    assert.deepEqual(drawn.at(-1), ['q1']);
  });

  it('draws again only the rows whose text changed, and not those under a row drawn again anyway', () => {
    const { rows, set, drawn } = rig([row('g', null, '1'), row('clock', 'g', '10s'), row('p', 'g', '2'), row('k', 'p', 'x')]);
    set([row('g', null, '1'), row('clock', 'g', '9s'), row('p', 'g', '2'), row('k', 'p', 'y')]);
    rows.redraw();
    assert.deepEqual(drawn.at(-1), ['clock', 'k']);
    set([row('g', null, '2'), row('clock', 'g', '8s'), row('p', 'g', '2'), row('k', 'p', 'z')]);
    rows.redraw();
    assert.deepEqual(drawn.at(-1), ['g'], 'the group row brings its rows with it');
  });

  it('draws everything again when asked (the order changed)', () => {
    const { rows, drawn } = rig([row('a', null)]);
    rows.redrawAll();
    assert.deepEqual(drawn, ['all', 'all']);
  });
});
