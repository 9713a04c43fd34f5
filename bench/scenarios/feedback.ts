/**
 * Issue #4 (Tasks), the feedback watch at rest: `count` running tasks, each with a feedback file
 * that was written once and then left alone (and a heartbeat timeout far away, so no state
 * changes during the windows). After a settle time the supervisor's CPU (with its helpers) is
 * sampled over the idle windows. Only Taskwarden has feedback files; the target is under 2 % of
 * one core.
 */
import type { BenchConfig } from '../config';
import { cpuSeconds } from '../proc';
import type { BenchContext, Subject } from '../subject';
import { errorMessage } from '../subject';
import { sleep } from '../wait';
import { failureReason, type Outcomes } from './outcome';

export interface FeedbackData {
  readonly cpuPercent: number[];
}

export async function runFeedback(
  context: BenchContext,
  config: BenchConfig,
  subjects: readonly Subject[],
): Promise<Outcomes<FeedbackData>> {
  const outcomes: Outcomes<FeedbackData> = {};
  for (const subject of subjects) {
    const declare = subject.feedbackTasks?.bind(subject);
    if (!declare) continue;
    let pid: number | null = null;
    try {
      const running = await declare(config.feedbackTasks);
      pid = running.pid;
      const data: FeedbackData = { cpuPercent: [] };
      try {
        if (pid === null) throw new Error('no supervisor process');
        context.log(`  ${subject.label}: ${config.feedbackTasks} tasks with feedback files; settling ${config.idleSettleS} s`);
        await sleep(config.idleSettleS * 1000);
        for (let window = 1; window <= config.idleWindows; window++) {
          const before = cpuSeconds(pid);
          const started = performance.now();
          await sleep(config.idleWindowS * 1000);
          const after = cpuSeconds(pid);
          if (before === null || after === null) throw new Error('the supervisor is gone');
          data.cpuPercent.push(((after - before) / ((performance.now() - started) / 1000)) * 100);
          context.log(`  window ${window}/${config.idleWindows}: ${data.cpuPercent.at(-1)?.toFixed(3)} %`);
        }
      } finally {
        await running.close();
      }
      outcomes[subject.id] = { ok: true, data };
    } catch (error: unknown) {
      const reason = failureReason(error, pid);
      context.log(`  ${subject.label}: n/a (${errorMessage(error)})`);
      outcomes[subject.id] = { ok: false, reason };
    }
  }
  return outcomes;
}
