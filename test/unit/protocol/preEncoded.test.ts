import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'vscode-jsonrpc';
import { keepingPreEncodedResults, PreEncodedJson, writingPreEncodedResults } from '../../../agent/protocol/preEncoded';

const ROWS = [
  { id: 'a', cmd: ['/bin/echo', 'say "hi"'] },
  { id: 'ü', cmd: ['printf', '%s\\n'] },
];

function joined(): PreEncodedJson {
  return PreEncodedJson.array(ROWS.map((row) => Buffer.from(JSON.stringify(row))));
}

async function encode(message: Message): Promise<Buffer> {
  if (!('encode' in writingPreEncodedResults)) throw new Error('a function encoder');
  return Buffer.from(await writingPreEncodedResults.encode(message, { charset: 'utf-8' }));
}

async function decode(bytes: Buffer): Promise<Message> {
  if (!('decode' in keepingPreEncodedResults)) throw new Error('a function decoder');
  return keepingPreEncodedResults.decode(bytes, { charset: 'utf-8' });
}

describe('pre-encoded results', () => {
  it('are written into the response as they are, and any JSON reader sees the plain result', async () => {
    const response = await encode({ jsonrpc: '2.0', id: 7, result: joined() } as Message);
    assert.deepEqual(JSON.parse(response.toString('utf8')), { jsonrpc: '2.0', id: 7, preEncoded: true, result: ROWS });
  });

  it('reach a client that keeps them as the very bytes the agent joined', async () => {
    const response = await encode({ jsonrpc: '2.0', id: 'req-12', result: joined() } as Message);
    const message = (await decode(response)) as unknown as { id: unknown; result: unknown };
    assert.equal(message.id, 'req-12');
    assert.ok(message.result instanceof PreEncodedJson);
    assert.equal(message.result.bytes.toString('utf8'), JSON.stringify(ROWS));
    assert.deepEqual(message.result.parse(), ROWS);
  });

  it('fit into a response without room around them too (a result made of bytes it did not join)', async () => {
    const bare = PreEncodedJson.of(Buffer.from(JSON.stringify(ROWS)));
    const response = await encode({ jsonrpc: '2.0', id: 1, result: bare } as Message);
    assert.deepEqual(JSON.parse(response.toString('utf8')).result, ROWS);
  });

  it('leave every other message to plain JSON both ways, even one whose text mentions the mark', async () => {
    const tricky = { jsonrpc: '2.0', id: 3, result: { note: ',"preEncoded":true,"result":' } } as Message;
    const response = await encode(tricky);
    assert.deepEqual(await decode(response), tricky);
    const notification = { jsonrpc: '2.0', method: 'taskwarden/x', params: { a: 1 } } as Message;
    assert.deepEqual(await decode(await encode(notification)), notification);
  });
});
