/**
 * Folds the parts' health and the config state into one health value for the
 * status bar: error beats warning beats ok.
 */
import type { HealthParams } from '../protocol/agent';
import type { Part } from '../core/part';
import { counted } from '../protocol/counts';

export function computeHealth(parts: readonly Part[], configErrors: number, configApplied: boolean): HealthParams {
  const summary: Record<string, number> = {};
  const problems: { level: 'warning' | 'error'; message: string }[] = [];
  for (const part of parts) {
    const health = part.health();
    for (const [key, value] of Object.entries(health.summary)) summary[key] = (summary[key] ?? 0) + value;
    problems.push(...health.problems);
  }
  if (configErrors > 0)
    problems.unshift({
      level: 'warning',
      message: `taskwarden.yaml has ${counted(configErrors, 'error')}; ${configApplied ? 'the last good config is running' : 'no config is applied yet'}`,
    });
  const worst = problems.find((problem) => problem.level === 'error') ?? problems[0];
  if (!worst) return { level: 'ok', message: 'all good', summary };
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return { level: worst.level, message: `${worst.message}${more}`, summary };
}

export function sameHealth(a: HealthParams | undefined, b: HealthParams): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
