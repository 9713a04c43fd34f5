/**
 * The one wording of process groups for the CLI and the editor: a group's
 * one-line description, a tasklet's outcome and timing, and a round's line.
 */
import { formatDuration } from '../../protocol/durations';
import type { GroupRound, GroupSummary, TaskletOutcome, TaskletStatus } from './messages';
import { counted } from '../../protocol/counts';

/** A duration in ms for tasklets, which are often quick: "3 ms", "1.2 s", then formatDuration. */
export function formatTaskletDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

const OUTCOME_WORDS: Readonly<Record<TaskletOutcome, string>> = {
  ok: 'ran',
  error: 'failed',
  timeout: 'timed out',
  'not-matched': 'not matched',
  skipped: 'skipped (break)',
  running: 'running',
};

export function outcomeWords(outcome: TaskletOutcome | null): string {
  return outcome === null ? 'not run yet' : OUTCOME_WORDS[outcome];
}

/** "running, up 5m 2s, 12 rounds, next in 4s" — the group row's description. */
export function groupDescription(group: GroupSummary, now: number): string {
  const parts: string[] = [group.state];
  if (group.startedAt !== null && group.state === 'running') parts.push(`up ${formatDuration(now - group.startedAt)}`);
  parts.push(counted(group.rounds, 'round'));
  if (group.roundInProgress !== null) parts.push(`round ${group.roundInProgress} running`);
  else if (group.nextRoundAt !== null) parts.push(`next in ${formatDuration(Math.max(0, group.nextRoundAt - now))}`);
  if (group.problems.length > 0) parts.push(counted(group.problems.length, 'problem'));
  return parts.join(', ');
}

/** "ran 3 ms, last run 5s ago" / "failed: boom" — a tasklet row's description. */
export function taskletDescription(tasklet: TaskletStatus, now: number): string {
  const parts = [`p${tasklet.priority}`, outcomeWords(tasklet.outcome)];
  if (tasklet.lastDurationMs !== null && tasklet.outcome !== 'skipped') parts[1] += ` ${formatTaskletDuration(tasklet.lastDurationMs)}`;
  if (tasklet.lastRunAt > 0) parts.push(`last run ${formatDuration(now - tasklet.lastRunAt)} ago`);
  if (tasklet.lastError !== null) parts.push(`error: ${tasklet.lastError.message}`);
  return parts.join(', ');
}

/** "round 12: 3 ran, 1 not matched, 1 failed (14 ms)" — a history line. */
export function roundDescription(round: GroupRound): string {
  const counts = new Map<TaskletOutcome, number>();
  for (const result of round.results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  const words = [...counts].map(([outcome, count]) => `${count} ${OUTCOME_WORDS[outcome]}`);
  const end = round.endedBy === 'done' ? '' : ` [${round.endedBy}]`;
  return `round ${round.round}: ${words.join(', ') || 'no tasklets'} (${formatTaskletDuration(round.endedAt - round.startedAt)})${end}`;
}
