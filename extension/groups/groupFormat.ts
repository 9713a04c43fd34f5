/**
 * The words of the Process Groups view and the tasklet code lenses: a group's
 * one-line description (state, uptime, next round countdown, rounds), a
 * tasklet's outcome this round, a param's value. Durations are worded by the
 * shared formatDuration. Pure; unit-tested.
 */
import { formatDuration } from '../../agent/protocol';
import { GREEN, GREY, RED, YELLOW, type Look } from '../../agent/protocol/look';
import type { GroupStatus, TaskletStatus } from './groupsProtocolDraft';

/** "12 ms" under a second, else the shared wording ("3s", "1m 5s"). */
export function formatTaskletDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms);
}

/** "1 round", "12 rounds". */
export function formatRounds(rounds: number): string {
  return `${rounds} ${rounds === 1 ? 'round' : 'rounds'}`;
}

export function groupLook(group: GroupStatus): Look {
  return group.running ? { icon: 'sync', color: GREEN, label: 'running' } : { icon: 'debug-pause', color: GREY, label: 'stopped' };
}

/** "running · up 5m 3s · next round in 7s · 12 rounds", "stopped · 12 rounds". */
export function groupDescription(group: GroupStatus, now: number): string {
  const facts = [groupLook(group).label];
  if (group.running && group.startedAt !== null) facts.push(`up ${formatDuration(now - group.startedAt)}`);
  if (group.running && group.nextRoundAt !== null) {
    facts.push(group.nextRoundAt <= now ? 'round due' : `next round in ${formatDuration(group.nextRoundAt - now + 999)}`);
  }
  facts.push(formatRounds(group.rounds));
  return facts.join(' · ');
}

export function taskletLook(tasklet: TaskletStatus): Look {
  switch (tasklet.outcome) {
    case 'ran':
      return { icon: 'pass', color: GREEN, label: 'ran' };
    case 'skipped':
      return { icon: 'circle-slash', color: GREY, label: tasklet.lastMatch === false ? 'skipped (no match)' : 'skipped' };
    case 'failed':
      return { icon: 'error', color: RED, label: 'failed' };
    case 'timedOut':
      return { icon: 'watch', color: RED, label: 'timed out' };
    case 'notRun':
      return { icon: 'circle-large-outline', color: YELLOW, label: 'not run yet' };
  }
}

/** The first line of a tasklet's last error, or null. */
export function taskletErrorLine(tasklet: TaskletStatus): string | null {
  const message = tasklet.lastError?.message.split('\n')[0]?.trim();
  return message ? message : null;
}

/** "ran · 12 ms", "skipped (no match)", "failed · 3 ms · TypeError: x is undefined". */
export function taskletDescription(tasklet: TaskletStatus): string {
  const facts = [taskletLook(tasklet).label];
  if (tasklet.outcome !== 'skipped' && tasklet.outcome !== 'notRun' && tasklet.lastDuration !== null)
    facts.push(formatTaskletDuration(tasklet.lastDuration));
  const error = tasklet.outcome === 'failed' || tasklet.outcome === 'timedOut' ? taskletErrorLine(tasklet) : null;
  if (error) facts.push(error);
  return facts.join(' · ');
}

/** The code lens above `main`: "last run 10:02:03 · 12 ms · ok", "not run yet", "last run … · failed: …". */
export function taskletLensText(tasklet: TaskletStatus): string {
  if (tasklet.lastRun === 0) return tasklet.outcome === 'skipped' ? 'not run yet · no match so far' : 'not run yet';
  const facts = [`last run ${new Date(tasklet.lastRun).toLocaleTimeString()}`];
  if (tasklet.lastDuration !== null) facts.push(formatTaskletDuration(tasklet.lastDuration));
  const error = taskletErrorLine(tasklet);
  if (tasklet.outcome === 'failed') facts.push(`failed: ${error ?? 'error'}`);
  else if (tasklet.outcome === 'timedOut') facts.push(`timed out${error ? `: ${error}` : ''}`);
  else facts.push('ok');
  if (tasklet.outcome === 'skipped') facts.push('skipped this round');
  return facts.join(' · ');
}

/** A param's value on one line: strings as they are, everything else as JSON. */
export function formatParamValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  const json = JSON.stringify(value);
  return json.length > 200 ? `${json.slice(0, 199)}…` : json;
}
