/**
 * What a daemon command acts on: the row or rows it was invoked on, the task
 * name a code lens passes, or a quick pick of the daemons the verb fits.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { targetChoices, targetsOfArguments } from '../../../extension/daemons/daemonTargets';
import { DaemonsModel } from '../../../extension/daemons/daemonsModel';
import { instance, task } from './daemonFixtures';

function model(): DaemonsModel {
  const daemons = new DaemonsModel();
  daemons.replace({
    tasks: [
      task('db'),
      task('web', [instance({ task: 'web', instance: 0 }), instance({ task: 'web', instance: 1, state: 'stopped', pid: null })]),
      task('job', [instance({ task: 'job', state: 'exited', pid: null })]),
    ],
    skipped: [{ name: 'cron', reason: 'off', configLine: 12 }],
    rolesFile: null,
    roles: null,
  });
  return daemons;
}

describe('daemon command targets', () => {
  test('takes the row a tree command was invoked on', () => {
    assert.deepEqual(targetsOfArguments({ kind: 'task', name: 'web' }), ['web']);
    assert.deepEqual(targetsOfArguments({ kind: 'instance', id: 'web:1', task: 'web' }), ['web:1']);
  });

  test('takes every selected row of a multi-selection', () => {
    const rows = [
      { kind: 'task', name: 'db' },
      { kind: 'instance', id: 'web:1', task: 'web' },
    ];
    assert.deepEqual(targetsOfArguments(rows[0], rows), ['db', 'web:1']);
  });

  test('takes the task name a code lens passes', () => {
    assert.deepEqual(targetsOfArguments('web'), ['web']);
  });

  test('asks when invoked from the palette with nothing', () => {
    assert.equal(targetsOfArguments(undefined), null);
    assert.equal(targetsOfArguments(''), null);
    assert.equal(targetsOfArguments({ other: 1 }), null);
  });

  test('offers to stop only what runs, with the instances of a task that has several', () => {
    assert.deepEqual(
      targetChoices(model(), 'stop', 0).map((choice) => choice.target),
      ['db', 'web', 'web:0'],
    );
  });

  test('offers to start only what is at rest', () => {
    assert.deepEqual(
      targetChoices(model(), 'start', 0).map((choice) => choice.target),
      ['web', 'web:1', 'job'],
    );
  });

  test('offers every task for output, and tasks that do not run here for config too', () => {
    assert.deepEqual(
      targetChoices(model(), 'output', 0).map((choice) => choice.target),
      ['db', 'web', 'web:0', 'web:1', 'job'],
    );
    assert.deepEqual(targetChoices(model(), 'config', 0).at(-1), { label: 'cron', description: 'does not run here', target: 'cron' });
  });

  test('describes each choice as the view does', () => {
    assert.equal(targetChoices(model(), 'reset', 0).length, 0);
    assert.match(targetChoices(model(), 'stop', 0)[0]!.description, /^running · pid 100/);
  });
});
