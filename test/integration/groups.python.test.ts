/**
 * Python tasklets (the seed's own language) under the Python runner: priority
 * order, shared params from params.ini, a raising and a never-returning
 * tasklet, and a folder that mixes languages reported as broken.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupStatus, groupsTestFile, params, waitForRounds } from './groups.helpers';
import { waitFor } from './support/waitFor';

const start = groupsTestFile();

describe('process groups: Python tasklets', () => {
  it('runs .py tasklets with the same semantics: order, shared params, a raise and a hang recorded, rounds going on', async () => {
    const started = await start('groups:\n  interval: 0.3\n  time_limit: 1\n', {
      'processhandler/py/params.ini': '[main]\nseen=start\n',
      'processhandler/py/a.py':
        'priority = 5\ndef main(params, ctx):\n    params["seen"] = [params["seen"]] if isinstance(params["seen"], str) else params["seen"]\n    params["seen"].append("a%d" % ctx.round)\n',
      'processhandler/py/2_raises.py':
        'def match(params, ctx):\n    return ctx.round == 1\n\ndef main(params, ctx):\n    raise ValueError("bad value")\n',
      'processhandler/py/hangs.py':
        'def match(params, ctx):\n    return ctx.round == 2\n\ndef main(params, ctx):\n    while True:\n        pass\n',
    });
    const rounds = await waitForRounds(started.agent, 'py', 3, 30_000);
    assert.deepEqual(
      rounds[0]!.results.map((result) => [result.name, result.outcome]),
      [
        ['a.py', 'ok'],
        ['2_raises.py', 'error'],
        ['hangs.py', 'not-matched'],
      ],
    );
    assert.equal(rounds[0]!.results[1]!.error?.message, 'ValueError: bad value');
    assert.equal(rounds[1]!.endedBy, 'runner-killed');
    assert.equal(rounds[2]!.endedBy, 'done');
    const seen = (await params(started.agent, 'py')).seen as string[];
    assert.deepEqual(seen.slice(0, 2), ['start', 'a1'], 'params from params.ini, kept across the runner restart');
    assert.equal((await groupStatus(started.agent, 'py')).language, 'python');
  });

  it('reports a folder that mixes Python and JavaScript tasklets as broken, naming why', async () => {
    const started = await start('groups:\n  interval: 1\n', {
      'processhandler/mixed/a.py': 'def main(params, ctx):\n    pass\n',
      'processhandler/mixed/b.js': 'exports.main = () => undefined;\n',
    });
    const status = await waitFor(async () => {
      const group = await groupStatus(started.agent, 'mixed');
      return group.state === 'broken' ? group : null;
    });
    assert.match(status.problems[0]!.message, /mixes Python and JavaScript\/TypeScript tasklets/);
    assert.equal(status.pid, null);
  });
});
