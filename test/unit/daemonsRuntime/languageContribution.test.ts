/**
 * The code lenses and hovers of taskwarden.yaml for daemons: the state reads
 * and looks as in the Daemons view (the shared presentation of
 * agent/daemons/protocol/presentation.ts), with the actions that apply.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daemonLanguageContribution } from '../../../agent/daemons/languageContribution';
import type { DaemonInstanceInfo, DaemonTaskInfo } from '../../../agent/daemons/protocol';

const NOW = 1_000_000;

function instance(overrides: Partial<DaemonInstanceInfo>): DaemonInstanceInfo {
  return {
    id: 'web:0',
    task: 'web',
    instance: 0,
    state: 'running',
    pid: 42,
    startedAt: NOW - 65_000,
    restarts: 2,
    lastExit: null,
    ready: true,
    crashLoop: false,
    nextStartAt: null,
    waitingFor: [],
    message: null,
    adopted: false,
    ...overrides,
  };
}

const web: DaemonTaskInfo = {
  name: 'web',
  control: 'wait',
  count: 1,
  requires: ['db'],
  configFile: '/w/taskwarden.yaml',
  configLine: 3,
  instances: [instance({})],
};
const db: DaemonTaskInfo = {
  ...web,
  name: 'db',
  requires: [],
  configLine: 2,
  instances: [
    instance({
      id: 'db:0',
      task: 'db',
      state: 'stopped',
      pid: null,
      startedAt: null,
      restarts: 0,
      lastExit: { code: 0, signal: 'SIGTERM', at: NOW, reason: 'stopped by user' },
    }),
  ],
};
const migrate: DaemonTaskInfo = {
  ...web,
  name: 'migrate',
  control: 'once',
  requires: [],
  configLine: 6,
  instances: [
    instance({
      id: 'migrate:0',
      task: 'migrate',
      state: 'exited',
      pid: null,
      startedAt: null,
      restarts: 0,
      lastExit: { code: 0, signal: null, at: NOW, reason: null },
    }),
  ],
};
const TEXT =
  'tasks:\n  db: {commands: {start: [db]}}\n  web:\n    commands: {start: [web, "{Task_instance}"]}\n  old: {control: off, commands: {start: [x]}}\n' +
  '  migrate: {control: once, commands: {start: [m]}}\n  fresh: {commands: {start: [f]}}\n';

const contribution = daemonLanguageContribution(
  {
    task: (name) => ({ web, db, migrate })[name] ?? null,
    skipped: (name) => (name === 'old' ? { name, reason: 'off', configLine: 5 } : null),
  },
  () => NOW,
);

describe('daemon code lenses and hovers', () => {
  it('puts the live state and the actions that apply above each task', () => {
    const lenses = contribution
      .codeLenses(TEXT)
      .map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments]);
    assert.deepEqual(lenses, [
      [1, '$(circle-outline) stopped · last SIGTERM', '', undefined],
      [1, 'Start', 'taskwarden.startDaemon', ['db']],
      [1, 'Show Output', 'taskwarden.showDaemonOutput', ['db']],
      [2, '$(circle-filled) running · pid 42 · up 1m 5s · 2 restarts', '', undefined],
      [2, 'Stop', 'taskwarden.stopDaemon', ['web']],
      [2, 'Restart', 'taskwarden.restartDaemon', ['web']],
      [2, 'Show Output', 'taskwarden.showDaemonOutput', ['web']],
      [4, "$(circle-slash) off (control 'off')", '', undefined],
      [5, '$(pass) done · last exit 0', '', undefined],
      [5, 'Start', 'taskwarden.startDaemon', ['migrate']],
      [5, 'Show Output', 'taskwarden.showDaemonOutput', ['migrate']],
      [6, '$(circle-slash) not running (config not applied)', '', undefined],
    ]);
  });

  it('describes a task when hovering its name, and a built-in name inside braces', () => {
    const task = contribution.hover(TEXT, 2, 3);
    assert.match(JSON.stringify(task?.contents), /\*\*web\*\* · control `wait` · 1 instance · requires db/);
    assert.match(
      JSON.stringify(task?.contents),
      /\*\*web:0\*\* — running\\n\\n- pid 42\\n- up 1m 5s \(since [^)]+\)\\n- ready\\n- 2 restarts/,
    );
    const stopped = contribution.hover(TEXT, 1, 3);
    assert.match(JSON.stringify(stopped?.contents), /\*\*db:0\*\* — stopped/);
    assert.match(JSON.stringify(stopped?.contents), /last exit: SIGTERM \(stopped by user\)/);
    assert.match(JSON.stringify(contribution.hover(TEXT, 5, 3)?.contents), /\*\*migrate:0\*\* — done/);
    assert.match(JSON.stringify(contribution.hover(TEXT, 4, 3)?.contents), /\*\*old\*\* — off \(control 'off'\)/);
    const builtin = contribution.hover(TEXT, 3, 33);
    assert.match(JSON.stringify(builtin?.contents), /instance number/);
    assert.equal(contribution.hover(TEXT, 0, 1), null);
  });
});
