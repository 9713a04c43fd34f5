/**
 * The one presentation of daemon state: for each state a label, a codicon id
 * and a theme color id, the one-line description (state, pid, uptime,
 * restarts, last exit) and the Markdown details. The Daemons view (icons,
 * descriptions, tooltips), the agent's code lenses and hovers on
 * taskwarden.yaml, and `taskwarden ps` all call these functions, so a state
 * never reads one way in the tree and another in the editor or the terminal.
 * Pure, and here in agent/protocol because both the agent and the extension
 * import it; the extension wraps the ids in ThemeIcon and ThemeColor, a code
 * lens writes the icon as `$(id)`.
 */
import type { DaemonExit, DaemonInstanceInfo, DaemonState, DaemonTaskInfo, SkippedDaemonInfo } from './messages';
import { formatDuration } from '../../protocol/durations';
import { BLUE, GREEN, GREY, RED, YELLOW, type Look } from '../../protocol/look';
import { counted } from '../../protocol/counts';
import { formatBytes, formatCpu, resourcesLine } from '../../protocol/resourcePresentation';

/** How a daemon's state looks (look.ts). */
export type DaemonLook = Look;

/** A `once`/`event` run that ended well (exit 0) counts as done, not failed. */
function endedWell(exit: DaemonExit | null): boolean {
  return exit !== null && exit.code === 0 && exit.signal === null;
}

/** A run whose end nobody saw (it ended while no agent watched): neither done nor failed. */
function endUnknown(exit: DaemonExit | null): boolean {
  return exit === null || (exit.code === null && exit.signal === null && exit.reason === null);
}

/** An ended `once`/`event` run that went wrong (non-zero exit, a signal, a failed start). */
function runFailed(instance: DaemonInstanceInfo): boolean {
  return instance.state === 'exited' && !endedWell(instance.lastExit) && !endUnknown(instance.lastExit);
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
      if (runFailed(instance)) return { icon: 'close', color: RED, label: 'failed' };
      if (endedWell(instance.lastExit)) return { icon: 'pass', color: GREEN, label: 'done' };
      return { icon: 'question', color: GREY, label: 'ended (status unknown)' };
    case 'stopped':
      return { icon: 'circle-outline', color: GREY, label: 'stopped' };
    case 'suspended':
      return { icon: 'debug-pause', color: BLUE, label: 'suspended' };
  }
}

/** Order of concern when a task's instances differ: the worst one speaks for the task. */
const CONCERN: readonly DaemonState[] = [
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
  const failed = task.instances.find(runFailed);
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

/** The look of a task written in the file that the running agent does not know (an edit not applied yet, or with errors). */
export const NOT_APPLIED_LOOK: DaemonLook = { icon: 'circle-slash', color: GREY, label: 'not running (config not applied)' };

/** "exit 0", "SIGKILL", "exit 1 (time_limit reached)", or the reason alone when there is no status. */
export function describeExit(exit: DaemonExit): string {
  const how = exit.signal ?? (exit.code !== null ? `exit ${exit.code}` : null);
  if (how && exit.reason) return `${how} (${exit.reason})`;
  return how ?? exit.reason ?? 'ended (status unknown)';
}

/** The facts after the state: "pid 1234 · up 12s · 3.2% CPU · 48.3 MB · 2 restarts · last exit 1" (CPU and memory while sampled). */
function instanceFacts(instance: DaemonInstanceInfo, now: number): string[] {
  const facts: string[] = [];
  if (instance.pid !== null) facts.push(`pid ${instance.pid}`);
  if (instance.pid !== null && instance.startedAt !== null) facts.push(`up ${formatDuration(now - instance.startedAt)}`);
  if (instance.pid !== null && instance.memoryBytes !== undefined && instance.memoryBytes !== null)
    facts.push(`${formatCpu(instance.cpuPercent)} CPU`, formatBytes(instance.memoryBytes));
  if (instance.restarts > 0) facts.push(counted(instance.restarts, 'restart'));
  const exit = instance.lastExit;
  // Short: the status only; the reason (which can be long) is in the details.
  const status = exit && (exit.signal ?? (exit.code !== null ? `exit ${exit.code}` : null));
  if (status && instance.pid === null) facts.push(`last ${status}`);
  return facts;
}

/** The one-line description of an instance: "running · pid 1234 · up 12s · 2 restarts", "done · last exit 0". */
export function instanceDescription(instance: DaemonInstanceInfo, now: number): string {
  return [instanceLook(instance).label, ...instanceFacts(instance, now)].join(' · ');
}

/** The one-line description of a task: one instance speaks for itself; several are counted by state. */
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
  if (restarts > 0) parts.push(counted(restarts, 'restart'));
  return parts.join(' · ');
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString();
}

/** Markdown lines about one instance. */
function instanceDetailLines(instance: DaemonInstanceInfo, now: number): string[] {
  const lines = [`**${instance.id}** — ${instanceLook(instance).label}`, ''];
  if (instance.pid !== null) lines.push(`- pid ${instance.pid}${instance.adopted ? ' (adopted from a previous agent)' : ''}`);
  if (instance.pid !== null && instance.startedAt !== null)
    lines.push(`- up ${formatDuration(now - instance.startedAt)} (since ${clock(instance.startedAt)})`);
  if (instance.pid !== null) lines.push(`- ${instance.ready ? 'ready' : 'not ready yet'}`);
  const resources = instance.pid === null ? null : resourcesLine(instance);
  if (resources) lines.push(`- ${resources} (process tree)`);
  lines.push(`- ${counted(instance.restarts, 'restart')}`);
  if (instance.lastExit) lines.push(`- last exit: ${describeExit(instance.lastExit)} at ${clock(instance.lastExit.at)}`);
  if (instance.nextStartAt !== null) lines.push(`- next start at ${clock(instance.nextStartAt)}`);
  if (instance.waitingFor.length > 0) lines.push(`- waiting for ${instance.waitingFor.join(', ')}`);
  if (instance.message) lines.push('', `_${instance.message}_`);
  if (instance.state === 'crashloop') lines.push('', 'Held until you restart or reset it.');
  return lines;
}

/** The Markdown details of a task (a tree row's tooltip, the hover on its name): its settings, then each instance. */
export function taskDetails(task: DaemonTaskInfo, now: number): string {
  const header = [`**${task.name}**`, `control \`${task.control}\``, counted(task.count, 'instance')];
  if (task.requires.length > 0) header.push(`requires ${task.requires.join(', ')}`);
  const lines = [header.join(' · ')];
  for (const instance of task.instances) lines.push('', '---', '', ...instanceDetailLines(instance, now));
  return lines.join('\n');
}

/** The Markdown details of one instance. */
export function instanceDetails(instance: DaemonInstanceInfo, now: number): string {
  return instanceDetailLines(instance, now).join('\n');
}

/** The Markdown details of a task that does not run here. */
export function skippedDetails(skipped: SkippedDaemonInfo): string {
  return `**${skipped.name}** — ${skippedLook(skipped).label}`;
}

/** The Markdown details of a task the running agent does not know. */
export function notAppliedDetails(name: string): string {
  return `**${name}** — ${NOT_APPLIED_LOOK.label}`;
}
