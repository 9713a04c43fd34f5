/**
 * Code lenses and hovers for taskwarden.yaml: above each task, its live state
 * and Start / Stop / Restart / Show Output; hovering a task name shows its
 * instances (pid, uptime, restarts, last exit, why it waits); hovering a
 * built-in `{Task_…}` name explains it; task names complete in `requires`
 * and `onexit` (referenceCompletion.ts). The state reads and looks as in the
 * Daemons view: the lens is the tree row's icon and description, the hover is
 * its tooltip (agent/daemons/protocol/presentation.ts). The lenses name the
 * extension's commands `taskwarden.startDaemon`, `taskwarden.stopDaemon`,
 * `taskwarden.restartDaemon` and `taskwarden.showDaemonOutput`, each called
 * with the task name.
 */
import type { CodeLens, Hover } from 'vscode-languageserver';
import type { LanguageContributions } from '../core/languageContributions';
import type { DaemonTaskInfo, SkippedDaemonInfo } from './protocol';
import {
  NOT_APPLIED_LOOK,
  notAppliedDetails,
  skippedDetails,
  skippedLook,
  taskDescription,
  taskDetails,
  taskLook,
  type DaemonLook,
} from './protocol';
import { BUILTIN_NAMES } from './config/context';
import { taskKeyRanges } from './configLines';
import { daemonReferenceCompletion } from './referenceCompletion';

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

/** A lens title: the codicon of the look (a lens has no color), then the text. */
export function lensTitle(look: DaemonLook, text: string): string {
  return `$(${look.icon}) ${text}`;
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
          const look = skipped ? skippedLook(skipped) : NOT_APPLIED_LOOK;
          lenses.push({ range: at, command: { title: lensTitle(look, look.label), command: '' } });
          continue;
        }
        const running = task.instances.some((instance) => instance.pid !== null);
        lenses.push({ range: at, command: { title: lensTitle(taskLook(task), taskDescription(task, now())), command: '' } });
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
        const skipped = task ? null : lookup.skipped(name);
        const value = task ? taskDetails(task, now()) : skipped ? skippedDetails(skipped) : notAppliedDetails(name);
        return { contents: { kind: 'markdown', value } };
      }
      return null;
    },

    completion: daemonReferenceCompletion,
  };
}
