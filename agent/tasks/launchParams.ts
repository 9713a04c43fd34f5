/**
 * Checks the parameters of a launch request (any client may send any JSON) and
 * prepares the child's argv and environment. Pure: the folder checks that need
 * the file system happen in the part.
 */
import * as path from 'node:path';
import { failed, ok, type Failure, type Result } from '../result';
import type { LaunchTaskParams } from './protocol';

/** A launch request that passed the checks. */
export interface LaunchRequest {
  readonly argv: readonly string[];
  readonly taskId: number | null;
  readonly name: string | null;
  readonly info: readonly [string | null, string | null, string | null];
  readonly feedpath: string | null;
  readonly timeoutMs: number | null;
  readonly keepFeedback: boolean;
  readonly cwd: string | null;
  readonly env: Readonly<Record<string, string>> | null;
}

/** A launch parameter checked: its value, or what is wrong with the request (an InvalidParams error at the boundary). */
export type Checked<T> = Result<T, Failure<'invalid-params'>>;

function invalid(message: string): { readonly ok: false; readonly error: Failure<'invalid-params'> } {
  return failed({ reason: 'invalid-params', message });
}

/** The placeholder in argv replaced by the feedback file's path. */
export const FEEDBACK_PLACEHOLDER = '{feedback}';

function optionalString(value: unknown, what: string): Checked<string | null> {
  if (value === undefined || value === null) return ok(null);
  return typeof value === 'string' ? ok(value) : invalid(`${what} must be a string`);
}

/** True for a task id: a positive safe integer. */
export function isTaskId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function checkLaunchParams(params: LaunchTaskParams | null | undefined): Checked<LaunchRequest> {
  if (typeof params !== 'object' || params === null) return invalid('the launch parameters are missing');
  const { argv } = params;
  if (!Array.isArray(argv) || argv.length === 0) return invalid('the command is empty: give it after --');
  if (!argv.every((word): word is string => typeof word === 'string')) return invalid('every word of the command must be a string');
  if (argv[0] === '') return invalid('the command is empty: give it after --');
  if (params.taskId !== undefined && params.taskId !== null && !isTaskId(params.taskId)) {
    return invalid(`invalid task id ${JSON.stringify(params.taskId)}: a task id is a positive integer`);
  }
  const strings = {
    name: optionalString(params.name, 'name'),
    info1: optionalString(params.info1, 'info1'),
    info2: optionalString(params.info2, 'info2'),
    info3: optionalString(params.info3, 'info3'),
    feedpath: optionalString(params.feedpath, 'feedpath'),
    cwd: optionalString(params.cwd, 'cwd'),
  };
  for (const checked of Object.values(strings)) if (!checked.ok) return checked;
  const value = <T>(checked: Checked<T>): T => (checked as { value: T }).value;
  const feedpath = value(strings.feedpath);
  const cwd = value(strings.cwd);
  if (feedpath !== null && !path.isAbsolute(feedpath)) return invalid(`the feedback folder must be an absolute path: ${feedpath}`);
  if (cwd !== null && !path.isAbsolute(cwd)) return invalid(`the working folder must be an absolute path: ${cwd}`);
  const timeout = params.timeoutMs;
  if (timeout !== undefined && timeout !== null && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    return invalid(`invalid timeout ${JSON.stringify(timeout)}: give a number of seconds above 0`);
  }
  const env = params.env;
  if (env !== undefined && env !== null && (typeof env !== 'object' || Object.values(env).some((entry) => typeof entry !== 'string'))) {
    return invalid('env must map names to strings');
  }
  if (feedpath === null && argv.some((word) => word.includes(FEEDBACK_PLACEHOLDER))) {
    return invalid(`the command uses ${FEEDBACK_PLACEHOLDER} but no feedback folder was given (--feedpath)`);
  }
  if (feedpath !== null && (params.taskId === undefined || params.taskId === null)) {
    return invalid('a task with a feedback folder needs a reserved id: run `taskwarden task reserve` and launch with --taskid ID');
  }
  return ok({
    argv,
    taskId: params.taskId ?? null,
    name: value(strings.name),
    info: [value(strings.info1), value(strings.info2), value(strings.info3)],
    feedpath,
    timeoutMs: typeof timeout === 'number' ? Math.round(timeout) : null,
    keepFeedback: params.keepFeedback === true,
    cwd,
    env: env ?? null,
  });
}

/** The argv with `{feedback}` replaced by the feedback file (unchanged without one). */
export function substituteFeedback(argv: readonly string[], feedbackFile: string | null): string[] {
  if (feedbackFile === null) return [...argv];
  return argv.map((word) => word.split(FEEDBACK_PLACEHOLDER).join(feedbackFile));
}

/**
 * The child's environment: the given one (or the agent's) plus the task's id
 * (`TASKWARDEN_TASK_ID`, for the task's own use) and its feedback file. The
 * workspace marker is the run's (proc/workspaceMarker.ts): it replaces the one
 * a launch from a daemon's shell inherited.
 */
export function taskEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  taskId: number,
  feedbackFile: string | null,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, entry] of Object.entries(base)) if (entry !== undefined) env[key] = entry;
  env['TASKWARDEN_TASK_ID'] = String(taskId);
  if (feedbackFile === null) delete env['TASKWARDEN_FEEDBACK_FILE'];
  else env['TASKWARDEN_FEEDBACK_FILE'] = feedbackFile;
  return env;
}

/** The name a task gets when none is given: the command's base name. */
export function defaultTaskName(argv: readonly string[]): string {
  return path.basename(argv[0] ?? 'task');
}
