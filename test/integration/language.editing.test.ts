/**
 * Editing help for taskwarden.yaml from the real agent, over an LSP connection
 * like VS Code's: completion of schema keys, enum values and names (tasks in
 * requires, queues in a queue job's params), key hovers merged with the
 * parts' hovers, a quick fix for a "did you mean" diagnostic, the outline;
 * and, for an editor with Red Hat's YAML extension, only what that extension
 * cannot offer.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { cleanupWorkspace, FIXTURES, startedWorkspace, waitForInstance } from './support/daemons';
import { languageClient } from './support/languageClient';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
const connections: MessageConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.dispose();
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

interface Item {
  readonly label: string;
  readonly textEdit?: { readonly newText: string };
}
interface Published {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: { readonly message: string; readonly range: unknown; readonly data?: unknown }[];
}

const SLEEPER = `[${path.join(FIXTURES, 'sleep-forever.sh')}]`;
const CONFIG = [
  'tasks:',
  `  db: {commands: {start: ${SLEEPER}}}`,
  '  web:',
  `    commands: {start: ${SLEEPER}}`,
  '    requires: [db]',
  '    stop_timeout: 3',
  'queues:',
  '  build: {}',
  'jobs:',
  '  push:',
  '    task: queue',
  '    params: {queue: build, cmd: [true]}',
  '',
].join('\n');

async function opened(ws: TestWorkspace, hooks: Parameters<typeof languageClient<Published>>[1] = {}) {
  const client = await languageClient<Published>(ws.dir, hooks);
  connections.push(client);
  const uri = pathToFileURL(path.join(ws.dir, 'taskwarden.yaml')).href;
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: CONFIG } });
  const complete = async (line: number, character: number): Promise<string[]> => {
    const items = (await client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } })) as Item[];
    return items.map((item) => item.label);
  };
  const hover = async (line: number, character: number): Promise<string | null> => {
    const found = (await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as {
      contents: { value: string };
    } | null;
    return found?.contents.value ?? null;
  };
  const change = (version: number, text: string) =>
    client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  return { client, uri, complete, hover, change };
}

describe('editing help for taskwarden.yaml from the agent', () => {
  it('completes keys, values and names, explains keys, fixes a misspelt key and outlines the file', async () => {
    const { ws, agent } = await startedWorkspace(CONFIG);
    used.push(ws);
    await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');
    const published: Published[] = [];
    const { client, uri, complete, hover, change } = await opened(ws, { onDiagnostics: (params) => published.push(params) });

    // An empty line at the end: the sections the file lacks.
    const top = await complete(12, 0);
    assert.ok(top.includes('watcher') && top.includes('groups') && !top.includes('tasks'), top.join(', '));
    // In web's `requires: [db]`, after the bracket: the other tasks.
    assert.deepEqual(await complete(4, 15), ['db']);
    // In the job's params, at `queue: build`: the queues of the file.
    assert.deepEqual(await complete(11, 22), ['build']);

    assert.match((await hover(5, 6))!, /^`stop_timeout`: Seconds between the stop signal and SIGKILL/);
    assert.match((await hover(2, 3))!, /^\*\*web\*\* · control `wait`/);

    await change(2, CONFIG.replace('stop_timeout', 'stop_timout'));
    const second = await waitFor(() => published.find((params) => params.uri === uri && params.version === 2), {
      what: 'diagnostics of version 2',
    });
    const typo = second.diagnostics.find((diagnostic) => diagnostic.message.includes("'stop_timout'"));
    assert.deepEqual(typo?.data, { word: 'stop_timout', suggestion: 'stop_timeout' });
    const actions = (await client.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: typo.range,
      context: { diagnostics: [typo] },
    })) as { title: string; edit: { changes: Record<string, { newText: string; range: unknown }[]> } }[];
    assert.deepEqual(
      actions.map((action) => [action.title, action.edit.changes[uri]?.[0]?.newText]),
      [["Change 'stop_timout' to 'stop_timeout'", 'stop_timeout']],
    );

    const symbols = (await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as {
      name: string;
      children: { name: string }[];
    }[];
    assert.deepEqual(
      symbols.map((symbol) => [symbol.name, symbol.children.map((child) => child.name)]),
      [
        ['tasks', ['db', 'web']],
        ['queues', ['build']],
        ['jobs', ['push']],
      ],
    );
  });

  it("leaves schema keys, key hovers and the outline to Red Hat's YAML extension when the editor has it, and still completes names", async () => {
    const { ws } = await startedWorkspace(CONFIG);
    used.push(ws);
    const { client, uri, complete, hover } = await opened(ws, { initializationOptions: { yamlSchemaSupport: true } });
    assert.deepEqual(await complete(12, 0), []);
    assert.deepEqual(await complete(4, 15), ['db']);
    assert.deepEqual(await complete(11, 22), ['build']);
    assert.equal(await hover(5, 6), null);
    assert.match((await hover(2, 3))!, /^\*\*web\*\* · control `wait`/);
    assert.deepEqual(await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }), []);
  });
});
