/**
 * The words of the Process Groups view and the tasklet code lenses: a group's
 * look and description (state), its clock row (next round countdown, rounds,
 * uptime), a tasklet's outcome this round, a param's value. Outcomes and
 * durations are worded as the CLI words them (agent/groups/protocol/presentation.ts);
 * the layout is the view's own: the clock on a row of its own, and no
 * relative times on rows that would then have to tick. Pure; unit-tested.
 */
import { formatDuration } from '../../agent/protocol';
import {
  formatTaskletDuration,
  outcomeWords,
  type GroupState,
  type GroupSummary,
  type TaskletOutcome,
  type TaskletStatus,
} from '../../agent/groups/protocol';
import { BLUE, GREEN, GREY, RED, YELLOW, type Look } from '../../agent/protocol/look';

/** "1 round", "12 rounds". */
export function formatRounds(rounds: number): string {
  return `${rounds} ${rounds === 1 ? 'round' : 'rounds'}`;
}

const GROUP_LOOKS: Readonly<Record<GroupState, Look>> = {
  running: { icon: 'sync', color: GREEN, label: 'running' },
  starting: { icon: 'loading~spin', color: YELLOW, label: 'starting' },
  restarting: { icon: 'debug-restart', color: YELLOW, label: 'restarting' },
  stopped: { icon: 'debug-pause', color: GREY, label: 'stopped' },
  broken: { icon: 'error', color: RED, label: 'broken' },
};

export function groupLook(group: GroupSummary): Look {
  return GROUP_LOOKS[group.state];
}

/** Whether rounds are scheduled (the runner may still be coming up). */
export function groupIsActive(group: GroupSummary): boolean {
  return group.state === 'running' || group.state === 'starting' || group.state === 'restarting';
}

/** "running", "stopped", "restarting · 2 runner restarts", "broken · python3 not found". */
export function groupDescription(group: GroupSummary): string {
  const facts = [groupLook(group).label];
  if (group.state === 'broken') {
    const why = group.problems.find((problem) => problem.severity === 'error') ?? group.problems[0];
    if (why) facts.push(why.message.split('\n')[0]!);
    return facts.join(' · ');
  }
  if (group.runnerRestarts > 0) facts.push(`${group.runnerRestarts} runner ${group.runnerRestarts === 1 ? 'restart' : 'restarts'}`);
  return facts.join(' · ');
}

/**
 * The group's clock row, the one that ticks: "next round in 7s", "round 13 running",
 * "round due", "no rounds scheduled". The countdown is rounded up, so it reads "1s",
 * never "0s", before the round starts.
 */
export function scheduleLabel(group: GroupSummary, now: number): string {
  if (group.roundInProgress !== null) return `round ${group.roundInProgress} running`;
  if (!groupIsActive(group) || group.nextRoundAt === null)
    return group.state === 'broken' ? 'no rounds: the group cannot run' : 'no rounds scheduled';
  return group.nextRoundAt <= now ? 'round due' : `next round in ${formatDuration(group.nextRoundAt - now + 999)}`;
}

/** "3 rounds · up 5m 3s · every 10s", "12 rounds · stopped · every 10s". */
export function scheduleDescription(group: GroupSummary, now: number): string {
  const facts = [formatRounds(group.rounds)];
  if (groupIsActive(group) && group.startedAt !== null) facts.push(`up ${formatDuration(now - group.startedAt)}`);
  else facts.push(groupLook(group).label);
  facts.push(`every ${formatDuration(group.intervalSeconds * 1000)}`);
  return facts.join(' · ');
}

/** A tasklet outcome's codicon and color; the words are the CLI's (agent/groups/protocol/presentation.ts). */
const TASKLET_ICONS: Readonly<Record<TaskletOutcome, Omit<Look, 'label'>>> = {
  ok: { icon: 'pass', color: GREEN },
  error: { icon: 'error', color: RED },
  timeout: { icon: 'watch', color: RED },
  'not-matched': { icon: 'circle-slash', color: GREY },
  skipped: { icon: 'debug-step-over', color: GREY },
  running: { icon: 'loading~spin', color: BLUE },
};

export function taskletLook(tasklet: TaskletStatus): Look {
  const look = tasklet.outcome === null ? { icon: 'circle-large-outline', color: GREY } : TASKLET_ICONS[tasklet.outcome];
  return { ...look, label: outcomeWords(tasklet.outcome) };
}

/** Whether the tasklet failed this round (its row is red). */
export function taskletFailed(tasklet: TaskletStatus): boolean {
  return tasklet.outcome === 'error' || tasklet.outcome === 'timeout';
}

/** The first line of a tasklet's last error, or null. */
export function taskletErrorLine(tasklet: TaskletStatus): string | null {
  const message = tasklet.lastError?.message.split('\n')[0]?.trim();
  return message ? message : null;
}

/** "ran · 12 ms", "not matched", "failed · 3 ms · TypeError: x is undefined". */
export function taskletDescription(tasklet: TaskletStatus): string {
  const facts = [taskletLook(tasklet).label];
  const measured = tasklet.outcome === 'ok' || taskletFailed(tasklet);
  if (measured && tasklet.lastDurationMs !== null) facts.push(formatTaskletDuration(tasklet.lastDurationMs));
  const error = taskletFailed(tasklet) ? taskletErrorLine(tasklet) : null;
  if (error) facts.push(error);
  return facts.join(' · ');
}

/**
 * The code lens above `main`: "last run 10:02:03 · 12 ms · ok", "not run yet",
 * "last run 10:02:03 · 3 ms · failed: TypeError: …", "… · not matched this round".
 * The time is a clock time, so the lens needs no ticking.
 */
export function taskletLensText(tasklet: TaskletStatus, clock: (at: number) => string = (at) => new Date(at).toLocaleTimeString()): string {
  if (tasklet.lastRunAt === 0) {
    if (tasklet.outcome === null) return 'not run yet';
    return taskletFailed(tasklet)
      ? `never ran · ${taskletLook(tasklet).label}: ${taskletErrorLine(tasklet) ?? 'error'}`
      : `never ran · ${taskletLook(tasklet).label}`;
  }
  const facts = [`last run ${clock(tasklet.lastRunAt)}`];
  if (tasklet.lastDurationMs !== null) facts.push(formatTaskletDuration(tasklet.lastDurationMs));
  if (tasklet.outcome === 'error') facts.push(`failed: ${taskletErrorLine(tasklet) ?? 'error'}`);
  else if (tasklet.outcome === 'timeout') facts.push(`timed out${taskletErrorLine(tasklet) ? `: ${taskletErrorLine(tasklet)}` : ''}`);
  else if (tasklet.outcome === 'ok') facts.push('ok');
  else if (tasklet.outcome !== null) facts.push(`${taskletLook(tasklet).label} this round`);
  return facts.join(' · ');
}

/** A param's value on one line: strings as they are, everything else as JSON, long values cut. */
export function formatParamValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
