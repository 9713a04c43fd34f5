/**
 * process-queue's expansion of an item: `{NAME}` in each cmd element and in cwd
 * from the queue env then the item env (later wins), `{{`/`}}` escapes, an
 * element that expands to '' dropped, an unknown name an error; the cwd resolved
 * inside the queue workdir (after `..` and symlinks); and the child's environment.
 * Pure but for the cwd check, which reads the file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { failed, ok, type Failure, type Result } from '../result';
import type { QueueItemFinal } from './protocol';

/** Why an item cannot run: its command or its working folder. */
export type ExpansionFailure = Failure<'command' | 'cwd'>;

/** Expands `{NAME}` in one string; an error names the unknown variable. */
export function expandString(text: string, vars: Readonly<Record<string, string>>): Result<string, Failure<'expansion'>> {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const ch = text[index]!;
    if (ch === '{' && text[index + 1] === '{') {
      out += '{';
      index += 2;
    } else if (ch === '}' && text[index + 1] === '}') {
      out += '}';
      index += 2;
    } else if (ch === '{') {
      const close = text.indexOf('}', index);
      if (close === -1) return failed({ reason: 'expansion', message: `unclosed '{' in ${text}` });
      const name = text.slice(index + 1, close);
      const value = vars[name];
      if (value === undefined) return failed({ reason: 'expansion', message: `unknown variable ${name} in ${text}` });
      out += value;
      index = close + 1;
    } else {
      out += ch;
      index += 1;
    }
  }
  return ok(out);
}

/** Variables the agent adds after the user's; only `_PROCESS_ROOT_DIR_` and the shell ones may be used in cmd/cwd. */
function builtins(workdir: string): Record<string, string> {
  return { _PROCESS_ROOT_DIR_: workdir, _SHELL_: '/bin/bash', _SHELL_EXT_: 'sh', _SHELL_OPT_: '/bin/bash' };
}

export interface ExpansionInput {
  readonly id: string;
  readonly cmd: readonly string[];
  readonly cwd: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly queueEnv: Readonly<Record<string, string>>;
  /** Absolute. */
  readonly workdir: string;
}

/** The item's final cmd, cwd (created if missing) and added env, or its error ("Invalid command: …", "Invalid working directory: …"). */
export function expandItem(input: ExpansionInput): Result<QueueItemFinal, ExpansionFailure> {
  const added: Record<string, string> = { ...input.queueEnv, ...input.env };
  const vars = { ...added, ...builtins(input.workdir) };
  const cmd: string[] = [];
  for (const element of input.cmd) {
    const expanded = expandString(element, vars);
    if (!expanded.ok) return failed({ reason: 'command', message: `Invalid command: ${expanded.error.message}` });
    if (expanded.value !== '') cmd.push(expanded.value);
  }
  if (cmd.length === 0) return failed({ reason: 'command', message: 'Invalid command: the command is empty' });
  let cwd = input.workdir;
  if (input.cwd !== null && input.cwd !== '') {
    const expanded = expandString(input.cwd, vars);
    if (!expanded.ok) return failed({ reason: 'cwd', message: `Invalid working directory: ${expanded.error.message}` });
    cwd = path.resolve(input.workdir, expanded.value);
  }
  const inside = resolveInside(input.workdir, cwd);
  if (!inside.ok) return failed({ reason: 'cwd', message: `Invalid working directory: ${inside.error.message}` });
  const env = { ...added, _ID_: input.id, _WORKDIR_: inside.value, ...builtins(input.workdir) };
  return ok({ cmd, cwd: inside.value, env });
}

function within(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `cwd` inside `workdir` after symlinks; created when missing; an existing non-folder is an error. */
function resolveInside(workdir: string, cwd: string): Result<string, Failure<'expansion'>> {
  if (!within(workdir, cwd)) return failed({ reason: 'expansion', message: `${cwd} is outside the queue workdir ${workdir}` });
  let realRoot: string;
  try {
    // Throws EEXIST when a file has the workdir's name, so the workdir itself needs no other check.
    fs.mkdirSync(workdir, { recursive: true });
    if (cwd === workdir) return ok(cwd);
    realRoot = fs.realpathSync.native(workdir);
  } catch (error: unknown) {
    return failed({ reason: 'expansion', message: `${workdir}: ${(error as Error).message}` });
  }
  // The deepest existing ancestor, resolved, must stay inside the workdir before anything is created.
  let existing = cwd;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  const realExisting = fs.realpathSync.native(existing);
  if (!within(realRoot, realExisting))
    return failed({ reason: 'expansion', message: `${cwd} is outside the queue workdir ${workdir} (through a symlink)` });
  try {
    if (existing === cwd) {
      if (!fs.statSync(cwd).isDirectory()) return failed({ reason: 'expansion', message: `${cwd} is a file, not a folder` });
    } else fs.mkdirSync(cwd, { recursive: true });
  } catch (error: unknown) {
    return failed({ reason: 'expansion', message: `${cwd}: ${(error as Error).message}` });
  }
  return ok(cwd);
}
