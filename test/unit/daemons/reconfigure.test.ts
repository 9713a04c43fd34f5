import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planReconfiguration } from '../../../agent/daemons/config/reconfigure';
import { resolveDaemons, type ResolveInput } from '../../../agent/daemons/config/resolve';
import { parseRolesFile } from '../../../agent/daemons/config/roles';

const host: ResolveInput = { roles: null, environment: { HOME: '/home/u' }, host: 'h' };

function specs(tasks: Record<string, unknown>, top: Record<string, unknown> = {}, input: ResolveInput = host) {
  const result = resolveDaemons({ ...top, tasks }, input);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return result.specs;
}

/** The plan as ids, for compact assertions. */
function plan(before: ReturnType<typeof specs>, after: ReturnType<typeof specs>) {
  const result = planReconfiguration(before, after);
  return {
    stop: result.stop.map((spec) => spec.id),
    restart: result.restart.map((change) => change.to.id),
    start: result.start.map((spec) => spec.id),
    keep: result.keep.map((change) => `${change.to.id}${change.changed.length ? ` (${change.changed.join(', ')})` : ''}`),
  };
}

const web = { commands: { start: ['web', '--port', '80'] } };

describe('reconfiguration plan', () => {
  test('an identical config keeps everything', () => {
    assert.deepEqual(plan(specs({ web }), specs({ web })), { stop: [], restart: [], start: [], keep: ['web#0'] });
  });

  test('a new task starts and a removed task stops', () => {
    assert.deepEqual(plan(specs({ web }), specs({ api: web })), { stop: ['web#0'], restart: [], start: ['api#0'], keep: [] });
  });

  test('a changed command restarts', () => {
    const after = specs({ web: { commands: { start: ['web', '--port', '81'] } } });
    const result = planReconfiguration(specs({ web }), after);
    assert.deepEqual(
      result.restart.map((change) => [change.to.id, change.changed]),
      [['web#0', ['argv', 'commands', 'fingerprint']]],
    );
  });

  test('edits of control, requires, start_delay and onexit keep the process running', () => {
    const before = specs({ db: web, setup: { ...web, control: 'once' }, app: web });
    const after = specs({
      db: web,
      setup: { ...web, control: 'once' },
      app: { ...web, control: 'wait', requires: ['db'], start_delay: 2, onexit: [{ type: 'start', task: 'setup' }] },
    });
    assert.deepEqual(plan(before, after).keep, ['db#0', 'setup#0', 'app#0 (requires, startDelayMs, onexit)']);
    assert.deepEqual(plan(before, after).restart, []);
  });

  test('events, restart policy, ready, logs and time_limit edits keep the process and are listed as changed', () => {
    const after = specs({
      web: {
        ...web,
        events: [{ type: 'self', command: 'stop' }],
        restart: { max_delay: 5 },
        ready: { port: 80 },
        logs: { keep: 1 },
        time_limit: 60,
        stop_timeout: 2,
      },
    });
    assert.deepEqual(plan(specs({ web }), after).keep, ['web#0 (timeLimitMs, events, restart, stopTimeoutMs, ready, logs)']);
  });

  test('a change of the context restarts, because the environment of the child changes', () => {
    assert.deepEqual(plan(specs({ web }), specs({ web }, { defines: { LOG_LEVEL: 'debug' } })).restart, ['web#0']);
    const changedEnvironment = specs({ web }, {}, { ...host, environment: { HOME: '/home/other' } });
    assert.deepEqual(plan(specs({ web }), changedEnvironment).restart, ['web#0']);
  });

  test('a pidfile edit restarts, as in taskforce, since it reaches the child as Task_pidfile', () => {
    assert.deepEqual(plan(specs({ web: { ...web, pidfile: '/run/a.pid' } }), specs({ web: { ...web, pidfile: '/run/b.pid' } })).restart, [
      'web#0',
    ]);
  });

  test('a count decrease stops the highest instances and leaves the others alone', () => {
    assert.deepEqual(plan(specs({ web: { ...web, count: 4 } }), specs({ web: { ...web, count: 2 } })), {
      stop: ['web#3', 'web#2'],
      restart: [],
      start: [],
      keep: ['web#0 (count)', 'web#1 (count)'],
    });
  });

  test('a count increase starts the new instances only', () => {
    assert.deepEqual(plan(specs({ web }), specs({ web: { ...web, count: 3 } })), {
      stop: [],
      restart: [],
      start: ['web#1', 'web#2'],
      keep: ['web#0 (count)'],
    });
  });

  test('control off stops, and turning it back on starts', () => {
    assert.deepEqual(plan(specs({ web }), specs({ web: { ...web, control: 'off' } })), {
      stop: ['web#0'],
      restart: [],
      start: [],
      keep: [],
    });
    assert.deepEqual(plan(specs({ web: { ...web, control: 'off' } }), specs({ web })), {
      stop: [],
      restart: [],
      start: ['web#0'],
      keep: [],
    });
  });

  test('suspend stops the processes but keeps the task, and wait starts them again', () => {
    assert.deepEqual(plan(specs({ web }), specs({ web: { ...web, control: 'suspend' } })), {
      stop: ['web#0'],
      restart: [],
      start: [],
      keep: [],
    });
    assert.deepEqual(plan(specs({ web: { ...web, control: 'suspend' } }), specs({ web })), {
      stop: [],
      restart: [],
      start: ['web#0'],
      keep: [],
    });
  });

  test('a task leaving role scope stops', () => {
    const tasks = { web: { ...web, roles: ['frontend'] } };
    const frontend = specs(tasks, {}, { ...host, roles: parseRolesFile('frontend').rolesFile });
    const backend = specs(tasks, {}, { ...host, roles: parseRolesFile('backend').rolesFile });
    assert.deepEqual(plan(frontend, backend).stop, ['web#0']);
    assert.deepEqual(plan(backend, frontend).start, ['web#0']);
  });

  test('a once task is not interrupted by a changed command; the change applies to its next run', () => {
    const before = specs({ setup: { commands: { start: ['setup', '-a'] }, control: 'once' } });
    const after = specs({ setup: { commands: { start: ['setup', '-b'] }, control: 'once' } });
    assert.deepEqual(plan(before, after), { stop: [], restart: [], start: [], keep: ['setup#0 (argv, commands, fingerprint)'] });
  });

  test('stops come dependents first and starts in start order', () => {
    const tasks = { app: { ...web, requires: 'db' }, db: web };
    assert.deepEqual(plan(specs(tasks), []).stop, ['app#0', 'db#0']);
    assert.deepEqual(plan([], specs(tasks)).start, ['db#0', 'app#0']);
  });

  test('the agent pid is not part of the fingerprint, so adopting after an agent restart changes nothing', () => {
    const first = specs({ web }, {}, { ...host, agentPid: 100 });
    const second = specs({ web }, {}, { ...host, agentPid: 200 });
    assert.equal(first[0]?.env['Task_ppid'], '100');
    assert.equal(first[0]?.fingerprint, second[0]?.fingerprint);
    assert.deepEqual(plan(first, second).keep, ['web#0 (env)']);
  });

  test('a roles file change does not restart tasks that do not use roles', () => {
    const tasks = { web };
    const before = specs(tasks, {}, { ...host, roles: parseRolesFile('a').rolesFile });
    const after = specs(tasks, {}, { ...host, roles: parseRolesFile('a\nb=1').rolesFile });
    assert.deepEqual(plan(before, after).keep, ['web#0']);
  });
});
