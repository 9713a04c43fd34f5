/**
 * How a daemon looks in the Daemons view: a codicon and a theme color per
 * state, the one-line description (state, pid, uptime, restarts, last exit)
 * and the Markdown tooltip. Pure (no 'vscode'), so it is unit-tested; the tree
 * items wrap these ids in ThemeIcon and ThemeColor.
 */
import type { DaemonExit, DaemonInstanceInfo, DaemonTaskInfo, SkippedDaemonInfo } from '../../agent/protocol';
import { formatDuration } from '../../agent/protocol/durations';

/** A codicon id and a theme color id (null: the theme's default foreground). */
export interface DaemonLook {
  readonly icon: string;
  readonly color: string | null;
  /** The state in words, as the description starts with it. */
  readonly label: string;
}

const GREEN = 'charts.green';
const YELLOW = 'charts.yellow';
const RED = 'charts.red';
const BLUE = 'charts.blue';
const GREY = 'disabledForeground';

/** A `once`/`event` run that ended well (exit 0) counts as done, not failed. */
function endedWell(exit: DaemonExit | null): boolean {
  return exit !== null && exit.code === 0 && exit.signal === null;
}

/** The look of one instance. */
export function instanceLook(instance: DaemonInstanceInfo): DaemonLook {
  switch (instance.state) {
    case 'running':
      return { icon: 'circle-filled', color: GREEN, label: 'running' };
    case 'starting':
      return { icon: 'loading~spin', color: YELLOW, label: 'starting (not ready yet)' };
    case 'waiting':
      return {
        icon: 'watch',
        color: YELLOW,
        label: instance.waitingFor.length > 0 ? `waiting for ${instance.waitingFor.join(', ')}` : 'waiting',
      };
    case 'stopping':
      return { icon: 'loading~spin', color: YELLOW, label: 'stopping' };
    case 'backoff':
      return { icon: 'history', color: YELLOW, label: 'restarting after a quick exit' };
    case 'crashloop':
      return { icon: 'error', color: RED, label: 'crash loop' };
    case 'exited':
      return endedWell(instance.lastExit) ? { icon: 'pass', color: GREEN, label: 'done' } : { icon: 'close', color: RED, label: 'failed' };
    case 'stopped':
      return { icon: 'circle-outline', color: GREY, label: 'stopped' };
    case 'suspended':
      return { icon: 'debug-pause', color: BLUE, label: 'suspended' };
  }
}

/** Order of concern when a task's instances differ: the worst one speaks for the task. */
const CONCERN: readonly DaemonInstanceInfo['state'][] = [
  'crashloop',
  'backoff',
  'starting',
  'stopping',
  'waiting',
  'exited',
  'running',
  'suspended',
  'stopped',
];

/** The look of a task: the most worrying of its instances (a failed `once` run counts before a running sibling). */
export function taskLook(task: DaemonTaskInfo): DaemonLook {
  const failed = task.instances.find((instance) => instance.state === 'exited' && !endedWell(instance.lastExit));
  if (failed && !task.instances.some((instance) => instance.state === 'crashloop')) return instanceLook(failed);
  for (const state of CONCERN) {
    const instance = task.instances.find((candidate) => candidate.state === state);
    if (instance) return instanceLook(instance);
  }
  return { icon: 'circle-outline', color: GREY, label: 'no instances' };
}

/** The look of a configured task that does not run here. */
export function skippedLook(skipped: SkippedDaemonInfo): DaemonLook {
  switch (skipped.reason) {
    case 'off':
      return { icon: 'circle-slash', color: GREY, label: "off (control 'off')" };
    case 'out_of_scope':
      return { icon: 'circle-slash', color: GREY, label: 'out of role scope here' };
    case 'invalid':
      return { icon: 'warning', color: RED, label: 'not runnable (see Problems)' };
  }
}

/** "12s", "5m", "3h", "2d": one unit, so a description changes rarely once a process has run a while. */
export function formatUptimeShort(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** "exit 0", "SIGKILL", "exit 1 (time_limit reached)", or the reason alone when there is no status. */
export function describeExit(exit: DaemonExit): string {
  const how = exit.signal ?? (exit.code !== null ? `exit ${exit.code}` : null);
  if (how && exit.reason) return `${how} (${exit.reason})`;
  return how ?? exit.reason ?? 'ended (status unknown)';
}

/** Short exit for a description: "exit 1", "SIGKILL". */
function shortExit(exit: DaemonExit): string {
  return exit.signal ?? (exit.code !== null ? `exit ${exit.code}` : 'unknown');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The facts after the state: "pid 1234 · up 12s · 2 restarts · last exit 1". */
function instanceFacts(instance: DaemonInstanceInfo, now: number): string[] {
  const facts: string[] = [];
  if (instance.pid !== null) facts.push(`pid ${instance.pid}`);
  if (instance.pid !== null && instance.startedAt !== null) facts.push(`up ${formatUptimeShort(now - instance.startedAt)}`);
  if (instance.restarts > 0) facts.push(plural(instance.restarts, 'restart'));
  if (instance.lastExit && instance.pid === null) facts.push(`last ${shortExit(instance.lastExit)}`);
  return facts;
}

/** The description of an instance row: "running · pid 1234 · up 12s · 2 restarts". */
export function instanceDescription(instance: DaemonInstanceInfo, now: number): string {
  return [instanceLook(instance).label, ...instanceFacts(instance, now)].join(' · ');
}

/** The description of a task row: one instance speaks for itself; several are counted by state. */
export function taskDescription(task: DaemonTaskInfo, now: number): string {
  const only = task.instances.length === 1 ? task.instances[0] : undefined;
  if (only) return instanceDescription(only, now);
  if (task.instances.length === 0) return 'no instances';
  const counts = new Map<string, number>();
  for (const instance of task.instances) {
    const label = instanceLook(instance).label;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const restarts = task.instances.reduce((sum, instance) => sum + instance.restarts, 0);
  const parts = [...counts].map(([label, count]) => `${count}/${task.instances.length} ${label}`);
  if (restarts > 0) parts.push(plural(restarts, 'restart'));
  return parts.join(' · ');
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString();
}

/** Markdown lines about one instance, for tooltips. */
export function instanceDetails(instance: DaemonInstanceInfo, now: number): string[] {
  const lines = [`**${instance.id}** — ${instanceLook(instance).label}`, ''];
  if (instance.pid !== null) lines.push(`- pid ${instance.pid}${instance.adopted ? ' (adopted from a previous agent)' : ''}`);
  if (instance.pid !== null && instance.startedAt !== null)
    lines.push(`- up ${formatDuration(now - instance.startedAt)} (since ${clock(instance.startedAt)})`);
  if (instance.pid !== null) lines.push(`- ${instance.ready ? 'ready' : 'not ready yet'}`);
  lines.push(`- ${plural(instance.restarts, 'restart')}`);
  if (instance.lastExit) lines.push(`- last exit: ${describeExit(instance.lastExit)} at ${clock(instance.lastExit.at)}`);
  if (instance.nextStartAt !== null) lines.push(`- next start at ${clock(instance.nextStartAt)}`);
  if (instance.waitingFor.length > 0) lines.push(`- waiting for ${instance.waitingFor.join(', ')}`);
  if (instance.message) lines.push('', `_${instance.message}_`);
  if (instance.state === 'crashloop') lines.push('', 'Held until you restart or reset it.');
  return lines;
}

/** The Markdown tooltip of a task row. */
export function taskTooltip(task: DaemonTaskInfo, now: number): string {
  const header = [`**${task.name}**`, `control \`${task.control}\``, plural(task.count, 'instance')];
  if (task.requires.length > 0) header.push(`requires ${task.requires.join(', ')}`);
  const lines = [header.join(' · ')];
  for (const instance of task.instances) lines.push('', '---', '', ...instanceDetails(instance, now));
  return lines.join('\n');
}

/** The Markdown tooltip of an instance row. */
export function instanceTooltip(instance: DaemonInstanceInfo, now: number): string {
  return instanceDetails(instance, now).join('\n');
}

/** The Markdown tooltip of a task that does not run here. */
export function skippedTooltip(skipped: SkippedDaemonInfo): string {
  return `**${skipped.name}** — ${skippedLook(skipped).label}`;
}
