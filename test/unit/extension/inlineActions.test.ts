/**
 * The rule of a calm tree, read from package.json's menus: no row of any view
 * gets more than two inline actions, the second of them (where a row has one)
 * is always its Show Output, and every inline action is also in the row's
 * context menu. The rows' context values are those the views set: the Daemons
 * view's are made by daemonActions.ts for every combination of actions; the
 * other views' are their fixed strings.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { contextValue, type DaemonActions, type DaemonRowKind } from '../../../extension/daemons/daemonActions';

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuEntry[]> };
};
const ROW_MENUS = pkg.contributes.menus['view/item/context']!;

/** Every contextValue a Daemons row can have. */
function daemonContexts(): string[] {
  const values = new Set<string>([contextValue('daemonSkipped', null)]);
  for (let bits = 0; bits < 16; bits++) {
    const actions: DaemonActions = { start: !!(bits & 1), stop: !!(bits & 2), restart: !!(bits & 4), reset: !!(bits & 8) };
    for (const kind of ['daemonTask', 'daemonInstance'] as DaemonRowKind[]) values.add(contextValue(kind, actions));
  }
  return [...values];
}

/** Every row context of each view (extension/tasks/taskTreeItems.ts CONTEXT, queueTreeItems.ts, groupTreeItems.ts). */
const ROWS: Readonly<Record<string, readonly string[]>> = {
  'taskwarden.daemons': daemonContexts(),
  'taskwarden.tasks': [
    'task.running',
    'task.running.feedback',
    'task.reserved',
    'task.feedbackKey',
    'taskHistory.root',
    'taskHistory.entry',
    'taskHistory.entry.feedback',
    'taskHistory.more',
  ],
  'taskwarden.queues': [
    'queue.active',
    'queue.paused',
    'queueItem.queued',
    'queueItem.running',
    'queueItem.finished',
    'queueRecent',
    'queueShowMore',
  ],
  'taskwarden.groups': [
    ...['running', 'starting', 'restarting', 'stopped', 'broken'].map((state) => `group.${state}`),
    'groupSchedule',
    'tasklet.ok',
    'tasklet.failed',
    'groupParams',
    'groupParam',
  ],
};

/** Evaluates the `when` clauses these menus use: `view == V`, `viewItem == X`, `viewItem =~ /RE/`, joined by `&&`. */
function applies(when: string | undefined, view: string, viewItem: string): boolean {
  return (when ?? 'true').split('&&').every((clause) => {
    const term = clause.trim();
    let match = /^(view|viewItem) == (\S+)$/.exec(term);
    if (match) return (match[1] === 'view' ? view : viewItem) === match[2];
    match = /^(view|viewItem) =~ \/(.+)\/$/.exec(term);
    if (match) return new RegExp(match[2]!).test(match[1] === 'view' ? view : viewItem);
    assert.fail(`a when clause this test cannot read: ${term}`);
  });
}

function inlineEntries(view: string, viewItem: string): MenuEntry[] {
  return ROW_MENUS.filter((entry) => entry.group?.startsWith('inline') && applies(entry.when, view, viewItem)).sort((a, b) =>
    (a.group ?? '').localeCompare(b.group ?? ''),
  );
}

describe('inline actions of the rows', () => {
  test('every inline entry of a view names one of the row contexts this test knows', () => {
    for (const entry of ROW_MENUS.filter((menu) => menu.group?.startsWith('inline'))) {
      const view = /view == (\S+)/.exec(entry.when ?? '')?.[1];
      assert.ok(view && ROWS[view], `${entry.command}: a view this test knows in "${entry.when}"`);
      assert.ok(
        ROWS[view].some((viewItem) => applies(entry.when, view, viewItem)),
        `${entry.command} matches no row of ${view}: a context this test does not list?`,
      );
    }
  });

  test('no row gets more than two inline actions', () => {
    for (const [view, contexts] of Object.entries(ROWS))
      for (const viewItem of contexts) {
        const entries = inlineEntries(view, viewItem);
        assert.ok(
          entries.length <= 2,
          `${view} row "${viewItem}" has ${entries.length} inline actions: ${entries.map((e) => e.command).join(', ')}`,
        );
      }
  });

  test('a row has at most one action in each of the two places, and Show Output, where offered, is second', () => {
    for (const [view, contexts] of Object.entries(ROWS))
      for (const viewItem of contexts) {
        const entries = inlineEntries(view, viewItem);
        const groups = entries.map((entry) => entry.group);
        assert.equal(new Set(groups).size, groups.length, `${view} "${viewItem}": two actions in one place (${groups.join(', ')})`);
        for (const entry of entries)
          if (/^taskwarden\.show\w*Output$/.test(entry.command))
            assert.equal(entry.group, 'inline@2', `${view} "${viewItem}": ${entry.command} in the second place`);
      }
  });

  test('every inline action of a row is in its context menu too', () => {
    for (const [view, contexts] of Object.entries(ROWS))
      for (const viewItem of contexts) {
        const inContext = new Set(
          ROW_MENUS.filter((entry) => !entry.group?.startsWith('inline') && applies(entry.when, view, viewItem)).map(
            (entry) => entry.command,
          ),
        );
        for (const entry of inlineEntries(view, viewItem))
          assert.ok(inContext.has(entry.command), `${view} "${viewItem}": ${entry.command} is inline but not in the context menu`);
      }
  });
});
