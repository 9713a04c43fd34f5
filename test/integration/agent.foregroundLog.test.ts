/**
 * A foreground `taskwarden agent` (under a service manager) writes its log to
 * stderr as well as to .taskwarden/logs/agent.log, so the journal has it; a
 * detached agent, whose stderr is that log file, writes each line once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { CLI, createWorkspace, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await ws.cleanup();
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

describe('the agent log', () => {
  it('goes to stderr too when the agent runs in the foreground', async () => {
    const ws = createWorkspace();
    used.push(ws);
    const agent = spawn(process.execPath, [CLI, 'agent', '-w', ws.dir], { cwd: ws.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    agent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /INFO +\[agent\] agent .* listening on /.test(stderr), { what: 'the listening line on stderr' });
    } finally {
      agent.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.match(stderr, /\[agent\] agent stopped/);
  });

  it('has each line once when the agent runs detached', async () => {
    const ws = createWorkspace();
    used.push(ws);
    const up = await ws.cli(['up']);
    assert.equal(up.code, 0, up.stderr);
    const log = fs.readFileSync(path.join(ws.dir, '.taskwarden', 'logs', 'agent.log'), 'utf8');
    assert.equal(log.split('\n').filter((line) => / listening on /.test(line)).length, 1, log);
  });
});
