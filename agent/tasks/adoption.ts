/**
 * What a new agent does with the rows a previous one left: reservations still
 * within their lifetime come back, running tasks whose process (same pid and
 * start time) still lives are adopted with their feedback resumed at the saved
 * offset, and those that ended while no agent watched go to the history with
 * what is known.
 */
import * as fsp from 'node:fs/promises';
import type { Logger } from '../log';
import { SupervisedRun } from '../proc/supervisedRun';
import { FeedbackReader } from './feedbackReader';
import { LiveTask } from './liveTask';
import type { TaskRegistry } from './taskRegistry';
import type { LiveTaskRow, TaskStore } from './taskStore';
import type { TaskSupervisor } from './taskSupervisor';

export interface AdoptionDeps {
  readonly store: TaskStore;
  readonly registry: TaskRegistry;
  readonly supervisor: TaskSupervisor;
  readonly log: Logger;
  readonly workspace: string;
}

/** The run of a running row, when its process (same pid and start time) still lives. */
function adoptRun(deps: AdoptionDeps, row: LiveTaskRow): SupervisedRun | null {
  if (row.pid === null || row.startTicks === null) return null;
  const files = row.stdoutFile !== null && row.stderrFile !== null ? { stdout: row.stdoutFile, stderr: row.stderrFile } : null;
  const options = deps.supervisor.runOptions();
  const adopted = SupervisedRun.adopt(
    {
      pid: row.pid,
      startTicks: row.startTicks,
      startedAt: row.startedAt ?? row.reservedAt,
      outOffset: 0,
      errOffset: 0,
    },
    {
      id: `task:${row.id}`,
      argv: row.argv ?? [],
      cwd: row.cwd ?? deps.workspace,
      env: {},
      mark: { workspace: deps.workspace, run: { part: 'tasks', id: String(row.id) } },
      files: files ?? { stdout: '', stderr: '' },
    },
    files === null ? { ...options, rotation: null } : options,
  );
  return adopted.ok ? adopted.value : null;
}

export interface AdoptionReport {
  readonly reservations: number;
  readonly adopted: number;
  readonly ended: number;
}

/** A running task rebuilt from its row, feedback resumed where it was saved. */
function runningTaskFromRow(row: LiveTaskRow): LiveTask {
  const task = new LiveTask(row.id, { name: row.name, unique: row.unique, reservedAt: row.reservedAt, expiresAt: null });
  task.phase = 'running';
  task.state = row.status;
  task.info = [row.info1, row.info2, row.info3];
  task.argv = row.argv;
  task.cwd = row.cwd;
  task.identity = row.pid !== null && row.startTicks !== null ? { pid: row.pid, startTime: row.startTicks } : null;
  task.startedAt = row.startedAt;
  task.timeoutMs = row.timeoutMs;
  task.stdoutFile = row.stdoutFile;
  task.stderrFile = row.stderrFile;
  task.feedbackFile = row.feedbackFile;
  task.keepFeedback = row.keepFeedback;
  task.lastUpdateAt = row.lastUpdateAt;
  if (row.feedbackFile !== null) {
    const resume =
      row.feedbackOffset === null
        ? null
        : {
            lastUpdateAt: row.lastUpdateAt,
            values: row.feedback ?? {},
            offset: row.feedbackOffset,
            inode: row.feedbackInode,
            mtimeMs: row.feedbackMtime,
          };
    task.reader = new FeedbackReader(row.feedbackFile, resume);
  }
  return task;
}

/** The last moment the task is known to have been alive: its last write to its feedback or output files. */
async function lastSignOfLife(task: LiveTask): Promise<number> {
  const started = task.startedAt ?? task.reservedAt;
  const files = [task.feedbackFile, task.stdoutFile, task.stderrFile].filter((file): file is string => file !== null);
  const times = await Promise.all(
    files.map((file) =>
      fsp.stat(file).then(
        (stat) => stat.mtimeMs,
        () => 0,
      ),
    ),
  );
  return Math.round(Math.min(Date.now(), Math.max(started, task.lastUpdateAt ?? 0, ...times)));
}

export async function adoptPreviousTasks(deps: AdoptionDeps): Promise<AdoptionReport> {
  const now = Date.now();
  let reservations = 0;
  let adopted = 0;
  let ended = 0;
  for (const row of deps.store.liveRows()) {
    if (row.status === 'RESERVED') {
      if (row.expiresAt !== null && row.expiresAt <= now) deps.store.deleteLive(row.id);
      else {
        deps.registry.restoreReservation(row);
        reservations++;
      }
      continue;
    }
    const task = runningTaskFromRow(row);
    deps.registry.add(task);
    const run = adoptRun(deps, row);
    if (run !== null) {
      task.run = run;
      deps.log.info(`adopted task ${task.id} (${task.name ?? '-'}, pid ${run.identity?.pid ?? '?'})`);
      await deps.supervisor.adopt(task, run);
      adopted++;
    } else {
      deps.log.info(`task ${task.id} (${task.name ?? '-'}) ended while the agent was down; moving it to the history`);
      await deps.supervisor.end(task, { kind: 'ended-while-down' }, await lastSignOfLife(task));
      ended++;
    }
  }
  return { reservations, adopted, ended };
}
