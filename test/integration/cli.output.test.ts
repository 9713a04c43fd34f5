/**
 * What the CLI prints for scripts: `--json` on every command that prints
 * data (watch, down and task parse refused it), and `watch` without terminal
 * codes when its output is not a terminal.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { cleanupWorkspace, FIXTURES, startedWorkspace, waitForInstance } from './support/daemons';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { CLI, runCli, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

const CONFIG = `tasks:\n  web: {commands: {start: [${path.join(FIXTURES, 'sleep-forever.sh')}]}}\n`;

/** Runs `watch` into a pipe while `act` runs; returns everything it printed and its exit code (after Ctrl-C). */
async function watchWhile(
  ws: TestWorkspace,
  args: readonly string[],
  act: (output: () => string) => Promise<void>,
): Promise<{ output: string; code: number | null }> {
  const watch = spawn(process.execPath, [CLI, 'watch', ...args, '-w', ws.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  watch.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => watch.once('exit', (code) => resolve(code)));
  try {
    await act(() => output);
  } finally {
    watch.kill('SIGINT');
  }
  return { output, code: await exited };
}

describe('output for scripts', () => {
  it('watch into a pipe appends a screen per change, with no terminal codes', async () => {
    const { ws, agent } = await startedWorkspace(CONFIG);
    used.push(ws);
    await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');

    const { output, code } = await watchWhile(ws, [], async (printed) => {
      await waitFor(() => /^web +0 +\d+ +running/m.test(printed()), { what: 'a first screen' });
      assert.equal((await ws.cli(['stop', 'web'])).code, 0);
      await waitFor(() => /^web +0 +- +stopped/m.test(printed()), { what: 'a screen after the stop' });
    });

    assert.equal(code, 0);
    assert.doesNotMatch(output, /\x1b/, 'no escape sequence');
    assert.ok(output.split('Taskwarden — ').length - 1 >= 2, 'one screen after another');
    assert.doesNotMatch(output, /Ctrl-C to quit/);
  });

  it('watch --json prints one JSON object per line, at start and on each change', async () => {
    const { ws, agent } = await startedWorkspace(CONFIG);
    used.push(ws);
    await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');
    type Line = { status: { pid: number }; daemons: { tasks: { instances: { state: string }[] }[] } };
    const parsed = (output: string): Line[] =>
      output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Line);
    const states = (output: string): string[] => parsed(output).map((line) => line.daemons.tasks[0]?.instances[0]?.state ?? '-');

    const { output, code } = await watchWhile(ws, ['--json'], async (printed) => {
      await waitFor(() => states(printed()).includes('running'), { what: 'a first object' });
      assert.equal((await ws.cli(['stop', 'web'])).code, 0);
      await waitFor(() => states(printed()).includes('stopped'), { what: 'an object after the stop' });
    });

    assert.equal(code, 0);
    assert.ok(parsed(output).every((line) => line.status.pid === agent.handshake.pid));
  });

  it('task parse and down take --json, and the top-level help says every command does', async () => {
    const { ws } = await startedWorkspace('tasks: {}\n');
    used.push(ws);
    const feedback = path.join(ws.dir, 'feedback_1.log');
    fs.writeFileSync(feedback, '[progress]40\n[step]copy\n');

    const parse = await runCli(['task', 'parse', '--json', feedback]);
    const down = await ws.cli(['down', '--json']);
    const help = await runCli(['--help']);

    assert.equal(parse.code, 0, parse.stderr);
    assert.deepEqual(JSON.parse(parse.stdout), { progress: '40', step: 'copy' });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual((JSON.parse(down.stdout) as { stopped: unknown[]; left: unknown[] }).left, []);
    assert.match(help.stdout, /--json/);
  });
});
