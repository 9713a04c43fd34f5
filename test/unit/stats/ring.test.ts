/**
 * The point ring: newest points kept in order, bounded, aged out by time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PointRing } from '../../../agent/core/stats/ring';

describe('PointRing', () => {
  it('keeps the newest points in time order once full', () => {
    const ring = new PointRing(3);
    for (let index = 1; index <= 5; index++) ring.push(index * 10, index);
    assert.equal(ring.length, 3);
    assert.deepEqual(ring.since(0), { t: [30, 40, 50], v: [3, 4, 5] });
    assert.equal(ring.lastTime, 50);
  });

  it('grows from a small start up to its capacity, keeping the order across the wrap', () => {
    const ring = new PointRing(40);
    for (let index = 1; index <= 100; index++) ring.push(index, index);
    assert.equal(ring.length, 40);
    const { t } = ring.since(0);
    assert.deepEqual(
      t,
      Array.from({ length: 40 }, (_, index) => 61 + index),
    );
    ring.dropBefore(90);
    for (let index = 101; index <= 130; index++) ring.push(index, index);
    assert.deepEqual(
      ring.since(0).t,
      Array.from({ length: 40 }, (_, index) => 91 + index),
    );
  });

  it('gives only the points at or after a time', () => {
    const ring = new PointRing(10);
    for (let index = 1; index <= 4; index++) ring.push(index * 10, index);
    assert.deepEqual(ring.since(25), { t: [30, 40], v: [3, 4] });
  });

  it('forgets points older than a time, also across the wrap', () => {
    const ring = new PointRing(3);
    for (let index = 1; index <= 4; index++) ring.push(index * 10, index);
    ring.dropBefore(35);
    assert.deepEqual(ring.since(0), { t: [40], v: [4] });
    ring.dropBefore(100);
    assert.equal(ring.length, 0);
    assert.equal(ring.lastTime, null);
  });
});
