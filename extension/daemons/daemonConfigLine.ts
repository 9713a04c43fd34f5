/**
 * Finds where a task is declared in taskwarden.yaml when the agent did not
 * say (no config line in its list): the first key at the task level of the
 * top-level `tasks:` block that reads NAME, quoted or not. A text scan, not a
 * parser, so it also works on a file that does not parse. Pure; unit-tested.
 */

/** Where a task's key is: 1-based line, 0-based columns of the name. */
export interface TaskKeyPosition {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(#.*)?$/.test(line);
}

/** The position of task NAME's key under `tasks:`, or null. */
export function findTaskKey(text: string, name: string): TaskKeyPosition | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^['"]?tasks['"]?\s*:/.test(line));
  if (start < 0) return null;
  const key = new RegExp(`^(\\s*)(['"]?)(${escapeRegExp(name)})\\2\\s*:(\\s|$)`);
  let taskIndent: number | null = null;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (isBlankOrComment(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) break; // the next top-level key: the tasks block ended
    taskIndent ??= indent;
    if (indent !== taskIndent) continue;
    const match = key.exec(line);
    if (match) {
      const column = match[1]!.length + match[2]!.length;
      return { line: index + 1, start: column, end: column + name.length };
    }
  }
  return null;
}

/**
 * The name's columns on a known 1-based line (the agent's config line), or
 * null when that line no longer holds the name (the buffer was edited since).
 */
export function keyOnLine(text: string, line: number, name: string): TaskKeyPosition | null {
  const content = text.split(/\r?\n/)[line - 1] ?? '';
  const at = content.search(new RegExp(`(^|[\\s'"{,])${escapeRegExp(name)}['"]?\\s*:`));
  if (at < 0) return null;
  const start = content.indexOf(name, at);
  return { line, start, end: start + name.length };
}
