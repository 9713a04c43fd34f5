/**
 * `taskwarden watch` shows every part's live section (agent/parts.ts): the
 * daemons as `ps` lists them and the tasks as `task list` does.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, afterEach, describe, it } from 'node:test';
import { CLI } from './support/workspace';
import { waitFor } from './support/waitFor';
import { fixture, task, Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

describe('taskwarden watch', () => {
  it('shows a running daemon and a running task, each in its part section', async () => {
    const ws = workspaces.create(
      `tasks:\n  keeper:\n    commands: { start: ['${fixture('sleep-forever.sh')}'] }\nwatcher:\n  reservation_ttl: 60\n`,
    );
    const launched = await task(ws, ['launch', '--name', 'watched-task', '--', fixture('sleep-forever.sh')]);
    assert.equal(launched.code, 0, launched.stderr);

    const watch = spawn(process.execPath, [CLI, 'watch', '-w', ws.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let screen = '';
    watch.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    try {
      await waitFor(() => /keeper\s+0\s+\d+\s+running/.test(screen) && /watched-task/.test(screen), {
        what: 'the daemon and the task on the watch screen',
        timeoutMs: 15_000,
      });
      assert.match(screen, /TASK\s+INSTANCE\s+PID\s+STATE/);
      assert.match(screen, /ID\s+NAME/);
    } finally {
      watch.kill('SIGINT');
      await new Promise((resolve) => watch.once('close', resolve));
    }
  });
});
