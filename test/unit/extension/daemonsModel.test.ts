/**
 * The extension's copy of the daemons state: a list replaces it, pushed deltas
 * update it by instance id, and a delta about something unknown asks for the
 * whole list again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DaemonsModel, isDaemonsDelta } from '../../../extension/daemons/daemonsModel';
import { instance, task } from './daemonFixtures';

function loaded(): DaemonsModel {
  const model = new DaemonsModel();
  model.replace({
    tasks: [task('db'), task('web', [instance({ task: 'web', instance: 0 }), instance({ task: 'web', instance: 1, pid: 101 })])],
    skipped: [{ name: 'cron', reason: 'off', configLine: 9 }],
    rolesFile: null,
    roles: null,
  });
  return model;
}

describe('the daemons model', () => {
  test('is empty and not loaded until a list arrives', () => {
    const model = new DaemonsModel();
    assert.equal(model.loaded, false);
    assert.deepEqual(model.tasks, []);
  });

  test('keeps tasks in the order of the list and finds tasks, instances and skipped tasks', () => {
    const model = loaded();
    assert.deepEqual(
      model.tasks.map((entry) => entry.name),
      ['db', 'web'],
    );
    assert.equal(model.instance('web:1')?.pid, 101);
    assert.equal(model.skippedTask('cron')?.reason, 'off');
    assert.deepEqual(
      model.instancesOf('web').map((entry) => entry.id),
      ['web:0', 'web:1'],
    );
    assert.deepEqual(
      model.instancesOf('web:1').map((entry) => entry.id),
      ['web:1'],
    );
    assert.deepEqual(model.instancesOf('nope'), []);
  });

  test('replaces an instance from an instances delta and reports the task that changed', () => {
    const model = loaded();
    const outcome = model.applyDelta({
      kind: 'instances',
      instances: [instance({ task: 'web', instance: 1, state: 'stopped', pid: null })],
    });
    assert.deepEqual(outcome, { change: { kind: 'tasks', names: ['web'] }, stale: false });
    assert.equal(model.instance('web:1')?.state, 'stopped');
    assert.equal(model.instance('web:0')?.state, 'running', 'the sibling is untouched');
  });

  test('replaces everything from a snapshot delta', () => {
    const model = loaded();
    const outcome = model.applyDelta({ kind: 'snapshot', tasks: [task('api')], skipped: [], rolesFile: '/w/roles', roles: ['front'] });
    assert.deepEqual(outcome.change, { kind: 'all' });
    assert.deepEqual(
      model.tasks.map((entry) => entry.name),
      ['api'],
    );
    assert.deepEqual(model.roles, ['front']);
  });

  test('asks for the whole list when a delta names an instance it does not know', () => {
    const model = loaded();
    const outcome = model.applyDelta({ kind: 'instances', instances: [instance({ task: 'web', instance: 7 })] });
    assert.deepEqual(outcome, { change: null, stale: true });
  });

  test('ignores instance deltas before the first list, since the list will hold them', () => {
    const model = new DaemonsModel();
    assert.deepEqual(model.applyDelta({ kind: 'instances', instances: [instance()] }), { change: null, stale: false });
  });

  test('ignores deltas of another shape', () => {
    const model = loaded();
    for (const delta of [null, 3, { kind: 'other' }, { kind: 'instances' }, { kind: 'snapshot', tasks: [] }]) {
      assert.equal(isDaemonsDelta(delta), false, JSON.stringify(delta));
      assert.deepEqual(model.applyDelta(delta), { change: null, stale: false });
    }
  });

  test('forgets everything when cleared', () => {
    const model = loaded();
    assert.deepEqual(model.clear(), { kind: 'all' });
    assert.equal(model.loaded, false);
    assert.deepEqual(model.tasks, []);
    assert.deepEqual(model.skipped, []);
  });
});
