/**
 * What completes `taskwarden logs SOURCE`: every part's run ids now
 * (PartModule.runIds), spelled as `logs` takes them (`web`, `task:7`, `queue:a1`).
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import type { NameLister, RunNaming } from '../../core/part';

/** The parts as `logs` reads them: how their runs are named, and who lists their ids. */
export type RunListers = readonly { readonly runs?: RunNaming; readonly runIds?: NameLister }[];

export function logSourceNames(parts: RunListers): NameLister {
  return async (connection: MessageConnection) => {
    const lists = await Promise.all(
      parts.map(async ({ runs, runIds }) => {
        if (runs === undefined || runIds === undefined) return [];
        const ids = await runIds(connection).catch((): readonly string[] => []);
        return ids.map((id) => (runs.logs.bare ? id : `${runs.logs.prefix}:${id}`));
      }),
    );
    return lists.flat();
  };
}
