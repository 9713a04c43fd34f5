import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotificationType } from 'vscode-jsonrpc';
import { RpcRegistry, type ClientHandle } from '../../../agent/core/rpc';
import { ResourceSampler } from '../../../agent/proc/resources/resourceSampler';
import { ResourcesSampledNotification, UnwatchResourcesRequest, WatchResourcesRequest } from '../../../agent/protocol/resources';
import { ResourceWatches } from '../../../agent/server/resourceWatches';
import { alive } from '../support/alive';

/** A client as a session is to the registry: notifications it got, and its disconnection. */
function client(id: number): ClientHandle & { readonly got: string[]; disconnect(): void } {
  const closers: (() => void)[] = [];
  const got: string[] = [];
  return {
    id,
    name: `client ${id}`,
    got,
    sendNotification<P>(type: NotificationType<P>) {
      got.push(type.method);
    },
    onClose: (listener) => closers.push(listener),
    disconnect: () => closers.splice(0).forEach((close) => close()),
  };
}

async function call(rpc: RpcRegistry, method: string, from: ClientHandle): Promise<unknown> {
  const registration = [...rpc.methods()].find((entry) => entry.method === method)!;
  // A watch answers once the sampler's (unref'd) warm-up reading is taken.
  return alive(Promise.resolve(registration.handler({}, from)));
}

describe('resource watches', () => {
  it('samples while a client watches: until it unwatches or disconnects, whichever comes first, and notifies only watchers', async () => {
    const sampler = new ResourceSampler({ readTable: () => new Map(), pageSize: 4096, periodMs: 3_600_000, warmupMs: 5 });
    const watches = new ResourceWatches(sampler);
    const rpc = new RpcRegistry();
    watches.register(rpc);
    const [first, second, bystander] = [client(1), client(2), client(3)];

    await call(rpc, WatchResourcesRequest.method, first);
    await call(rpc, WatchResourcesRequest.method, second);
    await call(rpc, WatchResourcesRequest.method, second);
    assert.equal(sampler.active, true);
    sampler.sample();
    assert.ok(first.got.includes(ResourcesSampledNotification.method));
    assert.deepEqual(bystander.got, []);

    await call(rpc, UnwatchResourcesRequest.method, first);
    assert.equal(sampler.active, true, 'the second client still watches (its two watches are one)');
    second.disconnect();
    assert.equal(sampler.active, false, 'no timer runs once nobody watches');
    watches.close();
  });
});
