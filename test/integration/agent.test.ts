import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { connectToAgent } from '../../agent/cli/agentClient';
import { PARTS } from '../../agent/parts';
import { processIsAlive } from '../../agent/proc/processIdentity';
import {
  ConfigStateNotification,
  HealthNotification,
  PROTOCOL_VERSION,
  StatusRequest,
  SubscribeRequest,
  type ConfigStateParams,
} from '../../agent/protocol';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { createWorkspace, runCli, type TestWorkspace } from './support/workspace';

const workspaces: TestWorkspace[] = [];
function workspace(config?: string): TestWorkspace {
  const created = createWorkspace(config);
  workspaces.push(created);
  return created;
}
afterEach(async () => {
  for (const created of workspaces.splice(0)) await created.cleanup();
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

/** Inodes of the listening TCP/UDP sockets on this machine. */
function listeningInetInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

function socketInodesOf(pid: number): string[] {
  return fs
    .readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .map((target) => /^socket:\[(\d+)\]$/.exec(target)?.[1])
    .filter((inode): inode is string => inode !== undefined);
}

describe('the agent', () => {
  it('starts with up, reports itself in status, and stops with down', async () => {
    const ws = workspace();
    const up = await ws.cli(['up', '--json']);
    assert.equal(up.code, 0, up.stderr);
    const started = JSON.parse(up.stdout) as { pid: number; socketPath: string };
    assert.ok(processIsAlive(started.pid));

    const status = await ws.cli(['status', '--json']);
    const parsed = JSON.parse(status.stdout) as {
      pid: number;
      workspace: string;
      socketPath: string;
      agentVersion: string;
      counts: Record<string, unknown>;
    };
    assert.equal(parsed.pid, started.pid);
    assert.equal(parsed.workspace, ws.dir);
    assert.equal(parsed.socketPath, started.socketPath);
    assert.deepEqual(
      Object.keys(parsed.counts),
      PARTS.map((part) => part.name),
      'every part of agent/parts.ts, in its order',
    );

    const human = await ws.cli(['status']);
    assert.match(human.stdout, new RegExp(`running \\(pid ${started.pid}, version `));

    const down = await ws.cli(['down']);
    assert.equal(down.code, 0);
    await waitFor(() => !processIsAlive(started.pid), { what: 'the agent to exit' });
    assert.equal(fs.existsSync(started.socketPath), false);
  });

  it('is found again by a second up instead of starting another', async () => {
    const ws = workspace();
    const first = JSON.parse((await ws.cli(['up', '--json'])).stdout) as { pid: number };
    const second = JSON.parse((await ws.cli(['up', '--json'])).stdout) as { pid: number };
    assert.equal(second.pid, first.pid);
  });

  it('runs exactly once when several up commands race', async () => {
    const ws = workspace();
    const results = await Promise.all([1, 2, 3, 4].map(() => ws.cli(['up', '--json'])));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const pids = new Set(results.map((result) => (JSON.parse(result.stdout) as { pid: number }).pid));
    assert.equal(pids.size, 1);
    const agentsOf = (): string[] =>
      fs
        .readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            return command.includes('taskwarden.js\0agent') && command.includes(ws.dir);
          } catch {
            return false;
          }
        });
    // The agents that lost the race exit on their own, right after finding the lock taken.
    await waitFor(() => agentsOf().length === 1, { what: 'exactly one agent process for the workspace' });
  });

  it('listens on a 0600 socket in a 0700 folder and opens no TCP or UDP port', async () => {
    const ws = workspace();
    const { pid, socketPath } = JSON.parse((await ws.cli(['up', '--json'])).stdout) as { pid: number; socketPath: string };
    assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(socketPath)).mode & 0o777, 0o700);
    assert.ok(Buffer.byteLength(socketPath) <= 107);
    const inet = listeningInetInodes();
    const own = socketInodesOf(pid);
    assert.ok(own.length > 0, 'the agent has its unix socket open');
    assert.deepEqual(
      own.filter((inode) => inet.has(inode)),
      [],
      'no inet socket belongs to the agent',
    );
  });

  it('sends the same notifications to three clients at once', async () => {
    const ws = workspace('tasks: {}\n');
    await ws.cli(['up']);
    const clients = await Promise.all([ws.connect('a'), ws.connect('b'), ws.connect('c')]);
    const received = clients.map(() => [] as ConfigStateParams[]);
    await Promise.all(
      clients.map(async (client, index) => {
        client.connection.onNotification(ConfigStateNotification.type, (params) => {
          received[index]!.push(params);
        });
        await client.connection.sendRequest(SubscribeRequest.type, { topics: ['config', 'health'] });
      }),
    );
    ws.writeConfig('tasks: {}\nbogus: true\n');
    await waitFor(() => received.every((list) => list.some((params) => params.diagnostics.length > 0)), {
      what: 'every client to hear about the bad config',
    });
    const messages = received.map((list) =>
      list.find((params) => params.diagnostics.length > 0)!.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`),
    );
    assert.deepEqual(messages, [
      ["2:1 unknown top-level key 'bogus'"],
      ["2:1 unknown top-level key 'bogus'"],
      ["2:1 unknown top-level key 'bogus'"],
    ]);
  });

  it('keeps the last good config when the file goes bad and reports the problems', async () => {
    const ws = workspace('queues: {}\n');
    await ws.cli(['up']);
    const client = await ws.connect();
    const health: string[] = [];
    client.connection.onNotification(HealthNotification.type, (params) => {
      health.push(params.level);
    });
    await assert.rejects(client.connection.sendRequest(SubscribeRequest.type, { topics: ['health', 'queue'] }), /unknown topic: queue/);
    await client.connection.sendRequest(SubscribeRequest.type, { topics: ['health'] });
    ws.writeConfig('queues: [oops\n');
    await waitFor(async () => (await client.connection.sendRequest(StatusRequest.type)).configErrors > 0, {
      what: 'the agent to see the broken config',
    });
    await waitFor(() => health.includes('warning'), { what: 'a warning health notification' });
    const check = await ws.cli(['check']);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /taskwarden\.yaml:2:1: error: /);
    ws.writeConfig('queues: {}\n');
    await waitFor(async () => (await client.connection.sendRequest(StatusRequest.type)).configErrors === 0, {
      what: 'the repaired config',
    });
  });

  it('refuses a client that speaks another protocol version, naming both versions', async () => {
    const ws = workspace();
    await ws.cli(['up']);
    const attempt = await connectToAgent(ws.dir, 'old-client', 999);
    assert.equal(attempt.ok, false);
    assert.match(attempt.ok ? '' : attempt.error.message, new RegExp(`protocol 999, the agent speaks ${PROTOCOL_VERSION}`));
  });

  it('survives a client that sends shutdown and exit, and one that drops its socket', async () => {
    const ws = workspace();
    const { pid } = JSON.parse((await ws.cli(['up', '--json'])).stdout) as { pid: number };
    const polite = await ws.connect('lsp-like');
    await polite.connection.sendRequest('shutdown');
    await polite.connection.sendNotification('exit');
    const rude = await ws.connect('rude');
    rude.close();
    const status = await ws.cli(['status', '--json', '--no-start']);
    assert.equal(status.code, 0);
    assert.equal((JSON.parse(status.stdout) as { pid: number }).pid, pid);
  });

  it('is replaced by a new agent on the next request after a SIGKILL, which takes over the store', async () => {
    const ws = workspace();
    const first = JSON.parse((await ws.cli(['up', '--json'])).stdout) as { pid: number; socketPath: string };
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => !processIsAlive(first.pid), { what: 'the killed agent to vanish' });
    assert.ok(fs.existsSync(first.socketPath), 'the dead agent left its socket file behind');
    const status = await ws.cli(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const second = JSON.parse(status.stdout) as { pid: number };
    assert.notEqual(second.pid, first.pid);
    const log = fs.readFileSync(path.join(ws.dir, '.taskwarden', 'logs', 'agent.log'), 'utf8');
    assert.match(log, new RegExp(`pid ${second.pid}\\) listening`));
  });

  it('answers status --no-start with exit 3 when no agent runs, and starts none', async () => {
    const ws = workspace();
    const result = await ws.cli(['status', '--no-start']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /no agent runs for/);
    assert.equal(await ws.agentPid(), null);
  });
});

describe('the command line', () => {
  it('rejects an unknown command and an unknown flag with exit 2', async () => {
    const unknownCommand = await runCli(['frobnicate']);
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /unknown command 'frobnicate'/);
    const unknownFlag = await runCli(['status', '--frob']);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /unknown option '--frob'/);
  });

  it('prints help for every command with exit 0', async () => {
    for (const command of ['up', 'down', 'status', 'check', 'agent', 'watch']) {
      const result = await runCli([command, '--help']);
      assert.equal(result.code, 0, command);
      assert.match(result.stdout, new RegExp(`Usage: taskwarden ${command}`));
    }
  });

  it('checks a config without any agent and names a missing file', async () => {
    const ws = workspace('watcher:\n  reservation_ttl: soon\n');
    const bad = await ws.cli(['check']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout.trim(), 'taskwarden.yaml:2:20: error: watcher.reservation_ttl must be number');
    assert.equal(await ws.agentPid(), null);
    const missing = await ws.cli(['check', '-f', 'nope.yaml']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*nope\.yaml: no such file/);
  });
});
