/**
 * Code lenses and hovers for taskwarden.yaml: above each task, its live state
 * and Start / Stop / Restart / Show Output; hovering a task name shows its
 * instances (pid, uptime, restarts, last exit, why it waits); hovering a
 * built-in `{Task_…}` name explains it. The lenses name the extension's
 * commands `taskwarden.startDaemon`, `taskwarden.stopDaemon`,
 * `taskwarden.restartDaemon` and `taskwarden.showDaemonOutput`, each called
 * with the task name.
 */
import type { CodeLens, Hover } from 'vscode-languageserver';
import type { LanguageContributions } from '../core/languageContributions';
import type { DaemonInstanceInfo, DaemonTaskInfo, SkippedDaemonInfo } from '../protocol/daemons';
import { BUILTIN_NAMES } from './config/context';
import { taskKeyRanges } from './configLines';
import { formatDuration } from '../protocol/durations';
import { describeExit } from './describe';

/** What the contribution asks the runtime. */
export interface DaemonLookup {
  task(name: string): DaemonTaskInfo | null;
  skipped(name: string): SkippedDaemonInfo | null;
}

/** The extension commands the lenses invoke. */
export const LENS_COMMANDS = {
  start: 'taskwarden.startDaemon',
  stop: 'taskwarden.stopDaemon',
  restart: 'taskwarden.restartDaemon',
  output: 'taskwarden.showDaemonOutput',
} as const;

function summary(task: DaemonTaskInfo, now: number): string {
  const instances = task.instances;
  if (instances.length === 1) {
    const only = instances[0]!;
    const parts: string[] = [only.state];
    if (only.pid !== null) parts.push(`pid ${only.pid}`);
    if (only.startedAt !== null) parts.push(`up ${formatDuration(now - only.startedAt)}`);
    if (only.restarts > 0) parts.push(`${only.restarts} restart${only.restarts === 1 ? '' : 's'}`);
    if (only.waitingFor.length > 0) parts.push(`waiting for ${only.waitingFor.join(', ')}`);
    return parts.join(' · ');
  }
  const counts = new Map<string, number>();
  for (const instance of instances) counts.set(instance.state, (counts.get(instance.state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count}/${instances.length} ${state}`).join(' · ');
}

function icon(task: DaemonTaskInfo): string {
  const states = task.instances.map((instance) => instance.state);
  if (states.includes('crashloop')) return '$(error)';
  if (states.every((state) => state === 'running')) return '$(pass-filled)';
  if (states.some((state) => state === 'starting' || state === 'waiting' || state === 'backoff' || state === 'stopping'))
    return '$(loading~spin)';
  return '$(circle-outline)';
}

function instanceLine(instance: DaemonInstanceInfo, now: number): string {
  const parts = [`**${instance.id}** ${instance.state}`];
  if (instance.pid !== null) parts.push(`pid ${instance.pid}`);
  if (instance.startedAt !== null) parts.push(`up ${formatDuration(now - instance.startedAt)}`);
  parts.push(`restarts ${instance.restarts}`);
  if (instance.lastExit) parts.push(`last exit: ${describeExit(instance.lastExit)}`);
  if (instance.waitingFor.length > 0) parts.push(`waiting for ${instance.waitingFor.join(', ')}`);
  if (instance.adopted) parts.push('adopted');
  const line = `- ${parts.join(' · ')}`;
  return instance.message ? `${line}\n  \n  _${instance.message}_` : line;
}

function builtinAt(line: string, character: number): string | null {
  for (const match of line.matchAll(/\{(Task_[A-Za-z0-9_]*)\}/g)) {
    const start = match.index ?? 0;
    if (character < start || character > start + match[0].length) continue;
    const name = match[1]!;
    return BUILTIN_NAMES[name] ?? (name.startsWith('Task_role_') ? (BUILTIN_NAMES['Task_role_'] ?? null) : null);
  }
  return null;
}

export function daemonLanguageContribution(lookup: DaemonLookup, now: () => number = Date.now): LanguageContributions {
  return {
    codeLenses(text: string): CodeLens[] {
      const lenses: CodeLens[] = [];
      for (const [name, range] of taskKeyRanges(text)) {
        const at = {
          start: { line: range.line - 1, character: range.column - 1 },
          end: { line: range.line - 1, character: range.column - 1 },
        };
        const task = lookup.task(name);
        if (!task) {
          const skipped = lookup.skipped(name);
          const why =
            skipped?.reason === 'off'
              ? "control 'off'"
              : skipped?.reason === 'out_of_scope'
                ? 'out of role scope here'
                : skipped?.reason === 'invalid'
                  ? 'not runnable (see problems)'
                  : 'not running (config not applied)';
          lenses.push({ range: at, command: { title: `$(circle-slash) ${why}`, command: '' } });
          continue;
        }
        const running = task.instances.some((instance) => instance.pid !== null);
        lenses.push({ range: at, command: { title: `${icon(task)} ${summary(task, now())}`, command: '' } });
        if (running) {
          lenses.push({ range: at, command: { title: 'Stop', command: LENS_COMMANDS.stop, arguments: [name] } });
          lenses.push({ range: at, command: { title: 'Restart', command: LENS_COMMANDS.restart, arguments: [name] } });
        } else {
          lenses.push({ range: at, command: { title: 'Start', command: LENS_COMMANDS.start, arguments: [name] } });
        }
        lenses.push({ range: at, command: { title: 'Show Output', command: LENS_COMMANDS.output, arguments: [name] } });
      }
      return lenses;
    },

    hover(text: string, line: number, character: number): Hover | null {
      const lineText = text.split('\n')[line] ?? '';
      const builtin = builtinAt(lineText, character);
      if (builtin) return { contents: { kind: 'markdown', value: builtin } };
      for (const [name, range] of taskKeyRanges(text)) {
        if (range.line - 1 !== line || character < range.column - 1 || character > range.endColumn - 1) continue;
        const task = lookup.task(name);
        if (!task) {
          const skipped = lookup.skipped(name);
          return { contents: { kind: 'markdown', value: `**${name}**: ${skipped ? skipped.reason.replace(/_/g, ' ') : 'not running'}` } };
        }
        const header = `**${name}** · control \`${task.control}\` · ${task.count} instance${task.count === 1 ? '' : 's'}${task.requires.length > 0 ? ` · requires ${task.requires.join(', ')}` : ''}`;
        return {
          contents: {
            kind: 'markdown',
            value: [header, '', ...task.instances.map((instance) => instanceLine(instance, now()))].join('\n'),
          },
        };
      }
      return null;
    },
  };
}
