/**
 * What the tasks record in the stats: a running task's feedback `progress`
 * (0-100) at each change, and the end of its series when it ends.
 */
import type { StatsSink } from '../core/stats/statsRecorder';
import { feedbackProgress, type TasksDelta } from './protocol';

export function recordTaskDelta(stats: StatsSink, delta: TasksDelta): void {
  if (delta.kind === 'upsert') {
    const progress = feedbackProgress(delta.task.feedback);
    if (progress === null || delta.task.state === 'RESERVED') return;
    const title = delta.task.name === null ? `task ${delta.task.id}` : `task ${delta.task.id} ${delta.task.name}`;
    stats.record({ metric: 'taskProgress', subject: String(delta.task.id) }, progress, { title, unit: '%' });
  } else if (delta.kind === 'ended' || delta.kind === 'removed') {
    stats.end({ metric: 'taskProgress', subject: String(delta.id) });
  }
}
