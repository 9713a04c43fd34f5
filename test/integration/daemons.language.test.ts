/**
 * Code lenses and hovers for taskwarden.yaml from the real agent, over an LSP
 * connection like VS Code's: live state above each task, the actions that
 * apply, a refresh request when the state changes, and a hover with details;
 * in every state, the lens, the hover and `taskwarden ps` say what the
 * Daemons view shows for the same list.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { instanceLook, skippedLook, taskDescription, taskDetails, taskLook, type ListDaemonsResult } from '../../agent/daemons/protocol';
import { cleanupWorkspace, FIXTURES, listDaemons, startedWorkspace, waitForInstance } from './support/daemons';
import { languageClient as connectLanguageClient } from './support/languageClient';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
const connections: MessageConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.dispose();
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

interface Lens {
  readonly range: { readonly start: { readonly line: number } };
  readonly command?: { readonly title: string; readonly command: string; readonly arguments?: unknown[] };
}

interface PublishedDiagnostics {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: readonly {
    readonly range: { readonly start: { readonly line: number; readonly character: number } };
    readonly severity: number;
    readonly message: string;
  }[];
}

async function languageClient(
  dir: string,
  onRefresh: () => void,
  onDiagnostics: (params: PublishedDiagnostics) => void = () => undefined,
): Promise<MessageConnection> {
  const connection = await connectLanguageClient(dir, { onRefresh, onDiagnostics });
  connections.push(connection);
  return connection;
}

describe('taskwarden.yaml language features for daemons', () => {
  it('shows live state lenses with actions, asks for a refresh when the state changes, and explains a task on hover', async () => {
    const config = `tasks:\n  svc:\n    commands: {start: [${path.join(FIXTURES, 'sleep-forever.sh')}]}\n  off-task: {control: off, commands: {start: [x]}}\n`;
    const { ws, agent } = await startedWorkspace(config);
    used.push(ws);
    const running = await waitForInstance(agent, 'svc:0', (instance) => instance.state === 'running', 'to run');
    let refreshes = 0;
    const client = await languageClient(ws.dir, () => (refreshes += 1));
    const uri = pathToFileURL(path.join(ws.dir, 'taskwarden.yaml')).href;
    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(path.join(ws.dir, 'taskwarden.yaml'), 'utf8') },
    });

    const lenses = (await client.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[];
    const titles = lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command]);
    assert.deepEqual(titles.slice(1), [
      [1, 'Stop', 'taskwarden.stopDaemon'],
      [1, 'Restart', 'taskwarden.restartDaemon'],
      [1, 'Show Output', 'taskwarden.showDaemonOutput'],
      [3, "$(circle-slash) off (control 'off')", ''],
    ]);
    assert.match(String(titles[0]?.[1]), new RegExp(`running · pid ${running.pid}`));
    assert.deepEqual(lenses[1]?.command?.arguments, ['svc']);

    const stop = await ws.cli(['stop', 'svc']);
    assert.equal(stop.code, 0, stop.stderr);
    await waitFor(() => refreshes > 0, { what: 'a code lens refresh request' });
    const after = (await client.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[];
    assert.deepEqual(after.map((lens) => lens.command?.title).slice(0, 3), [
      '$(circle-outline) stopped · last SIGTERM',
      'Start',
      'Show Output',
    ]);

    const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } })) as {
      contents: { value: string };
    };
    assert.match(hover.contents.value, /\*\*svc\*\* · control `wait`/);
    assert.match(hover.contents.value, /last exit: SIGTERM \(stopped by user\)/);
  });

  it('publishes every problem of the unsaved text at once, and an error for an emptied buffer', async () => {
    const { ws } = await startedWorkspace('tasks: {}\n');
    used.push(ws);
    const published: PublishedDiagnostics[] = [];
    const client = await languageClient(
      ws.dir,
      () => undefined,
      (params) => published.push(params),
    );
    const uri = pathToFileURL(path.join(ws.dir, 'taskwarden.yaml')).href;
    const broken = [
      'tasks:',
      '  database:',
      '    commands: {start: [db]}',
      '  web:',
      '    commands: {start: [web]}',
      '    requires: databse',
      '    count: two',
      '    colour: red',
      'groups: {}',
      '',
    ].join('\n');
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: broken } });
    const first = await waitFor(() => published.find((params) => params.uri === uri && params.version === 1), {
      what: 'diagnostics of version 1',
    });
    // LSP positions are 0-based: line 6 column 15 of check is line 5 character 14.
    assert.deepEqual(
      first.diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.message]),
      [
        [5, 14, 1, "requires 'databse', which is not a task (did you mean 'database'?)"],
        [6, 11, 1, "must be a whole number of processes, 0 or more, not 'two'"],
        [7, 4, 1, "unknown key in tasks.web: 'colour'"],
      ],
    );

    await client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: '# all off\n' }],
    });
    const second = await waitFor(() => published.find((params) => params.uri === uri && params.version === 2), {
      what: 'diagnostics of version 2',
    });
    assert.deepEqual(
      second.diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.message]),
      [
        [
          0,
          0,
          1,
          "the config is empty (only blank lines or comments): it is not applied and the running config stays; write 'tasks: {}' to run no daemons",
        ],
      ],
    );
  });

  it('says in the lens, the hover and ps what the Daemons view says, in every state', async () => {
    const sleeper = `[${path.join(FIXTURES, 'sleep-forever.sh')}]`;
    const exitWith = (code: number): string => `[${path.join(FIXTURES, 'exit-with.sh')}, "${code}"]`;
    const config = `tasks:
  svc:
    commands: {start: ${sleeper}}
  slow:
    commands: {start: ${sleeper}}
    ready: {log: never printed, timeout: 600}
  dep:
    requires: [slow]
    commands: {start: ${sleeper}}
  migrate:
    control: once
    commands: {start: ${exitWith(0)}}
  seed:
    control: once
    commands: {start: ${exitWith(3)}}
  flaky:
    commands: {start: ${exitWith(1)}}
    restart: {initial_delay: 600, crash_loop: false}
  broken:
    commands: {start: ${exitWith(2)}}
    restart: {initial_delay: 0.05, crash_loop: {count: 2, window: 60}}
  paused:
    control: suspend
    commands: {start: ${sleeper}}
  halted:
    commands: {start: ${sleeper}}
  stubborn:
    commands: {start: [/bin/sh, -c, "trap '' TERM; echo started; while :; do sleep 1; done"]}
    stop_timeout: 10
  old: {control: off, commands: {start: [x]}}
`;
    const { ws, agent } = await startedWorkspace(config);
    used.push(ws);
    const lines = new Map(
      config.split('\n').flatMap((line, index) => (/^ {2}([a-z]+):/.exec(line) ? [[/^ {2}([a-z]+):/.exec(line)![1]!, index]] : [])),
    );
    const settled: Record<string, string> = {
      'svc:0': 'running',
      'slow:0': 'starting',
      'dep:0': 'waiting',
      'migrate:0': 'exited',
      'seed:0': 'exited',
      'flaky:0': 'backoff',
      'broken:0': 'crashloop',
      'paused:0': 'suspended',
      'stubborn:0': 'running',
    };
    for (const [id, state] of Object.entries(settled))
      await waitForInstance(agent, id, (instance) => instance.state === state, `to be ${state}`);
    const stopHalted = await ws.cli(['stop', 'halted']);
    assert.equal(stopHalted.code, 0, stopHalted.stderr);
    // stubborn ignores SIGTERM: it stays 'stopping' until SIGKILL, stop_timeout later.
    const stopping = ws.cli(['stop', 'stubborn']);
    await waitForInstance(agent, 'stubborn:0', (instance) => instance.state === 'stopping', 'to be stopping');

    const client = await languageClient(ws.dir, () => undefined);
    const uri = pathToFileURL(path.join(ws.dir, 'taskwarden.yaml')).href;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: config } });

    /** What the lens and the hover show against what the view shows for the list read just before (uptimes may tick between the two). */
    const compare = async (): Promise<{ list: ListDaemonsResult; shown: string[]; expected: string[] }> => {
      const list = await listDaemons(agent);
      const now = Date.now();
      const lenses = (await client.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[];
      const shown: string[] = [];
      const expected: string[] = [];
      for (const task of list.tasks) {
        const line = lines.get(task.name);
        shown.push(`${task.name}: ${lenses.find((lens) => lens.range.start.line === line)?.command?.title}`);
        expected.push(`${task.name}: $(${taskLook(task).icon}) ${taskDescription(task, now)}`);
        const hover = (await client.sendRequest('textDocument/hover', {
          textDocument: { uri },
          position: { line, character: 3 },
        })) as { contents: { value: string } };
        shown.push(hover.contents.value);
        expected.push(taskDetails(task, now));
      }
      for (const skipped of list.skipped) {
        const look = skippedLook(skipped);
        shown.push(`${skipped.name}: ${lenses.find((lens) => lens.range.start.line === lines.get(skipped.name))?.command?.title}`);
        expected.push(`${skipped.name}: $(${look.icon}) ${look.label}`);
      }
      return { list, shown, expected };
    };
    let last: Awaited<ReturnType<typeof compare>> | undefined;
    await waitFor(
      async () => {
        last = await compare();
        return (
          last.list.tasks.find((task) => task.name === 'stubborn')?.instances[0]?.state === 'stopping' &&
          last.shown.join('\n') === last.expected.join('\n')
        );
      },
      { what: 'the lenses and hovers to match the view', timeoutMs: 10_000 },
    ).catch(() => undefined);
    assert.ok(last);
    assert.deepEqual(last.shown, last.expected);
    const labels = Object.fromEntries(last.list.tasks.map((task) => [task.name, taskLook(task).label]));
    assert.deepEqual(labels, {
      svc: 'running',
      slow: 'starting (not ready yet)',
      dep: 'waiting for slow',
      migrate: 'done',
      seed: 'failed',
      flaky: 'restarting after a quick exit',
      broken: 'crash loop',
      paused: 'suspended',
      halted: 'stopped',
      stubborn: 'stopping',
    });
    assert.ok(last.shown.includes('migrate: $(pass) done · last exit 0'), last.shown.join('\n'));

    const ps = await ws.cli(['ps']);
    assert.equal(ps.code, 0, ps.stderr);
    const [header = '', ...rows] = ps.stdout.split('\n');
    const column = [header.indexOf('STATE'), header.indexOf('UPTIME')] as const;
    const states = new Map(rows.filter((row) => /^\S+\s+\d/.test(row)).map((row) => [row.split(/\s+/)[0], row.slice(...column).trim()]));
    for (const task of last.list.tasks) {
      const instance = task.instances[0]!;
      if (instance.state === 'stopping') continue; // it may be gone by now
      assert.equal(states.get(task.name), instanceLook(instance).label, `ps STATE of ${task.name}`);
    }
    assert.equal((await stopping).code, 0);
  });
});
