/**
 * Code lenses and hovers for taskwarden.yaml from the real agent, over an LSP
 * connection like VS Code's: live state above each task, the actions that
 * apply, a refresh request when the state changes, and a hover with details.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { PROTOCOL_VERSION, socketPathFor } from '../../agent/protocol';
import { cleanupWorkspace, FIXTURES, startedWorkspace, waitForInstance } from './support/daemons';
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
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const candidate = net.createConnection(socketPathFor({ workspace: dir }));
    candidate.once('connect', () => resolve(candidate));
    candidate.once('error', reject);
  });
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  connections.push(connection);
  connection.onRequest('workspace/codeLens/refresh', () => {
    onRefresh();
    return null;
  });
  connection.onNotification('textDocument/publishDiagnostics', onDiagnostics);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: null,
    rootUri: pathToFileURL(dir).href,
    capabilities: { workspace: { codeLens: { refreshSupport: true } } },
    initializationOptions: { protocolVersion: PROTOCOL_VERSION, client: 'test-lsp' },
  });
  await connection.sendNotification('initialized', {});
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
      [3, "$(circle-slash) control 'off'", ''],
    ]);
    assert.match(String(titles[0]?.[1]), new RegExp(`running · pid ${running.pid}`));
    assert.deepEqual(lenses[1]?.command?.arguments, ['svc']);

    const stop = await ws.cli(['stop', 'svc']);
    assert.equal(stop.code, 0, stop.stderr);
    await waitFor(() => refreshes > 0, { what: 'a code lens refresh request' });
    const after = (await client.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[];
    assert.deepEqual(after.map((lens) => lens.command?.title).slice(0, 3), ['$(circle-outline) stopped', 'Start', 'Show Output']);

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
      'queues: {}',
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
        [8, 0, 2, "'queues' is not built in this version: the section is checked, but nothing runs from it"],
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
});
