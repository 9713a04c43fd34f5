/**
 * The C floor: what the kernel and libc allow on this machine, with the smallest C programs that
 * do each job (bench/fixtures/minsup.c, fleet.c, spawnloop.c, forkloop.c, and `cmd > file`).
 */
import { runCommand, describeFailure, spawnDetached } from '../exec';
import type { BenchContext, Fleet, QueueRunner, Running, Subject, TaskBatch } from '../subject';
import { directLogTarget } from './directLog';
import { Resident, stopDetached } from './resident';

export function cFloor(context: BenchContext): Subject {
  const { bin } = context.helpers;
  return {
    id: 'c',
    label: 'C floor',
    role: 'floor',

    async keepAlive(argv): Promise<Running> {
      const child = spawnDetached([bin.minsup, ...argv], { env: context.env });
      const drop = context.cleanup.add('C minsup', () => stopDetached(child.pid));
      return {
        pid: child.pid ?? null,
        async close() {
          drop();
          await stopDetached(child.pid);
        },
      };
    },

    async fleet(count, argv): Promise<Fleet> {
      const resident = Resident.start(context, 'C fleet', [bin.fleet, String(count), ...argv]);
      const ask = async (command: string): Promise<void> => {
        resident.send(command);
        const reply = await resident.nextLine(30_000);
        if (reply !== 'ok') throw new Error(`C fleet answered ${reply}`);
      };
      return {
        pid: resident.pid,
        startAll: () => ask('s'),
        stopAll: () => ask('t'),
        close: () => resident.close(),
      };
    },

    async logTarget(argv) {
      return directLogTarget(context, argv);
    },

    async launchTasks(count, argv): Promise<TaskBatch> {
      const result = await runCommand([bin.spawnloop, String(count), ...argv], { env: context.env });
      if (result.code !== 0) throw new Error(describeFailure(result));
      const [wall, ...latencies] = result.stdout.trim().split('\n').map(Number);
      return { wallNs: wall ?? Number.NaN, latenciesMs: latencies.map((ns) => ns / 1e6) };
    },

    async queue(): Promise<QueueRunner> {
      return {
        pid: null,
        async drain(count, argv) {
          const result = await runCommand([bin.forkloop, String(count), ...argv], { env: context.env, timeoutMs: 600_000 });
          if (result.code !== 0) throw new Error(describeFailure(result));
          return Number(result.stdout.trim());
        },
        async close() {},
      };
    },
  };
}
