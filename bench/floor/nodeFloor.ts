/**
 * The Node floor: bare `child_process.spawn` doing each job in a small resident Node process
 * (bench/floor/programs/, bundled to plain .mjs), i.e. the best a Node supervisor can do here.
 */
import { fileSize } from '../proc';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, runCommand, spawnDetached } from '../exec';
import type { BenchContext, Fleet, LogTarget, QueueRunner, Running, Subject, TaskBatch } from '../subject';
import { Resident, stopDetached } from './resident';

const TASK_WARMUP_RUNS = 20;

export function nodeFloor(context: BenchContext): Subject {
  const programs = context.helpers.node;
  const node = process.execPath;
  /** The bare spawn loop (after warm-up runs of the same argv): one after another, awaiting each 'exit'. */
  const taskLoop = async (count: number, argv: readonly string[]): Promise<{ wallNs: number; latenciesNs: number[] }> => {
    const result = await runCommand([node, programs.taskLoop, String(count), String(TASK_WARMUP_RUNS), ...argv], {
      env: context.env,
      timeoutMs: 600_000,
    });
    if (result.code !== 0) throw new Error(describeFailure(result));
    return JSON.parse(result.stdout) as { wallNs: number; latenciesNs: number[] };
  };
  return {
    id: 'node',
    label: 'Node floor',
    role: 'floor',

    async keepAlive(argv): Promise<Running> {
      const child = spawnDetached([node, programs.restart, ...argv], { env: context.env });
      const drop = context.cleanup.add('Node restart floor', () => stopDetached(child.pid));
      return {
        pid: child.pid ?? null,
        async close() {
          drop();
          await stopDetached(child.pid);
        },
      };
    },

    async fleet(count, argv): Promise<Fleet> {
      const resident = Resident.start(context, 'Node fleet', [node, programs.fleet, String(count), ...argv]);
      const ask = async (command: string): Promise<void> => {
        resident.send(command);
        const reply = await resident.nextLine(30_000);
        if (reply !== 'ok') throw new Error(`Node fleet answered ${reply}`);
      };
      return {
        pid: resident.pid,
        startAll: () => ask('s'),
        stopAll: () => ask('t'),
        close: () => resident.close(),
      };
    },

    async logTarget(argv): Promise<LogTarget> {
      const resident = Resident.start(context, 'Node log pipe', [node, programs.logPipe]);
      const ready = await resident.nextLine(10_000);
      if (ready !== 'ready') throw new Error(`Node log pipe said ${ready}`);
      const out = join(context.tempRoot, 'node-floor-log.out');
      return {
        pid: resident.pid,
        async start() {
          resident.send(`${JSON.stringify({ out, argv })}\n`);
        },
        logBytes: () => fileSize(out),
        async finish() {
          resident.send('stop\n');
          await resident.nextLine(30_000); // "done": the write stream has finished
          rmSync(out, { force: true });
        },
        async close() {
          await resident.close();
          rmSync(out, { force: true });
        },
      };
    },

    async launchTasks(count, argv): Promise<TaskBatch> {
      const parsed = await taskLoop(count, argv);
      return { wallNs: parsed.wallNs, latenciesMs: parsed.latenciesNs.map((ns) => ns / 1e6) };
    },

    async queue(): Promise<QueueRunner> {
      return {
        pid: null,
        drain: async (count, argv) => (await taskLoop(count, argv)).wallNs,
        async close() {},
      };
    },
  };
}
