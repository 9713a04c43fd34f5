/**
 * Turns an instance's `events` into file watches: `file_change` watches its
 * paths, `self` the program of the start command, `python` the Python program
 * and the modules it imports (re-read after each change, since imports
 * change), or the program like `self` when it is not Python. `restart` and
 * `stop` events are not watched: they replace the stop signal (instanceStop.ts).
 */
import * as path from 'node:path';
import type { Logger } from '../../log';
import type { DaemonEvent, DaemonSpec, EventAction } from '../config/spec';
import type { FileWatchHub } from './fileWatch';
import { resolveProgram } from './programPath';
import { pythonModuleFiles, pythonScript } from './pythonImports';

export interface BindingContext {
  readonly hub: FileWatchHub;
  readonly workspace: string;
  readonly log: Logger;
  /** Label for messages, e.g. `web:0`. */
  readonly id: string;
  /** Runs an event's action; `cause` says which file changed. */
  readonly fire: (action: EventAction, cause: string) => void;
}

/** Watches every watchable event of `spec`; returns the function that stops them all. */
export function bindEvents(spec: DaemonSpec, context: BindingContext): () => void {
  const unbinders: (() => void)[] = [];
  const cwd = path.resolve(context.workspace, spec.cwd ?? '.');
  const watchFile = (file: string, action: EventAction, type: DaemonEvent['type']): void => {
    const absolute = path.resolve(cwd, file);
    unbinders.push(context.hub.watch(absolute, () => context.fire(action, `${type}: ${absolute} changed`)));
  };
  const watchProgram = (program: string, action: EventAction, type: DaemonEvent['type']): void => {
    const file = resolveProgram(program, spec.env['PATH'], cwd);
    if (file) watchFile(file, action, type);
    else context.log.warn(`${context.id}: the ${type} event cannot find the program '${program}' in PATH; it is not watched`);
  };

  for (const event of spec.events) {
    switch (event.type) {
      case 'file_change':
        for (const file of event.paths) watchFile(file, event.action, event.type);
        break;
      case 'self':
        watchProgram(event.program, event.action, event.type);
        break;
      case 'python': {
        const script = pythonScript(spec.argv, spec.env, cwd);
        if (!script) {
          context.log.warn(
            `${context.id}: the python event found no Python program in '${spec.argv.join(' ')}'; it watches the program file, like 'self'`,
          );
          watchProgram(event.program, event.action, event.type);
          break;
        }
        unbinders.push(watchPython(script, spec.env, event.action, context));
        break;
      }
      case 'restart':
      case 'stop':
        break;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }
  return () => {
    for (const unbind of unbinders.splice(0)) unbind();
  };
}

/** Watches a script and its imported modules; the module list is refreshed after each change. */
function watchPython(script: string, env: Readonly<Record<string, string>>, action: EventAction, context: BindingContext): () => void {
  let unbinders: (() => void)[] = [];
  const bind = (): void => {
    for (const unbind of unbinders) unbind();
    const files = pythonModuleFiles(script, env);
    context.log.debug(`${context.id}: python event watches ${files.length} files`);
    unbinders = files.map((file) =>
      context.hub.watch(file, () => {
        bind();
        context.fire(action, `python: ${file} changed`);
      }),
    );
  };
  bind();
  return () => {
    for (const unbind of unbinders) unbind();
    unbinders = [];
  };
}
