/**
 * Which actions make sense for a daemon right now (start a stopped one, stop a
 * live one, reset a crash loop), and the tree item `contextValue` that carries
 * them to package.json's menus (`viewItem =~ /\bcanStop\b/`). Pure, so it is
 * unit-tested.
 */
import type { DaemonInstanceInfo } from '../../agent/daemons/protocol';

/** The control verbs of the Daemons view and palette. */
export type DaemonVerb = 'start' | 'stop' | 'restart' | 'reset';

/** Per verb, whether it applies. */
export type DaemonActions = Readonly<Record<DaemonVerb, boolean>>;

/** Instances that hold no process and are not on their way to one. */
const AT_REST = new Set<DaemonInstanceInfo['state']>(['stopped', 'exited', 'suspended', 'crashloop']);

/** What applies to these instances (a task's, or one). */
export function actionsFor(instances: readonly DaemonInstanceInfo[]): DaemonActions {
  const some = (test: (instance: DaemonInstanceInfo) => boolean): boolean => instances.some(test);
  return {
    // Start clears a user stop and a crash loop, and runs a once/event task again.
    start: some((instance) => AT_REST.has(instance.state) || instance.state === 'backoff'),
    stop: some((instance) => instance.pid !== null || ['waiting', 'starting', 'backoff', 'crashloop'].includes(instance.state)),
    restart: some((instance) => instance.pid !== null || instance.state === 'backoff' || instance.state === 'crashloop'),
    reset: some((instance) => instance.state === 'crashloop' || instance.state === 'backoff'),
  };
}

/**
 * The one action a row offers inline (beside Show Output): the most likely
 * next one. Stop for what runs, Start for what rests, Reset for a crash loop or
 * a backoff (the user wants it to run now); a task with some instances up and
 * some down offers Start. null: nothing to do but look at it.
 */
export function primaryVerb(actions: DaemonActions): 'start' | 'stop' | 'reset' | null {
  if (actions.reset) return 'reset';
  if (actions.start) return 'start';
  if (actions.stop) return 'stop';
  return null;
}

/** The kinds of rows in the Daemons view. */
export type DaemonRowKind = 'daemonTask' | 'daemonInstance' | 'daemonSkipped';

/**
 * `daemonTask canStart canStop primaryStart hasOutput hasConfig`: the row kind,
 * then one token per action that applies, then the inline one. Output and config are always offered for
 * tasks and instances; a task that does not run here only has its config.
 */
export function contextValue(kind: DaemonRowKind, actions: DaemonActions | null): string {
  const tokens: string[] = [kind];
  if (actions) {
    if (actions.start) tokens.push('canStart');
    if (actions.stop) tokens.push('canStop');
    if (actions.restart) tokens.push('canRestart');
    if (actions.reset) tokens.push('canReset');
    const primary = primaryVerb(actions);
    // The inline menu matches `primaryStart` etc.: one action, always in the same place.
    if (primary) tokens.push(`primary${primary[0]!.toUpperCase()}${primary.slice(1)}`);
    tokens.push('hasOutput');
  }
  tokens.push('hasConfig');
  return tokens.join(' ');
}
