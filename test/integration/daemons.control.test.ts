/**
 * Ready probes (port, http, exec), requests that race a start, the child's
 * environment (env, env_file, context), and stop overrides (stop_signal, a
 * `stop` event) on real processes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { RestartDaemonRequest, StartDaemonRequest, StopDaemonRequest } from '../../agent/daemons/protocol';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { cleanupWorkspace, FIXTURES, instanceIn, listDaemons, markedPids, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
async function start(config: string, files: Record<string, string> = {}): ReturnType<typeof startedWorkspace> {
  const started = await startedWorkspace(config, files);
  used.push(started.ws);
  return started;
}
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleepForever = path.join(FIXTURES, 'sleep-forever.sh');

describe('daemon control', () => {
  it('refuses to start or restart a suspended daemon and says why, starting nothing', async () => {
    const { ws, agent } = await start(`tasks:\n  paused: {control: suspend, commands: {start: [${sleepForever}]}}\n`);
    await waitForInstance(agent, 'paused:0', (instance) => instance.state === 'suspended', 'to be suspended');

    const started = await ws.cli(['start', 'paused']);
    const restarted = await ws.cli(['restart', 'paused:0']);

    for (const result of [started, restarted]) {
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /daemon 'paused' is suspended by its config \(control: suspend\), so it was not (started|restarted); to run it, set its control to wait/,
      );
    }
    const paused = instanceIn(await listDaemons(agent), 'paused:0');
    assert.equal(paused?.state, 'suspended');
    assert.equal(paused?.pid, null);
    assert.deepEqual(markedPids(ws.dir), []);
  });

  it('waits for a TCP port, an HTTP answer and a command before dependents start', async () => {
    const [tcp, web] = [await freePort(), await freePort()];
    const server = (kind: 'net' | 'http', port: number): string =>
      `[${process.execPath}, -e, "setTimeout(() => require('${kind}').createServer((q, s) => s && s.end('ok')).listen(${port}, '127.0.0.1'), 400)"]`;
    const { agent } = await start(`
tasks:
  tcp: {commands: {start: ${server('net', tcp)}}, ready: {port: ${tcp}}}
  web: {commands: {start: ${server('http', web)}}, ready: {http: "http://127.0.0.1:${web}/"}}
  file: {commands: {start: [sh, -c, 'sleep 0.4; touch made.flag; exec sleep 100000']}, ready: {exec: [test, -f, made.flag]}}
  last: {requires: [tcp, web, file], commands: {start: [${sleepForever}]}}
`);
    const waiting = await waitForInstance(agent, 'last:0', (instance) => instance.state === 'waiting', 'to wait');
    assert.ok(waiting.waitingFor.length > 0);
    await waitForInstance(agent, 'last:0', (instance) => instance.state === 'running', 'to run once all three are ready', 15_000);
    const list = await listDaemons(agent);
    for (const id of ['tcp:0', 'web:0', 'file:0']) assert.equal(instanceIn(list, id)?.ready, true, id);
  });

  it('applies a stop that arrives while the daemon is starting, and never runs two copies', async () => {
    const { ws, agent } = await start(`
tasks:
  slow: {commands: {start: [${sleepForever}]}, ready: {log: "never printed"}}
`);
    await waitForInstance(agent, 'slow:0', (instance) => instance.state === 'starting', 'to be starting');
    // Fired together, unawaited: the stop must win over the start before it, whatever the timing.
    const requests = [
      agent.connection.sendRequest(RestartDaemonRequest.type, { name: 'slow' }),
      agent.connection.sendRequest(StartDaemonRequest.type, { name: 'slow' }),
      agent.connection.sendRequest(StopDaemonRequest.type, { name: 'slow' }),
    ];
    await Promise.all(requests);
    const stopped = await waitForInstance(agent, 'slow:0', (instance) => instance.state === 'stopped', 'to end stopped');
    assert.equal(stopped.pid, null);
    await waitFor(() => markedPids(ws.dir).length === 0, { what: 'no process left' });

    await Promise.all([1, 2, 3].map(() => agent.connection.sendRequest(RestartDaemonRequest.type, { name: 'slow' })));
    const running = await waitForInstance(agent, 'slow:0', (instance) => instance.state === 'starting', 'to run again');
    await waitFor(() => markedPids(ws.dir).length === 1, { what: 'exactly one process' });
    assert.deepEqual(markedPids(ws.dir), [running.pid]);
  });

  it('gives the daemon its context, env_file and env, env winning', async () => {
    const { ws, agent } = await start(
      `
defines: {greeting: hello}
tasks:
  show:
    env_file: settings.env
    env: {FROM_ENV: "{greeting} from env", SHARED: env}
    commands: {start: [sh, -c, 'echo "$Task_name/$Task_instance $FROM_FILE $FROM_ENV $SHARED $greeting" > env.txt; exec sleep 100000']}
`,
      { 'settings.env': 'FROM_FILE=file\nSHARED=file\n' },
    );
    await waitForInstance(agent, 'show:0', (instance) => instance.state === 'running', 'to run');
    await waitFor(() => fs.existsSync(path.join(ws.dir, 'env.txt')) && fs.readFileSync(path.join(ws.dir, 'env.txt'), 'utf8').length > 0, {
      what: 'env.txt',
    });
    assert.equal(fs.readFileSync(path.join(ws.dir, 'env.txt'), 'utf8'), 'show/0 file hello from env env hello\n');
    const first = instanceIn(await listDaemons(agent), 'show:0')!;

    // A changed env_file restarts the daemon with its new environment.
    fs.writeFileSync(path.join(ws.dir, 'settings.env.tmp'), 'FROM_FILE=edited\n');
    fs.renameSync(path.join(ws.dir, 'settings.env.tmp'), path.join(ws.dir, 'settings.env'));
    await waitForInstance(
      agent,
      'show:0',
      (instance) => instance.state === 'running' && instance.pid !== first.pid,
      'to restart after its env_file changed',
    );
    await waitFor(() => fs.readFileSync(path.join(ws.dir, 'env.txt'), 'utf8').includes('edited'), { what: 'the new environment' });
    assert.equal(fs.readFileSync(path.join(ws.dir, 'env.txt'), 'utf8'), 'show/0 edited hello from env env hello\n');
  });

  it('runs the process under its procname', async () => {
    const { agent } = await start(`
tasks:
  named: {procname: "fancy-{Task_name}", commands: {start: [sleep, "100000"]}}
`);
    const named = await waitForInstance(agent, 'named:0', (instance) => instance.state === 'running', 'to run');
    assert.equal(fs.readFileSync(`/proc/${named.pid}/cmdline`, 'utf8').split('\0')[0], 'fancy-named');
  });

  it('stops with stop_signal, or with the stop event command, then SIGKILL after stop_timeout', async () => {
    const { ws, agent } = await start(`
tasks:
  polite:
    stop_signal: INT
    commands: {start: [sh, -c, 'trap "echo got-int >> polite.txt; exit 0" INT; echo up; while :; do sleep 0.05; done']}
    ready: {log: up}
  scripted:
    stop_timeout: 0.3
    commands:
      start: [sh, -c, 'trap "" TERM; echo up; while :; do sleep 0.05; done']
      goodbye: [sh, -c, 'echo "asked to stop" >> scripted.txt']
    events: [{type: stop, command: goodbye}]
    ready: {log: up}
`);
    await waitForInstance(agent, 'polite:0', (instance) => instance.state === 'running', 'to be ready');
    const scripted = await waitForInstance(agent, 'scripted:0', (instance) => instance.state === 'running', 'to be ready');
    const stop = await ws.cli(['stop', 'polite']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'polite.txt'), 'utf8'), 'got-int\n');

    const started = Date.now();
    await ws.cli(['stop', 'scripted']);
    assert.equal(processIsAlive(scripted.pid!), false);
    assert.ok(Date.now() - started >= 300, 'waited for stop_timeout before SIGKILL');
    await waitFor(() => fs.existsSync(path.join(ws.dir, 'scripted.txt')), { what: 'the stop command to run' });
    const after = instanceIn(await listDaemons(agent), 'scripted:0');
    assert.equal(after?.lastExit?.signal, 'SIGKILL');
  });
});
