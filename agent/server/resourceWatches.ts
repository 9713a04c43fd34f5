/**
 * `taskwarden/resources/watch` / `unwatch`: each watching client holds one
 * sampling demand (released when it unwatches or disconnects) and gets every
 * sample as a ResourcesSampledNotification.
 */
import type { ClientHandle, RpcRegistry } from '../core/rpc';
import type { ResourceSampler, RunSample, SamplingDemand } from '../proc/resources/resourceSampler';
import {
  ResourcesSampledNotification,
  UnwatchResourcesRequest,
  WatchResourcesRequest,
  type ResourcesSampledParams,
} from '../protocol/resources';

function sampledParams(samples: readonly RunSample[], at: number): ResourcesSampledParams {
  return {
    at,
    runs: samples.map(({ part, id, pid, cpuPercent, memoryBytes }) => ({ part, id, pid, cpuPercent, memoryBytes })),
  };
}

export class ResourceWatches {
  private readonly watchers = new Map<number, { readonly client: ClientHandle; readonly demand: SamplingDemand }>();
  private last: ResourcesSampledParams = { at: 0, runs: [] };
  private readonly unsubscribe: () => void;

  constructor(private readonly sampler: ResourceSampler) {
    this.unsubscribe = sampler.onSample((samples) => {
      this.last = sampledParams(samples, samples[0]?.at ?? Date.now());
      for (const { client } of this.watchers.values()) client.sendNotification(ResourcesSampledNotification.type, this.last);
    });
  }

  register(rpc: RpcRegistry): void {
    rpc.on(WatchResourcesRequest.type, async (_params, client) => {
      let watcher = this.watchers.get(client.id);
      if (!watcher) {
        watcher = { client, demand: this.sampler.demand() };
        this.watchers.set(client.id, watcher);
        client.onClose(() => this.unwatch(client.id));
      }
      await watcher.demand.ready;
      return this.last;
    });
    rpc.on(UnwatchResourcesRequest.type, (_params, client) => this.unwatch(client.id));
  }

  private unwatch(clientId: number): void {
    this.watchers.get(clientId)?.demand.release();
    this.watchers.delete(clientId);
  }

  close(): void {
    this.unsubscribe();
    for (const id of [...this.watchers.keys()]) this.unwatch(id);
  }
}
