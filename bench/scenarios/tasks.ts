/**
 * Issue #4 (Tasks), launch throughput: `count` tasks of /bin/true. Tasks/s is count over first
 * launch -> last finished; latency is each task's launch -> finished. Taskwarden is measured
 * through its protocol and through its CLI (one `taskwarden task launch` per task, a few at a
 * time); the floors run the same number strictly one after another. PM2 and supervisord have
 * no tasks.
 */
import type { BenchConfig } from '../config';
import type { BenchContext, Subject, TaskBatch, TaskPath } from '../subject';
import { errorMessage } from '../subject';
import type { Outcomes } from './outcome';

export type TasksData = TaskBatch;

export const TASK_ARGV = ['/bin/true'];

export async function runTasks(
  context: BenchContext,
  config: BenchConfig,
  subjects: readonly Subject[],
): Promise<Record<TaskPath, Outcomes<TasksData>>> {
  const result: Record<TaskPath, Outcomes<TasksData>> = { protocol: {}, cli: {} };
  for (const subject of subjects) {
    const launch = subject.launchTasks?.bind(subject);
    if (!launch) continue;
    // Floors have one way to launch; their batch stands in both rows.
    const paths: readonly TaskPath[] = subject.role === 'floor' ? ['protocol'] : ['protocol', 'cli'];
    for (const path of paths) {
      try {
        const batch = await launch(config.tasks, TASK_ARGV, path);
        const perSecond = config.tasks / (batch.wallNs / 1e9);
        context.log(`  ${subject.label}${subject.role === 'floor' ? '' : ` via ${path}`}: ${perSecond.toFixed(0)} tasks/s`);
        result[path][subject.id] = { ok: true, data: batch };
      } catch (error: unknown) {
        context.log(`  ${subject.label} via ${path}: n/a (${errorMessage(error)})`);
        result[path][subject.id] = { ok: false, reason: errorMessage(error) };
      }
    }
    if (subject.role === 'floor') result.cli[subject.id] = result.protocol[subject.id];
  }
  return result;
}
