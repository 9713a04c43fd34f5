/**
 * Which inline and context actions a daemon row offers, by state, and how the
 * row's contextValue carries them to package.json's menus.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { actionsFor, contextValue, primaryVerb } from '../../../extension/daemons/daemonActions';
import { instance } from './daemonFixtures';

describe('daemon actions', () => {
  test('offers stop and restart for a running daemon, not start or reset', () => {
    assert.deepEqual(actionsFor([instance()]), { start: false, stop: true, restart: true, reset: false });
  });

  test('offers start for a stopped or finished daemon, and nothing else', () => {
    for (const state of ['stopped', 'exited'] as const) {
      assert.deepEqual(actionsFor([instance({ state, pid: null })]), { start: true, stop: false, restart: false, reset: false }, state);
    }
  });

  test('offers reset, start, stop and restart for a crash loop', () => {
    assert.deepEqual(actionsFor([instance({ state: 'crashloop', pid: null })]), { start: true, stop: true, restart: true, reset: true });
  });

  test('offers stop for a daemon waiting for its requirements', () => {
    assert.equal(actionsFor([instance({ state: 'waiting', pid: null })]).stop, true);
  });

  test('offers for a task what fits any of its instances', () => {
    const actions = actionsFor([instance(), instance({ instance: 1, state: 'stopped', pid: null })]);
    assert.deepEqual(actions, { start: true, stop: true, restart: true, reset: false });
  });

  test('writes the row kind and one token per action into the contextValue', () => {
    assert.equal(
      contextValue('daemonTask', { start: false, stop: true, restart: true, reset: false }),
      'daemonTask canStop canRestart primaryStop hasOutput hasConfig',
    );
    assert.equal(contextValue('daemonSkipped', null), 'daemonSkipped hasConfig');
  });

  test('matches the when clauses of the menus in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const menus = pkg.contributes.menus['view/item/context']!.filter(
      (menu) => menu.command.endsWith('Daemon') || menu.command.includes('Daemon'),
    );
    const value = contextValue('daemonInstance', { start: false, stop: true, restart: true, reset: false });
    const offered = new Set<string>();
    for (const menu of menus) {
      const pattern = /viewItem =~ \/(.+)\/$/.exec(menu.when ?? '')?.[1];
      assert.ok(pattern, `a viewItem pattern in ${menu.when}`);
      if (new RegExp(pattern).test(value)) offered.add(menu.command);
    }
    assert.deepEqual([...offered].sort(), [
      'taskwarden.goToDaemonConfig',
      'taskwarden.restartDaemon',
      'taskwarden.showDaemonOutput',
      'taskwarden.showDaemonOutputInTerminal',
      'taskwarden.stopDaemon',
    ]);
  });

  test('offers inline the most likely next action: stop what runs, start what rests, reset a crash loop', () => {
    assert.equal(primaryVerb(actionsFor([instance()])), 'stop');
    assert.equal(primaryVerb(actionsFor([instance({ state: 'stopped', pid: null })])), 'start');
    assert.equal(primaryVerb(actionsFor([instance({ state: 'crashloop', pid: null })])), 'reset');
    assert.equal(primaryVerb(actionsFor([instance(), instance({ instance: 1, state: 'stopped', pid: null })])), 'start');
  });
});
